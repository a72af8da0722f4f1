// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/ClusterRunDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ssondo::ui {

namespace {
QSpinBox* spin(QWidget* parent, int min, int max)
{
    auto* s = new QSpinBox(parent);
    s->setRange(min, max);
    return s;
}
} // namespace

ClusterRunDialog::ClusterRunDialog(const QString& kind, const QStringList& jobArgs, QWidget* parent)
    : QDialog(parent), m_kind(kind), m_jobArgs(jobArgs), m_partition(new QLineEdit(this)),
      m_time(new QLineEdit(this)), m_mem(new QLineEdit(this)), m_account(new QLineEdit(this)),
      m_gpus(spin(this, 0, 64)), m_cpus(spin(this, 0, 1024)), m_shards(spin(this, 1, 100000)),
      m_nodes(spin(this, 1, 4096)), m_tasks(spin(this, 1, 256)), m_preview(new QLabel(this))
{
    setWindowTitle(kind == QLatin1String("extract") ? tr("Extract on a Slurm cluster")
                                                    : tr("Train on a Slurm cluster"));
    m_partition->setPlaceholderText(tr("cluster default"));
    m_time->setPlaceholderText(QStringLiteral("04:00:00"));
    m_mem->setPlaceholderText(tr("e.g. 32G"));
    m_cpus->setSpecialValueText(tr("not set"));
    auto* form = new QFormLayout;
    form->addRow(tr("Partition"), m_partition);
    form->addRow(tr("Time limit"), m_time);
    if (kind == QLatin1String("extract")) {
        form->addRow(tr("Shards (array tasks)"), m_shards);
        form->addRow(tr("GPUs per shard"), m_gpus);
    } else {
        form->addRow(tr("Nodes"), m_nodes);
        form->addRow(tr("Ranks per node"), m_tasks);
        form->addRow(tr("GPUs per node"), m_gpus);
        m_tasks->setToolTip(tr("One data-parallel process per task; on GPU nodes, one per GPU"));
    }
    form->addRow(tr("CPUs per task"), m_cpus);
    form->addRow(tr("Memory"), m_mem);
    form->addRow(tr("Account"), m_account);
    m_preview->setWordWrap(true);
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* note =
        new QLabel(tr("The workspace must be on a file system the nodes share, and the nodes must "
                      "see the same <code>ssondo</code>. Follow the job in the Slurm tab of the jobs dock."),
                   this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Submit"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_preview);
    layout->addWidget(note);
    layout->addWidget(buttons);

    QSettings s;
    Options o;
    o.partition = s.value(QStringLiteral("slurm/partition")).toString();
    o.time = s.value(QStringLiteral("slurm/time"), o.time).toString();
    o.mem = s.value(QStringLiteral("slurm/mem")).toString();
    o.account = s.value(QStringLiteral("slurm/account")).toString();
    o.gpus = s.value(QStringLiteral("slurm/gpus"), 0).toInt();
    o.cpusPerTask = s.value(QStringLiteral("slurm/cpus"), 0).toInt();
    o.shards = s.value(QStringLiteral("slurm/shards"), 4).toInt();
    o.nodes = s.value(QStringLiteral("slurm/nodes"), 1).toInt();
    o.tasksPerNode = s.value(QStringLiteral("slurm/tasks"), 1).toInt();
    setOptions(o);
    for (auto* e : {m_partition, m_time, m_mem, m_account})
        connect(e, &QLineEdit::textChanged, this, &ClusterRunDialog::updatePreview);
    for (auto* b : {m_gpus, m_cpus, m_shards, m_nodes, m_tasks})
        connect(b, &QSpinBox::valueChanged, this, &ClusterRunDialog::updatePreview);
    updatePreview();
}

ClusterRunDialog::Options ClusterRunDialog::options() const
{
    Options o;
    o.partition = m_partition->text().trimmed();
    o.time = m_time->text().trimmed().isEmpty() ? QStringLiteral("04:00:00") : m_time->text().trimmed();
    o.mem = m_mem->text().trimmed();
    o.account = m_account->text().trimmed();
    o.gpus = m_gpus->value();
    o.cpusPerTask = m_cpus->value();
    o.shards = m_shards->value();
    o.nodes = m_nodes->value();
    o.tasksPerNode = m_tasks->value();
    return o;
}

void ClusterRunDialog::setOptions(const Options& o)
{
    m_partition->setText(o.partition);
    m_time->setText(o.time);
    m_mem->setText(o.mem);
    m_account->setText(o.account);
    m_gpus->setValue(o.gpus);
    m_cpus->setValue(o.cpusPerTask);
    m_shards->setValue(o.shards);
    m_nodes->setValue(o.nodes);
    m_tasks->setValue(o.tasksPerNode);
}

QStringList ClusterRunDialog::arguments(const QString& kind, const Options& o, const QStringList& jobArgs)
{
    QStringList a{QStringLiteral("slurm"), kind};
    if (kind == QLatin1String("extract"))
        a << QStringLiteral("--shards") << QString::number(o.shards);
    else
        a << QStringLiteral("--nodes") << QString::number(o.nodes) << QStringLiteral("--tasks-per-node")
          << QString::number(o.tasksPerNode);
    if (!o.partition.isEmpty())
        a << QStringLiteral("--partition") << o.partition;
    a << QStringLiteral("--time") << o.time;
    if (o.gpus > 0)
        a << QStringLiteral("--gpus") << QString::number(o.gpus);
    if (o.cpusPerTask > 0)
        a << QStringLiteral("--cpus-per-task") << QString::number(o.cpusPerTask);
    if (!o.mem.isEmpty())
        a << QStringLiteral("--mem") << o.mem;
    if (!o.account.isEmpty())
        a << QStringLiteral("--account") << o.account;
    QStringList rest = jobArgs;
    if (!rest.isEmpty() && rest.front() == kind)
        rest.removeFirst();
    return a + rest;
}

QStringList ClusterRunDialog::arguments() const
{
    return arguments(m_kind, options(), m_jobArgs);
}

void ClusterRunDialog::updatePreview()
{
    m_preview->setText(
        QStringLiteral("<code>ssondo %1</code>").arg(arguments().join(QLatin1Char(' ')).toHtmlEscaped()));
}

QStringList ClusterRunDialog::ask(const QString& kind, const QStringList& jobArgs, QWidget* parent)
{
    ClusterRunDialog d(kind, jobArgs, parent);
    if (d.exec() != QDialog::Accepted)
        return {};
    const Options o = d.options();
    QSettings s;
    s.setValue(QStringLiteral("slurm/partition"), o.partition);
    s.setValue(QStringLiteral("slurm/time"), o.time);
    s.setValue(QStringLiteral("slurm/mem"), o.mem);
    s.setValue(QStringLiteral("slurm/account"), o.account);
    s.setValue(QStringLiteral("slurm/gpus"), o.gpus);
    s.setValue(QStringLiteral("slurm/cpus"), o.cpusPerTask);
    s.setValue(QStringLiteral("slurm/shards"), o.shards);
    s.setValue(QStringLiteral("slurm/nodes"), o.nodes);
    s.setValue(QStringLiteral("slurm/tasks"), o.tasksPerNode);
    return d.arguments();
}

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/SweepDialog.h"

#include "experiments/SweepSpec.h"
#include "util/AtomicFile.h"
#include "util/Threads.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ssondo::ui {

namespace {

enum Column { CVary, CKey, CNow, CValues, CCount };

/// A value of `key` as a TOML literal: quoted for text keys.
QString literal(const ConfigKey& key, const QString& v)
{
    if (key.type == ConfigKey::Type::Text) {
        QString q = v;
        q.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('"'), QStringLiteral("\\\""));
        return QLatin1Char('"') + q + QLatin1Char('"');
    }
    return v;
}

} // namespace

QString SweepDialog::valuesToml(const ConfigKey& key, const QString& text, QString* why)
{
    const QString t = text.trimmed();
    static const QRegularExpression dist(
        QStringLiteral(R"(^(uniform|log_uniform|int_uniform)\s*\(\s*([^,\s]+)\s*,\s*([^,\s)]+)\s*\)$)"));
    static const QRegularExpression range(QStringLiteral(R"(^([-+0-9.eE]+):([-+0-9.eE]+):([-+0-9.eE]+)$)"));
    if (const auto m = dist.match(t); m.hasMatch())
        return QStringLiteral("{ distribution = \"%1\", min = %2, max = %3 }")
            .arg(m.captured(1), m.captured(2), m.captured(3));
    if (const auto m = range.match(t); m.hasMatch())
        return QStringLiteral("{ min = %1, max = %2, step = %3 }")
            .arg(m.captured(1), m.captured(2), m.captured(3));
    QStringList items;
    for (const QString& v : t.split(QLatin1Char(','), Qt::SkipEmptyParts))
        items << literal(key, v.trimmed());
    if (items.isEmpty()) {
        *why = QObject::tr("%1: type the values to try: a, b, c; or min:max:step; or log_uniform(a, b)")
                   .arg(QString::fromStdString(key.key));
        return {};
    }
    return QLatin1Char('[') + items.join(QStringLiteral(", ")) + QLatin1Char(']');
}

SweepDialog::SweepDialog(const TrainConfig& base, const QStringList& metrics, QWidget* parent)
    : QDialog(parent), m_base(base), m_keys(new QTableWidget(this)), m_name(new QLineEdit(this)),
      m_seeds(new QLineEdit(this)), m_method(new QComboBox(this)), m_trials(new QSpinBox(this)),
      m_metric(new QComboBox(this)), m_parallel(new QSpinBox(this)), m_stopIfBelow(new QDoubleSpinBox(this)),
      m_error(new QLabel(this)), m_preview(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Sweep"));
    resize(900, 700);
    m_name->setText(base.name.empty() ? QStringLiteral("sweep") : QString::fromStdString(base.name));
    m_seeds->setText(QString::number(base.seed));
    m_seeds->setToolTip(tr("Every point of the search is run with each of these seeds: 1, 2, 3"));
    m_method->addItem(tr("grid: every combination"), QStringLiteral("grid"));
    m_method->addItem(tr("random search"), QStringLiteral("random"));
    m_trials->setRange(1, 100000);
    m_trials->setValue(10);
    m_metric->addItems(metrics);
    m_metric->setToolTip(
        tr("What the sweep compares: the best validation cosine, or a linear probe's score on a "
           "labelled dataset after an automatic evaluation of each run"));
    m_parallel->setRange(1, 64);
    m_parallel->setValue(std::max(1, logicalCores() / 2));
    m_parallel->setToolTip(tr("Runs at a time on this machine, each its own process sharing the cores"));
    m_stopIfBelow->setRange(0, 0.99);
    m_stopIfBelow->setSingleStep(0.05);
    m_stopIfBelow->setSpecialValueText(tr("off"));
    m_stopIfBelow->setToolTip(
        tr("Stop a run at an epoch whose validation cosine is below this fraction of the "
           "best run's at the same epoch"));

    m_keys->setColumnCount(CCount);
    m_keys->setHorizontalHeaderLabels({tr("vary"), tr("key"), tr("now"), tr("values to try")});
    m_keys->verticalHeader()->setVisible(false);
    m_keys->horizontalHeader()->setStretchLastSection(true);
    m_keys->setObjectName(QStringLiteral("sweepKeys"));
    for (const ConfigKey& k : TrainConfig::schema()) {
        if (!k.identity || k.key == "train.seed" || k.type == ConfigKey::Type::List)
            continue;
        const int row = m_keys->rowCount();
        m_keys->insertRow(row);
        auto* vary = new QTableWidgetItem;
        vary->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        vary->setCheckState(Qt::Unchecked);
        m_keys->setItem(row, CVary, vary);
        auto* key = new QTableWidgetItem(QString::fromStdString(k.key));
        key->setFlags(Qt::ItemIsEnabled);
        key->setToolTip(QString::fromStdString(k.help()));
        m_keys->setItem(row, CKey, key);
        auto* now = new QTableWidgetItem(QString::fromStdString(base.valueText(k.key, true)));
        now->setFlags(Qt::ItemIsEnabled);
        m_keys->setItem(row, CNow, now);
        QStringList hint;
        for (const auto& c : k.choices())
            hint << QString::fromStdString(c.name);
        auto* values = new QTableWidgetItem;
        values->setToolTip(hint.isEmpty() ? tr("a, b, c · min:max:step · log_uniform(a, b) · uniform(a, b) · "
                                               "int_uniform(a, b)")
                                          : hint.join(QStringLiteral(", ")));
        m_keys->setItem(row, CValues, values);
    }
    m_keys->resizeColumnsToContents();

    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_preview->setReadOnly(true);
    m_preview->setObjectName(QStringLiteral("sweepPreview"));
    auto* form = new QFormLayout;
    form->addRow(tr("name"), m_name);
    form->addRow(tr("seeds"), m_seeds);
    auto* method = new QHBoxLayout;
    method->addWidget(m_method);
    method->addWidget(new QLabel(tr("trials"), this));
    method->addWidget(m_trials);
    form->addRow(tr("search"), method);
    form->addRow(tr("metric"), m_metric);
    form->addRow(tr("runs at a time"), m_parallel);
    form->addRow(tr("early stopping"), m_stopIfBelow);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    auto* start = buttons->addButton(tr("Start sweep"), QDialogButtonBox::AcceptRole);
    start->setObjectName(QStringLiteral("startSweep"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Tick the keys to vary and type their values; the other keys keep the "
                                    "form's values."),
                                 this));
    layout->addWidget(m_keys, 2);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_preview, 1);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_keys, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (item->column() == CValues && !item->text().trimmed().isEmpty()) {
            const QSignalBlocker block(m_keys);
            m_keys->item(item->row(), CVary)->setCheckState(Qt::Checked); // typing values means varying
        }
        updatePreview();
    });
    for (auto* e : {m_name, m_seeds})
        connect(e, &QLineEdit::textChanged, this, &SweepDialog::updatePreview);
    connect(m_method, &QComboBox::currentIndexChanged, this, &SweepDialog::updatePreview);
    connect(m_trials, &QSpinBox::valueChanged, this, &SweepDialog::updatePreview);
    connect(m_metric, &QComboBox::currentIndexChanged, this, &SweepDialog::updatePreview);
    connect(m_stopIfBelow, &QDoubleSpinBox::valueChanged, this, &SweepDialog::updatePreview);
    connect(m_parallel, &QSpinBox::valueChanged, this, &SweepDialog::updatePreview);
    updatePreview();
    start->setEnabled(m_runCount > 0);
    connect(m_preview, &QPlainTextEdit::textChanged, this,
            [this, start] { start->setEnabled(m_runCount > 0); });
}

void SweepDialog::setVaried(const QString& key, const QString& values)
{
    for (int r = 0; r < m_keys->rowCount(); ++r)
        if (m_keys->item(r, CKey)->text() == key) {
            m_keys->item(r, CValues)->setText(values); // ticks it
            m_keys->item(r, CVary)->setCheckState(values.trimmed().isEmpty() ? Qt::Unchecked : Qt::Checked);
            m_keys->scrollToItem(m_keys->item(r, CValues));
        }
}

void SweepDialog::setSeeds(const QString& seeds)
{
    m_seeds->setText(seeds);
}

void SweepDialog::setName(const QString& name)
{
    m_name->setText(name);
}

void SweepDialog::setParallel(int runs)
{
    m_parallel->setValue(runs);
}

void SweepDialog::setMethod(const QString& method, int trials)
{
    m_method->setCurrentIndex(m_method->findData(method));
    if (trials > 0)
        m_trials->setValue(trials);
}

QString SweepDialog::name() const
{
    QString n = m_name->text().trimmed();
    n.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    return n.isEmpty() ? QStringLiteral("sweep") : n;
}

int SweepDialog::parallel() const
{
    return m_parallel->value();
}

QString SweepDialog::error() const
{
    return m_error->text();
}

QString SweepDialog::sweepToml() const
{
    QStringList lines;
    lines << QStringLiteral("# Written by the Train page's Sweep dialog; run it with ssondo sweep -c FILE");
    lines << QStringLiteral("name = \"%1\"").arg(name());
    const QString method = m_method->currentData().toString();
    lines << QStringLiteral("method = \"%1\"").arg(method);
    if (method == QStringLiteral("random"))
        lines << QStringLiteral("trials = %1").arg(m_trials->value());
    QStringList seeds;
    for (const QString& s :
         m_seeds->text().split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        seeds << s;
    if (!seeds.isEmpty())
        lines << QStringLiteral("seeds = [%1]").arg(seeds.join(QStringLiteral(", ")));
    lines << QStringLiteral("metric = \"%1\"").arg(m_metric->currentText());
    lines << QStringLiteral("parallel = %1").arg(m_parallel->value());
    if (m_stopIfBelow->value() > 0)
        lines << QStringLiteral("stop_if_below = %1").arg(m_stopIfBelow->value());
    // The base: every key the form sets away from the defaults (name and tags are the sweep's).
    lines << QString() << QStringLiteral("[base]");
    const TrainConfig defaults;
    for (const auto& key : m_base.differences(defaults))
        if (key != "name" && key != "tags")
            lines << QStringLiteral("%1 = %2").arg(QString::fromStdString(key),
                                                   QString::fromStdString(m_base.valueText(key)));
    lines << QString() << QStringLiteral("[vary]");
    for (int r = 0; r < m_keys->rowCount(); ++r) {
        if (m_keys->item(r, CVary)->checkState() != Qt::Checked)
            continue;
        const std::string key = m_keys->item(r, CKey)->text().toStdString();
        QString why;
        const QString v = valuesToml(*TrainConfig::keyInfo(key), m_keys->item(r, CValues)->text(), &why);
        lines << QStringLiteral("%1 = %2").arg(QString::fromStdString(key),
                                               v.isEmpty() ? QStringLiteral("[]") : v);
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void SweepDialog::updatePreview()
{
    m_trials->setEnabled(m_method->currentData().toString() == QStringLiteral("random"));
    m_runCount = -1;
    QString why;
    for (int r = 0; r < m_keys->rowCount() && why.isEmpty(); ++r)
        if (m_keys->item(r, CVary)->checkState() == Qt::Checked)
            valuesToml(*TrainConfig::keyInfo(m_keys->item(r, CKey)->text().toStdString()),
                       m_keys->item(r, CValues)->text(), &why);
    QStringList runs;
    if (why.isEmpty()) {
        try {
            const SweepSpec spec =
                SweepSpec::fromToml(sweepToml().toStdString(), name().toStdString() + ".toml");
            for (const auto& t : spec.expand()) {
                QString line = QStringLiteral("%1").arg(t.index + 1, 3, 10, QLatin1Char('0'));
                for (const auto& [k, v] : t.values)
                    line +=
                        QStringLiteral("  %1=%2").arg(QString::fromStdString(k), QString::fromStdString(v));
                runs << line + QStringLiteral("  seed=%1").arg(t.seed);
            }
            m_runCount = int(runs.size());
        } catch (const std::exception& e) {
            why = QString::fromUtf8(e.what());
        }
    }
    m_error->setText(why);
    m_preview->setPlainText(why.isEmpty()
                                ? tr("%n run(s) will start:", nullptr, m_runCount) + QLatin1Char('\n') +
                                      runs.join(QLatin1Char('\n')) + QStringLiteral("\n\n") + sweepToml()
                                : sweepToml());
}

QStringList SweepDialog::ask(const TrainConfig& base, const QStringList& metrics, const QString& sweepsDir,
                             QWidget* parent)
{
    SweepDialog d(base, metrics, parent);
    if (d.exec() != QDialog::Accepted || d.runCount() <= 0)
        return {};
    QDir().mkpath(sweepsDir);
    const QString file = QDir(sweepsDir).filePath(d.name() + QStringLiteral(".toml"));
    writeFileAtomic(file.toStdString(), d.sweepToml().toStdString());
    return {QStringLiteral("sweep"), QStringLiteral("-c"), file, QStringLiteral("--parallel"),
            QString::number(d.parallel())};
}

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/SlurmJobsView.h"
#include "jobs/ProgressBarDelegate.h"

#include "WorkspaceController.h"
#include "models/JobTableModel.h"
#include "workspace/Workspace.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <filesystem>

namespace ssondo::ui {

namespace {

enum Col { Id, Kind, SlurmIds, Target, State, Progress, Rate, Detail, Submitted, Cols };

QString lastLines(const QString& path, int n)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    if (f.size() > 64 * 1024)
        f.seek(f.size() - 64 * 1024);
    QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    // Progress lines end with \r: keep the last state of each.
    for (auto& l : lines)
        l = l.section(QLatin1Char('\r'), -1);
    return lines.mid(std::max<int>(0, int(lines.size()) - n)).join(QLatin1Char('\n'));
}

QColor stateColor(const QString& s)
{
    if (s == QLatin1String("RUNNING"))
        return QColor(0x1f, 0x77, 0xb4);
    if (s == QLatin1String("COMPLETED"))
        return QColor(0x2c, 0xa0, 0x2c);
    if (s == QLatin1String("PENDING"))
        return QColor(0x88, 0x88, 0x88);
    return QColor(0xd6, 0x27, 0x28);
}

} // namespace

SlurmJobsView::SlurmJobsView(WorkspaceController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_table(new QTableWidget(0, Cols, this)),
      m_log(new QPlainTextEdit(this)), m_refresh(new QPushButton(tr("Refresh"), this)),
      m_cancel(new QPushButton(tr("Cancel job"), this)), m_timer(new QTimer(this)),
      m_alive(std::make_shared<std::atomic<bool>>(true))
{
    setObjectName(QStringLiteral("slurmJobs"));
    m_table->setHorizontalHeaderLabels({tr("Id"), tr("Kind"), tr("Slurm job"), tr("Target"), tr("State"),
                                        tr("Progress"), tr("Rate"), tr("Detail"), tr("Submitted")});
    m_table->setItemDelegateForColumn(Progress, new ProgressBarDelegate(m_table));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(Id, 36);
    m_table->setColumnWidth(Kind, 60);
    m_table->setColumnWidth(SlurmIds, 80);
    m_table->setColumnWidth(Target, 100);
    m_table->setColumnWidth(State, 90);
    m_table->setColumnWidth(Progress, 150);
    m_table->setColumnWidth(Rate, 60);
    m_table->setColumnWidth(Detail, 330);
    m_log->setReadOnly(true);
    m_log->setPlaceholderText(tr("Select a submission to see its command and the end of its log."));
    m_cancel->setToolTip(tr("scancel the submission's jobs"));
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(m_log);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);

    m_timer->setInterval(10000);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh(true);
    });
    m_timer->start();
    connect(m_refresh, &QPushButton::clicked, this, [this] { refresh(true); });
    connect(m_cancel, &QPushButton::clicked, this, &SlurmJobsView::cancelSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &SlurmJobsView::showSelected);
    connect(controller, &WorkspaceController::opened, this, [this] { refresh(false); });
    connect(controller, &WorkspaceController::closed, this, [this] { refresh(false); });
    connect(controller, &WorkspaceController::changed, this, [this] { refresh(false); });
}

SlurmJobsView::~SlurmJobsView()
{
    *m_alive = false; // a query still running drops its answer
}

void SlurmJobsView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refresh(true);
}

void SlurmJobsView::refresh(bool askSlurm)
{
    m_jobs.clear();
    if (Workspace* ws = m_controller->workspace()) {
        try {
            m_jobs = SlurmCatalog(ws->database()).list();
        } catch (const std::exception& e) {
            Q_EMIT statusMessage(QString::fromStdString(e.what()));
        }
    }
    for (auto& r : m_jobs)
        if (const auto it = m_live.find(r.id); it != m_live.end() && !slurmStateFinal(r.state))
            r.state = it->second;
    fill();
    std::vector<std::string> ids;
    for (const auto& r : m_jobs)
        if (!slurmStateFinal(r.state)) {
            ids.push_back(r.slurmJobId);
            if (!r.mergeJobId.empty())
                ids.push_back(r.mergeJobId);
        }
    if (!askSlurm || ids.empty() || m_querying.exchange(true))
        return;
    // squeue & co can take seconds on a busy controller: never on the GUI thread.
    auto alive = m_alive;
    QThread* t = QThread::create([this, ids, alive] {
        auto states = std::make_shared<std::map<std::string, std::string>>();
        try {
            *states = Slurm::states(ids);
        } catch (...) {
            // Slurm's tools could not be run or read: keep the last states, try again next time.
        }
        if (!*alive)
            return;
        QMetaObject::invokeMethod(
            this,
            [this, states, alive] {
                if (!*alive)
                    return;
                m_querying = false;
                applyStates(*states);
            },
            Qt::QueuedConnection);
    });
    connect(t, &QThread::finished, t, &QObject::deleteLater);
    t->start();
}

void SlurmJobsView::applyStates(const std::map<std::string, std::string>& states)
{
    // The window reads the workspace only: live states are kept here (`ssondo slurm status`
    // records them).
    {
        for (const auto& r : m_jobs) {
            if (slurmStateFinal(r.state))
                continue;
            const auto main = states.find(r.slurmJobId);
            std::string s = main == states.end() ? r.state : main->second;
            if (!r.mergeJobId.empty() && (!slurmStateFinal(s) || s == "COMPLETED")) {
                const auto merge = states.find(r.mergeJobId);
                if (merge != states.end() && (s == "COMPLETED" || merge->second != "PENDING"))
                    s = merge->second;
            }
            m_live[r.id] = s;
        }
    }
    refresh(false);
}

void SlurmJobsView::fill()
{
    const int selected = m_table->currentRow() >= 0 && m_table->item(m_table->currentRow(), Id)
                             ? m_table->item(m_table->currentRow(), Id)->text().toInt()
                             : -1;
    Workspace* ws = m_controller->workspace();
    m_table->setRowCount(int(m_jobs.size()));
    m_active = 0;
    int row = 0, selectRow = -1;
    for (const auto& r : m_jobs) {
        SlurmProgress p;
        if (ws) {
            try {
                p = SlurmCatalog(ws->database()).progress(r, ws->dir());
            } catch (const std::exception&) {
            }
        }
        const QString state = QString::fromStdString(r.state);
        m_active += !slurmStateFinal(r.state);
        auto set = [&](int col, const QString& text) {
            auto* item = m_table->item(row, col);
            if (!item) {
                item = new QTableWidgetItem;
                m_table->setItem(row, col, item);
            }
            item->setText(text);
            return item;
        };
        set(Id, QString::number(r.id));
        set(Kind, QString::fromStdString(r.kind));
        set(SlurmIds,
            QString::fromStdString(r.slurmJobId + (r.mergeJobId.empty() ? "" : " + " + r.mergeJobId)))
            ->setToolTip(r.mergeJobId.empty() ? QString()
                                              : tr("job array %1, merge job %2 after it")
                                                    .arg(QString::fromStdString(r.slurmJobId),
                                                         QString::fromStdString(r.mergeJobId)));
        set(Target, QString::fromStdString(r.target));
        set(State, state)->setForeground(stateColor(state));
        const double f = p.total > 0 ? double(p.done) / double(p.total) : -1.0;
        auto* prog =
            set(Progress, p.total > 0 ? QStringLiteral("%1 / %2").arg(p.done).arg(p.total) : QString());
        prog->setData(Qt::UserRole, f);
        set(Rate, p.rate > 0 ? QString::number(p.rate, 'f', p.rate < 10 ? 2 : 0) + QStringLiteral("/s")
                             : QString());
        set(Detail, QString::fromStdString(p.summary.empty() ? p.detail : p.summary));
        set(Submitted,
            QString::fromStdString(r.submittedAt).replace(QLatin1Char('T'), QLatin1Char(' ')).left(19));
        if (int(r.id) == selected)
            selectRow = row;
        ++row;
    }
    if (selectRow < 0 && selected < 0 && !m_jobs.empty()) {
        // Nothing chosen yet: follow the newest active submission (else the newest).
        selectRow = 0;
        for (std::size_t i = 0; i < m_jobs.size(); ++i)
            if (!slurmStateFinal(m_jobs[i].state)) {
                selectRow = int(i);
                break;
            }
    }
    if (selectRow >= 0 && m_table->currentRow() != selectRow)
        m_table->selectRow(selectRow);
    showSelected();
    Q_EMIT countsChanged(m_active, int(m_jobs.size()));
}

void SlurmJobsView::showSelected()
{
    const int row = m_table->currentRow();
    const SlurmJobRecord* r = row >= 0 && row < int(m_jobs.size()) ? &m_jobs[size_t(row)] : nullptr;
    m_cancel->setEnabled(r && !slurmStateFinal(r->state));
    if (!r) {
        m_log->clear();
        return;
    }
    QString text = QStringLiteral("$ %1\n").arg(QString::fromStdString(r->command));
    text += tr("each task runs: %1\nscript: %2\n")
                .arg(QString::fromStdString(r->jobCommand), QString::fromStdString(r->scriptPath));
    // The newest log of the submission's folder (one per array task, merge or training job).
    if (Workspace* ws = m_controller->workspace()) {
        const QDir dir(QString::fromStdString(
            (std::filesystem::path(ws->dir()) / r->scriptPath).parent_path().string()));
        const auto logs = dir.entryInfoList({QStringLiteral("*.out")}, QDir::Files, QDir::Time);
        for (const auto& log : logs.mid(0, 2))
            text += QStringLiteral("\n--- %1\n%2\n").arg(log.fileName(), lastLines(log.filePath(), 12));
    }
    if (m_log->toPlainText() != text)
        m_log->setPlainText(text);
}

void SlurmJobsView::cancelSelected()
{
    const int row = m_table->currentRow();
    if (row < 0 || row >= int(m_jobs.size()))
        return;
    const SlurmJobRecord r = m_jobs[size_t(row)];
    try {
        std::vector<std::string> ids{r.slurmJobId};
        if (!r.mergeJobId.empty())
            ids.push_back(r.mergeJobId);
        Slurm::cancel(ids);
        m_live[r.id] = "CANCELLED";
        Q_EMIT statusMessage(tr("Cancelled Slurm job %1").arg(QString::fromStdString(r.slurmJobId)));
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromStdString(e.what()));
    }
    refresh(false);
}

} // namespace ssondo::ui

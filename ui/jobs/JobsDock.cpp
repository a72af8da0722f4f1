// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/JobsDock.h"
#include "jobs/ProgressBarDelegate.h"

#include "WorkspaceController.h"
#include "experiments/JobLog.h"
#include "jobs/JobRunner.h"
#include "jobs/SlurmJobsView.h"
#include "models/JobTableModel.h"
#include "workspace/Workspace.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QSysInfo>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace ssondo::ui {

JobsDock::JobsDock(WorkspaceController* controller, QWidget* parent)
    : QDockWidget(tr("Jobs"), parent), m_controller(controller), m_model(new JobTableModel(this)),
      m_view(new QTableView(this)), m_log(new QPlainTextEdit(this)),
      m_stop(new QPushButton(tr("Stop"), this)), m_copy(new QPushButton(tr("Copy command"), this)),
      m_resume(new QPushButton(tr("Resume"), this)), m_tabs(new QTabWidget(this)),
      m_slurm(new SlurmJobsView(controller, this))
{
    setObjectName(QStringLiteral("jobsDock"));
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(JobTableModel::Progress, new ProgressBarDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(22);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(JobTableModel::Id, 36);
    m_view->setColumnWidth(JobTableModel::Kind, 70);
    m_view->setColumnWidth(JobTableModel::Target, 110);
    m_view->setColumnWidth(JobTableModel::State, 70);
    m_view->setColumnWidth(JobTableModel::Rate, 60);
    m_view->setColumnWidth(JobTableModel::Progress, 160);
    m_view->setColumnWidth(JobTableModel::Started, 150);
    m_view->setColumnWidth(JobTableModel::Elapsed, 80);
    m_view->setColumnWidth(JobTableModel::Eta, 70);
    m_resume->setToolTip(tr("Run the stopped or failed job's command again; it continues where it stopped"));
    m_log->setReadOnly(true);
    m_log->setPlaceholderText(tr("Select a job to see its command and log."));
    m_log->setMaximumBlockCount(5000);
    m_stop->setToolTip(tr("Ask the job to stop: it saves a checkpoint and exits (SIGTERM)"));

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_stop);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_copy);
    buttons->addStretch(1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_view);
    split->addWidget(m_log);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* body = new QWidget(this);
    auto* layout = new QHBoxLayout(body);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
    // Jobs of this workspace (any process, any host) and the submissions to a Slurm cluster.
    m_tabs->addTab(body, tr("Jobs"));
    m_tabs->addTab(m_slurm, tr("Slurm"));
    m_tabs->setDocumentMode(true);
    setWidget(m_tabs);
    connect(m_slurm, &SlurmJobsView::countsChanged, this, [this](int active, int total) {
        m_tabs->setTabText(1, total == 0   ? tr("Slurm")
                              : active > 0 ? tr("Slurm (%1 active)").arg(active)
                                           : tr("Slurm (%1)").arg(total));
    });
    connect(m_slurm, &SlurmJobsView::statusMessage, this, &JobsDock::statusMessage);

    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &JobsDock::showSelected);
    connect(m_stop, &QPushButton::clicked, this, &JobsDock::stopSelected);
    connect(m_copy, &QPushButton::clicked, this, &JobsDock::copySelected);
    connect(m_resume, &QPushButton::clicked, this, &JobsDock::resumeSelected);
    connect(controller, &WorkspaceController::changed, this, &JobsDock::refresh);
    connect(controller, &WorkspaceController::opened, this, &JobsDock::refresh);
    connect(controller, &WorkspaceController::closed, this, &JobsDock::refresh);
    showSelected();
}

void JobsDock::showSlurm(bool slurm)
{
    m_tabs->setCurrentIndex(slurm ? 1 : 0);
}

int JobsDock::runningCount() const
{
    int n = 0;
    for (int r = 0; r < m_model->rowCount(); ++r)
        n += m_model->job(r)->state == JobState::Running;
    return n;
}

void JobsDock::refresh()
{
    const JobRecord* sel = m_model->job(m_view->currentIndex().row());
    const qint64 selectedId = sel ? sel->id : -1;
    std::vector<JobRecord> jobs;
    if (Workspace* ws = m_controller->workspace()) {
        try {
            jobs = JobLog(ws->database()).list(500);
            // A job of this machine whose process is gone without a word (crash, kill -9, OOM) is
            // shown failed (the window only reads the workspace; the next job started here records it).
            const std::string host = QSysInfo::machineHostName().toStdString();
            for (auto& j : jobs)
                if (j.state == JobState::Running && j.slurmJobId.empty() && j.host == host && j.pid > 0 &&
                    ::kill(pid_t(j.pid), 0) != 0 && errno == ESRCH) {
                    j.state = JobState::Failed;
                    j.message = "the job's process ended without reporting (crashed or killed)";
                }
        } catch (const std::exception& e) {
            Q_EMIT statusMessage(QString::fromStdString(e.what()));
        }
    }
    m_model->setJobs(std::move(jobs));
    const int row = m_model->rowOfJob(selectedId);
    if (row >= 0 && m_view->currentIndex().row() != row)
        m_view->selectRow(row);
    showSelected();
}

JobRunner* JobsDock::runCommand(const QStringList& args)
{
    auto* runner = new JobRunner(this);
    connect(runner, &JobRunner::logLine, this, [this]() { showSelected(); });
    connect(runner, &JobRunner::finished, this, [this, runner](bool ok, const QString& message) {
        // The job wrote its final state; re-read it, keep the log for the finished job's row.
        m_controller->poll();
        refresh();
        Q_EMIT jobFinished(ok, message);
        if (!ok)
            Q_EMIT statusMessage(tr("Job failed: %1").arg(message.section(QLatin1Char('\n'), -1)));
    });
    connect(runner, &JobRunner::progress, this, [this]() { m_controller->poll(); });
    // The process inserts its own row (with its pid); the pid links that row to this runner's live log.
    connect(runner, &JobRunner::started, this,
            [this, runner](qint64 pid) { m_runnersByPid.insert(pid, runner); });
    runner->start(m_controller->dir(), args);
    return runner;
}

void JobsDock::showSelected()
{
    const JobRecord* j = m_model->job(m_view->currentIndex().row());
    m_stop->setEnabled(j && j->state == JobState::Running);
    m_copy->setEnabled(j != nullptr);
    m_resume->setEnabled(j && (j->state == JobState::Stopped || j->state == JobState::Failed) &&
                         !j->command.empty());
    if (!j) {
        m_log->clear();
        return;
    }
    QString text = QStringLiteral("$ %1\n").arg(QString::fromStdString(j->command));
    text += tr("state: %1   host: %2   pid: %3\n")
                .arg(QString::fromStdString(jobStates().nameOf(j->state)), QString::fromStdString(j->host))
                .arg(j->pid);
    if (!j->message.empty())
        text += QStringLiteral("\n%1\n").arg(QString::fromStdString(j->message));
    if (JobRunner* r = m_runnersByPid.value(j->pid)) {
        const QString log = r->log();
        if (!log.isEmpty())
            text += QStringLiteral("\n") + log;
    }
    if (m_log->toPlainText() != text)
        m_log->setPlainText(text);
}

void JobsDock::stopSelected()
{
    if (const JobRecord* j = m_model->job(m_view->currentIndex().row()))
        stopJob(j->id);
}

void JobsDock::stopJob(qint64 id)
{
    std::optional<JobRecord> record;
    try {
        if (Workspace* ws = m_controller->workspace())
            record = JobLog(ws->database()).get(id);
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromUtf8(e.what()));
        return;
    }
    const JobRecord* j = record ? &*record : nullptr;
    if (!j || j->state != JobState::Running)
        return;
    if (JobRunner* r = m_runnersByPid.value(j->pid)) {
        r->stop();
        return;
    }
    if (QString::fromStdString(j->host) != QSysInfo::machineHostName() || j->pid <= 0) {
        Q_EMIT statusMessage(
            tr("Job %1 runs on %2; stop it there.").arg(j->id).arg(QString::fromStdString(j->host)));
        return;
    }
    if (::kill(pid_t(j->pid), SIGTERM) != 0)
        Q_EMIT statusMessage(tr("Could not signal process %1").arg(j->pid));
}

void JobsDock::copySelected()
{
    if (const JobRecord* j = m_model->job(m_view->currentIndex().row()))
        QApplication::clipboard()->setText(QString::fromStdString(j->command));
}

namespace {

/// POSIX-shell word splitting for the commands `ssondo` records: single quotes (literal), double
/// quotes (with \" and \\), backslash escapes outside quotes.
QStringList shellWords(const QString& s)
{
    QStringList words;
    QString cur;
    bool inWord = false;
    for (int i = 0; i < s.size(); ++i) {
        const QChar c = s[i];
        if (c == QLatin1Char('\'')) {
            inWord = true;
            for (++i; i < s.size() && s[i] != QLatin1Char('\''); ++i)
                cur += s[i];
        } else if (c == QLatin1Char('"')) {
            inWord = true;
            for (++i; i < s.size() && s[i] != QLatin1Char('"'); ++i) {
                if (s[i] == QLatin1Char('\\') && i + 1 < s.size() &&
                    (s[i + 1] == QLatin1Char('"') || s[i + 1] == QLatin1Char('\\')))
                    ++i;
                cur += s[i];
            }
        } else if (c == QLatin1Char('\\') && i + 1 < s.size()) {
            inWord = true;
            cur += s[++i];
        } else if (c.isSpace()) {
            if (inWord)
                words << cur;
            cur.clear();
            inWord = false;
        } else {
            inWord = true;
            cur += c;
        }
    }
    if (inWord)
        words << cur;
    return words;
}

} // namespace

QStringList JobsDock::rerunArguments(const QString& command)
{
    const QStringList all = shellWords(command);
    QStringList out;
    for (int i = 1; i < all.size(); ++i) { // [0] is the program
        const QString& a = all[i];
        if (a == QStringLiteral("-w") || a == QStringLiteral("--workspace")) {
            ++i; // and its value
            continue;
        }
        if (a.startsWith(QStringLiteral("--workspace=")) || a == QStringLiteral("--json"))
            continue;
        out << a;
    }
    return out;
}

void JobsDock::resumeSelected()
{
    const JobRecord* j = m_model->job(m_view->currentIndex().row());
    if (!j || j->command.empty())
        return;
    const QStringList args = rerunArguments(QString::fromStdString(j->command));
    if (args.isEmpty())
        return;
    Q_EMIT statusMessage(tr("Resuming: ssondo %1").arg(args.join(QLatin1Char(' '))));
    runCommand(args);
}

} // namespace ssondo::ui

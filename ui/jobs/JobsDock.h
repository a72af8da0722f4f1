// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDockWidget>
#include <QHash>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace ssondo::ui {

class JobRunner;
class SlurmJobsView;
class JobTableModel;
class WorkspaceController;

/// Every job of the workspace, running or finished, whoever started it: kind, target, state,
/// progress bar with rate, elapsed time and ETA, start time, message; the selected job's command and
/// log; Stop, Resume (runs a stopped or failed job's command again: every job resumes) and Copy command. Jobs
/// started by this window stream their log live.
class JobsDock : public QDockWidget
{
    Q_OBJECT

public:
    JobsDock(WorkspaceController* controller, QWidget* parent = nullptr);

    /// Runs `ssondo -w <workspace> --json args...` as a job.
    JobRunner* runCommand(const QStringList& args);
    /// Re-reads the jobs table.
    void refresh();

    JobTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    int runningCount() const;
    SlurmJobsView* slurmView() const { return m_slurm; }
    /// Brings the Slurm tab (submissions to a cluster) or the jobs tab to the front.
    void showSlurm(bool slurm);
    /// Arguments to run a recorded command again through runCommand(): the program, the workspace
    /// and --json flags are dropped (the runner adds its own).
    static QStringList rerunArguments(const QString& command);
    /// Stops job `id`: through its runner when this window started it, else SIGTERM to its process
    /// on this host (it saves and exits); a job of another host is reported, not touched.
    void stopJob(qint64 id);

Q_SIGNALS:
    void jobFinished(bool ok, const QString& message);
    void statusMessage(const QString& message);

private:
    void showSelected();
    void stopSelected();
    void copySelected();
    void resumeSelected();

    WorkspaceController* m_controller;
    JobTableModel* m_model;
    QTableView* m_view;
    QPlainTextEdit* m_log;
    QPushButton* m_stop;
    QPushButton* m_copy;
    QPushButton* m_resume;
    QHash<qint64, JobRunner*> m_runnersByPid;
    QTabWidget* m_tabs;
    SlurmJobsView* m_slurm;
};

} // namespace ssondo::ui

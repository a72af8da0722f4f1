// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "slurm/Slurm.h"

#include <QWidget>

#include <atomic>
#include <map>
#include <string>
#include <vector>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTimer;

namespace ssondo::ui {

class WorkspaceController;

/// The workspace's Slurm submissions (`ssondo slurm …`, from here or a terminal): Slurm job ids,
/// kind, target, state from squeue/scontrol/sacct, progress read from the workspace (the shards'
/// progress files, the training run's job row), rate, detail; the selected job's script and
/// log tail; Cancel. Slurm is asked every 10 s on a worker thread while the view is shown.
class SlurmJobsView : public QWidget
{
    Q_OBJECT

public:
    explicit SlurmJobsView(WorkspaceController* controller, QWidget* parent = nullptr);
    ~SlurmJobsView() override;

    QTableWidget* table() const { return m_table; }
    /// Re-reads the submissions and their progress; asks Slurm for states when `askSlurm`.
    void refresh(bool askSlurm = true);
    /// Submissions not finished yet.
    int activeCount() const { return m_active; }

Q_SIGNALS:
    void countsChanged(int active, int total);
    void statusMessage(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void applyStates(const std::map<std::string, std::string>& states);
    void fill();
    void showSelected();
    void cancelSelected();

    WorkspaceController* m_controller;
    QTableWidget* m_table;
    QPlainTextEdit* m_log;
    QPushButton *m_refresh, *m_cancel;
    QTimer* m_timer;
    std::vector<SlurmJobRecord> m_jobs;
    std::map<std::int64_t, std::string> m_live; ///< states Slurm reported since (not written back)
    int m_active = 0;
    std::atomic<bool> m_querying{false};
    std::shared_ptr<std::atomic<bool>> m_alive;
};

} // namespace ssondo::ui

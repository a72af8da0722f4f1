#pragma once

#include "jobs/JobLog.h"

#include <QAbstractTableModel>

#include <vector>

namespace ssondo::ui {

/// Jobs recorded in the workspace (from the GUI, a terminal or Slurm), newest first.
/// The Progress column's Qt::UserRole is the fraction done in [0, 1] (or -1 when unknown).
class JobTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Kind, Target, State, Progress, Rate, Started, Message, ColumnCount };

    explicit JobTableModel(QObject* parent = nullptr);

    /// Replaces the rows, keeping the view's selection stable when ids are unchanged.
    void setJobs(std::vector<JobRecord> jobs);
    const JobRecord* job(int row) const;
    int rowOfJob(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<JobRecord> m_jobs;
};

} // namespace ssondo::ui

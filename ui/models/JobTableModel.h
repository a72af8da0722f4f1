// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "experiments/JobLog.h"

#include <QAbstractTableModel>

#include <vector>

namespace ssondo::ui {

/// Jobs recorded in the workspace (from the GUI, a terminal or Slurm), newest first.
/// The Progress column's Qt::UserRole is the fraction done in [0, 1] (or -1 when unknown).
class JobTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Kind, Target, State, Progress, Rate, Elapsed, Eta, Started, Message, ColumnCount };

    explicit JobTableModel(QObject* parent = nullptr);

    /// Replaces the rows, keeping the view's selection stable when ids are unchanged.
    void setJobs(std::vector<JobRecord> jobs);
    const JobRecord* job(int row) const;
    int rowOfJob(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    /// "1 h 02 min", "3 min 05 s", "42 s".
    static QString duration(double seconds);

private:
    std::vector<JobRecord> m_jobs;
};

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/JobTableModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

#include <cmath>

namespace ssondo::ui {

JobTableModel::JobTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void JobTableModel::setJobs(std::vector<JobRecord> jobs)
{
    bool sameIds = jobs.size() == m_jobs.size();
    for (size_t i = 0; sameIds && i < jobs.size(); ++i)
        sameIds = jobs[i].id == m_jobs[i].id;
    if (sameIds) {
        m_jobs = std::move(jobs);
        if (!m_jobs.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_jobs = std::move(jobs);
    endResetModel();
}

const JobRecord* JobTableModel::job(int row) const
{
    return row >= 0 && row < int(m_jobs.size()) ? &m_jobs[size_t(row)] : nullptr;
}

int JobTableModel::rowOfJob(qint64 id) const
{
    for (size_t i = 0; i < m_jobs.size(); ++i)
        if (m_jobs[i].id == id)
            return int(i);
    return -1;
}

int JobTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}
int JobTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobTableModel::duration(double seconds)
{
    if (!(seconds >= 0) || !std::isfinite(seconds))
        return {};
    const qint64 s = qint64(std::llround(seconds));
    if (s >= 3600)
        return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (s >= 60)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 s").arg(s);
}

static double secondsBetween(const std::string& from, const std::string& to)
{
    const QDateTime a = QDateTime::fromString(QString::fromStdString(from), Qt::ISODate);
    const QDateTime b = to.empty() ? QDateTime::currentDateTimeUtc()
                                   : QDateTime::fromString(QString::fromStdString(to), Qt::ISODate);
    if (!a.isValid() || !b.isValid())
        return -1;
    return double(a.msecsTo(b)) / 1000.0;
}

/// The state as shown, translated (the names are jobStates()'s; the compiler checks the switch
/// covers every state).
static QString stateText(JobState s)
{
    switch (s) {
    case JobState::Running:
        return JobTableModel::tr("running");
    case JobState::Done:
        return JobTableModel::tr("done");
    case JobState::Failed:
        return JobTableModel::tr("failed");
    case JobState::Stopped:
        return JobTableModel::tr("stopped");
    case JobState::Queued:
        return JobTableModel::tr("queued");
    }
    return QString::fromStdString(jobStates().nameOf(s));
}

QVariant JobTableModel::data(const QModelIndex& index, int role) const
{
    const JobRecord* j = job(index.row());
    if (!j)
        return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id:
            return qlonglong(j->id);
        case Kind:
            return QString::fromStdString(j->kind);
        case Target:
            return QString::fromStdString(j->target);
        case State:
            return stateText(j->state);
        case Progress:
            return j->total > 0 ? QStringLiteral("%1 / %2").arg(j->done).arg(j->total)
                                : (j->done > 0 ? QString::number(j->done) : QString());
        case Rate:
            return j->rate ? QString::number(*j->rate, 'f', 1) + tr("/s") : QString();
        case Elapsed:
            return duration(secondsBetween(j->startedAt, j->state == JobState::Running ? std::string()
                                                         : j->finishedAt.empty()       ? j->updatedAt
                                                                                       : j->finishedAt));
        case Eta:
            if (j->state == JobState::Running && j->rate && *j->rate > 0 && j->total > 0 &&
                j->done < j->total)
                return duration(double(j->total - j->done) / *j->rate);
            return {};
        case Started:
            return QString::fromStdString(j->startedAt)
                .replace(QLatin1Char('T'), QLatin1Char(' '))
                .remove(QLatin1Char('Z'));
        case Message:
            return QString::fromStdString(j->message).section(QLatin1Char('\n'), 0, 0);
        default:
            return {};
        }
    }
    if (role == Qt::UserRole && index.column() == Progress) {
        if (j->state == JobState::Done)
            return 1.0;
        return j->total > 0 ? double(j->done) / double(j->total) : -1.0;
    }
    if (role == Qt::ToolTipRole)
        return QStringLiteral("%1\n%2").arg(QString::fromStdString(j->command),
                                            QString::fromStdString(j->message));
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (j->state == JobState::Failed)
            return QBrush(QColor(0xc0, 0x20, 0x20));
        if (j->state == JobState::Running)
            return QBrush(QColor(0x20, 0x60, 0xc0));
        if (j->state == JobState::Done)
            return QBrush(QColor(0x20, 0x80, 0x30));
    }
    return {};
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("#");
    case Kind:
        return tr("Job");
    case Target:
        return tr("Target");
    case State:
        return tr("State");
    case Progress:
        return tr("Progress");
    case Rate:
        return tr("Rate");
    case Elapsed:
        return tr("Elapsed");
    case Eta:
        return tr("ETA");
    case Started:
        return tr("Started (UTC)");
    case Message:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace ssondo::ui

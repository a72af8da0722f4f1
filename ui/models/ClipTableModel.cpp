// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/ClipTableModel.h"

#include <QBrush>
#include <QColor>

namespace ssondo::ui {

ClipTableModel::ClipTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ClipTableModel::setClips(std::vector<ClipInfo> clips)
{
    beginResetModel();
    m_clips = std::move(clips);
    endResetModel();
}

int ClipTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_clips.size());
}
int ClipTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClipTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_clips.size()))
        return {};
    const ClipInfo& c = m_clips[size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::UserRole) {
        const bool sort = role == Qt::UserRole;
        switch (index.column()) {
        case Path:
            return QString::fromStdString(c.path);
        case Label:
            return QString::fromStdString(c.label);
        case Fold:
            return c.fold >= 0 ? QVariant(c.fold) : (sort ? QVariant(-1) : QVariant(QString()));
        case Split:
            return QString::fromStdString(c.split);
        case Duration:
            return sort ? QVariant(c.durationSeconds())
                        : QVariant(QString::number(c.durationSeconds(), 'f', 2));
        case SampleRate:
            return c.sampleRate;
        case Channels:
            return c.channels;
        case Format:
            return QString::fromStdString(c.format);
        case Status:
            return c.readable() ? tr("ok") : QString::fromStdString(c.error);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && !c.readable())
        return QBrush(QColor(0xb0, 0x20, 0x20));
    if (role == Qt::ToolTipRole && !c.readable())
        return QString::fromStdString(c.error);
    if (role == Qt::TextAlignmentRole && index.column() >= Fold && index.column() <= Channels &&
        index.column() != Split)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ClipTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Path:
        return tr("Path");
    case Label:
        return tr("Label");
    case Fold:
        return tr("Fold");
    case Split:
        return tr("Split");
    case Duration:
        return tr("Duration (s)");
    case SampleRate:
        return tr("Sample rate");
    case Channels:
        return tr("Channels");
    case Format:
        return tr("Format");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace ssondo::ui

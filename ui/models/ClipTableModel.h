// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/ClipInfo.h"

#include <QAbstractTableModel>

#include <vector>

namespace ssondo::ui {

/// The clips of one dataset as a table. Sorting uses Qt::UserRole (numbers sort as numbers).
class ClipTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Path, Label, Fold, Split, Duration, SampleRate, Channels, Format, Status, ColumnCount };

    explicit ClipTableModel(QObject* parent = nullptr);

    void setClips(std::vector<ClipInfo> clips);
    const ClipInfo& clip(int row) const { return m_clips[size_t(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ClipInfo> m_clips;
};

} // namespace ssondo::ui

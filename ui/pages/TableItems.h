// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QTableWidgetItem>

namespace ssondo::ui {

/// A table cell that sorts by the number in Qt::UserRole when it has one (text otherwise), so that
/// "2,971,664" and "95.1 %" sort as numbers.
class SortItem : public QTableWidgetItem
{
public:
    using QTableWidgetItem::QTableWidgetItem;
    bool operator<(const QTableWidgetItem& other) const override
    {
        const QVariant a = data(Qt::UserRole), b = other.data(Qt::UserRole);
        if (a.isValid() && b.isValid())
            return a.toDouble() < b.toDouble();
        return QTableWidgetItem::operator<(other);
    }
};

/// A right-aligned numeric cell: `decimals` < 0 shows an integer; `suffix` follows the number.
inline QTableWidgetItem* numberItem(double value, int decimals, const QString& suffix = {})
{
    auto* item = new SortItem(
        (decimals < 0 ? QString::number(qlonglong(value)) : QString::number(value, 'f', decimals)) + suffix);
    item->setData(Qt::UserRole, value);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace ssondo::ui

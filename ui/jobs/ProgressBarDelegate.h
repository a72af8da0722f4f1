// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QApplication>
#include <QStyledItemDelegate>

namespace ssondo::ui {

/// Paints a table cell as a progress bar: the fraction done in [0, 1] in Qt::UserRole (below 0:
/// unknown, drawn as plain text), the cell's text on the bar.
class ProgressBarDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const double f = index.data(Qt::UserRole).toDouble();
        if (f < 0) {
            QStyledItemDelegate::paint(p, option, index);
            return;
        }
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 3, -2, -3);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(f * 1000);
        bar.text = index.data().toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, p);
    }
};

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCustomPlot;
class QCPBars;

namespace ssondo::ui {

/// A bar chart of counts per category (labels on the x axis), on QCustomPlot.
class HistogramPlot : public QWidget
{
    Q_OBJECT

public:
    explicit HistogramPlot(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    void setData(const QStringList& categories, const QVector<double>& counts);
    QCustomPlot* plot() const { return m_plot; }
    int barCount() const;

private:
    QCustomPlot* m_plot;
    QCPBars* m_bars;
};

} // namespace ssondo::ui

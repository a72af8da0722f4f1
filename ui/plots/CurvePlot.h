// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QHash>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;

namespace ssondo::ui {

/// Debiased exponential moving average (TensorBoard's smoothing): ema_t = w·ema_{t−1} + (1−w)·x_t,
/// divided by 1 − w^t so the first points are not pulled towards zero. NaN inputs are skipped
/// (their output is NaN). weight in [0, 1).
QVector<double> debiasedEma(const QVector<double>& values, double weight);

/// Training curves on QCustomPlot: named series (raw drawn faintly, the debiased smoothing on top),
/// x as step, epoch or wall time, optional log axes, horizontal reference lines (baselines), a
/// second y axis for series such as the learning rate.
class CurvePlot : public QWidget
{
    Q_OBJECT

public:
    enum class XAxis { Step, Epoch, Wall };
    struct Series
    {
        QString label;
        QColor color;
        QVector<double> step, epoch, wall, value;
        bool rightAxis = false;
        bool smooth = true;
        QString fillTo; ///< key of another series: the area between the two is filled (a band)
        bool inLegend = true;
    };

    explicit CurvePlot(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    void setYLabel(const QString& left, const QString& right = {});
    /// Adds or replaces a series; points in order of step.
    void setSeries(const QString& key, const Series& series);
    const QHash<QString, Series>& series() const { return m_series; }
    void removeSeries(const QString& key);
    void setBaseline(const QString& label, double y, const QColor& color);
    void clear();

    void setXAxis(XAxis axis);
    XAxis xAxis() const { return m_x; }
    void setLogX(bool on);
    void setLogY(bool on);
    /// Smoothing weight in [0, 0.999].
    void setSmoothing(double weight);
    double smoothing() const { return m_weight; }

    QCustomPlot* plot() const { return m_plot; }
    /// The smoothed (or raw when smoothing is 0) values drawn for a series.
    QVector<double> drawnValues(const QString& key) const;
    /// Redraws from the stored series (after changes).
    void rebuild();

private:
    QCustomPlot* m_plot;
    QHash<QString, Series> m_series;
    QStringList m_order;
    struct Baseline
    {
        QString label;
        double y;
        QColor color;
    };
    QVector<Baseline> m_baselines;
    XAxis m_x = XAxis::Step;
    double m_weight = 0.6;
    bool m_logX = false, m_logY = false;
};

} // namespace ssondo::ui

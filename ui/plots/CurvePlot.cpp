// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/CurvePlot.h"

#include "plots/QCustomPlotInclude.h"

#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace ssondo::ui {

QVector<double> debiasedEma(const QVector<double>& values, double weight)
{
    QVector<double> out(values.size(), std::numeric_limits<double>::quiet_NaN());
    double last = 0;
    int count = 0;
    for (int i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v))
            continue;
        last = last * weight + (1 - weight) * v;
        ++count;
        const double debias = 1 - std::pow(weight, count);
        out[i] = debias > 0 ? last / debias : v;
    }
    return out;
}

CurvePlot::CurvePlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->legend->setVisible(true);
    m_plot->legend->setFont(QFont(font().family(), 8));
    m_plot->setMinimumHeight(160);
    setXAxis(XAxis::Step);
}

void CurvePlot::setTitle(const QString& title)
{
    if (m_plot->plotLayout()->rowCount() == 1) {
        m_plot->plotLayout()->insertRow(0);
        m_plot->plotLayout()->addElement(
            0, 0, new QCPTextElement(m_plot, title, QFont(font().family(), 9, QFont::Bold)));
    } else if (auto* t = qobject_cast<QCPTextElement*>(m_plot->plotLayout()->element(0, 0))) {
        t->setText(title);
    }
}

void CurvePlot::setYLabel(const QString& left, const QString& right)
{
    m_plot->yAxis->setLabel(left);
    m_plot->yAxis2->setVisible(!right.isEmpty());
    m_plot->yAxis2->setLabel(right);
}

void CurvePlot::setSeries(const QString& key, const Series& s)
{
    if (!m_series.contains(key))
        m_order << key;
    m_series[key] = s;
}

void CurvePlot::removeSeries(const QString& key)
{
    m_series.remove(key);
    m_order.removeAll(key);
}

void CurvePlot::setBaseline(const QString& label, double y, const QColor& color)
{
    for (auto& b : m_baselines)
        if (b.label == label) {
            b.y = y;
            return;
        }
    m_baselines.push_back({label, y, color});
}

void CurvePlot::clear()
{
    m_series.clear();
    m_order.clear();
    m_baselines.clear();
    rebuild();
}

void CurvePlot::setXAxis(XAxis axis)
{
    m_x = axis;
    m_plot->xAxis->setLabel(axis == XAxis::Step    ? tr("step")
                            : axis == XAxis::Epoch ? tr("epoch")
                                                   : tr("wall time (s)"));
}

void CurvePlot::setLogX(bool on)
{
    m_logX = on;
    m_plot->xAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    m_plot->xAxis->setTicker(on ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
}

void CurvePlot::setLogY(bool on)
{
    m_logY = on;
    m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    m_plot->yAxis->setTicker(on ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
}

void CurvePlot::setSmoothing(double weight)
{
    m_weight = std::clamp(weight, 0.0, 0.999);
}

QVector<double> CurvePlot::drawnValues(const QString& key) const
{
    const auto it = m_series.find(key);
    if (it == m_series.end())
        return {};
    return it->smooth && m_weight > 0 ? debiasedEma(it->value, m_weight) : it->value;
}

void CurvePlot::rebuild()
{
    m_plot->clearGraphs();
    m_plot->clearItems();
    bool any = false, anyRight = false;
    QHash<QString, QCPGraph*> drawn;
    for (const QString& key : m_order) {
        const Series& s = m_series[key];
        const QVector<double>& x = m_x == XAxis::Step ? s.step : m_x == XAxis::Epoch ? s.epoch : s.wall;
        QCPAxis* y = s.rightAxis ? m_plot->yAxis2 : m_plot->yAxis;
        anyRight |= s.rightAxis;
        const bool smoothed = s.smooth && m_weight > 0 && s.value.size() > 1;
        if (smoothed) { // the raw curve, faint, behind
            auto* raw = m_plot->addGraph(m_plot->xAxis, y);
            QColor faint = s.color;
            faint.setAlpha(60);
            raw->setPen(QPen(faint, 1));
            raw->setData(x, s.value, true);
            m_plot->legend->removeItem(m_plot->legend->itemCount() - 1);
        }
        auto* g = m_plot->addGraph(m_plot->xAxis, y);
        g->setName(s.label);
        g->setPen(QPen(s.color, 2));
        g->setData(x, smoothed ? debiasedEma(s.value, m_weight) : s.value, true);
        if (s.value.size() == 1)
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
        if (!s.inLegend)
            m_plot->legend->removeItem(m_plot->legend->itemCount() - 1);
        drawn.insert(key, g);
        any = true;
    }
    for (const QString& key : m_order) {
        const Series& s = m_series[key];
        if (!s.fillTo.isEmpty() && drawn.contains(key) && drawn.contains(s.fillTo)) {
            QColor band = s.color;
            band.setAlpha(50);
            drawn[key]->setBrush(band);
            drawn[key]->setChannelFillGraph(drawn[s.fillTo]);
        }
    }
    for (const auto& b : m_baselines) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->setPen(QPen(b.color, 1.5, Qt::DashLine));
        line->point1->setType(QCPItemPosition::ptPlotCoords);
        line->point2->setType(QCPItemPosition::ptPlotCoords);
        line->point1->setCoords(0, b.y);
        line->point2->setCoords(1, b.y);
        auto* text = new QCPItemText(m_plot);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        text->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        text->position->setTypeY(QCPItemPosition::ptPlotCoords);
        text->position->setCoords(0.01, b.y);
        text->setText(b.label);
        text->setColor(b.color);
        text->setFont(QFont(font().family(), 8));
    }
    m_plot->yAxis2->setVisible(anyRight || !m_plot->yAxis2->label().isEmpty());
    if (any) {
        m_plot->rescaleAxes();
        // Keep baselines in view.
        QCPRange r = m_plot->yAxis->range();
        for (const auto& b : m_baselines)
            r.expand(b.y);
        const double pad = r.size() * 0.05;
        m_plot->yAxis->setRange(r.lower - (m_logY ? 0 : pad), r.upper + pad);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ssondo::ui

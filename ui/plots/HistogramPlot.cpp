// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/HistogramPlot.h"

#include "plots/QCustomPlotInclude.h"

#include <QVBoxLayout>

#include <algorithm>

namespace ssondo::ui {

HistogramPlot::HistogramPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_bars->setPen(QPen(QColor(0x2c, 0x6f, 0xbb)));
    m_bars->setBrush(QColor(0x2c, 0x6f, 0xbb, 170));
    m_bars->setWidth(0.7);
    m_plot->xAxis->setTickLabelRotation(50);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->yAxis->setLabel(tr("clips"));
    m_plot->setMinimumHeight(180);
}

void HistogramPlot::setTitle(const QString& title)
{
    if (m_plot->plotLayout()->rowCount() == 1) {
        m_plot->plotLayout()->insertRow(0);
        m_plot->plotLayout()->addElement(
            0, 0, new QCPTextElement(m_plot, title, QFont(font().family(), 10, QFont::Bold)));
    } else if (auto* t = qobject_cast<QCPTextElement*>(m_plot->plotLayout()->element(0, 0))) {
        t->setText(title);
    }
}

int HistogramPlot::barCount() const
{
    return m_bars->data()->size();
}

void HistogramPlot::setData(const QStringList& categories, const QVector<double>& counts)
{
    QVector<double> ticks;
    for (int i = 0; i < categories.size(); ++i)
        ticks << i + 1;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    ticker->addTicks(ticks, categories.toVector());
    m_plot->xAxis->setTicker(ticker);
    m_bars->setData(ticks, counts, true);
    m_plot->xAxis->setRange(0.3, categories.size() + 0.7);
    const double top = counts.isEmpty() ? 1.0 : *std::max_element(counts.begin(), counts.end());
    m_plot->yAxis->setRange(0, top * 1.1 + 1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ssondo::ui

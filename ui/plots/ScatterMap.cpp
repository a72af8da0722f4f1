// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/ScatterMap.h"

#include "plots/QCustomPlotInclude.h"

#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMouseEvent>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>
#include <random>

namespace ssondo::ui {

/// The points, drawn as 3 × 3 pixel squares into an image per replot.
class PointCloud : public QCPAbstractPlottable
{
public:
    PointCloud(QCPAxis* key, QCPAxis* value) : QCPAbstractPlottable(key, value) {}

    void setPoints(const QVector<QPointF>& p, const QVector<int>& g)
    {
        m_points = p;
        // A fixed pseudo-random drawing order: no group systematically hides another.
        m_order.resize(p.size());
        std::iota(m_order.begin(), m_order.end(), 0);
        std::shuffle(m_order.begin(), m_order.end(), std::mt19937(12345));
        setGroups(g);
    }
    void setGroups(const QVector<int>& g)
    {
        m_groups = g;
        m_colors.clear();
        int maxGroup = -1;
        for (int x : g)
            maxGroup = std::max(maxGroup, x);
        for (int i = 0; i <= maxGroup; ++i)
            m_colors << ScatterMap::groupColor(i).rgb();
    }
    const QVector<QPointF>& points() const { return m_points; }
    int groupOf(int i) const { return m_groups.value(i, -1); }
    QVector<int> highlighted;

    double selectTest(const QPointF&, bool, QVariant*) const override { return -1; }
    QCPRange getKeyRange(bool& found, QCP::SignDomain) const override { return range(found, true); }
    QCPRange getValueRange(bool& found, QCP::SignDomain, const QCPRange&) const override
    {
        return range(found, false);
    }

protected:
    void draw(QCPPainter* painter) override
    {
        const QRect r = clipRect();
        if (m_points.isEmpty() || r.width() <= 0 || r.height() <= 0)
            return;
        QImage img(r.size(), QImage::Format_ARGB32_Premultiplied);
        img.fill(Qt::transparent);
        // Linear axes: pixel = a + b · coordinate.
        const double kx0 = mKeyAxis->coordToPixel(0), kx1 = mKeyAxis->coordToPixel(1) - kx0;
        const double vy0 = mValueAxis->coordToPixel(0), vy1 = mValueAxis->coordToPixel(1) - vy0;
        const int w = img.width(), h = img.height();
        auto* bits = reinterpret_cast<QRgb*>(img.bits());
        const int stride = img.bytesPerLine() / 4;
        const QRgb grey = qRgb(170, 170, 170);
        auto plot = [&](int i, QRgb c, int radius) {
            const int x = int(kx0 + kx1 * m_points[i].x()) - r.left();
            const int y = int(vy0 + vy1 * m_points[i].y()) - r.top();
            for (int dy = -radius; dy <= radius; ++dy) {
                const int yy = y + dy;
                if (yy < 0 || yy >= h)
                    continue;
                QRgb* row = bits + yy * stride;
                for (int dx = -radius; dx <= radius; ++dx) {
                    const int xx = x + dx;
                    if (xx >= 0 && xx < w)
                        row[xx] = c;
                }
            }
        };
        const int radius = m_points.size() < 3000 ? 2 : 1; // few points: bigger dots
        for (int i : m_order) {
            const int g = m_groups.value(i, -1);
            plot(i, g >= 0 && g < m_colors.size() ? m_colors[g] : grey, radius);
        }
        for (int i : highlighted) { // outlined on top
            if (i < 0 || i >= m_points.size())
                continue;
            plot(i, qRgb(0, 0, 0), radius + 2);
            const int g = m_groups.value(i, -1);
            plot(i, g >= 0 && g < m_colors.size() ? m_colors[g] : grey, radius + 1);
        }
        painter->drawImage(r.topLeft(), img);
    }
    void drawLegendIcon(QCPPainter*, const QRectF&) const override {}

private:
    QCPRange range(bool& found, bool key) const
    {
        found = !m_points.isEmpty();
        if (!found)
            return {};
        double lo = key ? m_points[0].x() : m_points[0].y(), hi = lo;
        for (const auto& p : m_points) {
            const double v = key ? p.x() : p.y();
            lo = std::min(lo, v), hi = std::max(hi, v);
        }
        return {lo, hi};
    }

    QVector<QPointF> m_points;
    QVector<int> m_groups, m_order;
    QVector<QRgb> m_colors;
};

QColor ScatterMap::groupColor(int g)
{
    // 20 well-separated hues (Tableau 20 order); beyond 20, the same hues darker/lighter.
    static const QRgb base[20] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
                                  0x7f7f7f, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896,
                                  0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};
    QColor c = QColor::fromRgb(base[g % 20]);
    const int round = g / 20;
    if (round % 2 == 1)
        c = c.darker(100 + 35 * ((round + 1) / 2));
    else if (round > 0)
        c = c.lighter(100 + 20 * (round / 2));
    return c;
}

ScatterMap::ScatterMap(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_legend(new QListWidget(this)),
      m_boxSelect(new QToolButton(this)), m_lasso(new QToolButton(this))
{
    m_cloud = new PointCloud(m_plot->xAxis, m_plot->yAxis);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->xAxis->setTickLabels(false);
    m_plot->yAxis->setTickLabels(false);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_plot->setMinimumSize(320, 260);
    m_boxSelect->setText(tr("Box select"));
    m_boxSelect->setToolTip(tr("Drag a rectangle to list the clips inside; off: drag pans, wheel zooms"));
    m_boxSelect->setCheckable(true);
    m_lasso->setText(tr("Lasso"));
    m_lasso->setToolTip(tr("Draw around clips to list them"));
    m_lasso->setCheckable(true);
    connect(m_boxSelect, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            setMode(Mode::Box);
        else if (!m_lasso->isChecked())
            setMode(Mode::Pan);
    });
    connect(m_lasso, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            setMode(Mode::Lasso);
        else if (!m_boxSelect->isChecked())
            setMode(Mode::Pan);
    });
    m_lassoCurve = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
    m_lassoCurve->setPen(QPen(QColor(0, 0, 0, 200), 1.5, Qt::DashLine));
    m_lassoCurve->setBrush(QColor(0x2c, 0x6f, 0xbb, 40));
    m_lassoCurve->setSelectable(QCP::stNone);
    connect(m_plot->selectionRect(), &QCPSelectionRect::accepted, this,
            [this](const QRect& rect, QMouseEvent*) {
                const QVector<int> inside = pointsIn(rect);
                setHighlighted(inside);
                Q_EMIT pointsSelected(inside);
            });
    auto* reset = new QToolButton(this);
    reset->setText(tr("Fit"));
    reset->setToolTip(tr("Show every point"));
    connect(reset, &QToolButton::clicked, this, &ScatterMap::rescale);
    m_legend->setMaximumWidth(160);
    m_legend->setSelectionMode(QAbstractItemView::NoSelection);

    auto* tools = new QHBoxLayout;
    tools->addWidget(m_boxSelect);
    tools->addWidget(m_lasso);
    tools->addWidget(reset);
    tools->addStretch();
    auto* left = new QVBoxLayout;
    left->addLayout(tools);
    left->addWidget(m_plot, 1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(left, 1);
    layout->addWidget(m_legend);
}

void ScatterMap::setPoints(const QVector<QPointF>& points, const QVector<int>& groups,
                           const QStringList& names)
{
    m_cloud->setPoints(points, groups);
    m_cloud->highlighted.clear();
    fillLegend(groups, names);
    rescale();
}

void ScatterMap::setGroups(const QVector<int>& groups, const QStringList& names)
{
    m_cloud->setGroups(groups);
    fillLegend(groups, names);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ScatterMap::setMode(Mode mode)
{
    const QSignalBlocker b1(m_boxSelect), b2(m_lasso);
    m_boxSelect->setChecked(mode == Mode::Box);
    m_lasso->setChecked(mode == Mode::Lasso);
    m_plot->setSelectionRectMode(mode == Mode::Box ? QCP::srmCustom : QCP::srmNone);
    m_plot->setInteraction(QCP::iRangeDrag, mode == Mode::Pan);
}

QVector<int> ScatterMap::pointsIn(const QPolygon& polygon) const
{
    QVector<int> out;
    if (polygon.size() < 3)
        return out;
    const QRect bounds = polygon.boundingRect();
    const auto& pts = m_cloud->points();
    for (int i = 0; i < pts.size(); ++i) {
        const QPoint p = pixelOf(i);
        if (bounds.contains(p) && polygon.containsPoint(p, Qt::OddEvenFill))
            out << i;
    }
    return out;
}

int ScatterMap::groupOf(int i) const
{
    return m_cloud->groupOf(i);
}

void ScatterMap::fillLegend(const QVector<int>& groups, const QStringList& names)
{
    m_legend->clear();
    QVector<int> counts(names.size(), 0);
    for (int g : groups)
        if (g >= 0 && g < counts.size())
            ++counts[g];
    for (int g = 0; g < names.size(); ++g) {
        QPixmap swatch(12, 12);
        swatch.fill(groupColor(g));
        m_legend->addItem(
            new QListWidgetItem(QIcon(swatch), QStringLiteral("%1 (%2)").arg(names[g]).arg(counts[g])));
    }
}

void ScatterMap::clear()
{
    setPoints({}, {}, {});
}

int ScatterMap::pointCount() const
{
    return m_cloud->points().size();
}

void ScatterMap::setHighlighted(const QVector<int>& indices)
{
    m_cloud->highlighted = indices;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

const QVector<int>& ScatterMap::highlighted() const
{
    return m_cloud->highlighted;
}

void ScatterMap::rescale()
{
    m_plot->rescaleAxes();
    for (QCPAxis* a : {m_plot->xAxis, m_plot->yAxis}) {
        const QCPRange r = a->range();
        const double pad = std::max(1e-9, r.size() * 0.04);
        a->setRange(r.lower - pad, r.upper + pad);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

double ScatterMap::replotMilliseconds()
{
    QElapsedTimer t;
    t.start();
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
    return double(t.nsecsElapsed()) / 1e6;
}

QPoint ScatterMap::pixelOf(int i) const
{
    const QPointF p = m_cloud->points().value(i);
    return QPoint(int(m_plot->xAxis->coordToPixel(p.x())), int(m_plot->yAxis->coordToPixel(p.y())));
}

int ScatterMap::pointAt(const QPoint& pixel, double maxPixels) const
{
    const auto& pts = m_cloud->points();
    const double x0 = m_plot->xAxis->coordToPixel(0), sx = m_plot->xAxis->coordToPixel(1) - x0;
    const double y0 = m_plot->yAxis->coordToPixel(0), sy = m_plot->yAxis->coordToPixel(1) - y0;
    int best = -1;
    double bestD = maxPixels * maxPixels;
    for (int i = 0; i < pts.size(); ++i) {
        const double dx = x0 + sx * pts[i].x() - pixel.x(), dy = y0 + sy * pts[i].y() - pixel.y();
        const double d = dx * dx + dy * dy;
        if (d <= bestD)
            bestD = d, best = i;
    }
    return best;
}

QVector<int> ScatterMap::pointsIn(const QRect& rect) const
{
    QVector<int> out;
    const auto& pts = m_cloud->points();
    const QRect r = rect.normalized();
    for (int i = 0; i < pts.size(); ++i)
        if (r.contains(pixelOf(i)))
            out << i;
    return out;
}

bool ScatterMap::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot) {
        auto drawLasso = [this] {
            QVector<double> x, y;
            for (const QPoint& p : m_lassoPath)
                x << m_plot->xAxis->pixelToCoord(p.x()), y << m_plot->yAxis->pixelToCoord(p.y());
            if (!m_lassoPath.isEmpty())
                x << x.first(), y << y.first();
            m_lassoCurve->setData(x, y);
            m_plot->replot(QCustomPlot::rpQueuedReplot);
        };
        if (event->type() == QEvent::MouseMove) {
            auto* e = static_cast<QMouseEvent*>(event);
            if (e->buttons() == Qt::NoButton)
                Q_EMIT pointHovered(pointAt(e->pos()));
            else if (m_lasso->isChecked() && (e->buttons() & Qt::LeftButton)) {
                m_lassoPath << e->pos();
                drawLasso();
            }
        } else if (event->type() == QEvent::MouseButtonPress) {
            m_pressPos = static_cast<QMouseEvent*>(event)->pos();
            if (m_lasso->isChecked()) {
                m_lassoPath = QPolygon{m_pressPos};
                drawLasso();
            }
        } else if (event->type() == QEvent::MouseButtonRelease && m_lasso->isChecked()) {
            const QVector<int> inside = pointsIn(m_lassoPath);
            m_lassoPath.clear();
            drawLasso();
            setHighlighted(inside);
            Q_EMIT pointsSelected(inside);
        } else if (event->type() == QEvent::MouseButtonRelease && !m_boxSelect->isChecked()) {
            auto* e = static_cast<QMouseEvent*>(event);
            // A click, not the end of a pan.
            if (e->button() == Qt::LeftButton && (e->pos() - m_pressPos).manhattanLength() <= 3) {
                const int i = pointAt(e->pos());
                if (i >= 0) {
                    setHighlighted({i});
                    Q_EMIT pointClicked(i);
                }
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ssondo::ui

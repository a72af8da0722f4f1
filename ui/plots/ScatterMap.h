// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPointF>
#include <QVector>
#include <QWidget>

class QCPCurve;
class QCustomPlot;
class QListWidget;
class QToolButton;

namespace ssondo::ui {

class PointCloud;

/// A fast 2-D scatter of up to hundreds of thousands of points on QCustomPlot: points are
/// rasterised into an image at each replot (not drawn one QPainter call at a time), coloured by
/// group with a stable palette, with zoom and pan (wheel, drag), hover (nearest point within a few
/// pixels), click, box and lasso selection, and a legend of the groups.
class ScatterMap : public QWidget
{
    Q_OBJECT

public:
    explicit ScatterMap(QWidget* parent = nullptr);

    /// points[i] in data coordinates; groups[i] in [0, groupNames.size()) or -1 (grey).
    void setPoints(const QVector<QPointF>& points, const QVector<int>& groups, const QStringList& groupNames);
    /// New groups for the same points (recolouring): the view and highlighted points stay.
    void setGroups(const QVector<int>& groups, const QStringList& groupNames);
    /// Group of point i (-1: none).
    int groupOf(int i) const;
    void clear();
    int pointCount() const;
    /// Points drawn on top with an outline.
    void setHighlighted(const QVector<int>& indices);
    const QVector<int>& highlighted() const;
    /// Index of the point nearest to a widget-pixel position of the plot, within maxPixels; -1 if none.
    int pointAt(const QPoint& plotPixel, double maxPixels = 6) const;
    /// Indices of the points inside a rectangle of plot pixels.
    QVector<int> pointsIn(const QRect& plotPixels) const;
    /// Indices of the points inside a polygon of plot pixels (lasso).
    QVector<int> pointsIn(const QPolygon& plotPixels) const;
    enum class Mode { Pan, Box, Lasso };
    void setMode(Mode mode);
    /// Pixel position of point i in the plot widget (for tests).
    QPoint pixelOf(int i) const;
    void rescale();
    /// Replots now and returns the milliseconds it took (benchmark).
    double replotMilliseconds();

    QCustomPlot* plot() const { return m_plot; }
    QListWidget* legend() const { return m_legend; }
    /// Colour of group g (stable: the same group always gets the same colour).
    static QColor groupColor(int g);

Q_SIGNALS:
    void pointHovered(int index);
    void pointClicked(int index);
    void pointsSelected(const QVector<int>& indices);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fillLegend(const QVector<int>& groups, const QStringList& names);
    QCustomPlot* m_plot;
    PointCloud* m_cloud;
    QListWidget* m_legend;
    QToolButton* m_boxSelect;
    QToolButton* m_lasso;
    QCPCurve* m_lassoCurve;
    QPolygon m_lassoPath;
    QPoint m_pressPos;
};

} // namespace ssondo::ui

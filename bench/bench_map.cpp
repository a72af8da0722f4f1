// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: replotting the Clusters page's map with 200,000 points (50 clusters), our rasterising
// PointCloud against QCustomPlot's own scatter graphs (one QCPGraph per cluster, 3 px discs) in the
// same run; target < 50 ms per replot. Offscreen.
//   bench_map [points=200000]

#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"

#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <random>

using namespace ssondo::ui;

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int n = argc > 1 ? std::atoi(argv[1]) : 200000;
    std::mt19937 rng(3);
    std::normal_distribution<double> noise;
    QVector<QPointF> pts;
    QVector<int> groups;
    for (int i = 0; i < n; ++i) {
        const int g = i % 50;
        pts << QPointF(g % 10 * 5 + noise(rng), g / 10 * 5 + noise(rng));
        groups << g;
    }
    QStringList names;
    for (int g = 0; g < 50; ++g)
        names << QString::number(g);
    auto best = [](const std::function<double()>& f) {
        f(); // warm
        double b = 1e9;
        for (int i = 0; i < 5; ++i)
            b = std::min(b, f());
        return b;
    };

    ScatterMap map;
    map.resize(1000, 700);
    map.show();
    map.setPoints(pts, groups, names);
    const double ours = best([&] { return map.replotMilliseconds(); });
    // Zoom in (the common interaction) and replot again.
    map.plot()->xAxis->scaleRange(0.5);
    const double zoomed = best([&] { return map.replotMilliseconds(); });

    QCustomPlot plain;
    plain.resize(map.plot()->size());
    plain.show();
    for (int g = 0; g < 50; ++g) {
        QVector<double> x, y;
        for (int i = g; i < n; i += 50)
            x << pts[i].x(), y << pts[i].y();
        auto* graph = plain.addGraph();
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, ScatterMap::groupColor(g), 3));
        graph->setData(x, y);
    }
    plain.rescaleAxes();
    const double baseline = best([&] {
        QElapsedTimer t;
        t.start();
        plain.replot(QCustomPlot::rpImmediateRefresh);
        return double(t.nsecsElapsed()) / 1e6;
    });
    std::printf(
        "map replot, %d points in 50 clusters, 1000 x 700: %.1f ms (zoomed in %.1f ms); QCustomPlot scatter "
        "graphs %.1f ms\n",
        n, ours, zoomed, baseline);
    std::printf("  speed-up %.1fx; target < 50 ms: %s\n", baseline / ours, ours < 50 ? "met" : "MISSED");
    return 0;
}

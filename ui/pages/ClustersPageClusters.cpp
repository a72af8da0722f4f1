// SPDX-License-Identifier: GPL-3.0-or-later
// The Clusters page's cluster views: quality line, cluster table, draws chart, k sweep, selection.

#include "pages/ClustersPage.h"

#include "WorkspaceController.h"
#include "clustering/ClusteringCatalog.h"
#include "pages/TableItems.h"
#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"
#include "workspace/Workspace.h"

#include <QLabel>
#include <QListWidget>
#include <QTableWidget>

#include <algorithm>
#include <map>

namespace ssondo::ui {

void ClustersPage::loadClustering()
{
    Workspace* ws = controller()->workspace();
    const auto id = currentClustering();
    m_table->setSortingEnabled(false);
    m_table->setRowCount(0);
    m_draws->clearPlottables();
    if (!ws || id <= 0) {
        m_cluster.clear();
        m_loadedClustering = -1;
        m_metrics->setText(tr("No clustering of this set yet: choose k and press <i>Run k-means</i>."));
        m_draws->replot(QCustomPlot::rpQueuedReplot);
        recolour();
        return;
    }
    ClusteringRecord c;
    try {
        ClusteringCatalog catalog(ws->database());
        c = catalog.get(id);
        if (id != m_loadedClustering)
            m_cluster = catalog.assignments(id, std::int64_t(m_paths.size()));
        m_loadedClustering = id;
    } catch (const std::exception& e) {
        m_metrics->setText(tr("Cannot read clustering %1: %2").arg(id).arg(QString::fromUtf8(e.what())));
        return;
    }
    const auto& q = c.quality;
    QString text = tr("<b>k = %1</b> (%2, seed %3, %4) on %5 clips: inertia %6 · silhouette %7 · "
                      "Calinski–Harabasz %8 · Davies–Bouldin %9")
                       .arg(c.k)
                       .arg(c.normalized ? tr("L2-normalised") : tr("raw"))
                       .arg(c.seed)
                       .arg(QString::fromStdString(c.init))
                       .arg(c.rows)
                       .arg(q.inertia, 0, 'g', 5)
                       .arg(q.silhouette, 0, 'f', 3)
                       .arg(q.calinskiHarabasz, 0, 'f', 1)
                       .arg(q.daviesBouldin, 0, 'f', 3);
    if (q.nmi)
        text += tr(" · against the labels: NMI %1 · ARI %2 · purity %3")
                    .arg(*q.nmi, 0, 'f', 3)
                    .arg(*q.ari, 0, 'f', 3)
                    .arg(*q.purity, 0, 'f', 3);
    m_metrics->setText(text);

    // Per cluster: size, share, weight 1/size, and the expected share of draws.
    const double total = double(std::max<std::int64_t>(1, c.rows));
    int nonEmpty = 0;
    for (auto s : c.sizes)
        nonEmpty += s > 0;
    m_table->setRowCount(int(c.sizes.size()));
    for (int i = 0; i < int(c.sizes.size()); ++i) {
        const double size = double(c.sizes[size_t(i)]);
        auto* name = numberItem(i, -1);
        name->setIcon([&] {
            QPixmap p(10, 10);
            p.fill(ScatterMap::groupColor(i));
            return QIcon(p);
        }());
        m_table->setItem(i, 0, name);
        m_table->setItem(i, 1, numberItem(size, -1));
        m_table->setItem(i, 2, numberItem(100.0 * size / total, 1, QStringLiteral(" %")));
        m_table->setItem(i, 3, numberItem(size > 0 ? 1.0 / size : 0.0, 5));
        m_table->setItem(i, 4, numberItem(100.0 * size / total, 1, QStringLiteral(" %")));
        m_table->setItem(i, 5, numberItem(size > 0 ? 100.0 / nonEmpty : 0.0, 1, QStringLiteral(" %")));
    }
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(1, Qt::DescendingOrder);

    // Draws per cluster, largest cluster first: uniform follows the sizes, balanced is flat.
    std::vector<std::pair<std::int64_t, int>> order;
    for (int i = 0; i < int(c.sizes.size()); ++i)
        order.push_back({c.sizes[size_t(i)], i});
    std::sort(order.begin(), order.end(), std::greater<>());
    QVector<double> keys, uniform, balanced;
    for (size_t j = 0; j < order.size(); ++j) {
        keys << double(j + 1);
        uniform << double(order[j].first) / total;
        balanced << (order[j].first > 0 ? 1.0 / nonEmpty : 0.0);
    }
    auto* group = new QCPBarsGroup(m_draws);
    auto* u = new QCPBars(m_draws->xAxis, m_draws->yAxis);
    u->setName(tr("uniform sampling"));
    u->setBrush(QColor(0x99, 0x99, 0x99, 200));
    u->setPen(Qt::NoPen);
    u->setData(keys, uniform, true);
    auto* b = new QCPBars(m_draws->xAxis, m_draws->yAxis);
    b->setName(tr("balanced sampling"));
    b->setBrush(QColor(0x2c, 0x6f, 0xbb, 220));
    b->setPen(Qt::NoPen);
    b->setData(keys, balanced, true);
    for (auto* bars : {u, b}) {
        bars->setWidth(0.4);
        bars->setBarsGroup(group);
    }
    m_draws->xAxis->setRange(0.3, double(order.size()) + 0.7);
    const double top = uniform.isEmpty() ? 1.0
                                         : std::max(*std::max_element(uniform.begin(), uniform.end()),
                                                    balanced.isEmpty() ? 0.0 : balanced[0]);
    m_draws->yAxis->setRange(0, top * 1.1);
    m_draws->replot(QCustomPlot::rpQueuedReplot);
    recolour();
}

void ClustersPage::fillSweep()
{
    m_sweep->clearGraphs();
    Workspace* ws = controller()->workspace();
    const auto set = currentEmbeddingSet();
    std::map<std::int64_t, ClusteringRecord> byK; // newest clustering per k
    if (ws && set > 0)
        for (const auto& c : ClusteringCatalog(ws->database()).list())
            if (c.embeddingSetId == set && (!byK.count(c.k) || byK[c.k].id < c.id))
                byK[c.k] = c;
    QVector<double> k, sil, db, inertia;
    for (const auto& [kk, c] : byK) {
        k << double(kk);
        sil << c.quality.silhouette;
        db << c.quality.daviesBouldin;
        inertia << c.quality.inertia;
    }
    auto add = [&](const QString& name, const QVector<double>& v, QCPAxis* axis, QColor color) {
        auto* g = m_sweep->addGraph(m_sweep->xAxis, axis);
        g->setName(name);
        g->setData(k, v);
        g->setPen(QPen(color, 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    };
    add(tr("silhouette (higher is better)"), sil, m_sweep->yAxis, QColor(0x2c, 0x6f, 0xbb));
    add(tr("Davies–Bouldin (lower is better)"), db, m_sweep->yAxis, QColor(0xd6, 0x27, 0x28));
    add(tr("inertia (right axis)"), inertia, m_sweep->yAxis2, QColor(0x55, 0x55, 0x55));
    m_sweep->rescaleAxes();
    if (k.size() == 1)
        m_sweep->xAxis->setRange(k[0] - 1, k[0] + 1);
    m_sweep->replot(QCustomPlot::rpQueuedReplot);
}

void ClustersPage::showSelection(const QVector<int>& points)
{
    m_selection->clear();
    for (int i : points) {
        const std::int64_t row = rowOfPoint(i);
        if (row < 0)
            continue;
        QString text = QString::fromStdString(m_paths[size_t(row)]);
        if (!m_labels[size_t(row)].empty())
            text += QStringLiteral(" — ") + QString::fromStdString(m_labels[size_t(row)]);
        if (!m_cluster.empty() && m_cluster[size_t(row)] >= 0)
            text += QStringLiteral(" — ") + tr("cluster %1").arg(m_cluster[size_t(row)]);
        auto* item = new QListWidgetItem(text, m_selection);
        item->setData(Qt::UserRole, qlonglong(row));
    }
}

} // namespace ssondo::ui

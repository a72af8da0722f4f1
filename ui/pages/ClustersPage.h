// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pages/Page.h"

#include <cstdint>
#include <string>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace ssondo::ui {

class ScatterMap;

/// The balanced sampler made visible: k-means of an embedding set (or a sweep over k), its quality
/// measures, a 2-D map coloured by cluster or label (hover, click to open the clip, box selection),
/// and per cluster its size, sampling weight and expected share of draws under uniform and balanced
/// sampling. Every action runs the `ssondo` command that does it as a job.
class ClustersPage : public Page
{
    Q_OBJECT

public:
    explicit ClustersPage(WorkspaceController* controller, QWidget* parent = nullptr);
    QString title() const override { return tr("Clusters"); }
    QString pageId() const override { return QStringLiteral("clusters"); }
    void refresh() override;

    void selectEmbeddingSet(std::int64_t id);
    void selectClustering(std::int64_t id);
    /// "cluster" or "label".
    void setColourBy(const QString& what);
    std::int64_t currentEmbeddingSet() const;
    std::int64_t currentClustering() const;

    ScatterMap* map() const { return m_map; }
    QTableWidget* clusterTable() const { return m_table; }
    QLabel* metrics() const { return m_metrics; }
    QListWidget* selection() const { return m_selection; }
    QCustomPlot* sweepPlot() const { return m_sweep; }
    QCustomPlot* drawsChart() const { return m_draws; }
    /// Store row of map point i.
    std::int64_t rowOfPoint(int i) const;
    /// The `ssondo` arguments the Run buttons would start now (shown under them).
    QStringList clusterCommand() const;
    QStringList mapCommand() const;

Q_SIGNALS:
    /// The user opened a clip (click on the map, double-click in the selection).
    void clipActivated(const QString& dataset, const QString& clipPath);

private:
    void fillSets();
    void fillClusterings();
    void fillMaps();
    void loadSet();
    void loadClustering();
    void loadMap();
    void recolour();
    void fillSweep();
    void updateCommands();
    void showSelection(const QVector<int>& points);

    QComboBox* m_sets;
    QComboBox* m_clusterings;
    QComboBox* m_maps;
    QComboBox* m_colour;
    QSpinBox* m_k;
    QLineEdit* m_kRange;
    QCheckBox* m_normalize;
    QSpinBox* m_seed;
    QPushButton* m_runCluster;
    QComboBox* m_mapMethod;
    QPushButton* m_runMap;
    QLabel* m_command;
    QLabel* m_metrics;
    ScatterMap* m_map;
    QTableWidget* m_table;
    QCustomPlot* m_draws;
    QCustomPlot* m_sweep;
    QListWidget* m_selection;

    // What is loaded (store rows of the set, per row: clip path, label, cluster).
    std::int64_t m_loadedSet = -1, m_loadedClustering = -1, m_loadedMap = -1;
    std::string m_dataset;
    std::vector<std::string> m_paths, m_labels;
    std::vector<std::int64_t> m_cluster;
    std::vector<std::int64_t> m_pointRows; // store row of each map point
    QStringList m_labelNames;
};

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/ClustersPage.h"

#include "WorkspaceController.h"
#include "clustering/ClusteringCatalog.h"
#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "jobs/MapJob.h"
#include "pages/TableItems.h"
#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"
#include "workspace/Workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCursor>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace ssondo::ui {

namespace {

QString firstLabel(const std::string& label)
{
    const QString l = QString::fromStdString(label);
    return l.section(QLatin1Char(';'), 0, 0).trimmed();
}

/// A map's entry in the Map list: its method, size and trustworthiness (when it was measured).
QString mapEntry(const MapRecord& m)
{
    const QString method = m.method == "tsne"   ? QStringLiteral("t-SNE")
                           : m.method == "umap" ? QStringLiteral("UMAP")
                                                : QStringLiteral("PCA");
    QString text = QStringLiteral("#%1 · %2 · %3 points").arg(m.id).arg(method).arg(m.rows);
    const QJsonObject params = QJsonDocument::fromJson(QByteArray::fromStdString(m.paramsJson)).object();
    if (params.contains(QStringLiteral("trustworthiness")))
        text += QStringLiteral(" · trust %1")
                    .arg(params.value(QStringLiteral("trustworthiness")).toDouble(), 0, 'f', 3);
    return text;
}

} // namespace

ClustersPage::ClustersPage(WorkspaceController* controller, QWidget* parent)
    : Page(controller, parent), m_sets(new QComboBox(this)), m_clusterings(new QComboBox(this)),
      m_maps(new QComboBox(this)), m_colour(new QComboBox(this)), m_k(new QSpinBox(this)),
      m_kRange(new QLineEdit(this)), m_normalize(new QCheckBox(tr("L2-normalise"), this)),
      m_seed(new QSpinBox(this)), m_runCluster(new QPushButton(tr("Run k-means"), this)),
      m_mapMethod(new QComboBox(this)), m_runMap(new QPushButton(tr("Compute map"), this)),
      m_command(new QLabel(this)), m_metrics(new QLabel(this)), m_map(new ScatterMap(this)),
      m_table(new QTableWidget(this)), m_draws(new QCustomPlot(this)), m_sweep(new QCustomPlot(this)),
      m_selection(new QListWidget(this))
{
    m_sets->setMinimumWidth(260);
    m_colour->addItem(tr("cluster"), QStringLiteral("cluster"));
    m_colour->addItem(tr("label"), QStringLiteral("label"));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Embeddings:"), this));
    top->addWidget(m_sets, 2);
    top->addWidget(new QLabel(tr("Clustering:"), this));
    top->addWidget(m_clusterings, 2);
    top->addWidget(new QLabel(tr("Map:"), this));
    top->addWidget(m_maps, 1);
    top->addWidget(new QLabel(tr("Colour by:"), this));
    top->addWidget(m_colour);

    m_k->setRange(2, 100000);
    m_k->setValue(50);
    m_k->setToolTip(tr("Clusters (the reference uses 50)"));
    m_kRange->setPlaceholderText(tr("sweep, e.g. 10:100:10"));
    m_kRange->setToolTip(tr("FIRST:LAST[:STEP]: one clustering per k, to choose k on the curves"));
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(42);
    m_mapMethod->addItem(QStringLiteral("t-SNE"), QStringLiteral("tsne"));
    m_mapMethod->addItem(QStringLiteral("UMAP"), QStringLiteral("umap"));
    m_mapMethod->addItem(QStringLiteral("PCA"), QStringLiteral("pca"));
    auto* actions = new QGroupBox(tr("New clustering or map"), this);
    auto* al = new QHBoxLayout(actions);
    al->addWidget(new QLabel(tr("k"), this));
    al->addWidget(m_k);
    al->addWidget(m_kRange);
    al->addWidget(m_normalize);
    al->addWidget(new QLabel(tr("seed"), this));
    al->addWidget(m_seed);
    al->addWidget(m_runCluster);
    al->addSpacing(16);
    al->addWidget(m_mapMethod);
    al->addWidget(m_runMap);
    al->addStretch(1);
    m_command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command->setObjectName(QStringLiteral("commandPreview"));

    m_metrics->setTextFormat(Qt::RichText);
    m_metrics->setWordWrap(true);
    m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Right: the clusters (table + draws chart), the k sweep, the selection.
    const QStringList headers{tr("cluster"), tr("clips"),         tr("share of data"),
                              tr("weight"),  tr("uniform draws"), tr("balanced draws")};
    m_table->setColumnCount(headers.size());
    m_table->setHorizontalHeaderLabels(headers);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSortingEnabled(true);
    m_draws->setMinimumHeight(170);
    m_draws->legend->setVisible(true);
    m_draws->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_draws->xAxis->setLabel(tr("clusters, largest first"));
    {
        QSharedPointer<QCPAxisTickerFixed> integers(new QCPAxisTickerFixed);
        integers->setTickStep(1.0);
        integers->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        m_draws->xAxis->setTicker(integers);
        m_sweep->xAxis->setTicker(integers);
    }
    m_draws->yAxis->setLabel(tr("share of draws"));
    auto* clustersTab = new QSplitter(Qt::Vertical, this);
    clustersTab->addWidget(m_draws);
    clustersTab->addWidget(m_table);
    clustersTab->setStretchFactor(0, 2);
    clustersTab->setStretchFactor(1, 3);
    m_sweep->xAxis->setLabel(QStringLiteral("k"));
    m_sweep->yAxis->setLabel(tr("silhouette, Davies–Bouldin"));
    m_sweep->yAxis2->setLabel(tr("inertia"));
    m_sweep->yAxis2->setVisible(true);
    m_sweep->legend->setVisible(true);
    m_selection->setToolTip(tr("Double-click a clip to open it on the Data page"));
    auto* tabs = new QTabWidget(this);
    tabs->addTab(clustersTab, tr("Clusters"));
    tabs->addTab(m_sweep, tr("Choose k"));
    tabs->addTab(m_selection, tr("Selection"));

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_map);
    split->addWidget(tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    rememberSplitter(split, QStringLiteral("mapAndTabs"));
    rememberSplitter(clustersTab, QStringLiteral("drawsAndTable"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(actions);
    layout->addWidget(m_command);
    layout->addWidget(m_metrics);
    layout->addWidget(split, 1);

    connect(m_sets, &QComboBox::currentIndexChanged, this, [this] {
        fillClusterings();
        fillMaps();
        loadSet();
    });
    connect(m_clusterings, &QComboBox::currentIndexChanged, this, [this] { loadClustering(); });
    connect(m_maps, &QComboBox::currentIndexChanged, this, [this] { loadMap(); });
    connect(m_colour, &QComboBox::currentIndexChanged, this, [this] { recolour(); });
    for (auto* w : {static_cast<QObject*>(m_k), static_cast<QObject*>(m_seed)})
        connect(static_cast<QSpinBox*>(w), &QSpinBox::valueChanged, this, &ClustersPage::updateCommands);
    connect(m_kRange, &QLineEdit::textChanged, this, &ClustersPage::updateCommands);
    connect(m_normalize, &QCheckBox::toggled, this, &ClustersPage::updateCommands);
    connect(m_mapMethod, &QComboBox::currentIndexChanged, this, &ClustersPage::updateCommands);
    connect(m_runCluster, &QPushButton::clicked, this, [this] {
        if (currentEmbeddingSet() > 0)
            Q_EMIT runCommand(clusterCommand(), QStringLiteral("cluster"), m_sets->currentText());
    });
    connect(m_runMap, &QPushButton::clicked, this, [this] {
        if (currentEmbeddingSet() > 0)
            Q_EMIT runCommand(mapCommand(), QStringLiteral("map"), m_sets->currentText());
    });
    connect(m_map, &ScatterMap::pointHovered, this, [this](int i) {
        const std::int64_t row = rowOfPoint(i);
        if (row < 0) {
            QToolTip::hideText();
            return;
        }
        QString text = QString::fromStdString(m_paths[size_t(row)]);
        if (!m_cluster.empty() && m_cluster[size_t(row)] >= 0)
            text += QStringLiteral("\n") + tr("cluster %1").arg(m_cluster[size_t(row)]);
        if (!m_labels[size_t(row)].empty())
            text += QStringLiteral("\n") + tr("label %1").arg(QString::fromStdString(m_labels[size_t(row)]));
        QToolTip::showText(QCursor::pos(), text, m_map);
    });
    connect(m_map, &ScatterMap::pointClicked, this, [this](int i) {
        const std::int64_t row = rowOfPoint(i);
        if (row >= 0) {
            showSelection({i});
            Q_EMIT clipActivated(QString::fromStdString(m_dataset),
                                 QString::fromStdString(m_paths[size_t(row)]));
        }
    });
    connect(m_map, &ScatterMap::pointsSelected, this, [this, tabs](const QVector<int>& pts) {
        showSelection(pts);
        tabs->setCurrentWidget(m_selection);
    });
    connect(m_selection, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        const auto row = item->data(Qt::UserRole).toLongLong();
        if (row >= 0 && size_t(row) < m_paths.size())
            Q_EMIT clipActivated(QString::fromStdString(m_dataset),
                                 QString::fromStdString(m_paths[size_t(row)]));
    });
    updateCommands();
}

std::int64_t ClustersPage::currentEmbeddingSet() const
{
    return m_sets->currentData().toLongLong();
}

std::int64_t ClustersPage::currentClustering() const
{
    return m_clusterings->currentData().toLongLong();
}

void ClustersPage::selectEmbeddingSet(std::int64_t id)
{
    const int i = m_sets->findData(qlonglong(id));
    if (i >= 0)
        m_sets->setCurrentIndex(i);
}

void ClustersPage::selectClustering(std::int64_t id)
{
    const int i = m_clusterings->findData(qlonglong(id));
    if (i >= 0)
        m_clusterings->setCurrentIndex(i);
}

void ClustersPage::setColourBy(const QString& what)
{
    const int i = m_colour->findData(what);
    if (i >= 0)
        m_colour->setCurrentIndex(i);
}

std::int64_t ClustersPage::rowOfPoint(int i) const
{
    return i >= 0 && size_t(i) < m_pointRows.size() ? m_pointRows[size_t(i)] : -1;
}

QStringList ClustersPage::clusterCommand() const
{
    QStringList a{QStringLiteral("cluster"), QStringLiteral("--embeddings"),
                  QString::number(currentEmbeddingSet())};
    if (!m_kRange->text().trimmed().isEmpty())
        a << QStringLiteral("--k-range") << m_kRange->text().trimmed();
    else
        a << QStringLiteral("--k") << QString::number(m_k->value());
    if (m_normalize->isChecked())
        a << QStringLiteral("--normalize");
    a << QStringLiteral("--seed") << QString::number(m_seed->value());
    return a;
}

QStringList ClustersPage::mapCommand() const
{
    QStringList a{QStringLiteral("map"), QStringLiteral("--embeddings"),
                  QString::number(currentEmbeddingSet()), QStringLiteral("--method"),
                  m_mapMethod->currentData().toString()};
    if (m_normalize->isChecked())
        a << QStringLiteral("--normalize");
    a << QStringLiteral("--seed") << QString::number(m_seed->value());
    return a;
}

void ClustersPage::updateCommands()
{
    const bool have = currentEmbeddingSet() > 0;
    m_runCluster->setEnabled(have);
    m_runMap->setEnabled(have);
    m_command->setText(have ? QStringLiteral("<code>ssondo %1</code> &nbsp; · &nbsp; <code>ssondo %2</code>")
                                  .arg(clusterCommand().join(QLatin1Char(' ')).toHtmlEscaped(),
                                       mapCommand().join(QLatin1Char(' ')).toHtmlEscaped())
                            : tr("Extract teacher embeddings first (Teacher page)."));
}

void ClustersPage::refresh()
{
    fillSets();
}

void ClustersPage::fillSets()
{
    Workspace* ws = controller()->workspace();
    const qlonglong keep = m_sets->currentData().toLongLong();
    QSignalBlocker block(m_sets);
    m_sets->clear();
    if (ws)
        for (const auto& s : EmbeddingCatalog(ws->database()).list())
            if (s.usable())
                m_sets->addItem(
                    tr("set %1 · %2 · %3 (%4 × %5)")
                        .arg(s.id)
                        .arg(QString::fromStdString(s.datasetName), QString::fromStdString(s.teacherKind))
                        .arg(s.done)
                        .arg(s.dim),
                    qlonglong(s.id));
    int i = m_sets->findData(keep);
    if (i < 0)
        i = 0; // the first (oldest) set: the teacher's, in a fresh demo
    m_sets->setCurrentIndex(m_sets->count() ? i : -1);
    block.unblock();
    fillClusterings();
    fillMaps();
    loadSet();
    updateCommands();
}

void ClustersPage::fillClusterings()
{
    Workspace* ws = controller()->workspace();
    const qlonglong keep = m_clusterings->currentData().toLongLong();
    QSignalBlocker block(m_clusterings);
    m_clusterings->clear();
    const auto set = currentEmbeddingSet();
    if (ws && set > 0) {
        auto all = ClusteringCatalog(ws->database()).list();
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
        for (const auto& c : all)
            if (c.embeddingSetId == set)
                m_clusterings->addItem(tr("#%1 · k %2 · %3 · silhouette %4")
                                           .arg(c.id)
                                           .arg(c.k)
                                           .arg(c.normalized ? tr("L2") : tr("raw"))
                                           .arg(c.quality.silhouette, 0, 'f', 3),
                                       qlonglong(c.id));
    }
    const int i = m_clusterings->findData(keep);
    m_clusterings->setCurrentIndex(i >= 0 ? i : (m_clusterings->count() ? 0 : -1));
    block.unblock();
    fillSweep();
}

void ClustersPage::fillMaps()
{
    Workspace* ws = controller()->workspace();
    const qlonglong keep = m_maps->currentData().toLongLong();
    QSignalBlocker block(m_maps);
    m_maps->clear();
    const auto set = currentEmbeddingSet();
    if (ws && set > 0)
        for (const auto& m : ClusteringCatalog(ws->database()).maps(set))
            m_maps->addItem(mapEntry(m), qlonglong(m.id));
    const int i = m_maps->findData(keep);
    m_maps->setCurrentIndex(i >= 0 ? i : (m_maps->count() ? 0 : -1));
}

void ClustersPage::loadSet()
{
    Workspace* ws = controller()->workspace();
    const auto set = currentEmbeddingSet();
    if (!ws || set <= 0) {
        m_loadedSet = -1;
        m_paths.clear();
        m_labels.clear();
        m_map->clear();
        m_metrics->setText(tr("No embedding set yet: extract a teacher's embeddings on the Teacher page."));
        return;
    }
    if (set != m_loadedSet) {
        try {
            const EmbeddingSetRecord es = EmbeddingCatalog(ws->database()).get(set);
            DatasetCatalog datasets(ws->database());
            const DatasetRecord ds = datasets.get(es.datasetName);
            m_dataset = ds.name;
            m_paths.clear();
            m_labels.clear();
            std::set<QString> names;
            for (const auto& c : datasets.clips(ds.id)) {
                m_paths.push_back(c.path);
                m_labels.push_back(c.label);
                if (!c.label.empty())
                    names.insert(firstLabel(c.label));
            }
            m_labelNames = QStringList(names.begin(), names.end());
            m_loadedSet = set;
        } catch (const std::exception& e) {
            m_metrics->setText(
                tr("Cannot read embedding set %1: %2").arg(set).arg(QString::fromUtf8(e.what())));
            return;
        }
        m_loadedClustering = m_loadedMap = -1;
    }
    loadClustering();
    loadMap();
}

void ClustersPage::loadMap()
{
    Workspace* ws = controller()->workspace();
    const auto id = m_maps->currentData().toLongLong();
    if (!ws || id <= 0) {
        m_pointRows.clear();
        m_loadedMap = -1;
        m_map->clear();
        return;
    }
    if (id == m_loadedMap)
        return;
    try {
        const MapData m = MapJob::load(*ws, id);
        m_pointRows.clear();
        const float* p = m.coords.data_ptr<float>();
        QVector<QPointF> pts;
        for (std::int64_t r = 0; r < m.coords.size(0) && size_t(r) < m_paths.size(); ++r)
            if (std::isfinite(p[2 * r]) && std::isfinite(p[2 * r + 1])) {
                m_pointRows.push_back(r);
                pts << QPointF(p[2 * r], p[2 * r + 1]);
            }
        m_loadedMap = id;
        m_map->setPoints(pts, QVector<int>(pts.size(), -1), {});
    } catch (const std::exception& e) {
        m_metrics->setText(
            m_metrics->text() + QStringLiteral("<br>") +
            tr("Cannot read map %1: %2").arg(id).arg(QString::fromUtf8(e.what())).toHtmlEscaped());
        return;
    }
    recolour();
    m_map->rescale();
}

void ClustersPage::recolour()
{
    if (m_pointRows.empty()) {
        m_map->clear();
        return;
    }
    const bool byCluster =
        m_colour->currentData().toString() == QStringLiteral("cluster") && !m_cluster.empty();
    QStringList names;
    QVector<int> groups;
    groups.reserve(int(m_pointRows.size()));
    if (byCluster) {
        std::int64_t maxCluster = -1;
        for (auto c : m_cluster)
            maxCluster = std::max(maxCluster, c);
        for (std::int64_t c = 0; c <= maxCluster; ++c)
            names << tr("cluster %1").arg(c);
        for (auto row : m_pointRows)
            groups << int(m_cluster[size_t(row)]);
    } else {
        names = m_labelNames;
        for (auto row : m_pointRows)
            groups << int(m_labelNames.indexOf(firstLabel(m_labels[size_t(row)])));
    }
    m_map->setGroups(groups, names); // positions, zoom and highlighted points stay
}

} // namespace ssondo::ui

#include "pages/ClustersPage.h"

#include "WorkspaceController.h"
#include "clustering/ClusteringCatalog.h"
#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "jobs/MapJob.h"
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

QTableWidgetItem* number(double v, int decimals)
{
    auto* item = new QTableWidgetItem;
    item->setData(Qt::DisplayRole, decimals < 0 ? QVariant(qlonglong(v)) : QVariant(QString::number(v, 'f', decimals)));
    item->setData(Qt::UserRole, v);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

/// Numeric sort on Qt::UserRole.
class NumberItem : public QTableWidgetItem
{
public:
    using QTableWidgetItem::QTableWidgetItem;
    bool operator<(const QTableWidgetItem& other) const override
    {
        return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
    }
};

QTableWidgetItem* sortable(double v, int decimals, const QString& suffix = {})
{
    auto* item = new NumberItem;
    item->setData(Qt::DisplayRole, (decimals < 0 ? QString::number(qlonglong(v)) : QString::number(v, 'f', decimals)) + suffix);
    item->setData(Qt::UserRole, v);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString firstLabel(const std::string& label)
{
    const QString l = QString::fromStdString(label);
    return l.section(QLatin1Char(';'), 0, 0).trimmed();
}

} // namespace

ClustersPage::ClustersPage(WorkspaceController* controller, QWidget* parent)
    : Page(controller, parent), m_sets(new QComboBox(this)), m_clusterings(new QComboBox(this)),
      m_maps(new QComboBox(this)), m_colour(new QComboBox(this)), m_k(new QSpinBox(this)),
      m_kRange(new QLineEdit(this)), m_normalize(new QCheckBox(tr("L2-normalise"), this)), m_seed(new QSpinBox(this)),
      m_runCluster(new QPushButton(tr("Run k-means"), this)), m_mapMethod(new QComboBox(this)),
      m_runMap(new QPushButton(tr("Compute map"), this)), m_command(new QLabel(this)), m_metrics(new QLabel(this)),
      m_map(new ScatterMap(this)), m_table(new QTableWidget(this)), m_draws(new QCustomPlot(this)),
      m_sweep(new QCustomPlot(this)), m_selection(new QListWidget(this))
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
    const QStringList headers{tr("cluster"), tr("clips"), tr("share of data"), tr("weight"), tr("uniform draws"),
                              tr("balanced draws")};
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
            Q_EMIT clipActivated(QString::fromStdString(m_dataset), QString::fromStdString(m_paths[size_t(row)]));
        }
    });
    connect(m_map, &ScatterMap::pointsSelected, this, [this, tabs](const QVector<int>& pts) {
        showSelection(pts);
        tabs->setCurrentWidget(m_selection);
    });
    connect(m_selection, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
        const auto row = item->data(Qt::UserRole).toLongLong();
        if (row >= 0 && size_t(row) < m_paths.size())
            Q_EMIT clipActivated(QString::fromStdString(m_dataset), QString::fromStdString(m_paths[size_t(row)]));
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
    QStringList a{QStringLiteral("cluster"), QStringLiteral("--embeddings"), QString::number(currentEmbeddingSet())};
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
    QStringList a{QStringLiteral("map"), QStringLiteral("--embeddings"), QString::number(currentEmbeddingSet()),
                  QStringLiteral("--method"), m_mapMethod->currentData().toString()};
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
            m_sets->addItem(tr("set %1 · %2 · %3 (%4 × %5)")
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
            m_maps->addItem(tr("#%1 · %2 · %3 points")
                                .arg(m.id)
                                .arg(m.method == "tsne" ? QStringLiteral("t-SNE") : QStringLiteral("PCA"))
                                .arg(m.rows),
                            qlonglong(m.id));
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
            m_metrics->setText(tr("Cannot read embedding set %1: %2").arg(set).arg(QString::fromUtf8(e.what())));
            return;
        }
        m_loadedClustering = m_loadedMap = -1;
    }
    loadClustering();
    loadMap();
}

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
        auto* name = sortable(i, -1);
        name->setIcon([&] {
            QPixmap p(10, 10);
            p.fill(ScatterMap::groupColor(i));
            return QIcon(p);
        }());
        m_table->setItem(i, 0, name);
        m_table->setItem(i, 1, sortable(size, -1));
        m_table->setItem(i, 2, sortable(100.0 * size / total, 1, QStringLiteral(" %")));
        m_table->setItem(i, 3, sortable(size > 0 ? 1.0 / size : 0.0, 5));
        m_table->setItem(i, 4, sortable(100.0 * size / total, 1, QStringLiteral(" %")));
        m_table->setItem(i, 5, sortable(size > 0 ? 100.0 / nonEmpty : 0.0, 1, QStringLiteral(" %")));
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
    const double top = uniform.isEmpty() ? 1.0 : std::max(*std::max_element(uniform.begin(), uniform.end()),
                                                          balanced.isEmpty() ? 0.0 : balanced[0]);
    m_draws->yAxis->setRange(0, top * 1.1);
    m_draws->replot(QCustomPlot::rpQueuedReplot);
    recolour();
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
        m_metrics->setText(m_metrics->text() + QStringLiteral("<br>") +
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
    const bool byCluster = m_colour->currentData().toString() == QStringLiteral("cluster") && !m_cluster.empty();
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

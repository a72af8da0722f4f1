// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/AlignmentView.h"

#include "WorkspaceController.h"
#include "clustering/ClusteringCatalog.h"
#include "data/EmbeddingStore.h"
#include "distill/TargetNorm.h"
#include "experiments/RunLog.h"
#include "jobs/RunModels.h"
#include "plots/HistogramPlot.h"
#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QSlider>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>
#include <filesystem>
#include <map>

namespace fs = std::filesystem;

namespace ssondo::ui {

namespace {

constexpr int kCosineBins = 8;

/// Cosine in [-1, 1] → red (disagree) … green (agree), in kCosineBins steps.
int cosineBin(double c)
{
    if (!std::isfinite(c))
        return 0;
    return std::clamp(int((std::clamp(c, -1.0, 1.0) + 1) / 2 * kCosineBins), 0, kCosineBins - 1);
}

QColor binColor(int bin)
{
    const double t = (bin + 0.5) / kCosineBins;
    return QColor::fromHsvF(0.33 * t, 0.85, 0.8);
}

} // namespace

AlignmentView::AlignmentView(WorkspaceController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_runs(new QComboBox(this)), m_colorBy(new QComboBox(this)),
      m_method(new QComboBox(this)), m_slider(new QSlider(Qt::Horizontal, this)),
      m_play(new QToolButton(this)), m_epochLabel(new QLabel(this)), m_plot(new QCustomPlot(this)),
      m_bars(new HistogramPlot(this)), m_timer(new QTimer(this))
{
    m_runs->setObjectName(QStringLiteral("alignRun"));
    m_colorBy->addItem(tr("cosine"), QStringLiteral("cosine"));
    m_colorBy->addItem(tr("cluster"), QStringLiteral("cluster"));
    m_colorBy->addItem(tr("label"), QStringLiteral("label"));
    m_method->addItem(tr("PCA of the teacher"), QStringLiteral("pca"));
    m_method->addItem(tr("UMAP of teacher + student"), QStringLiteral("umap"));
    m_method->addItem(tr("t-SNE of teacher + student"), QStringLiteral("tsne"));
    m_method->setToolTip(
        tr("PCA: the teacher's axes, students projected on them. UMAP / t-SNE: one map of the "
           "teacher's and every snapshot's directions together"));
    m_play->setText(tr("Play"));
    m_play->setCheckable(true);
    m_slider->setObjectName(QStringLiteral("alignEpoch"));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("run"), this));
    top->addWidget(m_runs, 1);
    top->addWidget(new QLabel(tr("map"), this));
    top->addWidget(m_method);
    top->addWidget(new QLabel(tr("colour points by"), this));
    top->addWidget(m_colorBy);
    top->addWidget(m_play);
    top->addWidget(m_slider, 2);
    top->addWidget(m_epochLabel, 1);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_bars->setTitle(tr("Mean cosine per teacher cluster, worst first"));
    m_bars->plot()->yAxis->setLabel(tr("cosine"));
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_plot);
    split->addWidget(m_bars);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_runs, &QComboBox::currentIndexChanged, this, [this] {
        if (m_runs->currentIndex() >= 0)
            showRun(m_runs->currentData().toLongLong());
    });
    connect(m_colorBy, &QComboBox::currentIndexChanged, this, [this] { draw(); });
    connect(m_method, &QComboBox::currentIndexChanged, this,
            [this] { setMapMethod(m_method->currentData().toString()); });
    connect(m_slider, &QSlider::valueChanged, this, [this](int v) { setSnapshot(v); });
    m_timer->setInterval(600);
    connect(m_play, &QToolButton::toggled, this, [this](bool on) {
        if (on && m_slider->value() == m_slider->maximum())
            m_slider->setValue(0);
        on ? m_timer->start() : m_timer->stop();
    });
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_slider->value() < m_slider->maximum())
            m_slider->setValue(m_slider->value() + 1);
        else
            m_play->setChecked(false);
    });
}

void AlignmentView::refresh()
{
    Workspace* ws = m_controller->workspace();
    const QSignalBlocker block(m_runs);
    m_runs->clear();
    if (!ws)
        return;
    for (const auto& r : RunLog(ws->database()).list())
        if (!AlignmentLog((fs::path(ws->dir()) / r.dir).string()).epochs().empty())
            m_runs->addItem(QStringLiteral("#%1 %2").arg(r.id).arg(QString::fromStdString(r.name)),
                            qlonglong(r.id));
    int at = m_runs->findData(qlonglong(m_run));
    if (at < 0)
        at = m_runs->count() - 1; // the newest
    m_runs->setCurrentIndex(at);
    if (at >= 0)
        showRun(m_runs->itemData(at).toLongLong());
}

void AlignmentView::showRun(std::int64_t runId)
{
    m_run = runId;
    const int at = m_runs->findData(qlonglong(runId));
    if (at >= 0 && at != m_runs->currentIndex()) {
        const QSignalBlocker block(m_runs);
        m_runs->setCurrentIndex(at);
    }
    load();
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, std::max(0, snapshotCount() - 1));
    m_slider->setValue(m_slider->maximum());
    setSnapshot(m_slider->maximum());
}

/// The run's sample: its teacher embeddings (in the run's target space), snapshots, labels,
/// clusters and paths, and their common projection.
void AlignmentView::load()
{
    m_epochs.clear();
    m_snapshots.clear();
    m_paths.clear();
    m_labels.clear();
    m_clusters.clear();
    Workspace* ws = m_controller->workspace();
    if (!ws || m_run <= 0)
        return;
    try {
        const RunRecord run = RunLog(ws->database()).get(m_run);
        const TrainConfig cfg = TrainConfig::fromToml(run.configToml, "run " + std::to_string(m_run));
        const std::string runDir = (fs::path(ws->dir()) / run.dir).string();
        const AlignmentLog log(runDir);
        const RunData d = loadRunData(*ws, cfg);
        const std::vector<std::int64_t> sample = log.sample();
        m_dataset = d.dataset;
        const TargetNorm norm = TargetNorm::ofRun(cfg.targetNorm, runDir, d.store->dim());
        m_teacher = norm.apply(d.store->rowsAt(sample));
        std::vector<std::int64_t> clusterOf;
        if (cfg.clustering > 0)
            clusterOf = ClusteringCatalog(ws->database()).assignments(cfg.clustering, d.store->rows());
        for (std::int64_t r : sample) {
            m_paths.push_back(d.relativePaths[std::size_t(r)]);
            m_labels.push_back(d.labels[std::size_t(r)]);
            if (!clusterOf.empty())
                m_clusters.push_back(clusterOf[std::size_t(r)]);
        }
        for (std::int64_t e : log.epochs()) {
            at::Tensor s = log.load(e);
            if (s.size(0) != std::int64_t(sample.size()))
                continue;
            m_epochs.push_back(e);
            m_snapshots.push_back(std::move(s));
        }
        m_map = alignmentMap(m_teacher, m_snapshots, m_method->currentData().toString().toStdString());
    } catch (const std::exception& e) {
        m_epochLabel->setText(QString::fromUtf8(e.what()));
        m_epochs.clear();
        m_snapshots.clear();
    }
}

void AlignmentView::setMapMethod(const QString& method)
{
    if (m_method->currentData().toString() != method) {
        const QSignalBlocker block(m_method);
        m_method->setCurrentIndex(std::max(0, m_method->findData(method)));
    }
    if (m_snapshots.empty())
        return;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        m_map = alignmentMap(m_teacher, m_snapshots, m_method->currentData().toString().toStdString());
    } catch (const std::exception& e) {
        m_epochLabel->setText(QString::fromUtf8(e.what()));
    }
    QApplication::restoreOverrideCursor();
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, std::max(0, snapshotCount() - 1));
    m_slider->setValue(m_slider->maximum());
    setSnapshot(m_slider->maximum());
}

void AlignmentView::setSnapshot(int index)
{
    if (index < 0 || index >= snapshotCount()) {
        m_cos.clear();
        draw();
        return;
    }
    m_shown = index;
    const std::size_t snapshot = std::size_t(m_map.snapshots[std::size_t(index)]);
    const at::Tensor c =
        at::cosine_similarity(m_teacher, m_snapshots[snapshot], 1).to(at::kDouble).contiguous();
    m_cos.assign(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    double sum = 0;
    int n = 0;
    for (double x : m_cos)
        if (std::isfinite(x))
            sum += x, ++n;
    m_epochLabel->setText(tr("epoch %1 of %2 · mean cosine %3 · %4 clips")
                              .arg(m_epochs[snapshot])
                              .arg(m_epochs.back())
                              .arg(n ? sum / n : 0.0, 0, 'f', 3)
                              .arg(m_cos.size()));
    if (m_slider->value() != index) {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(index);
    }
    draw();
}

void AlignmentView::setColorBy(const QString& what)
{
    m_colorBy->setCurrentIndex(std::max(0, m_colorBy->findData(what)));
    draw();
}

void AlignmentView::draw()
{
    m_plot->clearPlottables();
    if (m_cos.empty() || m_snapshots.empty() || m_map.students.empty()) {
        m_plot->replot();
        m_bars->setData({}, {});
        return;
    }
    const at::Tensor t = m_map.teacher.contiguous(), s = m_map.students[std::size_t(m_shown)].contiguous();
    const float* tp = t.data_ptr<float>();
    const float* sp = s.data_ptr<float>();
    const std::size_t n = m_cos.size();
    // Lines teacher → student, one curve per cosine bin (NaN between segments breaks the line).
    std::vector<QVector<double>> lx(kCosineBins), ly(kCosineBins);
    for (std::size_t i = 0; i < n; ++i) {
        const int b = cosineBin(m_cos[i]);
        lx[std::size_t(b)] << tp[2 * i] << sp[2 * i] << qQNaN();
        ly[std::size_t(b)] << tp[2 * i + 1] << sp[2 * i + 1] << qQNaN();
    }
    for (int b = 0; b < kCosineBins; ++b) {
        auto* c = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
        QColor col = binColor(b);
        col.setAlpha(140);
        c->setPen(QPen(col, 1));
        c->setData(lx[std::size_t(b)], ly[std::size_t(b)]);
        c->setName(QStringLiteral("lines%1").arg(b));
    }
    // Points: teacher discs and student rings, coloured by the chosen key.
    const QString by = m_colorBy->currentData().toString();
    std::map<QString, int> groupOf;
    auto group = [&](std::size_t i) -> int {
        if (by == QStringLiteral("cosine"))
            return cosineBin(m_cos[i]);
        const QString key = by == QStringLiteral("cluster")
                                ? (m_clusters.empty() ? QString() : QString::number(m_clusters[i]))
                                : QString::fromStdString(m_labels[i]);
        return groupOf.emplace(key, int(groupOf.size())).first->second;
    };
    std::map<int, std::pair<QVector<double>, QVector<double>>> teacherPts, studentPts;
    for (std::size_t i = 0; i < n; ++i) {
        const int g = group(i);
        teacherPts[g].first << tp[2 * i];
        teacherPts[g].second << tp[2 * i + 1];
        studentPts[g].first << sp[2 * i];
        studentPts[g].second << sp[2 * i + 1];
    }
    for (const auto& [g, xy] : teacherPts) {
        const QColor col = by == QStringLiteral("cosine") ? binColor(g) : ScatterMap::groupColor(g);
        auto* tg = new QCPGraph(m_plot->xAxis, m_plot->yAxis);
        tg->setLineStyle(QCPGraph::lsNone);
        tg->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, col, 5));
        tg->setData(xy.first, xy.second);
        tg->setName(QStringLiteral("teacher"));
        auto* sg = new QCPGraph(m_plot->xAxis, m_plot->yAxis);
        sg->setLineStyle(QCPGraph::lsNone);
        sg->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, col, 6));
        sg->setData(studentPts[g].first, studentPts[g].second);
        sg->setName(QStringLiteral("student"));
    }
    if (m_map.method == "pca") {
        m_plot->xAxis->setLabel(tr("PC 1 of the teacher's directions (%1 % of their variance)")
                                    .arg(100 * m_map.explained.at(0), 0, 'f', 1));
        m_plot->yAxis->setLabel(tr("PC 2 (%1 %)").arg(100 * m_map.explained.at(1), 0, 'f', 1));
    } else {
        const QString name = m_map.method == "umap" ? QStringLiteral("UMAP") : QStringLiteral("t-SNE");
        m_plot->xAxis->setLabel(
            tr("%1 1 of the teacher's and the student's directions together (%2 snapshots)")
                .arg(name)
                .arg(m_map.snapshots.size()));
        m_plot->yAxis->setLabel(tr("%1 2").arg(name));
    }
    m_plot->rescaleAxes();
    for (QCPAxis* a : {m_plot->xAxis, m_plot->yAxis}) // points on the edge stay inside
        a->setRange(a->range().lower - 0.05 * a->range().size(), a->range().upper + 0.05 * a->range().size());
    m_plot->replot();
    // Per-cluster mean cosine, worst first.
    std::map<std::int64_t, std::pair<double, int>> acc;
    for (std::size_t i = 0; i < n && !m_clusters.empty(); ++i)
        if (std::isfinite(m_cos[i]))
            acc[m_clusters[i]].first += m_cos[i], ++acc[m_clusters[i]].second;
    std::vector<std::pair<double, std::int64_t>> order;
    for (const auto& [c, x] : acc)
        order.emplace_back(x.first / x.second, c);
    std::sort(order.begin(), order.end());
    QStringList names;
    QVector<double> values;
    for (const auto& [v, c] : order) {
        names << QString::number(c);
        values << v;
    }
    m_bars->setData(names, values);
    m_bars->plot()->yAxis->setRange(std::min(0.0, values.isEmpty() ? 0.0 : values.first() - 0.05), 1.0);
    m_bars->plot()->replot();
}

int AlignmentView::clipAt(const QPoint& pixel) const
{
    if (m_cos.empty())
        return -1;
    const at::Tensor t = m_map.teacher.contiguous(), s = m_map.students[std::size_t(m_shown)].contiguous();
    int best = -1;
    double bestD = 8 * 8; // within 8 pixels
    for (std::size_t i = 0; i < m_cos.size(); ++i)
        for (const at::Tensor* pts : {&t, &s}) {
            const float* p = pts->data_ptr<float>() + 2 * i;
            const double dx = m_plot->xAxis->coordToPixel(p[0]) - pixel.x();
            const double dy = m_plot->yAxis->coordToPixel(p[1]) - pixel.y();
            if (dx * dx + dy * dy < bestD)
                bestD = dx * dx + dy * dy, best = int(i);
        }
    return best;
}

QString AlignmentView::describe(int clip) const
{
    const auto i = std::size_t(clip);
    QString text = QString::fromStdString(m_paths[i]);
    if (!m_clusters.empty())
        text += QStringLiteral("\n") + tr("cluster %1").arg(m_clusters[i]);
    if (!m_labels[i].empty())
        text += QStringLiteral("\n") + tr("label %1").arg(QString::fromStdString(m_labels[i]));
    text += QStringLiteral("\n") + tr("cosine %1").arg(m_cos[i], 0, 'f', 3);
    return text;
}

bool AlignmentView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::MouseButtonPress)
        m_pressPos = static_cast<QMouseEvent*>(event)->position().toPoint();
    if (watched == m_plot &&
        (event->type() == QEvent::MouseMove || event->type() == QEvent::MouseButtonRelease)) {
        auto* me = static_cast<QMouseEvent*>(event);
        const bool dragged =
            (me->position().toPoint() - m_pressPos).manhattanLength() > 4; // a pan, not a click
        const int clip = clipAt(me->position().toPoint());
        if (clip >= 0 && event->type() == QEvent::MouseMove)
            QToolTip::showText(me->globalPosition().toPoint(), describe(clip), m_plot);
        if (clip >= 0 && event->type() == QEvent::MouseButtonRelease && me->button() == Qt::LeftButton &&
            !dragged)
            Q_EMIT clipActivated(QString::fromStdString(m_dataset),
                                 QString::fromStdString(m_paths[std::size_t(clip)]));
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace ssondo::ui

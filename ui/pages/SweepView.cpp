// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/SweepView.h"

#include "WorkspaceController.h"
#include "experiments/RunLog.h"
#include "plots/CurvePlot.h"
#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"
#include "workspace/Workspace.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace ssondo::ui {

namespace {

QString metricText(const std::optional<double>& m)
{
    return m ? QString::number(*m, 'f', 4) : QStringLiteral("–");
}

/// Metric colour: viridis (perceptually uniform, readable in grey) over the sweep's range.
QColor metricColor(double v, double lo, double hi)
{
    static QCPColorGradient g = [] { // color() updates a cache: not const
        QCPColorGradient viridis;
        viridis.setColorStops({{0.0, QColor(0x44, 0x01, 0x54)},
                               {0.25, QColor(0x3b, 0x52, 0x8b)},
                               {0.5, QColor(0x21, 0x91, 0x8c)},
                               {0.75, QColor(0x5e, 0xc9, 0x62)},
                               {1.0, QColor(0xfd, 0xe7, 0x25)}});
        return viridis;
    }();
    return QColor(g.color(v, QCPRange(lo, hi == lo ? lo + 1 : hi)));
}

} // namespace

SweepView::SweepView(WorkspaceController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_sweeps(new QComboBox(this)),
      m_colorKey(new QComboBox(this)), m_status(new QLabel(this)), m_curves(new CurvePlot(this)),
      m_strips(new QCustomPlot(this)), m_parallel(new QCustomPlot(this)), m_effects(new QTableWidget(this)),
      m_timer(new QTimer(this))
{
    m_sweeps->setObjectName(QStringLiteral("sweepCombo"));
    m_colorKey->setObjectName(QStringLiteral("sweepColorKey"));
    auto* select = new QPushButton(tr("Select its runs"), this);
    select->setToolTip(tr("Select the sweep's runs in the runs table (curves, config differences, scores)"));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("sweep"), this));
    top->addWidget(m_sweeps, 1);
    top->addWidget(new QLabel(tr("colour by"), this));
    top->addWidget(m_colorKey);
    top->addWidget(select);
    top->addWidget(m_status, 1);

    m_curves->setSmoothing(0.0);
    m_curves->setTitle(tr("Validation cosine of each run"));
    m_curves->setXAxis(CurvePlot::XAxis::Epoch);
    m_effects->setColumnCount(6);
    m_effects->setHorizontalHeaderLabels(
        {tr("key"), tr("value"), tr("runs"), tr("mean"), tr("sd"), tr("best")});
    m_effects->verticalHeader()->setVisible(false);
    m_effects->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_effects->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_effects->setObjectName(QStringLiteral("sweepEffects"));

    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_curves);
    left->addWidget(m_effects);
    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_strips);
    right->addWidget(m_parallel);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_sweeps, &QComboBox::currentIndexChanged, this, [this] {
        if (m_sweeps->currentIndex() >= 0)
            showSweep(m_sweeps->currentData().toLongLong());
    });
    connect(m_colorKey, &QComboBox::currentIndexChanged, this, [this] { fillCurves(); });
    connect(select, &QPushButton::clicked, this, [this] {
        std::vector<std::int64_t> ids;
        for (const auto& r : m_runs)
            if (r.runId > 0)
                ids.push_back(r.runId);
        Q_EMIT selectRuns(ids);
    });
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            reload();
    });
}

void SweepView::refresh()
{
    Workspace* ws = m_controller->workspace();
    const std::int64_t shown = m_sweep.id;
    const QSignalBlocker block(m_sweeps);
    m_sweeps->clear();
    if (!ws)
        return;
    for (const auto& s : SweepLog(ws->database()).list())
        m_sweeps->addItem(QStringLiteral("#%1 %2 (%3, %4)")
                              .arg(s.id)
                              .arg(QString::fromStdString(s.name), QString::fromStdString(s.method),
                                   QString::fromStdString(s.status)),
                          qlonglong(s.id));
    const int at = m_sweeps->findData(qlonglong(shown));
    const int index = at >= 0 ? at : m_sweeps->count() - 1; // the newest by default
    m_sweeps->setCurrentIndex(index);
    if (index >= 0)
        showSweep(m_sweeps->itemData(index).toLongLong());
}

void SweepView::showSweep(std::int64_t id)
{
    Workspace* ws = m_controller->workspace();
    if (!ws)
        return;
    const auto s = SweepLog(ws->database()).find(id);
    if (!s)
        return;
    const bool other = s->id != m_sweep.id;
    m_sweep = *s;
    if (other) {
        const QSignalBlocker block(m_colorKey);
        m_colorKey->clear();
        for (const auto& k : m_sweep.keys)
            m_colorKey->addItem(QString::fromStdString(k));
        m_colorKey->addItem(QStringLiteral("seed"));
    }
    const int at = m_sweeps->findData(qlonglong(id));
    if (at >= 0 && at != m_sweeps->currentIndex()) {
        const QSignalBlocker block(m_sweeps);
        m_sweeps->setCurrentIndex(at);
    }
    reload();
}

void SweepView::setColorKey(const QString& key)
{
    const int at = m_colorKey->findText(key);
    if (at >= 0)
        m_colorKey->setCurrentIndex(at);
    fillCurves();
}

void SweepView::reload()
{
    Workspace* ws = m_controller->workspace();
    if (!ws || m_sweep.id == 0)
        return;
    SweepLog log(ws->database());
    if (auto s = log.find(m_sweep.id))
        m_sweep = *s;
    m_runs = log.runs(m_sweep.id);
    // Runs not linked yet (still training) are found by their config's hash, for live curves.
    RunLog runs(ws->database());
    for (auto& r : m_runs)
        if (r.runId == 0)
            r.runId = runs.newestWithHash(r.configHash);
    std::map<std::string, int> counts;
    for (const auto& r : m_runs)
        ++counts[sweepRunStatuses().nameOf(r.status)];
    QStringList parts;
    for (const auto& [name, n] : counts)
        parts << QStringLiteral("%1 %2").arg(n).arg(QString::fromStdString(name));
    m_status->setText(tr("%1 search of %2 runs, metric %3: %4")
                          .arg(QString::fromStdString(m_sweep.method))
                          .arg(m_runs.size())
                          .arg(QString::fromStdString(m_sweep.metric), parts.join(QStringLiteral(", "))));
    const bool live = counts.count("running") || m_sweep.status == "running";
    if (live && !m_timer->isActive())
        m_timer->start();
    else if (!live)
        m_timer->stop();
    fillCurves();
    fillStrips();
    fillParallel();
    fillEffects();
}

QString SweepView::valueOf(const SweepRunRecord& r, const QString& key) const
{
    if (key == QStringLiteral("seed"))
        return QString::number(r.seed);
    for (const auto& [k, v] : r.values)
        if (QString::fromStdString(k) == key)
            return QString::fromStdString(v);
    return {};
}

std::vector<double> SweepView::axisPositions(const std::vector<QString>& values, QStringList* ticks,
                                             std::vector<double>* tickPositions)
{
    std::vector<double> nums;
    bool numeric = !values.empty();
    for (const auto& v : values) {
        bool ok = false;
        nums.push_back(v.toDouble(&ok));
        numeric = numeric && ok && std::isfinite(nums.back());
    }
    std::vector<QString> distinct;
    for (const auto& v : values)
        if (std::find(distinct.begin(), distinct.end(), v) == distinct.end())
            distinct.push_back(v);
    std::vector<double> pos(values.size(), 0.5);
    if (numeric) {
        const auto [lo, hi] = std::minmax_element(nums.begin(), nums.end());
        const bool logScale = *lo > 0 && *hi / *lo > 20;
        auto f = [&](double x) { return logScale ? std::log(x) : x; };
        const double a = f(*lo), b = f(*hi);
        for (std::size_t i = 0; i < values.size(); ++i)
            pos[i] = b > a ? (f(nums[i]) - a) / (b - a) : 0.5;
        std::sort(distinct.begin(), distinct.end(),
                  [](const QString& x, const QString& y) { return x.toDouble() < y.toDouble(); });
    } else {
        for (std::size_t i = 0; i < values.size(); ++i) {
            const auto at = std::find(distinct.begin(), distinct.end(), values[i]) - distinct.begin();
            pos[i] = distinct.size() > 1 ? double(at) / double(distinct.size() - 1) : 0.5;
        }
    }
    if (ticks && tickPositions) {
        ticks->clear();
        tickPositions->clear();
        for (const auto& d : distinct) {
            const auto at = std::find(values.begin(), values.end(), d) - values.begin();
            *ticks << d;
            tickPositions->push_back(pos[std::size_t(at)]);
        }
    }
    return pos;
}

void SweepView::fillCurves()
{
    m_curves->clear();
    Workspace* ws = m_controller->workspace();
    if (!ws)
        return;
    const QString key = m_colorKey->currentText();
    std::vector<QString> order; // the key's values, in the runs' order: one colour and legend entry each
    RunLog log(ws->database());
    for (const auto& r : m_runs) {
        if (r.runId == 0)
            continue;
        const QString v = valueOf(r, key);
        auto at = std::find(order.begin(), order.end(), v);
        const bool first = at == order.end();
        if (first)
            at = order.insert(order.end(), v);
        CurvePlot::Series s;
        s.label = key + QStringLiteral(" = ") + v;
        s.color = ScatterMap::groupColor(int(at - order.begin()));
        s.smooth = false;
        s.inLegend = first;
        for (const auto& p : log.metrics(r.runId, "val_cosine")) {
            s.step << double(p.step);
            s.epoch << double(p.epoch);
            s.wall << p.wallTime;
            s.value << p.value;
        }
        if (!s.value.isEmpty())
            m_curves->setSeries(QStringLiteral("run%1").arg(r.runId), s);
    }
    m_curves->setYLabel(tr("validation cosine"));
    m_curves->rebuild();
}

void SweepView::fillStrips()
{
    m_strips->clearPlottables();
    m_strips->plotLayout()->clear();
    QStringList keys;
    for (const auto& k : m_sweep.keys)
        keys << QString::fromStdString(k);
    if (m_sweep.keys.empty() ||
        std::none_of(m_runs.begin(), m_runs.end(), [](const auto& r) { return r.metric.has_value(); })) {
        m_strips->replot();
        return;
    }
    keys << QStringLiteral("seed");
    auto* title = new QCPTextElement(
        m_strips,
        tr("%1 against each varied key (one dot per run)").arg(QString::fromStdString(m_sweep.metric)));
    m_strips->plotLayout()->addElement(0, 0, title);
    auto* row = new QCPLayoutGrid;
    m_strips->plotLayout()->addElement(1, 0, row);
    for (int k = 0; k < keys.size(); ++k) {
        auto* rect = new QCPAxisRect(m_strips);
        row->addElement(0, k, rect);
        std::vector<QString> values;
        std::vector<double> metric;
        for (const auto& r : m_runs)
            if (r.metric) {
                values.push_back(valueOf(r, keys[k]));
                metric.push_back(*r.metric);
            }
        QStringList ticks;
        std::vector<double> tickPos;
        const auto pos = axisPositions(values, &ticks, &tickPos);
        QVector<double> xs, ys;
        std::map<double, int> seen; // runs with the same value side by side, not on top of each other
        for (std::size_t i = 0; i < pos.size(); ++i) {
            const int n = seen[pos[i]]++;
            xs << pos[i] + 0.025 * double((n + 1) / 2) * (n % 2 ? 1 : -1);
            ys << metric[i];
        }
        auto* g = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, ScatterMap::groupColor(k), 7));
        g->setData(xs, ys, false);
        auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
        for (int t = 0; t < ticks.size(); ++t)
            ticker->addTick(tickPos[std::size_t(t)], ticks[t]);
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        x->setTicker(ticker);
        x->setTickLabelRotation(ticks.size() > 3 ? 45 : 0);
        x->setLabel(keys[k]);
        x->setRange(-0.2, 1.2);
        rect->axis(QCPAxis::atLeft)->rescale();
        const QCPRange yr = rect->axis(QCPAxis::atLeft)->range();
        rect->axis(QCPAxis::atLeft)
            ->setRange(yr.lower - 0.05 * yr.size() - 1e-3, yr.upper + 0.05 * yr.size() + 1e-3);
    }
    m_strips->replot();
}

void SweepView::fillParallel()
{
    m_parallel->clearPlottables();
    m_parallel->clearItems();
    QStringList axes;
    for (const auto& k : m_sweep.keys)
        axes << QString::fromStdString(k);
    axes << QStringLiteral("seed") << QString::fromStdString(m_sweep.metric);
    std::vector<const SweepRunRecord*> done;
    for (const auto& r : m_runs)
        if (r.metric)
            done.push_back(&r);
    if (done.empty() || m_sweep.keys.empty()) {
        m_parallel->replot();
        return;
    }
    double lo = *done.front()->metric, hi = lo;
    for (const auto* r : done)
        lo = std::min(lo, *r->metric), hi = std::max(hi, *r->metric);
    // Each axis: the runs' positions on it, in [0, 1]; the metric's own axis in its range.
    std::vector<std::vector<double>> pos;
    for (int a = 0; a < axes.size(); ++a) {
        std::vector<QString> values;
        for (const auto* r : done)
            values.push_back(a + 1 == axes.size() ? QString::number(*r->metric, 'g', 10)
                                                  : valueOf(*r, axes[a]));
        QStringList ticks;
        std::vector<double> tickPos;
        pos.push_back(axisPositions(values, &ticks, &tickPos));
        if (a + 1 == axes.size()) { // the metric: its range, not every value
            ticks = {QString::number(lo, 'f', 3), QString::number(hi, 'f', 3)};
            tickPos = {hi > lo ? 0.0 : 0.5, hi > lo ? 1.0 : 0.5};
        }
        auto* line = new QCPItemLine(m_parallel);
        line->start->setCoords(a, 0);
        line->end->setCoords(a, 1);
        line->setPen(QPen(Qt::gray));
        auto* name = new QCPItemText(m_parallel);
        name->position->setCoords(a, 1.04);
        name->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        name->setText(axes[a]);
        name->setFont(QFont(font().family(), 9, QFont::Bold));
        for (int t = 0; t < ticks.size() && ticks.size() <= 12; ++t) {
            auto* label = new QCPItemText(m_parallel);
            label->position->setCoords(a, tickPos[std::size_t(t)]);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            label->setText(QStringLiteral(" ") + ticks[t]);
            label->setFont(QFont(font().family(), 8));
        }
    }
    // Worst first, so the best runs are drawn on top.
    std::vector<std::size_t> order(done.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return *done[a]->metric < *done[b]->metric; });
    for (std::size_t i : order) {
        auto* c = new QCPCurve(m_parallel->xAxis, m_parallel->yAxis);
        QVector<double> xs, ys;
        for (int a = 0; a < axes.size(); ++a) {
            xs << a;
            ys << pos[std::size_t(a)][i];
        }
        c->setData(xs, ys);
        c->setPen(QPen(metricColor(*done[i]->metric, lo, hi), 2));
        c->setName(QStringLiteral("run %1").arg(done[i]->runId));
    }
    m_parallel->xAxis->setRange(-0.3, double(axes.size()) - 0.4);
    m_parallel->yAxis->setRange(-0.08, 1.2);
    m_parallel->xAxis->setVisible(false);
    m_parallel->yAxis->setVisible(false);
    m_parallel->axisRect()->setAutoMargins(QCP::msNone);
    m_parallel->axisRect()->setMargins(QMargins(8, 8, 8, 8));
    m_parallel->replot();
}

void SweepView::fillEffects()
{
    const auto effects = SweepLog::effects(m_sweep, m_runs);
    m_effects->setRowCount(int(effects.size()));
    for (int i = 0; i < int(effects.size()); ++i) {
        const auto& e = effects[std::size_t(i)];
        const QStringList cells{QString::fromStdString(e.key),
                                QString::fromStdString(e.value),
                                QString::number(e.runs),
                                metricText(e.mean),
                                e.runs > 1 ? metricText(e.sd) : QStringLiteral("–"),
                                metricText(e.best)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_effects->setItem(i, c, item);
        }
    }
}

} // namespace ssondo::ui

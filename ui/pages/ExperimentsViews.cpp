// SPDX-License-Identifier: GPL-3.0-or-later
// The Experiments page's views of the selected runs: curves, config differences, students vs
// teachers, Pareto plot, teacher × student matrix.

#include "pages/ExperimentsPage.h"

#include "WorkspaceController.h"
#include "data/EmbeddingCatalog.h"
#include "distill/TrainConfig.h"
#include "experiments/EvaluationLog.h"
#include "experiments/RunLog.h"
#include "plots/CurvePlot.h"
#include "plots/QCustomPlotInclude.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QTableWidget>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

namespace ssondo::ui {

void ExperimentsPage::fillCurves()
{
    m_curves->clear();
    Workspace* ws = controller()->workspace();
    if (!ws)
        return;
    const std::string metric = m_metric->currentText().toStdString();
    RunLog log(ws->database());
    const auto ids = selectedRuns();
    // Runs whose configs differ only by the seed (and name/tags) form a group.
    std::map<std::string, std::vector<std::int64_t>> groups;
    for (auto id : ids) {
        std::string key = std::to_string(id);
        if (m_groupSeeds->isChecked()) {
            try {
                TrainConfig c = TrainConfig::fromToml(log.get(id).configToml);
                c.seed = 0;
                key = c.hash();
            } catch (const std::exception&) {
            }
        }
        groups[key].push_back(id);
    }
    for (const auto& [key, members] : groups) {
        const RunRecord first = log.get(members.front());
        const QColor color = runColor(first.id);
        if (members.size() == 1) {
            CurvePlot::Series s;
            for (const auto& p : log.metrics(first.id, metric))
                s.step << double(p.step), s.epoch << double(p.epoch), s.wall << p.wallTime,
                    s.value << p.value;
            s.label = QStringLiteral("#%1 %2").arg(first.id).arg(QString::fromStdString(first.name));
            s.color = color;
            m_curves->setSeries(QString::fromStdString(key), s);
            continue;
        }
        // Mean over the seeds at each step, with the min and max as faint curves.
        std::map<std::int64_t, std::vector<double>> byStep;
        std::map<std::int64_t, std::pair<double, double>> epochWall;
        for (auto id : members)
            for (const auto& p : log.metrics(id, metric)) {
                byStep[p.step].push_back(p.value);
                epochWall[p.step] = {double(p.epoch), p.wallTime};
            }
        CurvePlot::Series mean, lo, hi;
        for (const auto& [step, values] : byStep) {
            double sum = 0, mn = values[0], mx = values[0];
            for (double v : values)
                sum += v, mn = std::min(mn, v), mx = std::max(mx, v);
            for (auto* s : {&mean, &lo, &hi})
                s->step << double(step), s->epoch << epochWall[step].first, s->wall << epochWall[step].second;
            mean.value << sum / double(values.size());
            lo.value << mn;
            hi.value << mx;
        }
        mean.label = tr("#%1 … (%2 seeds, mean)").arg(first.id).arg(members.size());
        mean.color = color;
        QColor faint = color;
        faint.setAlpha(110);
        lo.label = tr("min");
        hi.label = tr("max");
        lo.color = hi.color = faint;
        lo.smooth = hi.smooth = false;
        lo.inLegend = hi.inLegend = false;
        hi.fillTo = QString::fromStdString(key) + "/min"; // the min–max band
        m_curves->setSeries(QString::fromStdString(key) + "/min", lo);
        m_curves->setSeries(QString::fromStdString(key) + "/max", hi);
        m_curves->setSeries(QString::fromStdString(key), mean);
    }
    m_curves->setYLabel(QString::fromStdString(metric));
    m_curves->rebuild();
}

void ExperimentsPage::fillConfig()
{
    m_config->clear();
    Workspace* ws = controller()->workspace();
    const auto ids = selectedRuns();
    m_config->setColumnCount(int(ids.size()) + 1);
    m_config->setRowCount(0);
    if (!ws || ids.empty())
        return;
    RunLog log(ws->database());
    std::vector<TrainConfig> cfgs;
    QStringList headers{tr("key")};
    for (auto id : ids) {
        const RunRecord r = log.get(id);
        headers << QStringLiteral("#%1 %2").arg(id).arg(QString::fromStdString(r.name));
        try {
            cfgs.push_back(TrainConfig::fromToml(r.configToml));
        } catch (const std::exception&) {
            cfgs.push_back(TrainConfig{});
        }
    }
    m_config->setHorizontalHeaderLabels(headers);
    std::vector<std::string> keys;
    for (size_t i = 1; i < cfgs.size(); ++i)
        for (const auto& k : cfgs[0].differences(cfgs[i]))
            if (std::find(keys.begin(), keys.end(), k) == keys.end())
                keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    m_config->setRowCount(int(keys.size()));
    for (int r = 0; r < int(keys.size()); ++r) {
        m_config->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(keys[size_t(r)])));
        for (size_t c = 0; c < cfgs.size(); ++c)
            m_config->setItem(
                r, int(c) + 1,
                new QTableWidgetItem(QString::fromStdString(cfgs[c].valueText(keys[size_t(r)]))));
    }
}

/// The columns of the students-vs-teachers table: the saved suite chosen, else every task the
/// selected runs were evaluated on (sorted).
std::vector<std::string> ExperimentsPage::scoreTasks() const
{
    Workspace* ws = controller()->workspace();
    const QString suite = m_suite->currentData().toString();
    if (!ws)
        return {};
    if (!suite.isEmpty()) {
        try {
            return loadTaskSuite(ws->database(), suite.toStdString());
        } catch (const std::exception&) {
        }
    }
    std::set<std::string> tasks;
    EvaluationLog evals(ws->database());
    for (auto id : selectedRuns())
        for (const auto& e : evals.latestPerTask(id))
            tasks.insert(e.task);
    return {tasks.begin(), tasks.end()};
}

namespace {

QString scoreCell(const BenchmarkCell& c)
{
    if (!c.mean)
        return QStringLiteral("–");
    return c.ci95 && !std::isnan(*c.ci95)
               ? QStringLiteral("%1 ± %2").arg(*c.mean, 0, 'f', 4).arg(*c.ci95, 0, 'f', 4)
               : QString::number(*c.mean, 'f', 4);
}

/// Green from 95 %, amber from 85 %, red below: how much of its teacher a student keeps.
QColor pctColor(double pct)
{
    return pct >= 95   ? QColor(0xd4, 0xed, 0xda)
           : pct >= 85 ? QColor(0xff, 0xf3, 0xcd)
                       : QColor(0xf8, 0xd7, 0xda);
}

} // namespace

void ExperimentsPage::fillScores()
{
    Workspace* ws = controller()->workspace();
    const QString suite = m_suite->currentData().toString();
    m_suite->clear();
    m_suite->addItem(tr("tasks the runs were evaluated on"), QString());
    if (ws)
        for (const auto& name : taskSuiteNames(ws->database()))
            m_suite->addItem(tr("suite %1").arg(QString::fromStdString(name)), QString::fromStdString(name));
    m_suite->setCurrentIndex(std::max(0, m_suite->findData(suite)));
    m_scores->clear();
    m_scores->setRowCount(0);
    m_benchmark = {};
    if (!ws)
        return;
    m_benchmark = BenchmarkTable::build(ws->database(), selectedRuns(), {}, scoreTasks());
    const auto& t = m_benchmark;
    QStringList headers{tr("model")};
    for (std::size_t c = 0; c < t.tasks.size(); ++c)
        headers << QString::fromStdString(t.tasks[c]) +
                       (t.metrics[c].empty() ? QString()
                                             : QStringLiteral("\n") + QString::fromStdString(t.metrics[c]));
    headers << tr("average") << tr("% of teacher") << tr("backbone");
    m_scores->setColumnCount(headers.size());
    m_scores->setHorizontalHeaderLabels(headers);
    const auto best = t.bestRowPerTask();
    const int last = int(t.tasks.size()) + 1;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const auto& row = t.rows[r];
        m_scores->insertRow(int(r));
        QStringList cells{QString::fromStdString(row.model) + (row.teacher ? tr(" (teacher)") : QString())};
        for (const auto& c : row.cells)
            cells << scoreCell(c);
        cells << (row.average
                      ? QString::number(*row.average, 'f', 4) + (row.partial ? tr(" (partial)") : QString())
                      : QStringLiteral("–"))
              << (row.pctOfTeacher ? QStringLiteral("%1 %").arg(*row.pctOfTeacher, 0, 'f', 1)
                  : row.teacher    ? QStringLiteral("100 %")
                                   : QStringLiteral("–"))
              << (row.params > 0 ? QStringLiteral("%1 M").arg(double(row.params) / 1e6, 0, 'f', 2)
                                 : QString());
        for (int c = 0; c < cells.size(); ++c) {
            auto* i = new QTableWidgetItem(cells[c]);
            if (row.teacher) {
                i->setForeground(QColor(0x70, 0x70, 0x70));
                i->setBackground(QColor(0xf0, 0xf0, 0xf0));
            }
            if (c >= 1 && c <= int(t.tasks.size()) && best[size_t(c - 1)] == int(r)) {
                QFont f = i->font();
                f.setBold(true);
                i->setFont(f);
            }
            if (c == last + 1 && row.pctOfTeacher)
                i->setBackground(pctColor(*row.pctOfTeacher));
            m_scores->setItem(int(r), c, i);
        }
    }
}

bool ExperimentsPage::exportScores(const QString& file)
{
    try {
        const std::string text = m_benchmark.format(file.toStdString());
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            f.write(text.data(), qint64(text.size())) != qint64(text.size()))
            throw InputError(file.toStdString() + ": cannot be written");
        return true;
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromStdString(e.what()));
        return false;
    }
}

void ExperimentsPage::fillPareto()
{
    m_pareto->clearPlottables();
    m_pareto->clearItems();
    m_paretoRuns.clear();
    Workspace* ws = controller()->workspace();
    if (!ws)
        return;
    EvaluationLog evals(ws->database());
    const QString what = m_paretoX->currentData().toString();
    m_pareto->xAxis->setLabel(m_paretoX->currentText());
    QVector<double> xs, ys;
    for (const auto& run : RunLog(ws->database()).list()) {
        const auto profile = evals.latestProfile(run.id);
        const RunScores scores = evals.runScores(run.id);
        if (!profile || !scores.pctOfTeacher)
            continue;
        const double x = what == QStringLiteral("params")  ? double(profile->backboneParams)
                         : what == QStringLiteral("bytes") ? double(profile->fileBytes)
                         : what == QStringLiteral("macs")  ? double(profile->macs)
                                                           : profile->latencyMs;
        if (!(x > 0))
            continue;
        xs << x;
        ys << *scores.pctOfTeacher;
        m_paretoRuns.push_back(run.id);
        auto* label = new QCPItemText(m_pareto);
        label->position->setCoords(x, *scores.pctOfTeacher);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setText(QStringLiteral(" #%1 %2").arg(run.id).arg(QString::fromStdString(run.name)));
        label->setFont(QFont(font().family(), 8));
    }
    auto* points = new QCPGraph(m_pareto->xAxis, m_pareto->yAxis);
    points->setName(QStringLiteral("runs"));
    points->setLineStyle(QCPGraph::lsNone);
    points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(0x2c, 0x6f, 0xbb), 9));
    points->setData(xs, ys, false);
    // The front: runs no other run beats on both axes (smaller x, higher % of teacher).
    std::vector<int> order(size_t(xs.size()));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](int a, int b) { return xs[a] < xs[b] || (xs[a] == xs[b] && ys[a] > ys[b]); });
    QVector<double> fx, fy;
    double bestY = -1e300;
    for (int i : order)
        if (ys[i] > bestY) {
            fx << xs[i];
            fy << ys[i];
            bestY = ys[i];
        }
    auto* front = new QCPGraph(m_pareto->xAxis, m_pareto->yAxis);
    front->setName(QStringLiteral("front"));
    front->setLineStyle(QCPGraph::lsStepLeft);
    front->setPen(QPen(QColor(0xd6, 0x27, 0x28), 2));
    front->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(0xd6, 0x27, 0x28), 13));
    front->setData(fx, fy, true);
    points->setSelectable(QCP::stSingleData);
    front->setSelectable(QCP::stNone);
    m_pareto->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectPlottables);
    if (!xs.isEmpty()) {
        // Log x: a factor of 3 of margin on each side (also when every run has the same size).
        const auto [xmin, xmax] = std::minmax_element(xs.begin(), xs.end());
        m_pareto->xAxis->setRange(*xmin / 3.0, *xmax * 3.0);
        const auto [ymin, ymax] = std::minmax_element(ys.begin(), ys.end());
        m_pareto->yAxis->setRange(*ymin - 5, *ymax + 5);
    }
    m_pareto->replot(QCustomPlot::rpQueuedReplot);
}

void ExperimentsPage::fillMatrix()
{
    // Rows: teachers; columns: student architectures; cell: the best % of teacher of those runs.
    m_matrix->clear();
    m_matrix->setRowCount(0);
    m_matrix->setColumnCount(0);
    Workspace* ws = controller()->workspace();
    if (!ws)
        return;
    EvaluationLog evals(ws->database());
    EmbeddingCatalog sets(ws->database());
    std::map<std::string, std::map<std::string, std::pair<double, std::int64_t>>>
        best; // teacher → arch → (pct, run)
    std::set<std::string> archs;
    std::map<std::string, std::string> teacherName;
    for (const auto& run : RunLog(ws->database()).list()) {
        const RunScores sc = evals.runScores(run.id);
        if (!sc.pctOfTeacher)
            continue;
        std::string teacher = run.teacher;
        if (const auto s = sets.find(run.embeddingSetId)) {
            teacher = s->teacherIdentity;
            teacherName[teacher] = s->teacherDescription;
        }
        archs.insert(run.student);
        auto& cell = best[teacher][run.student];
        if (cell.second == 0 || *sc.pctOfTeacher > cell.first)
            cell = {*sc.pctOfTeacher, run.id};
    }
    QStringList headers{tr("teacher")};
    for (const auto& a : archs)
        headers << QString::fromStdString(a);
    m_matrix->setColumnCount(headers.size());
    m_matrix->setHorizontalHeaderLabels(headers);
    m_matrix->setRowCount(int(best.size()));
    int r = 0;
    for (const auto& [teacher, row] : best) {
        const std::string name = teacherName.count(teacher) ? teacherName[teacher] : teacher;
        m_matrix->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(name)));
        int c = 1;
        for (const auto& a : archs) {
            const auto it = row.find(a);
            m_matrix->setItem(
                r, c++,
                new QTableWidgetItem(
                    it == row.end()
                        ? QStringLiteral("-")
                        : tr("%1 % (run %2)").arg(it->second.first, 0, 'f', 1).arg(it->second.second)));
        }
        ++r;
    }
}

} // namespace ssondo::ui

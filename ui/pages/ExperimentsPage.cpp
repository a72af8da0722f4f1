#include "pages/ExperimentsPage.h"

#include "WorkspaceController.h"
#include "data/EmbeddingCatalog.h"
#include "distill/TrainConfig.h"
#include "experiments/EvaluationLog.h"
#include "experiments/RunLog.h"
#include "plots/CurvePlot.h"
#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"
#include "workspace/Workspace.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QSettings>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>
#ifdef SSONDO_HAVE_SVG
#include <QSvgGenerator>
#endif

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace ssondo::ui {

namespace {

enum RunColumn { CId, CName, CStatus, CTeacher, CStudent, CParams, CLoss, CSampler, CBestCos, CDownstream, CPct, CTags, CNotes, CCount };

class SortItem : public QTableWidgetItem
{
public:
    using QTableWidgetItem::QTableWidgetItem;
    bool operator<(const QTableWidgetItem& o) const override
    {
        const QVariant a = data(Qt::UserRole), b = o.data(Qt::UserRole);
        if (a.isValid() && b.isValid())
            return a.toDouble() < b.toDouble();
        return QTableWidgetItem::operator<(o);
    }
};

QTableWidgetItem* item(const QString& text, const QVariant& sortKey = {})
{
    auto* i = new SortItem(text);
    if (sortKey.isValid()) {
        i->setData(Qt::UserRole, sortKey);
        i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    return i;
}


QString csvField(QString s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n')))
        s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return s;
}

} // namespace

ExperimentsPage::ExperimentsPage(WorkspaceController* controller, QWidget* parent)
    : Page(controller, parent), m_filter(new QLineEdit(this)), m_runs(new QTableWidget(this)), m_tabs(new QTabWidget(this)),
      m_metric(new QComboBox(this)), m_summary(new QComboBox(this)), m_groupSeeds(new QCheckBox(tr("group seeds"), this)),
      m_curves(new CurvePlot(this)), m_config(new QTableWidget(this)), m_scores(new QTableWidget(this)),
      m_paretoX(new QComboBox(this)), m_pareto(new QCustomPlot(this)), m_matrix(new QTableWidget(this))
{
    m_filter->setPlaceholderText(tr("Filter runs (name, student, tags, notes…)"));
    m_filter->setClearButtonEnabled(true);
    auto* tag = new QPushButton(tr("Tag…"), this);
    auto* note = new QPushButton(tr("Note…"), this);
    auto* rename = new QPushButton(tr("Rename…"), this);
    auto* del = new QPushButton(tr("Delete…"), this);
    auto* csv = new QPushButton(tr("Export CSV…"), this);
    auto* png = new QPushButton(tr("Save plot…"), this);
    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    for (auto* b : {tag, note, rename, del, csv, png})
        top->addWidget(b);

    const QStringList headers{tr("#"),           tr("name"),      tr("status"),       tr("teacher"), tr("student"),
                              tr("parameters"),  tr("loss"),      tr("sampler"),      tr("best val cosine"),
                              tr("downstream"),  tr("% of teacher"), tr("tags"),      tr("notes")};
    m_runs->setColumnCount(CCount);
    m_runs->setHorizontalHeaderLabels(headers);
    m_runs->verticalHeader()->setVisible(false);
    m_runs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runs->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runs->setSortingEnabled(true);
    m_runs->horizontalHeader()->setStretchLastSection(true);
    m_runs->setObjectName(QStringLiteral("runsTable"));

    m_curves->setSmoothing(0.0); // few points per run here; the Train page smooths live curves
    m_metric->addItems({QStringLiteral("val_cosine"), QStringLiteral("train_loss"), QStringLiteral("val_loss"), QStringLiteral("lr")});
    m_summary->addItem(tr("best"), QStringLiteral("best"));
    m_summary->addItem(tr("last"), QStringLiteral("last"));
    auto* curvesTab = new QWidget(this);
    auto* cl = new QVBoxLayout(curvesTab);
    auto* cc = new QHBoxLayout;
    cc->addWidget(new QLabel(tr("metric"), this));
    cc->addWidget(m_metric);
    cc->addWidget(new QLabel(tr("table value"), this));
    cc->addWidget(m_summary);
    cc->addWidget(m_groupSeeds);
    cc->addStretch(1);
    cl->addLayout(cc);
    cl->addWidget(m_curves, 1);

    for (auto* t : {m_config, m_scores, m_matrix}) {
        t->verticalHeader()->setVisible(false);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    }
    m_paretoX->addItem(tr("backbone parameters"), QStringLiteral("params"));
    m_paretoX->addItem(tr("file size (bytes)"), QStringLiteral("bytes"));
    m_paretoX->addItem(tr("MACs per 10 s clip"), QStringLiteral("macs"));
    m_paretoX->addItem(tr("CPU latency per 10 s clip (ms)"), QStringLiteral("latency"));
    m_pareto->xAxis->setScaleType(QCPAxis::stLogarithmic);
    m_pareto->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_pareto->yAxis->setLabel(tr("% of teacher"));
    auto* paretoTab = new QWidget(this);
    auto* pl = new QVBoxLayout(paretoTab);
    auto* pc = new QHBoxLayout;
    pc->addWidget(new QLabel(tr("x"), this));
    pc->addWidget(m_paretoX);
    pc->addStretch(1);
    pl->addLayout(pc);
    pl->addWidget(m_pareto, 1);

    m_tabs->addTab(curvesTab, tr("Curves"));
    m_tabs->addTab(m_config, tr("Config differences"));
    m_tabs->addTab(m_scores, tr("Students vs teachers"));
    m_tabs->addTab(paretoTab, tr("Pareto"));
    m_tabs->addTab(m_matrix, tr("Teacher × student"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_runs);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    rememberSplitter(split, QStringLiteral("tableAndViews"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        for (int r = 0; r < m_runs->rowCount(); ++r) {
            bool match = text.isEmpty();
            for (int c = 0; c < CCount && !match; ++c)
                match = m_runs->item(r, c) && m_runs->item(r, c)->text().contains(text, Qt::CaseInsensitive);
            m_runs->setRowHidden(r, !match);
        }
    });
    connect(m_runs, &QTableWidget::itemSelectionChanged, this, &ExperimentsPage::updateSelection);
    m_runs->setToolTip(tr("Double-click a run's number to choose the colour of its curves"));
    connect(m_runs, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
        if (column != CId)
            return;
        const std::int64_t id = m_runs->item(row, CId)->data(Qt::UserRole).toLongLong();
        const QColor c = QColorDialog::getColor(runColor(id), this, tr("Colour of run %1").arg(id));
        if (c.isValid()) {
            setRunColor(id, c);
            fillRuns();
        }
    });
    connect(m_metric, &QComboBox::currentIndexChanged, this, &ExperimentsPage::fillCurves);
    connect(m_groupSeeds, &QCheckBox::toggled, this, &ExperimentsPage::fillCurves);
    connect(m_summary, &QComboBox::currentIndexChanged, this, &ExperimentsPage::fillRuns);
    connect(m_paretoX, &QComboBox::currentIndexChanged, this, &ExperimentsPage::fillPareto);
    connect(tag, &QPushButton::clicked, this, [this] { editSelected(QStringLiteral("tag")); });
    connect(note, &QPushButton::clicked, this, [this] { editSelected(QStringLiteral("note")); });
    connect(rename, &QPushButton::clicked, this, [this] { editSelected(QStringLiteral("rename")); });
    connect(del, &QPushButton::clicked, this, [this] { editSelected(QStringLiteral("delete")); });
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export runs and curves to"));
        if (!dir.isEmpty())
            Q_EMIT statusMessage(tr("Wrote %1").arg(exportCsv(dir).join(QStringLiteral(", "))));
    });
    connect(png, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Save plot"), QStringLiteral("plot.png"),
                                                          
#ifdef SSONDO_HAVE_SVG
                                                          tr("PNG (*.png);;PDF (*.pdf);;SVG (*.svg)"));
#else
                                                          tr("PNG (*.png);;PDF (*.pdf)"));
#endif
        if (!file.isEmpty() && !savePlot(file))
            Q_EMIT statusMessage(tr("Could not write %1").arg(file));
    });
    connect(m_pareto, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable* p, int index, QMouseEvent*) {
        if (p && p->name() == QStringLiteral("runs") && index >= 0 && size_t(index) < m_paretoRuns.size())
            selectRuns({m_paretoRuns[size_t(index)]});
    });
}

void ExperimentsPage::refresh()
{
    fillRuns();
}

void ExperimentsPage::setCurrentTab(int index)
{
    m_tabs->setCurrentIndex(index);
}

std::vector<std::int64_t> ExperimentsPage::selectedRuns() const
{
    std::vector<std::int64_t> ids;
    for (const QModelIndex& i : m_runs->selectionModel()->selectedRows())
        ids.push_back(m_runs->item(i.row(), CId)->data(Qt::UserRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    return ids;
}

void ExperimentsPage::selectRuns(const std::vector<std::int64_t>& ids)
{
    const QSignalBlocker b(m_runs);
    m_runs->clearSelection();
    for (int r = 0; r < m_runs->rowCount(); ++r)
        if (std::count(ids.begin(), ids.end(), m_runs->item(r, CId)->data(Qt::UserRole).toLongLong()))
            m_runs->selectionModel()->select(m_runs->model()->index(r, 0),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
    updateSelection();
}

void ExperimentsPage::fillRuns()
{
    Workspace* ws = controller()->workspace();
    const auto keep = selectedRuns();
    const QSignalBlocker b(m_runs);
    m_runs->setSortingEnabled(false);
    m_runs->setRowCount(0);
    if (!ws)
        return;
    try {
        RunLog log(ws->database());
        EvaluationLog evals(ws->database());
        const bool best = m_summary->currentData().toString() == QStringLiteral("best");
        const auto runs = log.list();
        m_runs->setRowCount(int(runs.size()));
        for (int r = 0; r < int(runs.size()); ++r) {
            const RunRecord& run = runs[size_t(r)];
            double cosine = std::nan("");
            for (const auto& s : log.summaries(run.id))
                if (s.name == "val_cosine")
                    cosine = best ? s.best : s.last;
            const RunScores scores = evals.runScores(run.id);
            double downstream = 0;
            for (const auto& t : scores.tasks)
                downstream += t.student.mean;
            if (!scores.tasks.empty())
                downstream /= double(scores.tasks.size());
            const QString teacher = QString::fromStdString(run.teacher).section(QLatin1Char(':'), 0, 0).left(40);
            m_runs->setItem(r, CId, item(QString::number(run.id), qlonglong(run.id)));
            m_runs->setItem(r, CName, item(QString::fromStdString(run.name)));
            m_runs->setItem(r, CStatus, item(QString::fromStdString(run.status)));
            m_runs->setItem(r, CTeacher, item(teacher));
            m_runs->setItem(r, CStudent, item(QString::fromStdString(run.student)));
            m_runs->setItem(r, CParams, item(QLocale().toString(qlonglong(run.backboneParams)), qlonglong(run.backboneParams)));
            m_runs->setItem(r, CLoss, item(QString::fromStdString(run.loss)));
            m_runs->setItem(r, CSampler, item(QString::fromStdString(run.sampler)));
            m_runs->setItem(r, CBestCos, item(std::isnan(cosine) ? QStringLiteral("-") : QString::number(cosine, 'f', 4),
                                              std::isnan(cosine) ? -1.0 : cosine));
            m_runs->setItem(r, CDownstream, item(scores.tasks.empty() ? QStringLiteral("-") : QString::number(downstream, 'f', 4),
                                                 scores.tasks.empty() ? -1.0 : downstream));
            m_runs->setItem(r, CPct, item(scores.pctOfTeacher ? QStringLiteral("%1 %").arg(*scores.pctOfTeacher, 0, 'f', 1) : QStringLiteral("-"),
                                          scores.pctOfTeacher ? *scores.pctOfTeacher : -1.0));
            m_runs->setItem(r, CTags, item(QString::fromStdString(run.tags)));
            m_runs->setItem(r, CNotes, item(QString::fromStdString(run.notes)));
            m_runs->item(r, CId)->setIcon([&] {
                QPixmap p(10, 10);
                p.fill(runColor(run.id));
                return QIcon(p);
            }());
        }
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromUtf8(e.what()));
    }
    m_runs->setSortingEnabled(true);
    m_runs->resizeColumnsToContents();
    Q_EMIT m_filter->textChanged(m_filter->text());
    if (keep.empty() && m_runs->rowCount() > 0) {
        std::vector<std::int64_t> all;
        for (int r = 0; r < m_runs->rowCount(); ++r)
            all.push_back(m_runs->item(r, CId)->data(Qt::UserRole).toLongLong());
        selectRuns(all);
    } else {
        selectRuns(keep);
    }
}

void ExperimentsPage::updateSelection()
{
    fillCurves();
    fillConfig();
    fillScores();
    fillPareto();
    fillMatrix();
}

QColor ExperimentsPage::runColor(std::int64_t runId)
{
    const QVariant v = QSettings().value(QStringLiteral("runColors/%1").arg(runId));
    return v.isValid() ? v.value<QColor>() : ScatterMap::groupColor(int(runId));
}

void ExperimentsPage::setRunColor(std::int64_t runId, const QColor& color)
{
    QSettings().setValue(QStringLiteral("runColors/%1").arg(runId), color);
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
    std::map<std::string, std::map<std::string, std::pair<double, std::int64_t>>> best; // teacher → arch → (pct, run)
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
            m_matrix->setItem(r, c++, new QTableWidgetItem(it == row.end() ? QStringLiteral("-")
                                                                            : tr("%1 % (run %2)").arg(it->second.first, 0, 'f', 1).arg(it->second.second)));
        }
        ++r;
    }
}

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
                s.step << double(p.step), s.epoch << double(p.epoch), s.wall << p.wallTime, s.value << p.value;
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
            m_config->setItem(r, int(c) + 1, new QTableWidgetItem(QString::fromStdString(cfgs[c].valueText(keys[size_t(r)]))));
    }
}

void ExperimentsPage::fillScores()
{
    m_scores->clear();
    const QStringList headers{tr("task"), tr("model"), tr("metric"), tr("score"), tr("95% CI"), tr("teacher"), tr("% of teacher")};
    m_scores->setColumnCount(headers.size());
    m_scores->setHorizontalHeaderLabels(headers);
    m_scores->setRowCount(0);
    Workspace* ws = controller()->workspace();
    if (!ws)
        return;
    EvaluationLog evals(ws->database());
    RunLog log(ws->database());
    // Per task: the teacher row (grey), then each selected student.
    std::map<std::string, std::vector<std::pair<RunRecord, TaskScore>>> byTask;
    for (auto id : selectedRuns())
        for (const auto& t : evals.runScores(id).tasks)
            byTask[t.student.task].push_back({log.get(id), t});
    auto add = [&](const QStringList& cells, bool teacher) {
        const int r = m_scores->rowCount();
        m_scores->insertRow(r);
        for (int c = 0; c < cells.size(); ++c) {
            auto* i = new QTableWidgetItem(cells[c]);
            if (teacher) {
                i->setForeground(QColor(0x70, 0x70, 0x70));
                i->setBackground(QColor(0xf0, 0xf0, 0xf0));
            }
            m_scores->setItem(r, c, i);
        }
    };
    auto ci = [](const std::optional<double>& v) { return v ? QStringLiteral("± %1").arg(*v, 0, 'f', 4) : QStringLiteral("-"); };
    std::map<std::int64_t, std::vector<std::pair<double, double>>> pairsByRun;
    for (const auto& [task, rows] : byTask) {
        std::set<std::string> teachersShown;
        for (const auto& [run, t] : rows)
            if (t.teacher && !teachersShown.count(t.teacher->teacherIdentity)) {
                teachersShown.insert(t.teacher->teacherIdentity);
                add({QString::fromStdString(task), tr("teacher"), QString::fromStdString(t.teacher->metric),
                     QString::number(t.teacher->mean, 'f', 4), ci(t.teacher->ci95), QString(), QStringLiteral("100 %")},
                    true);
            }
        for (const auto& [run, t] : rows) {
            add({QString::fromStdString(task), QStringLiteral("#%1 %2 (%3)").arg(run.id).arg(QString::fromStdString(run.name), QString::fromStdString(run.student)),
                 QString::fromStdString(t.student.metric), QString::number(t.student.mean, 'f', 4), ci(t.student.ci95),
                 t.teacher ? QString::number(t.teacher->mean, 'f', 4) : QStringLiteral("-"),
                 t.pctOfTeacher ? QStringLiteral("%1 %").arg(*t.pctOfTeacher, 0, 'f', 1) : QStringLiteral("-")},
                false);
            if (t.teacher)
                pairsByRun[run.id].push_back({t.student.mean, t.teacher->mean});
        }
    }
    for (const auto& [id, pairs] : pairsByRun)
        add({tr("average"), QStringLiteral("#%1").arg(id), QString(), QString(), QString(), QString(),
             QStringLiteral("%1 %").arg(percentOfTeacher(pairs), 0, 'f', 1)},
            false);
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
        const double x = what == QStringLiteral("params") ? double(profile->backboneParams)
                         : what == QStringLiteral("bytes")  ? double(profile->fileBytes)
                         : what == QStringLiteral("macs")   ? double(profile->macs)
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
    std::sort(order.begin(), order.end(), [&](int a, int b) { return xs[a] < xs[b] || (xs[a] == xs[b] && ys[a] > ys[b]); });
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

QStringList ExperimentsPage::exportCsv(const QString& dir) const
{
    QStringList written;
    Workspace* ws = controller()->workspace();
    if (!ws)
        return written;
    const QString runsPath = QDir(dir).filePath(QStringLiteral("runs.csv"));
    QFile runs(runsPath);
    if (runs.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        QTextStream out(&runs);
        QStringList header;
        for (int c = 0; c < m_runs->columnCount(); ++c)
            header << csvField(m_runs->horizontalHeaderItem(c)->text());
        out << header.join(QLatin1Char(',')) << '\n';
        for (int r = 0; r < m_runs->rowCount(); ++r) {
            QStringList row;
            for (int c = 0; c < m_runs->columnCount(); ++c)
                row << csvField(m_runs->item(r, c) ? m_runs->item(r, c)->text() : QString());
            out << row.join(QLatin1Char(',')) << '\n';
        }
        written << runsPath;
    }
    const QString curvesPath = QDir(dir).filePath(QStringLiteral("curves.csv"));
    QFile curves(curvesPath);
    if (curves.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        QTextStream out(&curves);
        out << "run,metric,step,epoch,wall_time,value\n";
        RunLog log(ws->database());
        for (const auto& run : log.list())
            for (const auto& p : log.metrics(run.id))
                out << run.id << ',' << csvField(QString::fromStdString(p.name)) << ',' << p.step << ',' << p.epoch << ','
                    << QString::number(p.wallTime, 'g', 10) << ',' << QString::number(p.value, 'g', 10) << '\n';
        written << curvesPath;
    }
    return written;
}

bool ExperimentsPage::savePlot(const QString& file) const
{
    QCustomPlot* plot = m_tabs->currentIndex() == 3 ? m_pareto : m_curves->plot();
    if (file.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive))
        return plot->savePdf(file);
#ifdef SSONDO_HAVE_SVG
    if (file.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(plot->size());
        svg.setViewBox(QRect(QPoint(0, 0), plot->size()));
        svg.setTitle(QStringLiteral("S-SONDO Workbench"));
        QCPPainter painter;
        if (!painter.begin(&svg))
            return false;
        plot->toPainter(&painter, plot->width(), plot->height());
        return painter.end();
    }
#endif
    return plot->savePng(file);
}

void ExperimentsPage::editSelected(const QString& what)
{
    const auto ids = selectedRuns();
    if (ids.empty())
        return;
    const QString id = QString::number(ids.front());
    if (what == QStringLiteral("delete")) {
        if (QMessageBox::question(this, tr("Delete runs"),
                                  tr("Delete %n run(s), their metrics, evaluations and folders?", nullptr, int(ids.size()))) !=
            QMessageBox::Yes)
            return;
        for (auto i : ids)
            Q_EMIT runCommand({QStringLiteral("runs"), QStringLiteral("delete"), QString::number(i), QStringLiteral("--yes")},
                              QStringLiteral("runs"), QString::number(i));
        return;
    }
    bool ok = false;
    const QString label = what == QStringLiteral("tag") ? tr("Tags (comma-separated):")
                          : what == QStringLiteral("note") ? tr("Note:")
                                                           : tr("Name:");
    const QString value = QInputDialog::getText(this, tr("Run %1").arg(id), label, QLineEdit::Normal,
                                                m_runs->item(m_runs->currentRow(), what == QStringLiteral("tag") ? CTags
                                                                                   : what == QStringLiteral("note") ? CNotes
                                                                                                                    : CName)
                                                    ->text(),
                                                &ok);
    if (!ok)
        return;
    for (auto i : ids) {
        Q_EMIT runCommand({QStringLiteral("runs"), what, QString::number(i), value}, QStringLiteral("runs"), QString::number(i));
        if (what == QStringLiteral("rename"))
            break; // one name per run
    }
}

} // namespace ssondo::ui

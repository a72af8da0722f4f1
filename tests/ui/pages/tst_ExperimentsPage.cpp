// SPDX-License-Identifier: GPL-3.0-or-later
// The Experiments page on a log with known content: the runs table, only the differing config keys,
// students against teachers with % of teacher, the Pareto front, seeds grouped into a mean with a
// min–max band, the CSV export read back, and the per-block profiles of runs side by side.

#include "WorkspaceController.h"
#include "distill/TrainConfig.h"
#include "experiments/Database.h"
#include "experiments/EvaluationLog.h"
#include "experiments/RunLog.h"
#include "pages/ExperimentsPage.h"
#include "pages/LayerProfileView.h"
#include "plots/CurvePlot.h"
#include "plots/QCustomPlotInclude.h"
#include "workspace/Workspace.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

using namespace ssondo;
using namespace ssondo::ui;

class tst_ExperimentsPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runsTable();
    void configShowsOnlyDifferences();
    void studentsVersusTeachers();
    void paretoFront();
    void seedsGrouped();
    void csvRoundTrips();
    void teacherStudentMatrixAndColours();
    void layersSideBySide();

private:
    std::int64_t addRun(RunLog& log, EvaluationLog& evals, const std::string& name, TrainConfig cfg,
                        double score, std::int64_t params, double finalCosine);
    QTemporaryDir m_dir;
    QString m_ws;
    std::vector<std::int64_t> m_ids;
};

std::int64_t tst_ExperimentsPage::addRun(RunLog& log, EvaluationLog& evals, const std::string& name,
                                         TrainConfig cfg, double score, std::int64_t params,
                                         double finalCosine)
{
    RunRecord r;
    r.name = name;
    r.status = RunStatus::Done;
    r.student = cfg.arch;
    r.sampler = cfg.sampler;
    r.loss = cfg.loss;
    r.seed = cfg.seed;
    r.teacher = "demo teacher";
    r.backboneParams = params;
    r.configToml = cfg.toToml(false);
    const std::int64_t id = log.create(r);
    std::vector<MetricPoint> pts;
    for (int s = 1; s <= 4; ++s)
        pts.push_back({s * 10, s, double(s), "val_cosine", finalCosine * s / 4.0});
    log.addMetrics(id, pts);
    EvaluationRecord e;
    e.runId = id;
    e.teacherIdentity = "teacher-x";
    e.task = "esc50";
    e.taskVersion = "v1";
    e.protocol = "dataset folds (5)";
    e.metric = "accuracy";
    e.mean = score;
    e.ci95 = 0.02;
    e.foldsJson = "[]";
    evals.add(e);
    ModelProfileRecord p;
    p.runId = id;
    p.subject = name;
    p.backboneParams = params;
    p.macs = params * 100;
    p.fileBytes = params * 4;
    p.latencyMs = double(params) / 1e5;
    evals.addProfile(p);
    return id;
}

void tst_ExperimentsPage::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ssondo-tests"));
    QSettings().clear();
    m_ws = m_dir.path() + QStringLiteral("/ws");
    auto ws = Workspace::create(m_ws.toStdString());
    RunLog log(ws->database());
    EvaluationLog evals(ws->database());
    EvaluationRecord t;
    t.teacherIdentity = "teacher-x";
    t.task = "esc50";
    t.taskVersion = "v1";
    t.protocol = "dataset folds (5)";
    t.metric = "accuracy";
    t.mean = 0.80;
    t.ci95 = 0.01;
    t.foldsJson = "[]";
    evals.add(t);
    TrainConfig a;
    a.arch = "mn10";
    a.embeddings = 1; // as a real run's config
    TrainConfig b = a;
    b.sampler = "balanced";
    b.clustering = 1;
    TrainConfig c = a;
    c.seed = 7; // differs from a only by the seed
    TrainConfig d = a;
    d.arch = "eres2net";
    m_ids.push_back(addRun(log, evals, "mn10-uniform", a, 0.72, 2971664, 0.40));
    m_ids.push_back(addRun(log, evals, "mn10-balanced", b, 0.76, 2971664, 0.45));
    m_ids.push_back(addRun(log, evals, "mn10-seed7", c, 0.70, 2971664, 0.50));
    m_ids.push_back(addRun(log, evals, "eres2net", d, 0.68, 1368068, 0.30));
}

void tst_ExperimentsPage::runsTable()
{
    WorkspaceController w;
    QVERIFY(w.open(m_ws));
    ExperimentsPage page(&w);
    page.refresh();
    QTableWidget* t = page.runsTable();
    QCOMPARE(t->rowCount(), 4);
    QCOMPARE(page.selectedRuns().size(), std::size_t(4)); // all selected at first
    for (int r = 0; r < 4; ++r)
        if (t->item(r, 1)->text() == QStringLiteral("mn10-balanced")) {
            QCOMPARE(t->item(r, 10)->text(), QStringLiteral("95.0 %")); // 0.76 / 0.80
            QCOMPARE(t->item(r, 8)->text(), QStringLiteral("0.4500"));  // best val cosine
        }
}

void tst_ExperimentsPage::configShowsOnlyDifferences()
{
    WorkspaceController w;
    QVERIFY(w.open(m_ws));
    ExperimentsPage page(&w);
    page.refresh();
    page.selectRuns({m_ids[0], m_ids[1]});
    QTableWidget* t = page.configTable();
    QStringList keys;
    for (int r = 0; r < t->rowCount(); ++r)
        keys << t->item(r, 0)->text();
    QCOMPARE(keys, (QStringList{"sampler.clustering", "sampler.kind"}));
    QCOMPARE(t->item(1, 1)->text(), QStringLiteral("'uniform'"));
    QCOMPARE(t->item(1, 2)->text(), QStringLiteral("'balanced'"));
}

void tst_ExperimentsPage::studentsVersusTeachers()
{
    // A second task, evaluated for one student only (removed at the end: the other tests count
    // one task per run).
    {
        auto ws = Workspace::open(m_ws.toStdString());
        EvaluationRecord e;
        e.runId = m_ids[0];
        e.teacherIdentity = "teacher-x";
        e.task = "us8k";
        e.taskVersion = "v1";
        e.protocol = "dataset folds (10)";
        e.metric = "accuracy";
        e.mean = 0.50;
        e.foldsJson = "[]";
        EvaluationLog(ws->database()).add(e);
    }
    WorkspaceController w;
    QVERIFY(w.open(m_ws));
    ExperimentsPage page(&w);
    page.refresh();
    page.selectRuns({m_ids[0], m_ids[1]});
    QTableWidget* t = page.scoresTable();
    // The paper's layout: models as rows (the teacher first, greyed), tasks as columns, then the
    // average, % of teacher and the backbone size.
    QCOMPARE(t->rowCount(), 3);
    QCOMPARE(t->columnCount(), 1 + 2 + 3);
    QVERIFY(t->horizontalHeaderItem(1)->text().startsWith("esc50"));
    QVERIFY(t->horizontalHeaderItem(2)->text().startsWith("us8k"));
    QCOMPARE(t->item(0, 0)->text(), QStringLiteral("teacher-x (teacher)"));
    QVERIFY(t->item(0, 0)->foreground().color() != t->item(1, 0)->foreground().color());
    QCOMPARE(t->item(0, 1)->text(), QStringLiteral("0.8000 ± 0.0100"));
    // Missing is missing, never zero, and the average says it is partial.
    QCOMPARE(t->item(0, 2)->text(), QStringLiteral("–"));
    QCOMPARE(t->item(0, 3)->text(), QStringLiteral("0.8000 (partial)"));
    QCOMPARE(t->item(1, 3)->text(), QStringLiteral("0.6100")); // (0.72 + 0.50) / 2
    QCOMPARE(t->item(2, 2)->text(), QStringLiteral("–"));
    QVERIFY(t->item(2, 3)->text().endsWith("(partial)"));
    // % of teacher over the tasks both have: 0.72 / 0.80 and 0.76 / 0.80.
    QCOMPARE(t->item(1, 4)->text(), QStringLiteral("90.0 %"));
    QCOMPARE(t->item(2, 4)->text(), QStringLiteral("95.0 %"));
    QVERIFY(t->item(1, 4)->background().color() != t->item(2, 4)->background().color());
    QCOMPARE(t->item(1, 5)->text(), QStringLiteral("2.97 M"));
    // The best of each column in bold: the teacher on esc50, the only score on us8k.
    QVERIFY(t->item(0, 1)->font().bold() && !t->item(1, 1)->font().bold() && !t->item(2, 1)->font().bold());
    QVERIFY(t->item(1, 2)->font().bold());

    // The CSV export, read back against the log.
    const QString csv = m_dir.path() + "/table.csv";
    QVERIFY(page.exportScores(csv));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0],
             QStringLiteral("model,kind,esc50,esc50 ci95,us8k,us8k ci95,average,partial,pct_of_teacher,"
                            "backbone_params"));
    auto ws = Workspace::open(m_ws.toStdString());
    EvaluationLog log(ws->database());
    const QStringList run0 = lines[2].split(',');
    QCOMPARE(run0[1], QStringLiteral("student"));
    for (const auto& e : log.latestPerTask(m_ids[0])) {
        const int col = e.task == "esc50" ? 2 : 4;
        QCOMPARE(run0[col].toDouble(), e.mean);
    }
    QCOMPARE(run0[7], QStringLiteral("0"));
    QCOMPARE(run0[8].toDouble(), 90.0);
    QCOMPARE(run0[9], QStringLiteral("2971664"));
    QCOMPARE(lines[3].split(',')[4], QString()); // missing, not 0
    QCOMPARE(lines[3].split(',')[7], QStringLiteral("1"));
    QVERIFY(!page.exportScores(m_dir.path() + "/table.xlsx")); // refused with a message
    ws->database().exec("DELETE FROM evaluations WHERE task = 'us8k'");
}

void tst_ExperimentsPage::paretoFront()
{
    WorkspaceController w;
    QVERIFY(w.open(m_ws));
    ExperimentsPage page(&w);
    page.refresh();
    QCustomPlot* plot = page.paretoPlot();
    QCPGraph* front = nullptr;
    QCPGraph* runs = nullptr;
    for (int i = 0; i < plot->graphCount(); ++i)
        (plot->graph(i)->name() == QStringLiteral("front") ? front : runs) = plot->graph(i);
    QVERIFY(front && runs);
    QCOMPARE(runs->dataCount(), 4);
    // eres2net (smallest, 85 %) and mn10-balanced (95 %) are on the front; the others are beaten.
    QCOMPARE(front->dataCount(), 2);
    QCOMPARE(front->data()->at(0)->value, 85.0);
    QCOMPARE(front->data()->at(1)->value, 95.0);
}

void tst_ExperimentsPage::seedsGrouped()
{
    WorkspaceController w;
    QVERIFY(w.open(m_ws));
    ExperimentsPage page(&w);
    page.refresh();
    page.selectRuns({m_ids[0], m_ids[2]});
    QCOMPARE(page.curves()->series().size(), 2); // two runs, two curves
    page.groupSeeds()->setChecked(true);
    // One group: its mean, min and max.
    QCOMPARE(page.curves()->series().size(), 3);
    QVector<double> mean;
    for (auto it = page.curves()->series().begin(); it != page.curves()->series().end(); ++it)
        if (!it.key().contains('/'))
            mean = it->value;
    QCOMPARE(mean.size(), 4);
    QVERIFY(std::abs(mean.last() - 0.45) < 1e-12); // (0.40 + 0.50) / 2
}

void tst_ExperimentsPage::csvRoundTrips()
{
    WorkspaceController w;
    QVERIFY(w.open(m_ws));
    ExperimentsPage page(&w);
    page.refresh();
    QTemporaryDir out;
    const QStringList files = page.exportCsv(out.path());
    QCOMPARE(files.size(), 2);
    QFile runs(files[0]);
    QVERIFY(runs.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(runs.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5); // header + 4 runs
    QVERIFY(lines[0].startsWith(QStringLiteral("#,name,status")));
    QFile curves(files[1]);
    QVERIFY(curves.open(QIODevice::ReadOnly));
    const QStringList c = QString::fromUtf8(curves.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(c.size(), 1 + 16);
    auto ws = Workspace::open(m_ws.toStdString(), true);
    const auto pts = RunLog(ws->database()).metrics(m_ids[1], "val_cosine");
    const QStringList row = c[1 + 4 + 3].split(',');
    QCOMPARE(row[0].toLongLong(), qlonglong(m_ids[1]));
    QCOMPARE(row[5].toDouble(), pts[3].value);
    QVERIFY(page.savePlot(out.path() + QStringLiteral("/curves.png")));
    QVERIFY(page.savePlot(out.path() + QStringLiteral("/curves.pdf")));
    QVERIFY(QFileInfo(out.path() + QStringLiteral("/curves.pdf")).size() > 1000);
    QVERIFY(page.savePlot(out.path() + QStringLiteral("/curves.svg")));
    QFile svg(out.path() + QStringLiteral("/curves.svg"));
    QVERIFY(svg.open(QIODevice::ReadOnly));
    QVERIFY(svg.readAll().contains("<svg"));
}

void tst_ExperimentsPage::teacherStudentMatrixAndColours()
{
    WorkspaceController w;
    QVERIFY(w.open(m_ws));
    ExperimentsPage page(&w);
    page.refresh();
    QTableWidget* m = page.matrixTable();
    QCOMPARE(m->rowCount(), 1);    // one teacher in this log
    QCOMPARE(m->columnCount(), 3); // teacher, eres2net, mn10
    QCOMPARE(m->horizontalHeaderItem(2)->text(), QStringLiteral("mn10"));
    QVERIFY(m->item(0, 2)->text().startsWith(QStringLiteral("95.0 %"))); // the best mn10 run
    QVERIFY(m->item(0, 1)->text().startsWith(QStringLiteral("85.0 %")));
    // A colour chosen for a run is used for its curve.
    ExperimentsPage::setRunColor(m_ids[1], QColor(1, 2, 3));
    page.refresh();
    page.selectRuns({m_ids[1]});
    QCOMPARE(page.curves()->series().begin()->color, QColor(1, 2, 3));
    QSettings().remove(QStringLiteral("runColors"));
}

void tst_ExperimentsPage::layersSideBySide()
{
    {
        auto ws = Workspace::open(m_ws.toStdString());
        EvaluationLog evals(ws->database());
        auto layered = [&](std::int64_t run, const char* json) {
            ModelProfileRecord p = *evals.latestProfile(run);
            p.layersJson = json;
            evals.addProfile(p);
        };
        layered(m_ids[0], R"J({"call_ms": 10, "blocks": [{"name": "front end", "ms": 2, "macs": 5e6, "params": 0},
            {"name": "features.0", "ms": 7.5, "macs": 3e7, "params": 176},
            {"name": "(outside blocks)", "ms": 0.5, "macs": 0, "params": 0
        }]
        })J");
        layered(m_ids[3], R"J({"call_ms": 14, "blocks": [{"name": "front end", "ms": 2, "macs": 5e6, "params": 0},
            {"name": "conv1+bn1", "ms": 3, "macs": 1e7, "params": 176},
            {"name": "pooling", "ms": 8, "macs": 0, "params": 0},
            {"name": "(outside blocks)", "ms": 1, "macs": 0, "params": 0
        }]
        })J");
        }
        WorkspaceController w;
        QVERIFY(w.open(m_ws));
        ExperimentsPage page(&w);
        page.refresh(); // every run selected
        LayerProfileView* v = page.layerView();
        QCOMPARE(v->shownRuns(), (std::vector<std::int64_t>{m_ids[0], m_ids[3]}));
        QCOMPARE(v->missingRuns(), (std::vector<std::int64_t>{m_ids[1], m_ids[2]}));
        // The union of the blocks, in order, what runs between them last.
        QCOMPARE(v->blocks(),
                 (QStringList{"front end", "features.0", "conv1+bn1", "pooling", "(outside blocks)"}));
        QCOMPARE(v->table()->rowCount(), 5);
        QCOMPARE(v->table()->columnCount(), 7); // block + (ms, MMACs, params) per run
        QCOMPARE(v->table()->item(1, 1)->text(), QStringLiteral("7.50"));
        QCOMPARE(v->table()->item(1, 2)->text(), QStringLiteral("30.00"));
        QVERIFY(!v->table()->item(1, 4)); // eres2net has no features.0
        QCOMPARE(v->table()->item(3, 4)->text(), QStringLiteral("8.00"));
        QCOMPARE(v->plot()->plottableCount(), 2);
        auto* bars = qobject_cast<QCPBars*>(v->plot()->plottable(1));
        QVERIFY(bars);
        QCOMPARE(bars->data()->size(), 4);
        QCOMPARE(bars->data()->at(3)->key, 4.0); // its outside row at the common last position
        QVERIFY(v->summary()->text().contains(QStringLiteral("blocks 10.0 ms")));
        v->setMeasure(QStringLiteral("params"));
        QCOMPARE(qobject_cast<QCPBars*>(v->plot()->plottable(0))->data()->at(1)->value, 176.0);
        // The runs without one are profiled on request, one job each.
        QSignalSpy jobs(&page, &Page::runCommand);
        for (auto* b : v->findChildren<QPushButton*>())
            if (b->text() == QStringLiteral("Profile them"))
                b->click();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs.at(0).at(0).toStringList(),
                 (QStringList{"profile", "--run", QString::number(m_ids[1]), "--layers", "--no-agreement"}));
        if (const QByteArray dir = qgetenv("SSONDO_SCREENSHOT_DIR"); !dir.isEmpty()) {
            page.resize(1500, 900);
            page.setCurrentTab(7);
            v->setMeasure(QStringLiteral("ms"));
            page.grab().save(QString::fromUtf8(dir) + QStringLiteral("/experiments-layers-test.png"));
        }
        }

        QTEST_MAIN(tst_ExperimentsPage)
#include "tst_ExperimentsPage.moc"

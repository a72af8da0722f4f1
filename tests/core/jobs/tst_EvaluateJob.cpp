// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation end to end on a small synthetic labelled dataset: the teacher and a trained student
// probed with the dataset's folds, % of teacher as the paper computes it, the student's embeddings
// cached as an embedding set, stratified folds when a dataset has none, and clear errors.

#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "data/EmbeddingCatalog.h"
#include "experiments/EvaluationLog.h"
#include "jobs/EvaluateJob.h"
#include "jobs/ExtractJob.h"
#include "jobs/TrainJob.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <nlohmann/json.hpp>

using namespace ssondo;

class tst_EvaluateJob : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void percentOfTeacherIsRatioOfAverages();
    void teacherEvaluationUsesDatasetFolds();
    void studentEvaluationGivesPercentOfTeacher();
    void stratifiedFoldsWithoutDatasetFolds();
    void badRequestsAreExplained();
    void stopLeavesNoEvaluation();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    std::int64_t m_teacherSet = 0, m_run = 0;
    std::string m_data;
};

void tst_EvaluateJob::initTestCase()
{
    m_data = (m_dir.path() + "/data").toStdString();
    DemoDatasetOptions o;
    o.clipsPerClass = 5;
    o.minSeconds = 1.0;
    o.maxSeconds = 2.0;
    DemoDataset::generate(m_data, o);
    m_ws = Workspace::create((m_dir.path() + "/ws").toStdString());
    ScanOptions csv;
    csv.labels = LabelSource::Csv;
    csv.csvPath = m_data + "/labels.csv";
    DatasetCatalog(m_ws->database()).save("tiny", DatasetScanner::scan(m_data, csv), csv);
    ScanOptions none;
    none.labels = LabelSource::None;
    DatasetCatalog(m_ws->database()).save("unlabelled", DatasetScanner::scan(m_data, none), none);
    ScanOptions folders; // labels from the class folders, no folds
    DatasetCatalog(m_ws->database()).save("byfolder", DatasetScanner::scan(m_data, folders), folders);
    StopToken stop;
    ExtractConfig ec;
    ec.dataset = "tiny";
    m_teacherSet = ExtractJob::run(*m_ws, ec, nullProgressSink(), stop).embeddingSetId;
    ec.dataset = "byfolder";
    ExtractJob::run(*m_ws, ec, nullProgressSink(), stop);

    TrainConfig c;
    c.dataset = "tiny";
    c.width = 0.4;
    c.clipSeconds = 2.0;
    c.batchSize = 8;
    c.epochs = 1;
    c.workers = 1;
    m_run = TrainJob::run(*m_ws, c, "test", nullProgressSink(), stop).runId;
    QVERIFY(m_run > 0);
}

void tst_EvaluateJob::percentOfTeacherIsRatioOfAverages()
{
    // (0.5 + 0.9) / (1.0 + 0.9), not the mean of the per-task ratios (0.5 and 1.0).
    QVERIFY(std::abs(percentOfTeacher({{0.5, 1.0}, {0.9, 0.9}}) - 100.0 * 1.4 / 1.9) < 1e-12);
    QCOMPARE(percentOfTeacher({}), 0.0);
}

void tst_EvaluateJob::teacherEvaluationUsesDatasetFolds()
{
    EvaluateConfig c;
    c.task = "tiny";
    c.teacherSet = m_teacherSet;
    StopToken stop;
    const EvaluateResult r = EvaluateJob::run(*m_ws, c, nullProgressSink(), stop);
    QCOMPARE(r.evaluation.protocol, std::string("dataset folds (5)"));
    QCOMPARE(r.evaluation.metric, std::string("accuracy"));
    QCOMPARE(r.evaluation.clips, std::int64_t(65));
    QCOMPARE(r.evaluation.classes, std::int64_t(13));
    QCOMPARE(int(r.probe.folds.size()), 5);
    for (const auto& f : r.probe.folds)
        QCOMPARE(f.testRows, std::int64_t(13)); // the demo's CSV puts one clip of each class in each fold
    QVERIFY(r.evaluation.mean > 1.0 / 13 && r.evaluation.mean <= 1.0);
    QVERIFY(r.evaluation.ci95.has_value());
    QVERIFY(!r.pctOfTeacher);

    const auto stored = EvaluationLog(m_ws->database()).list(0);
    QCOMPARE(int(stored.size()), 1);
    QCOMPARE(stored[0].mean, r.evaluation.mean);
    QCOMPARE(stored[0].runId, std::int64_t(0));
    QCOMPARE(nlohmann::json::parse(stored[0].foldsJson).size(), std::size_t(5));
}

void tst_EvaluateJob::studentEvaluationGivesPercentOfTeacher()
{
    EvaluationLog log(m_ws->database());
    const auto teacherBefore = log.list(0);
    EvaluateConfig c;
    c.task = "tiny";
    c.runId = m_run;
    StopToken stop;
    const EvaluateResult r = EvaluateJob::run(*m_ws, c, nullProgressSink(), stop);
    QCOMPARE(r.evaluation.runId, m_run);
    QVERIFY(r.teacher.has_value());
    QCOMPARE(r.teacher->protocol, r.evaluation.protocol);
    QVERIFY(r.pctOfTeacher.has_value());
    QVERIFY(std::abs(*r.pctOfTeacher - 100.0 * r.evaluation.mean / r.teacher->mean) < 1e-9);
    QCOMPARE(log.list(0).size(), teacherBefore.size()); // the stored teacher reference was reused

    // The student's embeddings of the task are an embedding set of kind "student", 0.4 × 960 wide.
    const auto sets = EmbeddingCatalog(m_ws->database()).list();
    const auto student =
        std::find_if(sets.begin(), sets.end(), [](const auto& s) { return s.teacherKind == "student"; });
    QVERIFY(student != sets.end());
    QCOMPARE(student->done, std::int64_t(65));
    QCOMPARE(r.evaluation.embeddingSetId, student->id);

    // Again: the same set (same checkpoint), no new one.
    const EvaluateResult again = EvaluateJob::run(*m_ws, c, nullProgressSink(), stop);
    QCOMPARE(again.evaluation.embeddingSetId, student->id);
    QCOMPARE(EmbeddingCatalog(m_ws->database()).list().size(), sets.size());
    QCOMPARE(again.evaluation.mean, r.evaluation.mean); // deterministic probe on the same embeddings
}

void tst_EvaluateJob::stratifiedFoldsWithoutDatasetFolds()
{
    EvaluateConfig c;
    c.task = "tiny";
    c.teacherSet = m_teacherSet;
    c.foldsFrom = "stratified";
    c.folds = 4;
    c.seed = 7;
    StopToken stop;
    const EvaluateResult r = EvaluateJob::run(*m_ws, c, nullProgressSink(), stop);
    QCOMPARE(r.evaluation.protocol, std::string("stratified 4-fold, seed 7"));
    QCOMPARE(int(r.probe.folds.size()), 4);
    std::int64_t tested = 0;
    for (const auto& f : r.probe.folds)
        tested += f.testRows;
    QCOMPARE(tested, std::int64_t(65)); // every clip tested once

    // A dataset without folds or split gets the stratified 5-fold by default; the teacher's set
    // of that dataset is found from the set of another dataset.
    EvaluateConfig f;
    f.task = "byfolder";
    f.teacherSet = m_teacherSet;
    const EvaluateResult byFolder = EvaluateJob::run(*m_ws, f, nullProgressSink(), stop);
    QCOMPARE(byFolder.evaluation.protocol, std::string("stratified 5-fold, seed 42"));
    QVERIFY(byFolder.evaluation.embeddingSetId != m_teacherSet);
    QCOMPARE(byFolder.evaluation.classes, std::int64_t(13));
}

void tst_EvaluateJob::badRequestsAreExplained()
{
    StopToken stop;
    EvaluateConfig both;
    both.task = "tiny";
    both.runId = m_run;
    both.teacherSet = m_teacherSet;
    QVERIFY_THROWS_EXCEPTION(InputError, EvaluateJob::run(*m_ws, both, nullProgressSink(), stop));

    EvaluateConfig unlabelled;
    unlabelled.task = "unlabelled";
    unlabelled.teacherSet = m_teacherSet;
    try {
        EvaluateJob::run(*m_ws, unlabelled, nullProgressSink(), stop);
        QFAIL("an unlabelled task was accepted");
    } catch (const InputError& e) {
        QVERIFY2(std::string(e.what()).find("labelled dataset") != std::string::npos, e.what());
    }

    // The demo teacher has no embeddings of "unlabelled" — but that dataset fails first on labels;
    // make a labelled copy without teacher embeddings.
    ScanOptions csv;
    csv.labels = LabelSource::Csv;
    csv.csvPath = m_data + "/labels.csv";
    DatasetCatalog(m_ws->database()).save("tiny2", DatasetScanner::scan(m_data, csv), csv);
    EvaluateConfig missing;
    missing.task = "tiny2";
    missing.teacherSet = m_teacherSet;
    try {
        EvaluateJob::run(*m_ws, missing, nullProgressSink(), stop);
        QFAIL("a teacher without embeddings of the task was accepted");
    } catch (const InputError& e) {
        QVERIFY2(std::string(e.what()).find("ssondo extract --dataset tiny2") != std::string::npos, e.what());
    }

    EvaluateConfig badFolds;
    badFolds.task = "tiny";
    badFolds.teacherSet = m_teacherSet;
    badFolds.foldsFrom = "split"; // the demo has folds but no train/valid/test split
    QVERIFY_THROWS_EXCEPTION(InputError, EvaluateJob::run(*m_ws, badFolds, nullProgressSink(), stop));
}

void tst_EvaluateJob::stopLeavesNoEvaluation()
{
    const auto before = EvaluationLog(m_ws->database()).list().size();
    EvaluateConfig c;
    c.task = "tiny";
    c.teacherSet = m_teacherSet;
    StopToken stop;
    stop.request();
    const EvaluateResult r = EvaluateJob::run(*m_ws, c, nullProgressSink(), stop);
    QVERIFY(r.stopped);
    QCOMPARE(EvaluationLog(m_ws->database()).list().size(), before);
}

QTEST_GUILESS_MAIN(tst_EvaluateJob)
#include "tst_EvaluateJob.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Sweep files: expansion (grid, ranges, random search with a seed, seeds), the errors a user
// meets, the sweep's record in the log (resume finds it; every run status is storable), what each
// value did (hand-computed), and the early-stopping rule.

#include "experiments/Database.h"
#include "experiments/SweepLog.h"
#include "experiments/SweepSpec.h"
#include "jobs/SweepJob.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <set>

using namespace ssondo;

class tst_Sweep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gridExpandsFirstKeySlowest();
    void rangesOfIntegersAndReals();
    void randomSearchIsSeeded();
    void baseConfigFileAndOverrides();
    void badSweepFiles_data();
    void badSweepFiles();
    void logFindsTheSameSweepAgain();
    void effectsAreMeanAndSpreadPerValue();
    void pruneRule();
};

namespace {

/// A sweep file; without a [base], one that names the dataset (a run config must).
SweepSpec spec(const std::string& text)
{
    const bool hasBase = text.find("[base]") != std::string::npos;
    return SweepSpec::fromToml(hasBase ? text : text + "\n[base]\ndata.dataset = \"d\"\n", "sweep.toml");
}

std::string value(const SweepTrial& t, const std::string& key)
{
    for (const auto& [k, v] : t.values)
        if (k == key)
            return v;
    return "?";
}

} // namespace

void tst_Sweep::gridExpandsFirstKeySlowest()
{
    const auto s = spec(R"(
name = "demo"
seeds = [1, 2]
[base]
data.dataset = "d"
sampler.clustering = 1
train.epochs = 2
[vary]
loss.kind = ["cosine", "clap", "mse"]
sampler.kind = ["uniform", "balanced"]
)");
    const auto trials = s.expand();
    QCOMPARE(int(trials.size()), 3 * 2 * 2);
    // The first key varies slowest, then the second, then the seed.
    QCOMPARE(value(trials[0], "loss.kind"), std::string("cosine"));
    QCOMPARE(value(trials[0], "sampler.kind"), std::string("uniform"));
    QCOMPARE(trials[0].seed, std::int64_t(1));
    QCOMPARE(trials[1].seed, std::int64_t(2));
    QCOMPARE(value(trials[2], "sampler.kind"), std::string("balanced"));
    QCOMPARE(value(trials[4], "loss.kind"), std::string("clap"));
    QCOMPARE(value(trials[11], "loss.kind"), std::string("mse"));
    QCOMPARE(trials[11].point, 5);
    std::set<std::string> hashes;
    for (const auto& t : trials) {
        // Each run's config holds its values, the base's and its seed.
        QCOMPARE(t.config.loss, value(t, "loss.kind"));
        QCOMPARE(t.config.sampler, value(t, "sampler.kind"));
        QCOMPARE(t.config.seed, t.seed);
        QCOMPARE(t.config.epochs, std::int64_t(2));
        QVERIFY(std::find(t.config.tags.begin(), t.config.tags.end(), "sweep:demo") != t.config.tags.end());
        hashes.insert(t.config.hash());
    }
    QCOMPARE(int(hashes.size()), 12);
    QCOMPARE(trials[0].config.name, std::string("demo-001"));
    QCOMPARE(s.method, std::string("grid"));
}

void tst_Sweep::rangesOfIntegersAndReals()
{
    const auto s = spec(R"(
[vary]
train.batch_size = { min = 32, max = 128, step = 32 }
head.dropout = { min = 0.1, max = 0.3, step = 0.1 }
)");
    QCOMPARE(s.params[0].key, std::string("train.batch_size")); // the file's order, not the keys'
    QCOMPARE(s.params[0].values, (std::vector<std::string>{"32", "64", "96", "128"}));
    // 0.1 + 2 * 0.1 is 0.30000000000000004 in binary: the values are the ones a user would type.
    QCOMPARE(s.params[1].values, (std::vector<std::string>{"0.1", "0.2", "0.3"}));
    const auto trials = s.expand();
    QCOMPARE(int(trials.size()), 12);
    QCOMPARE(trials.back().config.batchSize, std::int64_t(128));
    QCOMPARE(trials.back().config.headDropout, 0.3);
}

void tst_Sweep::randomSearchIsSeeded()
{
    const std::string text = R"(
trials = 400
search_seed = 7
[vary]
optim.lr = { distribution = "log_uniform", min = 1e-4, max = 1e-2 }
train.batch_size = { distribution = "int_uniform", min = 16, max = 18 }
loss.kind = ["cosine", "mse"]
)";
    const auto a = spec(text).expand();
    const auto b = spec(text).expand();
    QCOMPARE(spec(text).method, std::string("random"));
    QVERIFY(a.size() > 300); // repeated points are dropped; 400 draws of a continuous lr rarely repeat
    int below = 0;
    std::set<std::int64_t> batches;
    std::set<std::string> losses;
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(a[i].config.hash(), b[i].config.hash()); // the same seed draws the same runs
        const double lr = a[i].config.lr;
        QVERIFY(lr >= 1e-4 && lr <= 1e-2);
        below += lr < 1e-3; // the geometric midpoint: half the draws of a log-uniform fall below it
        batches.insert(a[i].config.batchSize);
        losses.insert(a[i].config.loss);
    }
    // Binomial(n, 1/2): 4 standard deviations is 2 sqrt(n); a uniform (not log-uniform) draw on
    // [1e-4, 1e-2] would put only 9 % below 1e-3 and fail by far.
    const double n = double(a.size());
    QVERIFY2(std::abs(below - n / 2) < 2 * std::sqrt(n), qPrintable(QString::number(below)));
    QCOMPARE(batches, (std::set<std::int64_t>{16, 17, 18})); // both ends included
    QCOMPARE(int(losses.size()), 2);
    // Another seed, other draws.
    std::string other = text;
    other.replace(other.find("search_seed = 7"), 15, "search_seed = 8");
    QVERIFY(spec(other).expand()[0].config.lr != a[0].config.lr);
    QVERIFY(spec(other).hash() != spec(text).hash());
}

void tst_Sweep::baseConfigFileAndOverrides()
{
    QTemporaryDir dir;
    std::ofstream(dir.filePath("base.toml").toStdString())
        << "[data]\ndataset = \"d\"\n[train]\nepochs = 7\nbatch_size = 16\n";
    std::ofstream(dir.filePath("s.toml").toStdString())
        << "config = \"base.toml\"\nseeds = [3]\n[base]\ntrain.batch_size = 8\nstudent.arch = \"dymn10\"\n"
           "[vary]\noptim.lr = [1e-3, 2e-3]\n";
    const auto s = SweepSpec::fromFile(dir.filePath("s.toml").toStdString());
    const auto trials = s.expand();
    QCOMPARE(int(trials.size()), 2);
    QCOMPARE(trials[0].config.epochs, std::int64_t(7));    // from the file
    QCOMPARE(trials[0].config.batchSize, std::int64_t(8)); // [base] on top of it
    QCOMPARE(trials[0].config.arch, std::string("dymn10"));
    QCOMPARE(trials[1].config.lr, 2e-3);
    QCOMPARE(trials[1].config.seed, std::int64_t(3));
}

void tst_Sweep::badSweepFiles_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << "[vary]\nloss.knd = [\"mse\"]\n"
                                 << "loss.knd";
    QTest::newRow("bad value") << "[vary]\nloss.kind = [\"cosine\", \"nope\"]\n"
                               << "nope";
    QTest::newRow("not identity") << "[vary]\ndata.workers = [1, 2]\n"
                                  << "does not change the computation";
    QTest::newRow("seed in vary") << "[vary]\ntrain.seed = [1, 2]\n"
                                  << "seeds = [...]";
    QTest::newRow("distribution in a grid")
        << "method = \"grid\"\n[vary]\noptim.lr = { distribution = \"uniform\", min = 0.1, max = 0.2 }\n"
        << "a grid cannot hold a distribution";
    QTest::newRow("random without trials")
        << "[vary]\noptim.lr = { distribution = \"uniform\", min = 0.1, max = 0.2 }\n"
        << "trials = N";
    QTest::newRow("same run twice") << "[vary]\noptim.lr = [1e-3, 0.001]\n"
                                    << "have the same config";
    QTest::newRow("seeds repeat") << "seeds = [1, 1]\n"
                                  << "seeds repeat";
    QTest::newRow("unknown top key") << "trails = 3\n"
                                     << "unknown key 'trails'";
    QTest::newRow("bad metric") << "metric = \"accuracy\"\n"
                                << "probe:DATASET";
    QTest::newRow("bad base") << "[base]\ndata.dataset = \"d\"\ntrain.epochs = -1\n"
                              << "epochs";
    QTest::newRow("integer distribution")
        << "trials = 2\n[vary]\ntrain.epochs = { distribution = \"uniform\", min = 1, max = 3 }\n"
        << "int_uniform";
    QTest::newRow("toml syntax") << "[vary\n"
                                 << "sweep.toml:1";
}

void tst_Sweep::badSweepFiles()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    try {
        spec(text.toStdString()).expand();
        QFAIL("no error");
    } catch (const InputError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void tst_Sweep::logFindsTheSameSweepAgain()
{
    QTemporaryDir dir;
    auto ws = Workspace::create(dir.path().toStdString());
    SweepLog log(ws->database());
    const auto s = spec("name = \"x\"\nseeds = [1, 2]\n[vary]\nloss.kind = [\"cosine\", \"mse\"]\n");
    const auto trials = s.expand();
    const auto [a, freshA] = log.openOrCreate(s, trials);
    QVERIFY(freshA);
    QCOMPARE(a.keys, std::vector<std::string>{"loss.kind"});
    log.setRun(a.id, 2, SweepRunStatus::Done, 0, 0.5, {});
    const auto [b, freshB] = log.openOrCreate(s, trials); // the same file started again
    QVERIFY(!freshB);
    QCOMPARE(b.id, a.id);
    const auto runs = log.runs(a.id);
    QCOMPARE(int(runs.size()), 4);
    QCOMPARE(runs[2].status, SweepRunStatus::Done);
    QCOMPARE(*runs[2].metric, 0.5);
    QCOMPARE(runs[3].values, (std::vector<std::pair<std::string, std::string>>{{"loss.kind", "mse"}}));
    QCOMPARE(runs[3].configHash, trials[3].config.hash());
    QCOMPARE(TrainConfig::fromToml(runs[3].configToml).hash(), trials[3].config.hash());
    // Every status is storable (the migration's CHECK agrees with the table of statuses).
    for (const auto& st : sweepRunStatuses())
        log.setRun(a.id, 0, st.value, 0, std::nullopt, "m");
    // A sweep killed with runs marked running: they resume.
    log.setRun(a.id, 1, SweepRunStatus::Running, 0, std::nullopt, {});
    log.releaseRunning(a.id);
    QCOMPARE(log.runs(a.id)[1].status, SweepRunStatus::Stopped);
    // Another file is another sweep.
    const auto other = spec("name = \"x\"\nseeds = [1, 3]\n[vary]\nloss.kind = [\"cosine\", \"mse\"]\n");
    QVERIFY(log.openOrCreate(other, other.expand()).second);
    QCOMPARE(int(log.list().size()), 2);
}

void tst_Sweep::effectsAreMeanAndSpreadPerValue()
{
    SweepRecord s;
    s.keys = {"loss.kind", "sampler.kind"};
    auto run = [](std::string loss, std::string sampler, SweepRunStatus st, std::optional<double> m) {
        SweepRunRecord r;
        r.values = {{"loss.kind", loss}, {"sampler.kind", sampler}};
        r.status = st;
        r.metric = m;
        return r;
    };
    const std::vector<SweepRunRecord> runs{run("cosine", "uniform", SweepRunStatus::Done, 0.6),
                                           run("cosine", "balanced", SweepRunStatus::Done, 0.8),
                                           run("mse", "uniform", SweepRunStatus::Done, 0.5),
                                           run("mse", "balanced", SweepRunStatus::Failed, std::nullopt),
                                           run("mse", "balanced", SweepRunStatus::Pruned, std::nullopt)};
    const auto e = SweepLog::effects(s, runs);
    QCOMPARE(int(e.size()), 4);
    // cosine: {0.6, 0.8}: mean 0.7, sample sd sqrt(((0.1)^2 + (0.1)^2) / 1) = 0.141421...
    QCOMPARE(e[0].value, std::string("cosine"));
    QCOMPARE(e[0].runs, 2);
    QVERIFY(std::abs(e[0].mean - 0.7) < 1e-12);
    QVERIFY(std::abs(e[0].sd - std::sqrt(0.02)) < 1e-12);
    QCOMPARE(e[0].best, 0.8);
    // mse: only the done run counts.
    QCOMPARE(e[1].runs, 1);
    QCOMPARE(e[1].mean, 0.5);
    QCOMPARE(e[1].sd, 0.0);
    // sampler: uniform {0.6, 0.5}, balanced {0.8}.
    QCOMPARE(e[2].key, std::string("sampler.kind"));
    QVERIFY(std::abs(e[2].mean - 0.55) < 1e-12);
    QCOMPARE(e[3].mean, 0.8);
}

void tst_Sweep::pruneRule()
{
    const std::map<std::int64_t, double> best{{1, 0.5}, {2, 0.6}};
    QVERIFY(!SweepJob::pruneReason({{1, 0.46}, {2, 0.55}}, best, 0.9)); // 0.46 > 0.45, 0.55 > 0.54
    const auto why = SweepJob::pruneReason({{1, 0.46}, {2, 0.53}}, best, 0.9);
    QVERIFY(why);
    QVERIFY2(QString::fromStdString(*why).contains("epoch 2"), why->c_str());
    QVERIFY(!SweepJob::pruneReason({{1, 0.1}}, best, 0.0));        // off
    QVERIFY(!SweepJob::pruneReason({{3, 0.1}}, best, 0.9));        // nobody else reached epoch 3
    QVERIFY(!SweepJob::pruneReason({{1, 0.1}}, {{1, -0.2}}, 0.9)); // a negative best is no reference
}

QTEST_GUILESS_MAIN(tst_Sweep)
#include "tst_Sweep.moc"

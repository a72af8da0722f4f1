// SPDX-License-Identifier: GPL-3.0-or-later
// The run config: TOML round trip, every bad input named, flags, hash; the LR schedules.

#include "distill/LrSchedule.h"
#include "distill/TrainConfig.h"
#include "util/Error.h"

#include <QtTest/QtTest>

#include <cmath>

using namespace ssondo;

class tst_TrainConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void rejects_data();
    void rejects();
    void setFromFlags();
    void valueTextFeedsSet();
    void hashFollowsComputation();
    void referenceSchedule_data();
    void referenceSchedule();
    void cosineSchedule();
};

void tst_TrainConfig::roundTrip()
{
    TrainConfig c;
    c.dataset = "demo";
    c.lr = 1e-3;
    c.tags = {"a", "b c"};
    c.valFraction = 0.1;
    const TrainConfig back = TrainConfig::fromToml(c.toToml());
    QVERIFY(back == c);
    QVERIFY(back.differences(c).empty());
    QVERIFY(c.toToml().find("val_fraction = 0.1\n") != std::string::npos);
    QVERIFY(c.toToml().find("# peak learning rate (reference: 8e-4)") != std::string::npos);
    const TrainConfig defaults;
    QCOMPARE(defaults.lr, 8e-4);
    QCOMPARE(defaults.gradClip, 5.0);
    QCOMPARE(defaults.seed, std::int64_t(42));
    QCOMPARE(defaults.loss, std::string("cosine"));
}

void tst_TrainConfig::rejects_data()
{
    QTest::addColumn<QString>("toml");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << "[optim]\nlearning_rate = 0.1\n"
                                 << "unknown key 'learning_rate' in [optim]";
    QTest::newRow("unknown section") << "[optimizer]\nlr = 0.1\n"
                                     << "unknown section [optimizer]";
    QTest::newRow("wrong type") << "[data]\ndataset = 'd'\n[train]\nepochs = 'ten'\n"
                                << "'train.epochs' must be an integer";
    QTest::newRow("out of range") << "[data]\ndataset = 'd'\n[optim]\nlr = 3.0\n"
                                  << "optim.lr must be in (0, 1)";
    QTest::newRow("bad loss")
        << "[data]\ndataset = 'd'\n[loss]\nkind = 'hinge'\n"
        << "loss.kind must be one of cosine, mse, l1, kl, clap, cluster_contrastive, got 'hinge'";
    QTest::newRow("syntax") << "[data\n"
                            << "run.toml:1";
    QTest::newRow("no embeddings") << "[train]\nepochs = 3\n"
                                   << "data.embeddings";
    QTest::newRow("balanced without clustering") << "[data]\ndataset = 'd'\n[sampler]\nkind = 'balanced'\n"
                                                 << "sampler.clustering";
}

void tst_TrainConfig::rejects()
{
    QFETCH(QString, toml);
    QFETCH(QString, message);
    try {
        TrainConfig::fromToml(toml.toStdString(), "run.toml");
        QFAIL("accepted a bad config");
    } catch (const InputError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void tst_TrainConfig::setFromFlags()
{
    TrainConfig c;
    c.set("optim.lr", "1e-3");
    c.set("train.epochs", "7");
    c.set("train.specaugment", "true");
    c.set("name", "42"); // a string, even when it looks like a number
    c.set("tags", "x,y");
    QCOMPARE(c.lr, 1e-3);
    QCOMPARE(c.epochs, std::int64_t(7));
    QVERIFY(c.specAugment);
    QCOMPARE(c.name, std::string("42"));
    QCOMPARE(c.tags, (std::vector<std::string>{"x", "y"}));
    QVERIFY_THROWS_EXCEPTION(InputError, c.set("optim.learning_rate", "1"));
    QVERIFY_THROWS_EXCEPTION(InputError, c.set("train.epochs", "many"));
}

void tst_TrainConfig::valueTextFeedsSet()
{
    TrainConfig a;
    a.arch = "dymn10";
    a.lr = 2e-3;
    a.specAugment = true;
    QCOMPARE(a.valueText("student.arch"), std::string("'dymn10'"));
    QCOMPARE(a.valueText("student.arch", true), std::string("dymn10"));
    QCOMPARE(a.valueText("no.such"), std::string());
    // Every differing key, set from its unquoted text, reproduces the config (the GUI's command).
    TrainConfig b;
    for (const auto& k : a.differences(b))
        b.set(k, a.valueText(k, true));
    QVERIFY(a.differences(b).empty());
}

void tst_TrainConfig::hashFollowsComputation()
{
    TrainConfig a;
    a.dataset = "demo";
    TrainConfig b = a;
    b.name = "other name";
    b.device = "cpu";
    QCOMPARE(a.hash(), b.hash()); // name, tags, device do not change what is computed
    b.seed = 7;
    QVERIFY(a.hash() != b.hash());
    QCOMPARE(a.differences(b), (std::vector<std::string>{"name", "train.seed", "train.device"}));
}

void tst_TrainConfig::referenceSchedule_data()
{
    QTest::addColumn<double>("epoch");
    QTest::addColumn<double>("factor");
    QTest::newRow("start of warm-up") << 0.0 << std::exp(-5.0);
    QTest::newRow("mid warm-up") << 4.0 << std::exp(-5.0 * 0.25);
    QTest::newRow("after warm-up") << 8.0 << 1.0;
    QTest::newRow("plateau") << 79.0 << 1.0;
    QTest::newRow("ramp start") << 80.0 << 1.0;
    QTest::newRow("half ramp") << 127.5 << 1.0 - 0.99 * 0.5;
    QTest::newRow("ramp end") << 175.0 << 0.01;
    QTest::newRow("after") << 300.0 << 0.01;
}

void tst_TrainConfig::referenceSchedule()
{
    QFETCH(double, epoch);
    QFETCH(double, factor);
    TrainConfig c;
    QVERIFY(std::abs(lrFactor(c, epoch) - factor) < 1e-12);
}

void tst_TrainConfig::cosineSchedule()
{
    TrainConfig c;
    c.schedule = "cosine";
    c.warmupEpochs = 0;
    c.epochs = 11;
    QCOMPARE(lrFactor(c, 0), 1.0);
    QVERIFY(std::abs(lrFactor(c, 10) - c.rampdownFinal) < 1e-12);
    QVERIFY(std::abs(lrFactor(c, 5) - (c.rampdownFinal + (1 - c.rampdownFinal) * 0.5)) < 1e-12);
    c.schedule = "constant";
    QCOMPARE(lrFactor(c, 3), 1.0);
}

QTEST_GUILESS_MAIN(tst_TrainConfig)
#include "tst_TrainConfig.moc"

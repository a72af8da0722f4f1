// SPDX-License-Identifier: GPL-3.0-or-later
// The Train page's Sweep dialog: the values typed become the sweep file `ssondo sweep` reads, the
// runs it lists are the runs that file expands to, and a wrong value is said before anything starts.

#include "experiments/SweepSpec.h"
#include "pages/SweepDialog.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

using namespace ssondo;
using namespace ssondo::ui;

class tst_SweepDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valuesBecomeToml_data();
    void valuesBecomeToml();
    void demoSweepFromTheForm();
    void wrongValueIsShown();
};

void tst_SweepDialog::valuesBecomeToml_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("toml");
    QTest::newRow("text list") << "loss.kind"
                               << "cosine, clap ,mse"
                               << "[\"cosine\", \"clap\", \"mse\"]";
    QTest::newRow("numbers") << "optim.lr"
                             << "1e-3, 2e-3"
                             << "[1e-3, 2e-3]";
    QTest::newRow("range") << "train.batch_size"
                           << "32:128:32"
                           << "{ min = 32, max = 128, step = 32 }";
    QTest::newRow("log-uniform") << "optim.lr"
                                 << "log_uniform(1e-4, 1e-2)"
                                 << "{ distribution = \"log_uniform\", min = 1e-4, max = 1e-2 }";
    QTest::newRow("nothing") << "optim.lr"
                             << "  "
                             << "";
}

void tst_SweepDialog::valuesBecomeToml()
{
    QFETCH(QString, key);
    QFETCH(QString, text);
    QFETCH(QString, toml);
    QString why;
    QCOMPARE(SweepDialog::valuesToml(*TrainConfig::keyInfo(key.toStdString()), text, &why), toml);
    QCOMPARE(why.isEmpty(), !toml.isEmpty());
}

void tst_SweepDialog::demoSweepFromTheForm()
{
    TrainConfig base;
    base.embeddings = 3;
    base.clustering = 2;
    base.epochs = 2;
    SweepDialog d(base, {"val_cosine", "probe:esc50"});
    d.setName("demo sweep");
    d.setVaried("loss.kind", "cosine, clap, mse");
    d.setVaried("sampler.kind", "uniform, balanced");
    d.setSeeds("1, 2");
    QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
    QCOMPARE(d.runCount(), 12);
    QVERIFY(d.preview()->toPlainText().contains("012  loss.kind=mse  sampler.kind=balanced  seed=2"));
    // The file it writes is the sweep `ssondo sweep` runs: the same 12 runs, on the form's config.
    const SweepSpec spec = SweepSpec::fromToml(d.sweepToml().toStdString(), "dialog");
    QCOMPARE(spec.name, std::string("demo_sweep"));
    QCOMPARE(spec.parallel, d.parallel());
    const auto runs = spec.expand();
    QCOMPARE(int(runs.size()), 12);
    QCOMPARE(runs[0].config.embeddings, std::int64_t(3));
    QCOMPARE(runs[0].config.clustering, std::int64_t(2));
    QCOMPARE(runs[0].config.epochs, std::int64_t(2));
    QCOMPARE(runs[11].config.loss, std::string("mse"));
    if (const QByteArray dir = qgetenv("SSONDO_SCREENSHOT_DIR"); !dir.isEmpty()) { // for the docs
        d.resize(1000, 760);
        d.show();
        QCoreApplication::processEvents();
        d.grab().save(QString::fromLocal8Bit(dir) + "/train-sweep-dialog.png");
    }
    // Random search: the trials and the distribution reach the file.
    d.setVaried("sampler.kind", "");
    d.setVaried("optim.lr", "log_uniform(1e-4, 1e-2)");
    d.setMethod("random", 5);
    QVERIFY2(d.error().isEmpty(), qPrintable(d.error()));
    QCOMPARE(d.runCount(), 10); // 5 points x 2 seeds
}

void tst_SweepDialog::wrongValueIsShown()
{
    TrainConfig base;
    base.embeddings = 1;
    SweepDialog d(base, {"val_cosine"});
    d.setVaried("loss.kind", "cosine, nope");
    QCOMPARE(d.runCount(), -1);
    QVERIFY2(d.error().contains("nope"), qPrintable(d.error()));
    auto* start = d.findChild<QPushButton*>("startSweep");
    QVERIFY(start && !start->isEnabled());
    d.setVaried("loss.kind", "cosine, mse");
    QCOMPARE(d.runCount(), 2);
    QVERIFY(start->isEnabled());
}

QTEST_MAIN(tst_SweepDialog)
#include "tst_SweepDialog.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// loss.target_norm: the mean and standard deviation of the training rows of an embedding store,
// against values computed by hand, and the save / load round trip a resumed run relies on.

#include "data/EmbeddingStore.h"
#include "distill/TargetNorm.h"
#include "distill/TrainConfig.h"
#include "util/Error.h"
#include "util/Hash.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>

using namespace ssondo;

class tst_TargetNorm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handComputedCase();
    void savedAndLoaded();
    void configKeyKeepsEarlierHashes();
};

namespace {

/// Rows (1, 2, 7), (3, 4, 7), (5, 9, 7), (100, 100, 100); the training rows are the first three.
std::unique_ptr<EmbeddingStore> store(const QString& dir)
{
    EmbeddingStoreInfo info;
    info.teacherIdentity = "t";
    info.teacherKind = "demo";
    info.datasetName = "d";
    info.datasetVersion = "1";
    info.dim = 3;
    info.clipPaths = {"a.wav", "b.wav", "c.wav", "d.wav"};
    auto s = EmbeddingStore::openOrCreate(dir.toStdString(), info);
    const float rows[4][3] = {{1, 2, 7}, {3, 4, 7}, {5, 9, 7}, {100, 100, 100}};
    for (int i = 0; i < 4; ++i)
        s->write(i, rows[i]);
    s->flush();
    return s;
}

} // namespace

void tst_TargetNorm::handComputedCase()
{
    QTemporaryDir dir;
    const auto s = store(dir.path());
    const std::vector<std::int64_t> train{0, 1, 2};
    // Mean (3, 5, 7); population variances (4+0+4)/3 = 8/3 and (9+1+16)/3 = 26/3; the third
    // dimension has no spread and keeps scale 1 (StandardScaler's convention). Every value is a
    // few float32 roundings from the exact one: 1e-6 relative.
    const TargetNorm c = TargetNorm::fit(TargetNormKind::Center, *s, train);
    const TargetNorm z = TargetNorm::fit(TargetNormKind::Standardize, *s, train);
    const at::Tensor row = at::tensor({5.0f, 9.0f, 7.0f}).unsqueeze(0);
    const at::Tensor centred = c.apply(row)[0];
    QVERIFY(at::allclose(centred, at::tensor({2.0f, 4.0f, 0.0f}), 1e-6, 1e-6));
    const at::Tensor expect =
        at::tensor({float(2 / std::sqrt(8.0 / 3)), float(4 / std::sqrt(26.0 / 3)), 0.0f});
    QVERIFY2(at::allclose(z.apply(row)[0], expect, 1e-6, 1e-6), "standardised row");
    QVERIFY(at::allclose(z.scale, at::tensor({float(std::sqrt(8.0 / 3)), float(std::sqrt(26.0 / 3)), 1.0f}),
                         1e-6));
    // The held-out row 3 played no part; none is the identity.
    QCOMPARE(TargetNorm::fit(TargetNormKind::None, *s, train).apply(row).data_ptr<float>()[1], 9.0f);
    // The training rows standardised have mean 0 and variance 1 in every dimension with spread.
    const at::Tensor t = z.apply(s->rowsAt(train)).to(at::kDouble);
    QVERIFY(t.mean(0).abs().max().item<double>() < 1e-6);
    QVERIFY(std::abs(t.var(0, false)[0].item<double>() - 1) < 1e-6);
}

void tst_TargetNorm::savedAndLoaded()
{
    QTemporaryDir dir;
    const auto s = store(dir.filePath("store"));
    const TargetNorm z = TargetNorm::fit(TargetNormKind::Standardize, *s, {0, 1, 2});
    z.save(dir.filePath("target_norm.npy").toStdString());
    const TargetNorm back = TargetNorm::ofRun("standardize", dir.path().toStdString(), 3);
    QVERIFY(at::equal(back.mean, z.mean)); // float32 written and read: bit for bit
    QVERIFY(at::equal(back.scale, z.scale));
    QVERIFY_THROWS_EXCEPTION(InputError, TargetNorm::ofRun("standardize", dir.path().toStdString(), 4));
    QVERIFY_THROWS_EXCEPTION(InputError, TargetNorm::ofRun("whiten", dir.path().toStdString(), 3));
    QVERIFY(!TargetNorm::ofRun("none", "/nonexistent", 3).mean.defined()); // nothing to read
}

void tst_TargetNorm::configKeyKeepsEarlierHashes()
{
    // Added after runs were recorded: at its default it leaves a config's hash (what resumes a
    // run) as it was; set, it changes it.
    // The hash as it was computed before the key existed: every identity key and its TOML value.
    TrainConfig a;
    Fnv1a64 old;
    for (const ConfigKey& k : TrainConfig::schema())
        if (k.identity && k.key != "loss.target_norm") {
            old.add(k.key);
            old.add(a.valueText(k.key));
        }
    const std::string before = a.hash();
    QCOMPARE(before, old.hex());
    a.set("loss.target_norm", "none");
    QCOMPARE(a.hash(), before);
    a.set("loss.target_norm", "center");
    QVERIFY(a.hash() != before);
    a.dataset = "d"; // a complete config reads back
    QCOMPARE(TrainConfig::fromToml(a.toToml()).targetNorm, std::string("center"));
    a.set("loss.target_norm", "whiten");
    QVERIFY_THROWS_EXCEPTION(InputError, a.validate());
}

QTEST_GUILESS_MAIN(tst_TargetNorm)
#include "tst_TargetNorm.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The embedding store: rows survive reopening, float16 rounding, resumable state, mismatch refusal.

#include "data/EmbeddingStore.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_EmbeddingStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void refusesOtherTeacher();
    void damagedMetaIsReported();
    void legacyDataFileIsRead();
};

static EmbeddingStoreInfo info(const std::string& dtype)
{
    EmbeddingStoreInfo i;
    i.teacherIdentity = "t1";
    i.datasetName = "d";
    i.datasetVersion = "v1";
    i.dim = 16;
    i.dtype = dtype;
    i.clipPaths = {"a.wav", "b.wav", "c.wav", "d.wav"};
    return i;
}

void tst_EmbeddingStore::roundTrip_data()
{
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("float32") << "float32" << 0.0;
    QTest::newRow("float16") << "float16" << 1e-3;
}

void tst_EmbeddingStore::roundTrip()
{
    QFETCH(QString, dtype);
    QFETCH(double, tolerance);
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString() + "/store";
    at::manual_seed(0);
    const at::Tensor x = at::randn({4, 16});
    {
        auto s = EmbeddingStore::openOrCreate(d, info(dtype.toStdString()));
        QCOMPARE(s->count(EmbeddingStore::RowState::Pending), std::int64_t(4));
        s->write(0, x[0].contiguous().data_ptr<float>());
        s->write(2, x[2].contiguous().data_ptr<float>());
        s->markFailed(3, "cannot decode");
        s->flush();
    }
    auto s = EmbeddingStore::open(d); // read-only, memory-mapped
    QCOMPARE(s->state(0), EmbeddingStore::RowState::Done);
    QCOMPARE(s->state(1), EmbeddingStore::RowState::Pending);
    QCOMPARE(s->state(3), EmbeddingStore::RowState::Failed);
    QCOMPARE(s->rowsIn(EmbeddingStore::RowState::Done), (std::vector<std::int64_t>{0, 2}));
    QVERIFY(at::allclose(s->rowsAt({0, 2}), at::stack({x[0], x[2]}), tolerance, tolerance));
    QCOMPARE(s->errors().size(), size_t(1));
    QCOMPARE(s->errors()[0].second, std::string("cannot decode"));
    QVERIFY(!s->complete());
    QCOMPARE(s->dataBytes(), std::int64_t(4 * 16 * (dtype == "float16" ? 2 : 4)));
    // Reopening for writing resumes: done rows stay done.
    auto w = EmbeddingStore::openOrCreate(d, info(dtype.toStdString()));
    QCOMPARE(w->count(EmbeddingStore::RowState::Done), std::int64_t(2));
}

void tst_EmbeddingStore::refusesOtherTeacher()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString() + "/store";
    EmbeddingStore::openOrCreate(d, info("float32"));
    auto other = info("float32");
    other.teacherIdentity = "t2";
    QVERIFY_THROWS_EXCEPTION(InputError, EmbeddingStore::openOrCreate(d, other));
    auto moreClips = info("float32");
    moreClips.clipPaths.push_back("e.wav");
    QVERIFY_THROWS_EXCEPTION(InputError, EmbeddingStore::openOrCreate(d, moreClips));
}

void tst_EmbeddingStore::damagedMetaIsReported()
{
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString() + "/store";
    EmbeddingStore::openOrCreate(d, info("float32"));
    QFile meta(QString::fromStdString(d + "/meta.json"));
    QVERIFY(meta.open(QIODevice::WriteOnly | QIODevice::Truncate));
    meta.write("{ not json");
    meta.close();
    try {
        EmbeddingStore::open(d);
        QFAIL("opened a damaged store");
    } catch (const InputError& e) {
        QVERIFY2(QString(e.what()).contains("meta.json"), e.what());
    }
}

void tst_EmbeddingStore::legacyDataFileIsRead()
{
    // Stores written before the .npy format hold a headerless data.bin: still read, row for row.
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString() + "/store";
    const at::Tensor x = at::arange(64, at::kFloat).reshape({4, 16});
    {
        auto s = EmbeddingStore::openOrCreate(d, info("float32"));
        for (std::int64_t r = 0; r < 4; ++r)
            s->write(r, x[r].contiguous().data_ptr<float>());
    }
    QFile npy(QString::fromStdString(d + "/data.npy"));
    QVERIFY(npy.open(QIODevice::ReadOnly));
    const QByteArray bytes = npy.readAll();
    npy.close();
    QVERIFY(bytes.startsWith("\x93NUMPY"));
    QCOMPARE(bytes.size() % 64, 0); // the header pads the data to 64 bytes, as NumPy does
    QFile legacy(QString::fromStdString(d + "/data.bin"));
    QVERIFY(legacy.open(QIODevice::WriteOnly));
    legacy.write(bytes.right(4 * 16 * 4));
    legacy.close();
    QVERIFY(npy.remove());
    auto s = EmbeddingStore::open(d);
    QCOMPARE(QString::fromStdString(s->dataFile()), QString::fromStdString(d + "/data.bin"));
    QVERIFY(at::equal(s->rowsAt({0, 1, 2, 3}), x));
}

QTEST_GUILESS_MAIN(tst_EmbeddingStore)
#include "tst_EmbeddingStore.moc"

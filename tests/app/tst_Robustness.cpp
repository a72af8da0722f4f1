// SPDX-License-Identifier: GPL-3.0-or-later
// Bad inputs end to end, through the real `ssondo` binary: every one gets a message that says what
// is wrong and where, the job goes on where it can, and nothing already saved is lost.
//  - a dataset with truncated, empty, zero-length, NaN-filled, non-audio and random-bytes files next
//    to good ones, an 8-channel and a 384 kHz file: scan lists the unreadable ones with why, the
//    extraction embeds every good clip (8 channels and 384 kHz included) and records the others
//    as failed, training uses the good ones;
//  - teacher files that are not TorchScript, return the wrong rank or NaN: refused with the file's
//    name, no embedding set left behind, the earlier set intact;
//  - unknown and out-of-range config values, a broken TOML file;
//  - a workspace database that is locked by another process or from a newer schema.

#include "audio/AudioFile.h"
#include "experiments/Database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <fstream>
#include <limits>

using namespace ssondo;

class tst_Robustness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void badClipsInADataset();
    void badTeachers_data();
    void badTeachers();
    void badConfig_data();
    void badConfig();
    void brokenToml();
    void lockedDatabase();
    void newerSchema();

private:
    int run(const QStringList& args, QByteArray* out = nullptr, QByteArray* err = nullptr,
            int timeoutMs = 600000);
    QJsonDocument json(const QStringList& args);
    QTemporaryDir m_dir;
    QString m_ws, m_data;
};

int tst_Robustness::run(const QStringList& args, QByteArray* out, QByteArray* err, int timeoutMs)
{
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -2;
    }
    if (out)
        *out = p.readAllStandardOutput();
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

QJsonDocument tst_Robustness::json(const QStringList& args)
{
    QByteArray out;
    [&] { QCOMPARE(run(QStringList{"-w", m_ws, "--json"} + args, &out), 0); }();
    return QJsonDocument::fromJson(out);
}

static void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

/// A 32-bit float WAV (format 3), written by hand: it can hold NaN.
static void writeFloatWav(const QString& path, const std::vector<float>& x, int rate)
{
    QByteArray b;
    auto u32 = [&](quint32 v) { b.append(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](quint16 v) { b.append(reinterpret_cast<const char*>(&v), 2); };
    const quint32 data = quint32(x.size() * 4);
    b.append("RIFF");
    u32(36 + data);
    b.append("WAVEfmt ");
    u32(16);
    u16(3); // IEEE float
    u16(1);
    u32(quint32(rate));
    u32(quint32(rate) * 4);
    u16(4);
    u16(32);
    b.append("data");
    u32(data);
    b.append(reinterpret_cast<const char*>(x.data()), int(data));
    writeBytes(path, b);
}

void tst_Robustness::initTestCase()
{
    m_data = m_dir.path() + "/data";
    m_ws = m_dir.path() + "/ws";
    QCOMPARE(run({"-q", "dataset", "synth", m_data, "--clips-per-class", "2", "--min-seconds", "1",
                  "--max-seconds", "1.5"}),
             0);
    const QString bad = m_data + "/bad/";
    QDir().mkpath(bad);
    writeBytes(bad + "empty.wav", "");
    writeBytes(bad + "notes.wav", "these are notes about the recordings, not audio\n");
    QByteArray noise;
    for (int i = 0; i < 8192; ++i)
        noise.append(char((i * 7919 + 13) & 0xff));
    writeBytes(bad + "noise.flac", noise);
    AudioFile::write((bad + "zero.wav").toStdString(), {}, 16000, 1);
    std::vector<float> nan(16000, std::numeric_limits<float>::quiet_NaN());
    writeFloatWav(bad + "nan.wav", nan, 16000);
    // A good file cut in the middle of its data.
    std::vector<float> tone(32000);
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = 0.3f * std::sin(0.05f * float(i));
    AudioFile::write((bad + "full.wav").toStdString(), tone, 16000, 1);
    QFile full(bad + "full.wav");
    QVERIFY(full.open(QIODevice::ReadOnly));
    writeBytes(bad + "truncated.wav", full.readAll().left(20000));
    full.remove();
    // Unusual but valid: 8 channels at 48 kHz, one channel at 384 kHz.
    std::vector<float> eight(48000 * 8);
    for (std::size_t i = 0; i < eight.size(); ++i)
        eight[i] = 0.2f * std::sin(0.01f * float(i / 8) * float(1 + i % 8));
    AudioFile::write((bad + "eight_channels.wav").toStdString(), eight, 48000, 8);
    std::vector<float> hi(384000);
    for (std::size_t i = 0; i < hi.size(); ++i)
        hi[i] = 0.2f * std::sin(0.002f * float(i));
    AudioFile::write((bad + "hi_rate.wav").toStdString(), hi, 384000, 1);

    QCOMPARE(run({"workspace", "init", m_ws}), 0);
}

void tst_Robustness::badClipsInADataset()
{
    QByteArray out, err;
    QCOMPARE(run({"-w", m_ws, "-q", "dataset", "add", m_data, "--name", "mixed", "--verify"}, &out, &err), 0);
    const QJsonObject ds = json({"dataset", "show", "mixed"}).object();
    QMap<QString, QString> why;
    for (const auto& u : ds["unreadable"].toArray())
        why[u.toObject()["path"].toString()] = u.toObject()["error"].toString();
    qInfo() << "unreadable at scan:" << why;
    for (const char* name : {"bad/empty.wav", "bad/notes.wav", "bad/noise.flac", "bad/zero.wav"})
        QVERIFY2(why.contains(name), name);
    QVERIFY(why["bad/empty.wav"].contains("empty"));
    QVERIFY(why["bad/zero.wav"].contains("zero-length"));
    QVERIFY(!why.contains("bad/eight_channels.wav"));
    QVERIFY(!why.contains("bad/hi_rate.wav"));

    // Extraction: every good clip embedded, every bad one recorded with its reason; exit 0.
    QCOMPARE(run({"-w", m_ws, "-q", "--json", "extract", "--dataset", "mixed"}, &out, &err), 0);
    const QJsonObject ex = QJsonDocument::fromJson(out.trimmed().split('\n').last()).object();
    const QJsonObject set =
        json({"embeddings", "show", QString::number(ex["embedding_set"].toInt())}).object();
    QMap<QString, QString> failed;
    for (const auto& e : set["errors"].toArray())
        failed[e.toObject()["clip"].toString()] = e.toObject()["error"].toString();
    qInfo() << "failed at extraction:" << failed;
    QVERIFY2(failed.contains("bad/nan.wav") && failed["bad/nan.wav"].contains("NaN"),
             qPrintable(failed["bad/nan.wav"]));
    QVERIFY(failed.contains("bad/truncated.wav") || !why.contains("bad/truncated.wav"));
    QVERIFY(!failed.contains("bad/eight_channels.wav"));
    QVERIFY(!failed.contains("bad/hi_rate.wav"));
    QCOMPARE(ex["done"].toInt() + ex["failed"].toInt(), ex["rows"].toInt());
    QCOMPARE(ex["done"].toInt(), 26 + 2 + (failed.contains("bad/truncated.wav") ? 0 : 1));
    // Training runs on the good clips only.
    QCOMPARE(run({"-w", m_ws, "-q", "train", "--dataset", "mixed", "--width", "0.4", "--clip-seconds", "1",
                  "--batch-size", "4", "--epochs", "1", "--samples-per-epoch", "8", "--workers", "1"},
                 &out, &err),
             0);
    // Exported, it says it was trained on 1 s windows (what the workbench's own evaluation uses).
    const QString exported = m_dir.path() + "/exported";
    QCOMPARE(run({"-w", m_ws, "-q", "export", "--run", "1", "--out", exported}), 0);
    QFile model(exported + "/model.json");
    QVERIFY(model.open(QIODevice::ReadOnly));
    const QJsonObject fe = QJsonDocument::fromJson(model.readAll()).object()["front_end"].toObject();
    QCOMPARE(fe["segment_seconds"].toDouble(), 1.0);
    QCOMPARE(fe["input_shape"].toArray().at(2).toInt(), 61); // 1 + (32000 − 1024) / 512
}

void tst_Robustness::badTeachers_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::newRow("not TorchScript") << "state_dict.pt"
                                     << "TorchScript";
    QTest::newRow("wrong rank") << "wrong_rank.pt"
                                << "wrong_rank.pt";
    QTest::newRow("NaN output") << "nan.pt"
                                << "NaN";
    QTest::newRow("not a model at all") << "../eval/probe_reference.json"
                                        << "probe_reference.json";
}

void tst_Robustness::badTeachers()
{
    QFETCH(QString, file);
    QFETCH(QString, message);
    const QString path = QStringLiteral(SSONDO_FIXTURE_DIR "/teachers/") + file;
    const QJsonArray before = json({"embeddings", "list"}).array();
    QByteArray out, err;
    QCOMPARE(run({"-w", m_ws, "-q", "extract", "--dataset", "mixed", "--teacher", path}, &out, &err), 1);
    QVERIFY2(err.contains(message.toUtf8()), err.constData());
    QVERIFY2(err.size() < 2000, "one clear message, not a LibTorch backtrace");
    // Nothing recorded for the bad teacher; the good set is untouched.
    const QJsonArray after = json({"embeddings", "list"}).array();
    QCOMPARE(after.size(), before.size());
    for (int i = 0; i < after.size(); ++i)
        QCOMPARE(after[i].toObject()["done"].toInt(), before[i].toObject()["done"].toInt());
}

void tst_Robustness::badConfig_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code"); // 2: the command line is wrong (a broken file is 1, brokenToml)
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << QStringList{"--set", "optim.learning_rate=1e-3"} << 2
                                 << "optim.learning_rate";
    QTest::newRow("lr out of range") << QStringList{"--lr", "5"} << 2 << "optim.lr";
    QTest::newRow("negative epochs") << QStringList{"--epochs", "-3"} << 2 << "train.epochs";
    QTest::newRow("unknown loss") << QStringList{"--loss", "hinge"} << 2 << "hinge";
    QTest::newRow("not a number") << QStringList{"--batch-size", "many"} << 2 << "many";
    QTest::newRow("--set without =") << QStringList{"--set", "optim.lr"} << 2 << "KEY=VALUE";
}

void tst_Robustness::badConfig()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    QByteArray out, err;
    QCOMPARE(run(QStringList{"-w", m_ws, "train", "--dataset", "mixed"} + args, &out, &err), code);
    QVERIFY2(err.contains(message.toUtf8()), err.constData());
}

void tst_Robustness::brokenToml()
{
    // A broken TOML file is named with its line and column.
    const QString toml = m_dir.path() + "/broken.toml";
    writeBytes(toml, "[optim]\nlr = 0.001\nschedule = \"cosine\n");
    QByteArray out, err;
    QCOMPARE(run({"-w", m_ws, "train", "-c", toml}, &out, &err), 1);
    QVERIFY2(err.contains("broken.toml:3:"), err.constData());
}

void tst_Robustness::lockedDatabase()
{
    // Another process holds the write lock: a writing command waits (busy timeout), then says so;
    // a reading command still reads (WAL).
    auto db = Database::open((m_ws + "/workspace.db").toStdString());
    db->exec("BEGIN EXCLUSIVE");
    QByteArray out, err;
    QElapsedTimer t;
    t.start();
    const int rc = run({"-w", m_ws, "runs", "tag", "1", "x"}, &out, &err, 120000);
    db->exec("ROLLBACK");
    qInfo("locked database: exit %d after %.1f s: %s", rc, t.elapsed() / 1000.0, err.trimmed().constData());
    QCOMPARE(rc, 1);
    QVERIFY2(err.contains("locked") || err.contains("busy"), err.constData());
    QVERIFY2(err.contains("workspace.db"), err.constData());
    // Nothing was lost: the run is still there and the database is intact.
    QCOMPARE(run({"-w", m_ws, "runs", "tag", "1", "x"}), 0);
    QCOMPARE(json({"runs", "list"}).array().size(), 1);
}

void tst_Robustness::newerSchema()
{
    const QString copy = m_dir.path() + "/newer";
    QCOMPARE(run({"workspace", "init", copy}), 0);
    {
        auto db = Database::open((copy + "/workspace.db").toStdString());
        db->exec("PRAGMA user_version = 999");
    }
    QByteArray out, err;
    QCOMPARE(run({"-w", copy, "dataset", "list"}, &out, &err), 1);
    QVERIFY2(err.contains("newer"), err.constData());
    QVERIFY2(err.contains("999"), err.constData());
}

QTEST_GUILESS_MAIN(tst_Robustness)
#include "tst_Robustness.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Misbehaving teachers, through the real `ssondo extract`: TorchScript teachers made by the test
// with Debian's python3-torch (tests/tools/make_fuzz_teachers.py) that raise on some inputs or
// after a few batches, return NaN or Inf rows, change dimension, dtype, rank or batch size
// mid-run, return float64, float16 or int tensors, non-contiguous tensors, a tuple or a dict, a
// 0-d or 3-d tensor, or are slow. For each: the process exits 0 or 1 (never aborts), names the
// teacher, says what is wrong, keeps what was embedded before, and leaves a database that passes
// PRAGMA integrity_check. The dataset has 13 synthetic clips and 5 silent ones, batches of 4.

#include "experiments/Database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_TeacherFuzz : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void extract_data();
    void extract();
    void failedTeacherResumesWhereItStopped();
    void emptySetIsMarkedRefusedAndRemovable();

private:
    struct Result
    {
        int code = -1;
        QByteArray out, err;
    };
    Result ssondo(const QStringList& args) const;
    QJsonArray sets() const;
    QJsonObject setOf(const QString& teacher) const;
    QString teacher(const QString& name) const { return m_dir.path() + "/teachers/" + name + ".pt"; }
    void checkIntegrity() const;

    QTemporaryDir m_dir;
    QString m_ws;
    static constexpr int kClips = 18, kSilent = 5;
};

tst_TeacherFuzz::Result tst_TeacherFuzz::ssondo(const QStringList& args) const
{
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), QStringList{"-w", m_ws} + args);
    Result r;
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    // A crash (abort, segfault) is not an exit code: -1 says the process did not exit by itself.
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
}

QJsonArray tst_TeacherFuzz::sets() const
{
    return QJsonDocument::fromJson(ssondo({"--json", "embeddings", "list"}).out).array();
}

QJsonObject tst_TeacherFuzz::setOf(const QString& file) const
{
    for (const auto& s : sets())
        if (s.toObject()["teacher_source"].toString() == file)
            return s.toObject();
    return {};
}

void tst_TeacherFuzz::checkIntegrity() const
{
    auto db = Database::open((m_ws + "/workspace.db").toStdString());
    auto s = db->prepare("PRAGMA integrity_check");
    QVERIFY(s.step());
    QCOMPARE(QString::fromStdString(s.columnText(0)), QStringLiteral("ok"));
}

void tst_TeacherFuzz::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QProcess py;
    py.start("/usr/bin/python3",
             {SSONDO_SOURCE_DIR "/tests/tools/make_fuzz_teachers.py", m_dir.path() + "/teachers"});
    QVERIFY(py.waitForFinished(120000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());

    const QString data = m_dir.path() + "/data";
    m_ws = m_dir.path() + "/ws";
    QCOMPARE(ssondo({"-q", "dataset", "synth", data, "--clips-per-class", "1", "--min-seconds", "1",
                     "--max-seconds", "1.5"})
                 .code,
             0);
    // Five silent clips: 1 s of digital silence at 16 kHz (a teacher's "quiet input").
    QDir().mkpath(data + "/silent");
    for (int i = 0; i < kSilent; ++i) {
        QFile f(data + QStringLiteral("/silent/silence_%1.wav").arg(i));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray wav("RIFF");
        auto u32 = [&](quint32 v) { wav.append(reinterpret_cast<const char*>(&v), 4); };
        auto u16 = [&](quint16 v) { wav.append(reinterpret_cast<const char*>(&v), 2); };
        u32(36 + 32000);
        wav.append("WAVEfmt ");
        u32(16), u16(1), u16(1), u32(16000), u32(32000), u16(2), u16(16);
        wav.append("data");
        u32(32000);
        wav.append(QByteArray(32000, '\0'));
        f.write(wav);
    }
    QCOMPARE(ssondo({"workspace", "init", m_ws}).code, 0);
    QCOMPARE(ssondo({"-q", "dataset", "add", data, "--name", "fuzz", "--labels", "none"}).code, 0);
}

void tst_TeacherFuzz::extract_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("code");      // expected exit code
    QTest::addColumn<QString>("says");  // in stderr or in the failures of the set
    QTest::addColumn<int>("done");      // rows embedded: exact, or -1 for "some but not all"
    QTest::addColumn<int>("failed");    // rows failed: exact, or -1 for "some"
    QTest::addColumn<bool>("recorded"); // an embedding set is recorded
    // Per-clip failures: the job goes on, the clips are recorded as failed with the reason.
    QTest::newRow("raises on silent input")
        << "raises_on_silence" << 0 << "cannot embed silent input" << 13 << 5 << true;
    QTest::newRow("NaN on silent input") << "nan_on_silence" << 0 << "NaN or infinite" << 13 << 5 << true;
    QTest::newRow("Inf on silent input") << "inf_on_silence" << 0 << "NaN or infinite" << 13 << 5 << true;
    QTest::newRow("fails halfway") << "fails_halfway" << 0 << "simulated" << -1 << -1 << true;
    // The contract broken mid-run: the job stops naming the batch; rows before it stay saved.
    QTest::newRow("dimension changes") << "dim_changes_later" << 1 << "dimension 24" << -1 << 0 << true;
    QTest::newRow("dtype changes") << "dtype_changes_later" << 1
                                   << "returned Double where its first output was Float" << -1 << 0 << true;
    QTest::newRow("rank changes") << "rank_changes_later" << 1 << "rank 3" << -1 << 0 << true;
    QTest::newRow("batch size changes") << "wrong_batch_later" << 1 << "for a batch of" << -1 << 0 << true;
    // Unusual but usable outputs: converted to contiguous float32.
    QTest::newRow("float64") << "float64" << 0 << "float64.pt" << kClips << 0 << true;
    QTest::newRow("float16") << "float16" << 0 << "float16.pt" << kClips << 0 << true;
    QTest::newRow("non-contiguous") << "non_contiguous" << 0 << "non_contiguous.pt" << kClips << 0 << true;
    QTest::newRow("tuple") << "tuple" << 0 << "tuple.pt" << kClips << 0 << true;
    QTest::newRow("slow") << "slow" << 0 << "slow.pt" << kClips << 0 << true;
    // Refused when the file is opened: nothing recorded.
    QTest::newRow("int64") << "int64" << 1 << "Long tensors; embeddings must be floating point" << 0 << 0
                           << false;
    QTest::newRow("dict") << "dict" << 1 << "Dict" << 0 << 0 << false;
    QTest::newRow("0-d tensor") << "zero_d" << 1 << "rank 0" << 0 << 0 << false;
    QTest::newRow("3-d tensor") << "three_d" << 1 << "rank 3" << 0 << 0 << false;
}

void tst_TeacherFuzz::extract()
{
    QFETCH(QString, name);
    QFETCH(int, code);
    QFETCH(QString, says);
    QFETCH(int, done);
    QFETCH(int, failed);
    QFETCH(bool, recorded);
    const int setsBefore = int(sets().size());
    const Result r = ssondo(
        {"extract", "--dataset", "fuzz", "--teacher", teacher(name), "--batch-size", "4", "--workers", "1"});
    qInfo("%s: exit %d: %s", qPrintable(name), r.code, r.err.right(300).trimmed().constData());
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains((name + ".pt").toUtf8()), "the message names the teacher");
    QVERIFY2(r.err.size() < 6000, "messages, not a LibTorch backtrace");
    checkIntegrity();

    const QJsonObject set = setOf(teacher(name));
    QCOMPARE(!set.isEmpty(), recorded);
    QCOMPARE(int(sets().size()), setsBefore + (recorded ? 1 : 0));
    if (!recorded) {
        QVERIFY2(r.err.contains(says.toUtf8()), r.err.constData());
        return;
    }
    const QJsonObject shown =
        QJsonDocument::fromJson(
            ssondo({"--json", "embeddings", "show", QString::number(set["id"].toInt())}).out)
            .object();
    QString failures;
    for (const auto& e : shown["errors"].toArray())
        failures += e.toObject()["error"].toString() + "\n";
    QVERIFY2(r.err.contains(says.toUtf8()) || failures.contains(says), qPrintable(r.err + failures));
    if (done >= 0)
        QCOMPARE(set["done"].toInt(), done);
    else
        QVERIFY2(set["done"].toInt() > 0 && set["done"].toInt() < kClips,
                 qPrintable(QString::number(set["done"].toInt())));
    if (failed >= 0)
        QCOMPARE(set["failed"].toInt(), failed);
    else
        QVERIFY(set["failed"].toInt() > 0);
    QCOMPARE(set["state"].toString(), QStringLiteral("ready"));
}

void tst_TeacherFuzz::failedTeacherResumesWhereItStopped()
{
    // dim_changes_later breaks its contract after two batches in every process: each run of the
    // same command keeps what the previous ones saved and adds two batches more.
    const QString t = teacher("dim_changes_later");
    const int before = setOf(t)["done"].toInt();
    QVERIFY(before > 0);
    const Result r =
        ssondo({"extract", "--dataset", "fuzz", "--teacher", t, "--batch-size", "4", "--workers", "1"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("in batch 3"), r.err.constData());
    const int after = setOf(t)["done"].toInt();
    QVERIFY2(after > before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    checkIntegrity();
}

void tst_TeacherFuzz::emptySetIsMarkedRefusedAndRemovable()
{
    const QString t = teacher("always_fails_after_probe");
    const Result r =
        ssondo({"extract", "--dataset", "fuzz", "--teacher", t, "--batch-size", "4", "--workers", "1"});
    QCOMPARE(r.code, 0); // the job ran to its end: every clip was tried and recorded
    const QJsonObject set = setOf(t);
    QCOMPARE(set["done"].toInt(), 0);
    QCOMPARE(set["failed"].toInt(), kClips);
    QCOMPARE(set["state"].toString(), QStringLiteral("empty"));
    QVERIFY2(set["reason"].toString().contains("none of the 18 clips"), qPrintable(set["reason"].toString()));
    QVERIFY2(set["reason"].toString().contains("corrupted (simulated)"),
             qPrintable(set["reason"].toString()));
    const QString id = QString::number(set["id"].toInt());

    // Never offered: clustering, maps and training on it are refused with the reason.
    for (const QStringList& use :
         {QStringList{"cluster", "--embeddings", id, "--k", "2"}, QStringList{"map", "--embeddings", id},
          QStringList{"train", "--embeddings", id, "--epochs", "1"}}) {
        const Result u = ssondo(use);
        QCOMPARE(u.code, 1);
        QVERIFY2(u.err.contains("no embedded clip") && u.err.contains("embeddings remove " + id.toUtf8()),
                 u.err.constData());
    }
    // Removed with its files.
    const QString folder = m_ws + "/" + set["path"].toString();
    QVERIFY(QFileInfo::exists(folder));
    QCOMPARE(ssondo({"embeddings", "remove", id}).code, 0);
    QVERIFY(!QFileInfo::exists(folder));
    QVERIFY(setOf(t).isEmpty());
    checkIntegrity();
    const Result again = ssondo({"embeddings", "remove", id});
    QCOMPARE(again.code, 1);
    QVERIFY2(again.err.contains("no embedding set " + id.toUtf8()), again.err.constData());
}

QTEST_GUILESS_MAIN(tst_TeacherFuzz)
#include "tst_TeacherFuzz.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The ssondo command line as a user types it: exit codes, --json output, dataset add/show.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

class tst_Cli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void datasetAddAndShow();
    void exitCodes_data();
    void exitCodes();
    void jsonLinesStream();
    void studentsJson();
    void demoMakesEmbeddings();
    void embeddingsExportRoundTrips();

private:
    struct Result
    {
        int code;
        QByteArray out, err;
    };
    Result run(const QStringList& args, const QString& cwd = {});
    QTemporaryDir m_dir;
    QString m_ws, m_data;
};

tst_Cli::Result tst_Cli::run(const QStringList& args, const QString& cwd)
{
    QProcess p;
    if (!cwd.isEmpty())
        p.setWorkingDirectory(cwd);
    p.start(QStringLiteral(SSONDO_CLI_PATH), args);
    if (!p.waitForFinished(120000))
        qFatal("ssondo did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

void tst_Cli::initTestCase()
{
    m_ws = m_dir.path() + "/ws";
    m_data = m_dir.path() + "/data";
    QCOMPARE(run({"workspace", "init", m_ws}).code, 0);
    const auto r = run({"--quiet", "dataset", "synth", m_data, "--clips-per-class", "3", "--min-seconds",
                        "0.5", "--max-seconds", "1"});
    QCOMPARE(r.code, 0);
    QFile(m_data + "/organ/corrupt.wav").open(QIODevice::WriteOnly); // an empty file among good ones
}

void tst_Cli::exitCodes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("stderrHas");
    QTest::newRow("help") << QStringList{"--help"} << 0 << "";
    QTest::newRow("dataset add --help") << QStringList{"dataset", "add", "--help"} << 0 << "";
    QTest::newRow("version") << QStringList{"--version"} << 0 << "";
    QTest::newRow("no subcommand") << QStringList{} << 2 << "subcommand";
    QTest::newRow("unknown flag") << QStringList{"dataset", "list", "--bogus"} << 2 << "bogus";
    QTest::newRow("bad --labels value")
        << QStringList{"-w", "WS", "dataset", "add", "DATA", "--labels", "tags"} << 2 << "tags";
    QTest::newRow("missing folder") << QStringList{"-w", "WS", "dataset", "add", "/no/such/folder"} << 2
                                    << "/no/such/folder";
    QTest::newRow("no workspace") << QStringList{"-w", "/tmp/definitely-not-a-workspace", "dataset", "list"}
                                  << 1 << "not a workspace";
    QTest::newRow("unknown dataset") << QStringList{"-w", "WS", "dataset", "show", "nope"} << 1
                                     << "no dataset 'nope'";
    QTest::newRow("extract unknown teacher")
        << QStringList{"-w", "WS", "extract", "--dataset", "synth", "--teacher", "/no/teacher.pt"} << 1
        << "/no/teacher.pt: no such teacher";
    QTest::newRow("train unknown key")
        << QStringList{"-w", "WS", "train", "--dataset", "synth", "--set", "optim.learning_rate=1"} << 2
        << "unknown config key 'optim.learning_rate'";
    // A value on the command line that is refused is a usage error (2), as util/Error.h says.
    QTest::newRow("train bad value") << QStringList{"-w", "WS", "train", "--dataset", "synth", "--lr", "7"}
                                     << 2 << "optim.lr must be in (0, 1)";
    QTest::newRow("train without embeddings") << QStringList{"-w", "WS", "train", "--dataset", "nodata"} << 1
                                              << "no teacher embeddings for dataset 'nodata'";
    QTest::newRow("train print-config")
        << QStringList{"train", "--dataset", "x", "--print-config"} << 0 << "rampdown_start = 80";
}

void tst_Cli::exitCodes()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, stderrHas);
    args.replaceInStrings("WS", m_ws);
    args.replaceInStrings("DATA", m_data);
    const auto r = run(args);
    QVERIFY2(r.code == code, qPrintable(QString("exit %1, stderr: %2").arg(r.code).arg(QString(r.err))));
    QVERIFY2(QString(r.err + r.out).contains(stderrHas), r.err.constData());
}

void tst_Cli::datasetAddAndShow()
{
    const auto add = run({"-w", m_ws, "--quiet", "dataset", "add", m_data, "--name", "synth", "--csv",
                          m_data + "/labels.csv"});
    QVERIFY2(add.code == 0, add.err.constData());
    QVERIFY(add.out.contains("Dataset 'synth'"));
    QVERIFY(add.out.contains("1 unreadable"));
    QVERIFY(add.out.contains("organ/corrupt.wav"));

    const auto show = run({"-w", m_ws, "--json", "dataset", "show", "synth"});
    QCOMPARE(show.code, 0);
    const QJsonObject j = QJsonDocument::fromJson(show.out).object();
    QCOMPARE(j["name"].toString(), QString("synth"));
    QCOMPARE(j["clips"].toInt(), 13 * 3);
    QCOMPARE(j["unreadable_count"].toInt(), 1);
    QCOMPARE(j["labels"].toObject().size(), 13);
    QCOMPARE(j["unreadable"].toArray().at(0).toObject()["path"].toString(), QString("organ/corrupt.wav"));
    QVERIFY(j["total_seconds"].toDouble() > 13 * 3 * 0.5);

    // The workspace is found from $SSONDO_WORKSPACE or the current folder too.
    const auto list = run({"--json", "dataset", "list"}, m_ws);
    QCOMPARE(list.code, 0);
    QCOMPARE(QJsonDocument::fromJson(list.out).array().at(0).toObject()["name"].toString(), QString("synth"));
}

void tst_Cli::studentsJson()
{
    const auto r = run({"--json", "students"});
    QCOMPARE(r.code, 0);
    const QJsonObject mn10 = QJsonDocument::fromJson(r.out).array().at(0).toObject();
    QCOMPARE(mn10["name"].toString(), QString("mn10"));
    QCOMPARE(mn10["parameters"].toInteger(), qint64(2971664));
    QCOMPARE(mn10["embedding_dim"].toInt(), 960);
    QCOMPARE(mn10["input_shape"].toArray().at(2).toInt(), 624);
}

void tst_Cli::demoMakesEmbeddings()
{
    const QString ws = m_dir.path() + "/demo";
    const auto r = run({"--quiet", "demo", ws, "--clips-per-class", "2", "--data-only"});
    QVERIFY2(r.code == 0, r.err.constData());
    const auto sets = run({"-w", ws, "--json", "embeddings", "list"});
    const QJsonObject set = QJsonDocument::fromJson(sets.out).array().at(0).toObject();
    QCOMPARE(set["done"].toInt(), 26);
    QCOMPARE(set["dim"].toInt(), 3840);
    QVERIFY(set["teacher"].toString().contains("NOT a pretrained model"));
    // Running the demo again reuses everything.
    QCOMPARE(run({"--quiet", "demo", ws, "--clips-per-class", "2", "--data-only"}).code, 0);
    QCOMPARE(QJsonDocument::fromJson(run({"-w", ws, "--json", "embeddings", "list"}).out).array().size(), 1);
}

void tst_Cli::embeddingsExportRoundTrips()
{
    // The demo workspace's set: its data file is a .npy NumPy maps as it is; exported as a matrix
    // or as the reference's per-clip .npz files, it reads back (NumPy, and ssondo as precomputed
    // embeddings) with the same values, bit for bit (float32 bytes are copied).
    const QString ws = m_dir.path() + "/demo";
    const QJsonObject set =
        QJsonDocument::fromJson(run({"-w", ws, "--json", "embeddings", "list"}).out).array().at(0).toObject();
    const QString store = ws + "/" + set["path"].toString();
    QVERIFY(QFileInfo::exists(store + "/data.npy"));
    const QString npy = m_dir.path() + "/exported/demo.npy", npz = m_dir.path() + "/exported/npz";
    QDir().mkpath(m_dir.path() + "/exported");
    QCOMPARE(run({"-w", ws, "embeddings", "export", "1", "--format", "npy", "--out", npy}).code, 0);
    QCOMPARE(run({"-w", ws, "embeddings", "export", "1", "--format", "npz", "--out", npz}).code, 0);
    QProcess py;
    py.start(
        "/usr/bin/python3",
        {"-c",
         "import csv, glob, os, sys, numpy as np\n"
         "store, npy, npz = sys.argv[1:4]\n"
         "data = np.load(store + '/data.npy', mmap_mode='r')\n"
         "x = np.load(npy)\n"
         "paths = [r['path'] for r in csv.DictReader(open(npy[:-4] + '.csv'))]\n"
         "assert x.shape == (26, 3840) and data.shape == (26, 3840) and len(paths) == 26, (x.shape, data.shape)\n"
         "assert (x == data).all()\n"
         "for i, p in enumerate(paths):\n"
         "    f = glob.glob(npz + '/*/' + os.path.splitext(os.path.basename(p))[0] + '.npz')\n"
         "    assert len(f) == 1, (p, f)\n"
         "    e = np.load(f[0])['embed']\n"
         "    assert e.shape == (3840,) and (e == x[i]).all(), p\n"
         "print('ok')\n",
         store, npy, npz});
    QVERIFY(py.waitForFinished(60000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
    // ... and ssondo reads both back as precomputed teacher embeddings: the same rows.
    for (const QStringList& teacher :
         {QStringList{"--teacher", npy, "--teacher-index", npy.chopped(4) + ".csv"},
          QStringList{"--teacher", npz}}) {
        const auto r = run(QStringList{"-w", ws, "--json", "-q", "extract", "--dataset", "demo"} + teacher);
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject res = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
        QCOMPARE(res["done"].toInt(), 26);
        QCOMPARE(res["failed"].toInt(), 0);
    }
}

void tst_Cli::jsonLinesStream()
{
    const auto r = run({"-w", m_ws, "--json", "dataset", "add", m_data, "--name", "again"});
    QCOMPARE(r.code, 0);
    const auto lines = r.out.trimmed().split('\n');
    QVERIFY(lines.size() >= 2);
    bool sawProgress = false;
    for (const auto& line : lines) {
        QJsonParseError err;
        const QJsonObject o = QJsonDocument::fromJson(line, &err).object();
        QVERIFY2(err.error == QJsonParseError::NoError, line.constData());
        sawProgress |= o["type"].toString() == "progress";
    }
    QVERIFY(sawProgress);
    const QJsonObject result = QJsonDocument::fromJson(lines.last()).object();
    QCOMPARE(result["type"].toString(), QString("result"));
    QCOMPARE(result["name"].toString(), QString("again"));
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_Cli.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The standard datasets as downloaded: each layout is read from a miniature in its real format
// (metadata files with the real names, columns, separators, quoting and header conventions, made
// by tests/tools/make_dataset_layouts.py next to an expected.json), and its labels, folds,
// splits, masks, unreadable files, class vocabulary and protocol are checked against that answer.
// Also: a column-mismatched CSV (ESC-50's own file read as path,label) is warned about, the same
// file read by column names gives the categories, a HEAR timestamp task is refused with a reason,
// and a layout's protocol and masks survive the workspace database.

#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/layouts/DatasetLayout.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <algorithm>
#include <map>
#include <sstream>

using namespace ssondo;

class tst_DatasetLayouts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void layout_data();
    void layout();
    void positionalCsvOfEsc50IsWarnedAbout();
    void csvByColumnNames();
    void timestampTaskIsRefused();
    void protocolAndMasksAreStored();

private:
    std::string root(const QString& layout) const { return (m_dir.path() + "/" + layout).toStdString(); }
    QJsonObject expected(const QString& layout) const;
    QTemporaryDir m_dir;
};

void tst_DatasetLayouts::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QProcess py;
    py.start("/usr/bin/python3", {SSONDO_SOURCE_DIR "/tests/tools/make_dataset_layouts.py", m_dir.path()});
    QVERIFY(py.waitForFinished(120000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
}

QJsonObject tst_DatasetLayouts::expected(const QString& layout) const
{
    QFile f(m_dir.path() + "/" + layout + "/expected.json");
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

namespace {

std::vector<std::string> strings(const QJsonValue& v)
{
    std::vector<std::string> out;
    for (const auto& x : v.toArray())
        out.push_back(x.toString().toStdString());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> split(const std::string& joined)
{
    std::vector<std::string> out;
    std::string part;
    std::stringstream ss(joined);
    while (std::getline(ss, part, ';'))
        if (!part.empty())
            out.push_back(part);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

void tst_DatasetLayouts::layout_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("format"); // the layout detection must find
    QTest::newRow("ESC-50") << "esc50"
                            << "esc50";
    QTest::newRow("UrbanSound8K") << "urbansound8k"
                                  << "urbansound8k";
    QTest::newRow("GTZAN + filtered split") << "gtzan"
                                            << "gtzan";
    QTest::newRow("GTZAN, .au, no lists") << "gtzan_nosplit"
                                          << "gtzan";
    QTest::newRow("NSynth") << "nsynth"
                            << "nsynth";
    QTest::newRow("FSD50K") << "fsd50k"
                            << "fsd50k";
    QTest::newRow("OpenMIC-2018") << "openmic"
                                  << "openmic";
    QTest::newRow("MagnaTagATune") << "magnatagatune"
                                   << "magnatagatune";
    QTest::newRow("HEAR k-fold") << "hear_scene_kfold"
                                 << "hear";
    QTest::newRow("HEAR multi-label") << "hear_scene_multilabel"
                                      << "hear";
}

void tst_DatasetLayouts::layout()
{
    QFETCH(QString, folder);
    QFETCH(QString, format);
    const QJsonObject want = expected(folder);
    QVERIFY(!want.isEmpty());

    const ScanOptions o = detectScanOptions(root(folder), ScanOptions{});
    QCOMPARE(o.labels, LabelSource::Layout);
    QCOMPARE(QString::fromStdString(o.layout), format);
    const DatasetScan scan = DatasetScanner::scan(root(folder), o);

    // Protocol.
    const QString evaluation = want["protocol"].isNull() ? "stratified" : want["protocol"].toString();
    QCOMPARE(QString::fromStdString(scan.protocol.evaluation), evaluation);
    QCOMPARE(QString::fromStdString(scan.protocol.metric), want["metric"].toString());
    QCOMPARE(scan.protocol.multiLabel, want["multilabel"].toBool());
    QCOMPARE(scan.protocol.masked, folder == "openmic");
    std::vector<std::string> classes = scan.protocol.classes;
    std::sort(classes.begin(), classes.end());
    QCOMPARE(classes, strings(want["class_names"]));

    // Every clip, as the dataset's documentation says.
    std::map<std::string, const ClipInfo*> byPath;
    for (const auto& c : scan.clips)
        byPath[c.path] = &c;
    const QJsonArray clips = want["clips"].toArray();
    QCOMPARE(scan.clips.size(), std::size_t(clips.size()));
    for (const auto& v : clips) {
        const QJsonObject e = v.toObject();
        const std::string path = e["path"].toString().toStdString();
        QVERIFY2(byPath.count(path), path.c_str());
        const ClipInfo& c = *byPath[path];
        QVERIFY2(c.readable() == e["readable"].toBool(true), (path + ": " + c.error).c_str());
        if (e.contains("excluded")) { // outside the protocol: never trained on or tested
            QVERIFY2(c.split.empty() && c.fold < 0, path.c_str());
            continue;
        }
        QCOMPARE(split(c.label), strings(e["labels"]));
        QCOMPARE(c.fold, e["fold"].isNull() ? -1 : e["fold"].toInt());
        QCOMPARE(QString::fromStdString(c.split), e["split"].toString());
        if (e.contains("mask"))
            QCOMPARE(split(c.known), strings(e["mask"]));
        else
            QVERIFY(c.known.empty());
    }
}

void tst_DatasetLayouts::positionalCsvOfEsc50IsWarnedAbout()
{
    const std::string r = root("esc50_as_plain_csv");
    ScanOptions o;
    o.labels = LabelSource::Csv;
    o.csvPath = r + "/meta/esc50.csv";
    const DatasetScan scan = DatasetScanner::scan(r, o);
    const bool warned = std::any_of(scan.warnings.begin(), scan.warnings.end(), [](const std::string& w) {
        return w.find("'fold'") != std::string::npos && w.find("--label-column") != std::string::npos;
    });
    QVERIFY2(warned, scan.warnings.empty() ? "no warning" : scan.warnings.front().c_str());

    // A label file without a header whose second column holds fold numbers.
    QFile f(m_dir.path() + "/folds-as-labels.csv");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("1-100032-A-0.wav,1\n2-114280-A-0.wav,2\n1-100038-A-14.wav,1\n4-175945-A-14.wav,4\n");
    f.close();
    o.csvPath = f.fileName().toStdString();
    const DatasetScan plain = DatasetScanner::scan(r, o);
    QVERIFY(std::any_of(plain.warnings.begin(), plain.warnings.end(),
                        [](const std::string& w) { return w.find("fold numbers") != std::string::npos; }));
}

void tst_DatasetLayouts::csvByColumnNames()
{
    const std::string r = root("esc50_as_plain_csv");
    ScanOptions o;
    o.labels = LabelSource::Csv;
    o.csvPath = r + "/meta/esc50.csv";
    o.csvColumns = CsvColumns{"filename", "category", "fold", "", ";"};
    // The file names of the CSV are found in audio/, where they are unique.
    const DatasetScan scan = DatasetScanner::scan(r, o);
    const QJsonArray clips = expected("esc50_as_plain_csv")["clips"].toArray();
    QCOMPARE(scan.clips.size(), std::size_t(clips.size()));
    for (const auto& v : clips) {
        const QJsonObject e = v.toObject();
        const std::string name = e["path"].toString().toStdString();
        const auto it = std::find_if(scan.clips.begin(), scan.clips.end(),
                                     [&](const ClipInfo& c) { return c.path == name; });
        QVERIFY2(it != scan.clips.end(), name.c_str());
        QVERIFY2(it->readable(), it->error.c_str());
        QCOMPARE(split(it->label), strings(e["labels"]));
        QCOMPARE(it->fold, e["fold"].toInt());
    }
    QVERIFY(std::none_of(scan.warnings.begin(), scan.warnings.end(),
                         [](const std::string& w) { return w.find("fold") != std::string::npos; }));

    o.csvColumns->label = "no_such_column";
    try {
        DatasetScanner::scan(r, o);
        QFAIL("a missing column was accepted");
    } catch (const InputError& e) {
        QVERIFY2(QString(e.what()).contains("no column 'no_such_column'"), e.what());
    }
}

void tst_DatasetLayouts::timestampTaskIsRefused()
{
    const ScanOptions o = detectScanOptions(root("hear_timestamp"), ScanOptions{});
    QCOMPARE(QString::fromStdString(o.layout), QString("hear"));
    try {
        DatasetScanner::scan(root("hear_timestamp"), o);
        QFAIL("a timestamp task was read");
    } catch (const InputError& e) {
        QVERIFY2(QString(e.what()).contains("timestamp"), e.what());
    }
}

void tst_DatasetLayouts::protocolAndMasksAreStored()
{
    QTemporaryDir wsDir;
    const ScanOptions o = detectScanOptions(root("openmic"), ScanOptions{});
    const DatasetScan scan = DatasetScanner::scan(root("openmic"), o);
    {
        auto ws = Workspace::create(wsDir.path().toStdString());
        DatasetCatalog(ws->database()).save("openmic", scan, o);
    }
    auto ws = Workspace::open(wsDir.path().toStdString(), true);
    DatasetCatalog cat(ws->database());
    const DatasetRecord rec = cat.get("openmic");
    QCOMPARE(rec.labelSource, LabelSource::Layout);
    QCOMPARE(rec.layout, std::string("openmic"));
    QCOMPARE(rec.protocol.toJson(), scan.protocol.toJson());
    QCOMPARE(rec.scanOptions().layout, std::string("openmic"));
    const auto clips = cat.clips(rec.id);
    QCOMPARE(clips.size(), scan.clips.size());
    for (std::size_t i = 0; i < clips.size(); ++i) {
        QCOMPARE(clips[i].known, scan.clips[i].known);
        QCOMPARE(clips[i].split, scan.clips[i].split);
    }
    QVERIFY(!clips.front().known.empty());
}

QTEST_GUILESS_MAIN(tst_DatasetLayouts)
#include "tst_DatasetLayouts.moc"

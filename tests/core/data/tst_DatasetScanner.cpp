// SPDX-License-Identifier: GPL-3.0-or-later
// Scanning a folder of real files: labels from folders and CSV, folds and splits, unreadable files
// reported (not fatal), the content version, and the catalog round trip through SQLite.

#include "audio/AudioFile.h"
#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace ssondo;
namespace fs = std::filesystem;

class tst_DatasetScanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void labels_data();
    void labels();
    void unreadableFilesAreListed();
    void versionFollowsContent();
    void splitsFromFolders();
    void catalogRoundTrip();
    void stopTokenStops();

private:
    QTemporaryDir m_dir;
    std::string m_root;
    std::string m_flute;
};

void tst_DatasetScanner::initTestCase()
{
    m_root = (m_dir.path() + "/data").toStdString();
    DemoDatasetOptions o;
    o.clipsPerClass = 4;
    o.minSeconds = 0.3;
    o.maxSeconds = 0.6;
    DemoDataset::generate(m_root, o);
    // Bad files next to good ones.
    std::ofstream(m_root + "/organ/broken.wav") << "RIFF garbage";
    std::ofstream(m_root + "/organ/empty.flac");
    std::ofstream(m_root + "/readme.txt") << "not audio, not scanned";
    // A multi-label CSV beside the demo's own labels.csv.
    // A multi-label CSV beside the demo's own labels.csv; one row names a clip by its bare file name.
    std::string flute;
    for (const auto& e : fs::directory_iterator(m_root + "/flute"))
        if (e.path().filename().string().rfind("flute_001", 0) == 0)
            flute = e.path().filename().string();
    QVERIFY(!flute.empty());
    m_flute = "flute/" + flute;
    std::ofstream csv(m_root + "/multi.csv");
    csv << "path,label,fold\n\"organ/organ_000.wav\",\"harmonic;sustained\",2\n"
        << flute << ",breathy,1\nmissing.wav,x,0\n";
}

void tst_DatasetScanner::labels_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("clip");
    QTest::addColumn<QString>("label");
    QTest::addColumn<int>("fold");
    QTest::newRow("folders") << "folders"
                             << "pluck/pluck_002.wav"
                             << "pluck" << -1;
    QTest::newRow("demo csv") << "labels.csv"
                              << "pluck/pluck_002.wav"
                              << "pluck" << 2;
    QTest::newRow("csv quoted multi-label") << "multi.csv"
                                            << "organ/organ_000.wav"
                                            << "harmonic;sustained" << 2;
    QTest::newRow("csv by bare file name") << "multi.csv"
                                           << "FLUTE"
                                           << "breathy" << 1;
    QTest::newRow("csv, clip not listed") << "multi.csv"
                                          << "pluck/pluck_002.wav"
                                          << "" << -1;
    QTest::newRow("none") << "none"
                          << "pluck/pluck_002.wav"
                          << "" << -1;
}

void tst_DatasetScanner::labels()
{
    QFETCH(QString, source);
    QFETCH(QString, clip);
    QFETCH(QString, label);
    QFETCH(int, fold);
    if (clip == "FLUTE")
        clip = QString::fromStdString(m_flute);
    ScanOptions o;
    if (source == "folders")
        o.labels = LabelSource::Folders;
    else if (source == "none")
        o.labels = LabelSource::None;
    else {
        o.labels = LabelSource::Csv;
        o.csvPath = m_root + "/" + source.toStdString();
    }
    const DatasetScan scan = DatasetScanner::scan(m_root, o);
    const int classes = int(DemoDataset::classNames().size());
    QCOMPARE(int(scan.clips.size()), classes * 4 + 2); // + broken.wav, empty.flac; readme.txt ignored
    auto it = std::find_if(scan.clips.begin(), scan.clips.end(),
                           [&](const ClipInfo& c) { return c.path == clip.toStdString(); });
    QVERIFY(it != scan.clips.end());
    QCOMPARE(QString::fromStdString(it->label), label);
    QCOMPARE(it->fold, fold);
    if (source == "multi.csv") {
        QVERIFY(std::any_of(scan.warnings.begin(), scan.warnings.end(),
                            [](const std::string& w) { return w.find("missing.wav") != std::string::npos; }));
        QVERIFY(DatasetSummary::of(scan.clips).multiLabel);
    }
}

void tst_DatasetScanner::unreadableFilesAreListed()
{
    const DatasetScan scan = DatasetScanner::scan(m_root, {});
    const DatasetSummary s = DatasetSummary::of(scan.clips);
    QCOMPARE(s.unreadable, std::int64_t(2));
    QCOMPARE(s.clips, std::int64_t(DemoDataset::classNames().size() * 4));
    for (const auto& c : scan.clips) {
        if (c.path == "organ/broken.wav")
            QVERIFY2(c.error.find("cannot decode") != std::string::npos, c.error.c_str());
        if (c.path == "organ/empty.flac")
            QVERIFY2(c.error.find("empty") != std::string::npos, c.error.c_str());
    }
    QCOMPARE(s.labels.at("organ"), std::int64_t(4)); // unreadable clips are not counted
    QVERIFY(s.sampleRates.size() >= 2);
    QVERIFY(s.totalSeconds > 0.3 * s.clips && s.totalSeconds < 0.61 * s.clips);
}

void tst_DatasetScanner::versionFollowsContent()
{
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    std::vector<float> x(1600, 0.1f);
    AudioFile::write(root + "/a.wav", x, 16000, 1);
    const std::string v1 = DatasetScanner::scan(root, {}).version;
    QCOMPARE(DatasetScanner::scan(root, {}).version, v1);
    AudioFile::write(root + "/b.wav", x, 16000, 1);
    const std::string v2 = DatasetScanner::scan(root, {}).version;
    QVERIFY(v2 != v1);
    fs::remove(root + "/b.wav");
    QCOMPARE(DatasetScanner::scan(root, {}).version, v1);
}

void tst_DatasetScanner::splitsFromFolders()
{
    QTemporaryDir dir;
    const std::string root = dir.path().toStdString();
    std::vector<float> x(800, 0.1f);
    fs::create_directories(root + "/train/dog");
    fs::create_directories(root + "/test/cat");
    AudioFile::write(root + "/train/dog/1.wav", x, 16000, 1);
    AudioFile::write(root + "/test/cat/2.wav", x, 16000, 1);
    const DatasetScan scan = DatasetScanner::scan(root, {});
    QCOMPARE(scan.clips.size(), size_t(2));
    QCOMPARE(scan.clips[0].split, std::string("test"));
    QCOMPARE(scan.clips[0].label, std::string("cat"));
    QCOMPARE(scan.clips[1].split, std::string("train"));
    QCOMPARE(scan.clips[1].label, std::string("dog"));
}

void tst_DatasetScanner::catalogRoundTrip()
{
    QTemporaryDir wsDir;
    ScanOptions o;
    o.labels = LabelSource::Csv;
    o.csvPath = m_root + "/labels.csv";
    const DatasetScan scan = DatasetScanner::scan(m_root, o);
    {
        auto ws = Workspace::create(wsDir.path().toStdString());
        DatasetCatalog cat(ws->database());
        const auto id = cat.save("demo", scan, o);
        QCOMPARE(cat.save("demo", scan, o), id); // rescan keeps the id
    }
    auto ws = Workspace::open(wsDir.path().toStdString(), true); // reopened: nothing lived only in memory
    DatasetCatalog cat(ws->database());
    const DatasetRecord rec = cat.get("demo");
    QCOMPARE(rec.version, scan.version);
    QCOMPARE(rec.labelSource, LabelSource::Csv);
    const auto clips = cat.clips(rec.id);
    QCOMPARE(clips.size(), scan.clips.size());
    for (size_t i = 0; i < clips.size(); ++i) {
        QCOMPARE(clips[i].path, scan.clips[i].path);
        QCOMPARE(clips[i].label, scan.clips[i].label);
        QCOMPARE(clips[i].fold, scan.clips[i].fold);
        QCOMPARE(clips[i].frames, scan.clips[i].frames);
        QCOMPARE(clips[i].error, scan.clips[i].error);
    }
    QCOMPARE(rec.unreadableCount, std::int64_t(2));
    QVERIFY_THROWS_EXCEPTION(std::exception, cat.get("nope"));
    QCOMPARE(cat.get(std::to_string(rec.id)).name, std::string("demo"));
}

void tst_DatasetScanner::stopTokenStops()
{
    StopToken stop;
    stop.request();
    const DatasetScan scan = DatasetScanner::scan(m_root, {}, nullptr, &stop);
    QVERIFY(scan.stopped);
    QVERIFY(scan.clips.empty());
}

QTEST_GUILESS_MAIN(tst_DatasetScanner)
#include "tst_DatasetScanner.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// The synthetic demo dataset: reproducible, balanced, and made of classes that really differ.

#include "audio/AudioFile.h"
#include "audio/LogMelFrontEnd.h"
#include "data/DemoDataset.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <filesystem>
#include <fstream>

using namespace ssondo;
namespace fs = std::filesystem;

class tst_DemoDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesBalancedLabelledFolders();
    void sameSeedSameBytes();
    void classesAreDistinct();
};

void tst_DemoDataset::writesBalancedLabelledFolders()
{
    QTemporaryDir dir;
    DemoDatasetOptions o;
    o.clipsPerClass = 3;
    o.minSeconds = 0.5;
    o.maxSeconds = 1.0;
    const int n = DemoDataset::generate(dir.path().toStdString(), o);
    const auto& classes = DemoDataset::classNames();
    QVERIFY(classes.size() >= 8);
    QCOMPARE(n, int(classes.size()) * 3);
    for (const auto& c : classes) {
        int files = 0;
        for (const auto& e : fs::directory_iterator(fs::path(dir.path().toStdString()) / c)) {
            const AudioInfo info = AudioFile::probe(e.path().string());
            QVERIFY(info.durationSeconds() >= 0.49 && info.durationSeconds() <= 1.01);
            ++files;
        }
        QCOMPARE(files, 3);
    }
    std::ifstream csv(dir.path().toStdString() + "/labels.csv");
    std::string line;
    int rows = 0;
    std::getline(csv, line);
    QCOMPARE(line, std::string("path,label,fold"));
    while (std::getline(csv, line))
        ++rows;
    QCOMPARE(rows, n);
}

void tst_DemoDataset::sameSeedSameBytes()
{
    const auto a = DemoDataset::synthesize(3, 1234, 0.5, 16000);
    const auto b = DemoDataset::synthesize(3, 1234, 0.5, 16000);
    const auto c = DemoDataset::synthesize(3, 1235, 0.5, 16000);
    QCOMPARE(a, b);
    QVERIFY(a != c);
}

void tst_DemoDataset::classesAreDistinct()
{
    // Mean log-mel spectra: within-class distances must be smaller than between-class distances
    // for a nearest-centroid rule to classify held-out clips well above chance.
    LogMelFrontEnd fe;
    const int nClasses = int(DemoDataset::classNames().size());
    auto embed = [&](int cls, std::uint64_t seed) {
        auto x = DemoDataset::synthesize(cls, seed, 1.0, 32000);
        at::Tensor mel = fe.forward(at::from_blob(x.data(), {std::int64_t(x.size())}, at::kFloat).clone());
        // Mean and spread over time of each band: timbre and temporal texture.
        at::Tensor v = at::cat({mel.mean(-1).flatten(), mel.std(-1).flatten()});
        return (v - v.mean()) / v.std();
    };
    std::vector<at::Tensor> centroids;
    for (int c = 0; c < nClasses; ++c)
        centroids.push_back((embed(c, 1) + embed(c, 2) + embed(c, 3) + embed(c, 4) + embed(c, 5)) / 5);
    int correct = 0, total = 0;
    for (int c = 0; c < nClasses; ++c)
        for (std::uint64_t s = 10; s < 13; ++s) {
            const at::Tensor e = embed(c, s);
            int best = -1;
            double bestD = 1e300;
            for (int k = 0; k < nClasses; ++k) {
                const double d = (e - centroids[size_t(k)]).norm().item<double>();
                if (d < bestD) {
                    bestD = d;
                    best = k;
                }
            }
            correct += best == c;
            ++total;
        }
    qInfo("nearest-centroid accuracy on held-out clips: %d/%d (chance %.1f%%)", correct, total,
          100.0 / nClasses);
    QVERIFY(double(correct) / total > 0.5); // > 6x chance with a crude classifier
}

QTEST_GUILESS_MAIN(tst_DemoDataset)
#include "tst_DemoDataset.moc"

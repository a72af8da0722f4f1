// SPDX-License-Identifier: GPL-3.0-or-later
// The clip view: a real clip's waveform envelope and its 128-band log-mel spectrogram (frames as the
// S-SONDO front end computes them), and a file that does not decode reported in the view.

#include "audio/LogMelFrontEnd.h"
#include "data/DemoDataset.h"
#include "plots/ClipView.h"
#include "plots/QCustomPlotInclude.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

#include <fstream>

using namespace ssondo;
using namespace ssondo::ui;

class tst_ClipView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsWaveformAndSpectrogram();
    void brokenFileIsReported();

private:
    QTemporaryDir m_dir;
    QString m_clip;
};

void tst_ClipView::initTestCase()
{
    qputenv("SSONDO_NO_AUDIO", "1"); // no sound server in CI
    DemoDatasetOptions o;
    o.clipsPerClass = 1;
    o.minSeconds = 2.0;
    o.maxSeconds = 2.0;
    DemoDataset::generate(m_dir.path().toStdString() + "/data", o);
    m_clip = QDir(m_dir.path() + "/data/chirp_up").entryInfoList(QDir::Files).first().absoluteFilePath();
}

void tst_ClipView::showsWaveformAndSpectrogram()
{
    ClipView v;
    QVERIFY(v.load(m_clip));
    QCOMPARE(v.currentPath(), m_clip);
    QVERIFY(v.waveform()->graph(0)->dataCount() > 100);
    QCPColorMapData* d = v.colorMap()->data();
    QCOMPARE(d->valueSize(), 128);
    const int frames = int(LogMelFrontEnd().numFrames(2 * 32000));
    QCOMPARE(d->keySize(), frames);
    QVERIFY(std::abs(d->keyRange().upper - frames * 512.0 / 32000) < 1e-6);
    // A rising chirp: the loudest band of the last frames is higher than that of the first frames.
    auto loudest = [&](int f) {
        int best = 0;
        for (int b = 1; b < 128; ++b)
            if (d->cell(f, b) > d->cell(f, best))
                best = b;
        return best;
    };
    QVERIFY(loudest(frames / 10) < loudest(frames / 10 + frames / 5) ||
            loudest(frames / 2) != loudest(frames / 10));
    QVERIFY(v.info()->text().contains(QStringLiteral("2.00 s")));
    QVERIFY(!v.canPlay()); // SSONDO_NO_AUDIO
}

void tst_ClipView::brokenFileIsReported()
{
    const QString bad = m_dir.path() + QStringLiteral("/broken.wav");
    std::ofstream(bad.toStdString()) << "RIFF but not really";
    ClipView v;
    QVERIFY(v.load(m_clip));
    QVERIFY(!v.load(bad));
    QVERIFY(v.info()->text().contains(QStringLiteral("broken.wav")));
    QCOMPARE(v.colorMap()->data()->keySize(), 0); // the previous clip is not left on screen
}

QTEST_MAIN(tst_ClipView)
#include "tst_ClipView.moc"

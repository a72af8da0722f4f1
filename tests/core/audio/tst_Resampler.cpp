// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/Resampler.h"

#include "support/SignalTest.h"

#include <QtTest/QtTest>

#include <cmath>

using namespace ssondo;
using ssondo::test::amplitudeAt;

class tst_Resampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepsFrequencyAndLevel_data();
    void keepsFrequencyAndLevel();
    void identityAndErrors();
};

void tst_Resampler::keepsFrequencyAndLevel_data()
{
    QTest::addColumn<int>("inRate");
    QTest::addColumn<int>("outRate");
    QTest::addColumn<double>("freq");
    QTest::newRow("44.1k->32k 1kHz") << 44100 << 32000 << 1000.0;
    QTest::newRow("48k->32k 5kHz") << 48000 << 32000 << 5000.0;
    QTest::newRow("22.05k->32k 440Hz") << 22050 << 32000 << 440.0;
    QTest::newRow("16k->32k 3kHz") << 16000 << 32000 << 3000.0;
    QTest::newRow("384k->32k 2kHz") << 384000 << 32000 << 2000.0;
    QTest::newRow("32k->16k 1kHz") << 32000 << 16000 << 1000.0;
}

void tst_Resampler::keepsFrequencyAndLevel()
{
    QFETCH(int, inRate);
    QFETCH(int, outRate);
    QFETCH(double, freq);
    std::vector<float> x(static_cast<size_t>(inRate)); // 1 s
    for (size_t i = 0; i < x.size(); ++i)
        x[i] = float(0.5 * std::sin(2 * M_PI * freq * double(i) / inRate));
    const auto y = Resampler::resample(x, inRate, outRate);
    QCOMPARE(qint64(y.size()), qint64(outRate));
    QVERIFY2(std::abs(amplitudeAt(y, outRate, freq) - 0.5) < 0.005, "level changed");
    QVERIFY2(amplitudeAt(y, outRate, freq * 1.37) < 0.01, "energy at a wrong frequency");
}

void tst_Resampler::identityAndErrors()
{
    const std::vector<float> x{0.1f, 0.2f, 0.3f};
    QCOMPARE(Resampler::resample(x, 32000, 32000), x);
    QVERIFY(Resampler::resample({}, 44100, 32000).empty());
    QVERIFY_THROWS_EXCEPTION(std::exception, Resampler::resample(x, 0, 32000));
}

QTEST_GUILESS_MAIN(tst_Resampler)
#include "tst_Resampler.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// Decoding every container/codec libsndfile offers, downmixing, resampling on read, and the
// errors for files that are not usable audio.

#include "audio/AudioFile.h"
#include "util/Error.h"

#include "support/SignalTest.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <sndfile.h>

#include <cmath>
#include <fstream>

using namespace ssondo;
using ssondo::test::amplitudeAt;

class tst_AudioFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void decodes_data();
    void decodes();
    void downmixIsChannelMean();
    void resamplesOnRead();
    void badFiles_data();
    void badFiles();

private:
    QTemporaryDir m_dir;
    std::string path(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }
};

static std::vector<float> sine(double freq, int rate, double seconds, int channels, float amp = 0.5f)
{
    const size_t n = size_t(rate * seconds);
    std::vector<float> x(n * size_t(channels));
    for (size_t i = 0; i < n; ++i)
        for (int c = 0; c < channels; ++c)
            x[i * size_t(channels) + size_t(c)] = float(amp * std::sin(2 * M_PI * freq * double(i) / rate));
    return x;
}

static void writeRaw(const std::string& p, const std::string& bytes)
{
    std::ofstream(p, std::ios::binary) << bytes;
}

void tst_AudioFile::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void tst_AudioFile::decodes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("channels");
    QTest::addColumn<QString>("format");
    QTest::addColumn<double>("lengthTolerance"); // codecs with priming/padding
    QTest::newRow("wav 44.1k stereo") << "a.wav" << 44100 << 2 << "wav/pcm16" << 0.0;
    QTest::newRow("wav 384k 8ch") << "b.wav" << 384000 << 8 << "wav/pcm16" << 0.0;
    QTest::newRow("flac 48k mono") << "c.flac" << 48000 << 1 << "flac" << 0.0;
    QTest::newRow("ogg vorbis 22.05k") << "d.ogg" << 22050 << 1 << "ogg/vorbis" << 0.01;
    QTest::newRow("opus 48k stereo") << "e.opus" << 48000 << 2 << "ogg/opus" << 0.03;
    QTest::newRow("mp3 32k mono") << "f.mp3" << 32000 << 1 << "mp3" << 0.1;
}

void tst_AudioFile::decodes()
{
    QFETCH(QString, name);
    QFETCH(int, rate);
    QFETCH(int, channels);
    QFETCH(QString, format);
    QFETCH(double, lengthTolerance);
    const std::string p = path(qPrintable(name));
    AudioFile::write(p, sine(440, rate, 1.0, channels), rate, channels);
    const AudioInfo info = AudioFile::probe(p);
    QCOMPARE(info.sampleRate, rate);
    QCOMPARE(info.channels, channels);
    QCOMPARE(QString::fromStdString(info.format), format);
    const MonoAudio a = AudioFile::readMono(p);
    QCOMPARE(a.sampleRate, rate);
    QVERIFY2(std::abs(a.durationSeconds() - 1.0) <= lengthTolerance + 1e-9,
             qPrintable(QString("decoded %1 s").arg(a.durationSeconds())));
    QVERIFY2(std::abs(amplitudeAt(a.samples, rate, 440) - 0.5) < 0.03, "440 Hz tone not recovered");
}

void tst_AudioFile::downmixIsChannelMean()
{
    // Left = sine, right = silence → mono is half the sine (mean of channels, as the reference).
    const int rate = 16000;
    auto stereo = sine(1000, rate, 0.5, 2);
    for (size_t i = 1; i < stereo.size(); i += 2)
        stereo[i] = 0.f;
    const std::string p = path("lr.wav");
    AudioFile::write(p, stereo, rate, 2);
    const MonoAudio a = AudioFile::readMono(p);
    QVERIFY(std::abs(amplitudeAt(a.samples, rate, 1000) - 0.25) < 0.002);
}

void tst_AudioFile::resamplesOnRead()
{
    const std::string p = path("r.wav");
    AudioFile::write(p, sine(3000, 44100, 2.0, 1), 44100, 1);
    const MonoAudio a = AudioFile::readMono(p, 32000);
    QCOMPARE(a.sampleRate, 32000);
    QCOMPARE(qint64(a.samples.size()), qint64(64000));
    QVERIFY(std::abs(amplitudeAt(a.samples, 32000, 3000) - 0.5) < 0.005);
}

void tst_AudioFile::badFiles_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason"); // a fragment of the expected message
    QTest::newRow("empty file") << "empty.wav"
                                << "empty file";
    QTest::newRow("text file") << "notes.wav"
                               << "cannot decode";
    QTest::newRow("random bytes flac") << "noise.flac"
                                       << "cannot decode";
    QTest::newRow("zero-length audio") << "zero.wav"
                                       << "zero-length";
    QTest::newRow("NaN samples") << "nan.wav"
                                 << "NaN";
    QTest::newRow("truncated wav") << "trunc.wav"
                                   << "";
    QTest::newRow("missing") << "missing.wav"
                             << "does not exist";
}

void tst_AudioFile::badFiles()
{
    QFETCH(QString, name);
    QFETCH(QString, reason);
    const std::string p = path(qPrintable(name));
    if (name == "empty.wav")
        writeRaw(p, "");
    if (name == "notes.wav")
        writeRaw(p, "this is not audio, just some notes\n");
    if (name == "noise.flac") {
        std::string b;
        for (int i = 0; i < 4096; ++i)
            b.push_back(char((i * 7919) & 0xff));
        writeRaw(p, b);
    }
    if (name == "zero.wav")
        AudioFile::write(p, {}, 16000, 1);
    if (name == "nan.wav") {
        SF_INFO info{};
        info.samplerate = 16000;
        info.channels = 1;
        info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
        SNDFILE* f = sf_open(p.c_str(), SFM_WRITE, &info);
        QVERIFY(f);
        std::vector<float> x(1600, 0.1f);
        x[800] = std::nanf("");
        sf_writef_float(f, x.data(), sf_count_t(x.size()));
        sf_close(f);
    }
    if (name == "trunc.wav") {
        const std::string full = path("full.wav");
        AudioFile::write(full, sine(440, 16000, 1.0, 1), 16000, 1);
        std::ifstream in(full, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        writeRaw(p, bytes.substr(0, 44 + 1000)); // header + 500 of 16000 samples
    }
    if (reason.isEmpty()) {
        // A truncated PCM file decodes what is there: the reader must not crash or invent samples.
        const MonoAudio a = AudioFile::readMono(p);
        QVERIFY(a.samples.size() <= 500);
        return;
    }
    try {
        AudioFile::readMono(p);
        QFAIL("no error for a bad file");
    } catch (const AudioError& e) {
        QCOMPARE(QString::fromStdString(e.path()), QString::fromStdString(p));
        QVERIFY2(QString::fromStdString(e.what()).contains(reason), e.what());
    }
}

QTEST_GUILESS_MAIN(tst_AudioFile)
#include "tst_AudioFile.moc"

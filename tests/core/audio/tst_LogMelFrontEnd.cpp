// The log-mel front end against torchaudio 0.13 on the same audio (fixture made by
// tests/tools/make_frontend_fixture.py), and the reference shape of a 10 s clip.

#include "audio/AudioFile.h"
#include "audio/LogMelFrontEnd.h"
#include "data/NpyFile.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

using namespace ssondo;

class tst_LogMelFrontEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorchaudio_data();
    void matchesTorchaudio();
    void tenSecondClipShape();
    void batchEqualsSingle();
    void rejectsBadSettings();
    void filterBankHasUnitAreaPerBand();
};

static QJsonObject configs()
{
    QFile f(QStringLiteral(SSONDO_FIXTURE_DIR "/frontend/configs.json"));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open configs.json");
    return QJsonDocument::fromJson(f.readAll()).object();
}

void tst_LogMelFrontEnd::matchesTorchaudio_data()
{
    QTest::addColumn<QString>("name");
    const QJsonObject all = configs();
    QVERIFY(all.size() >= 2);
    for (auto it = all.begin(); it != all.end(); ++it)
        QTest::newRow(qPrintable(it.key())) << it.key();
}

void tst_LogMelFrontEnd::matchesTorchaudio()
{
    QFETCH(QString, name);
    const QJsonObject c = configs().value(name).toObject();
    LogMelOptions o;
    o.sample_rate(c["sample_rate"].toInt())
        .n_fft(c["n_fft"].toInt())
        .win_length(c["win_length"].toInt())
        .hop_length(c["hop_length"].toInt())
        .n_mels(c["n_mels"].toInt())
        .f_min(c["f_min"].toDouble())
        .f_max(c["f_max"].toDouble())
        .power(c["power"].toDouble())
        .mel_scale(c["mel_scale"].toString() == "htk" ? MelScale::Htk : MelScale::Slaney)
        .slaney_norm(c["norm"].toString() == "slaney");
    LogMelFrontEnd fe(o);

    const std::string dir = SSONDO_FIXTURE_DIR "/frontend/";
    const MonoAudio audio = AudioFile::readMono(dir + c["input"].toString().toStdString());
    QCOMPARE(audio.sampleRate, o.sample_rate());
    const at::Tensor wav = at::from_blob(const_cast<float*>(audio.samples.data()),
                                         {std::int64_t(audio.samples.size())}, at::kFloat)
                               .clone();
    const at::Tensor got = fe.forward(wav);

    const NpyArray ref = NpyFile::read(dir + name.toStdString() + ".npy");
    QCOMPARE(ref.shape.size(), size_t(2));
    QCOMPARE(got.sizes().vec(), (std::vector<std::int64_t>{1, 1, ref.shape[0], ref.shape[1]}));
    QCOMPARE(fe.numFrames(wav.size(0)), ref.shape[1]);
    const at::Tensor expected =
        at::from_blob(const_cast<float*>(ref.data.data()), {ref.shape[0], ref.shape[1]}, at::kFloat);

    // Relative error of the mel energies (+ the log offset), which is what the log carries:
    // |exp(a) - exp(b)| / exp(b) for log-mels a, b. Also the plain absolute error of the log-mels.
    const at::Tensor a = got[0][0].to(at::kDouble), b = expected.to(at::kDouble);
    const double relErr = ((a.exp() - b.exp()).abs() / b.exp()).max().item<double>();
    const double absErr = (a - b).abs().max().item<double>();
    qInfo("%s: max relative error of (mel + 0.001) %.3g, max abs error of log-mel %.3g", qPrintable(name),
          relErr, absErr);
    QVERIFY2(relErr <= 1e-4, qPrintable(QString("relative error %1 > 1e-4").arg(relErr)));
    QVERIFY(absErr <= 1e-4);
}

void tst_LogMelFrontEnd::tenSecondClipShape()
{
    LogMelFrontEnd fe; // reference defaults
    QCOMPARE(fe.options().sample_rate(), 32000);
    const at::Tensor wav = at::randn({2, 320000}, at::TensorOptions().dtype(at::kFloat)) * 0.1;
    const at::Tensor mel = fe.forward(wav);
    QCOMPARE(mel.sizes().vec(), (std::vector<std::int64_t>{2, 1, 128, 624}));
    QCOMPARE(fe.numFrames(320000), std::int64_t(624));
    QVERIFY(at::isfinite(mel).all().item<bool>());
    // Silence maps to ln(0.001) exactly.
    const at::Tensor silent = fe.forward(at::zeros({1, 32000}));
    QVERIFY(at::allclose(silent, at::full_like(silent, std::log(0.001)), 0, 1e-6));
}

void tst_LogMelFrontEnd::batchEqualsSingle()
{
    LogMelFrontEnd fe;
    at::manual_seed(3);
    const at::Tensor wav = at::randn({3, 40000});
    const at::Tensor batch = fe.forward(wav);
    for (int i = 0; i < 3; ++i)
        QVERIFY(at::allclose(batch[i], fe.forward(wav[i])[0], 1e-5, 1e-5));
}

void tst_LogMelFrontEnd::rejectsBadSettings()
{
    QVERIFY_THROWS_EXCEPTION(std::exception, LogMelFrontEnd(LogMelOptions().f_max(20000))); // above Nyquist
    QVERIFY_THROWS_EXCEPTION(std::exception, LogMelFrontEnd(LogMelOptions().win_length(2048)));
    QVERIFY_THROWS_EXCEPTION(std::exception, LogMelFrontEnd(LogMelOptions().hop_length(0)));
    LogMelFrontEnd fe;
    QVERIFY_THROWS_EXCEPTION(std::exception, fe.forward(at::zeros({1, 2, 3})));
}

void tst_LogMelFrontEnd::filterBankHasUnitAreaPerBand()
{
    // Slaney normalisation: each triangle has height 2 / width, so its area in Hz is 1.
    LogMelFrontEnd fe;
    const at::Tensor fb = fe.filterBank();
    QCOMPARE(fb.sizes().vec(), (std::vector<std::int64_t>{513, 128}));
    const double binHz = 16000.0 / 512.0;
    const at::Tensor area = fb.sum(0) * binHz;
    // Narrow low bands are sampled coarsely by 31 Hz bins; check the well-resolved upper half.
    const at::Tensor upper = area.slice(0, 64);
    QVERIFY2(((upper - 1).abs() < 0.05).all().item<bool>(), "band areas differ from 1");
    QVERIFY((fb >= 0).all().item<bool>());
}

QTEST_GUILESS_MAIN(tst_LogMelFrontEnd)
#include "tst_LogMelFrontEnd.moc"

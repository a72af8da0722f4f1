// SPDX-License-Identifier: GPL-3.0-or-later
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

namespace {

/// Per element of the log-mel output [n_mels, frames] of `wav` (float64, [T]), a bound on the
/// relative error of (mel + offset) that float32 rounding can cause:
/// - the FFT of a frame of N samples is norm-wise accurate: ||X̂ − X||₂ ≤ log2(N)·η·||X||₂ with
///   η ≈ 6.7u for radix-2 with accurate twiddles (Higham, Accuracy and Stability of Numerical
///   Algorithms, 2nd ed., Thm 24.2), u = 2^-24; we take ε = 8·log2(N)·u, window product included;
///   so every bin may be off by ε·||X_t||₂, and its power |X_f|² by 2|X_f|·ε||X_t|| + (ε||X_t||)²;
/// - the mel projection is a dot product of F terms, off by at most F·u·Σ_f w_kf P_f, and its
///   float32 weights are the float64 ones rounded (u·Σ_f w_kf P_f more);
/// - adding the offset and taking the log round once more each.
/// Bands that hold little of a loud frame's energy are ill-conditioned (large bound); bands that
/// hold much of it are tight.
at::Tensor roundingBound(const LogMelFrontEnd& fe, const at::Tensor& wav)
{
    const auto& o = fe.options();
    const at::Tensor window = at::hann_window(o.win_length(), at::TensorOptions().dtype(at::kDouble));
    const at::Tensor X =
        at::stft(wav.unsqueeze(0), o.n_fft(), o.hop_length(), o.win_length(), window, false, true,
                 true)[0]
            .abs()
            .t();                                          // [frames, F]
    const at::Tensor fb = fe.filterBank().to(at::kDouble); // [F, M]
    const double u = std::ldexp(1.0, -24), eps = 8 * std::log2(double(o.n_fft())) * u;
    const double gamma = double(fb.size(0) + 1) * u;
    const at::Tensor norm = X.square().sum(1, true).sqrt(); // ||X_t||₂, [frames, 1]
    const at::Tensor powerErr = 2 * X * eps * norm + (eps * norm).square();
    const at::Tensor mel = at::matmul(X.square(), fb);
    const at::Tensor melErr = at::matmul(powerErr, fb) + gamma * mel;
    // + 4u: the offset's addition and the log's own rounding, which every element has.
    return (melErr / (mel + o.log_offset()) + 4 * u).t(); // [M, frames]
}

} // namespace

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

    // torchaudio's log-mel of the same audio computed in float64 throughout: the same function on
    // every machine (tests/tools/make_frontend_fixture.py says why it is not float32).
    const NpyArray ref = NpyFile::read(dir + name.toStdString() + ".f64.npy");
    QCOMPARE(ref.shape.size(), size_t(2));
    QCOMPARE(got.sizes().vec(), (std::vector<std::int64_t>{1, 1, ref.shape[0], ref.shape[1]}));
    QCOMPARE(fe.numFrames(wav.size(0)), ref.shape[1]);
    const at::Tensor exact =
        at::from_blob(const_cast<double*>(ref.data64.data()), {ref.shape[0], ref.shape[1]}, at::kDouble);

    // 1. The port: our front end in float64 is torchaudio's in float64. Both compute the same
    // formulas in double, so they differ by double rounding amplified at most by the filter bank's
    // worst conditioning (a triangle edge, f / Δf ≲ 1e3): 1e-9 leaves a factor 1e3 of room, and a
    // different mel scale, window or normalisation is off by 1e-2 or more.
    const at::Tensor ours64 = fe.forward(wav.to(at::kDouble))[0][0];
    const double portErr = (ours64 - exact).abs().max().item<double>();
    // 2. The float32 front end (what training uses) against that exact value, element by element,
    // within what float32 rounding can do to each element (roundingBound). Relative error of the
    // mel energies (+ the log offset), which is what the log carries: |exp(a) − exp(b)| / exp(b).
    const at::Tensor bound = roundingBound(fe, wav.to(at::kDouble));
    const at::Tensor err32 = (got[0][0].to(at::kDouble).exp() / exact.exp() - 1).abs();
    const double share = (err32 / bound).max().item<double>();
    qInfo(
        "%s: float64 port vs torchaudio float64: max abs log-mel difference %.1e; float32 vs exact: max relative "
        "error of (mel + 0.001) %.1e, %.2f of its element's rounding bound (bound median %.1e, max %.1e)",
        qPrintable(name), portErr, err32.max().item<double>(), share, bound.median().item<double>(),
        bound.max().item<double>());
    QVERIFY2(portErr < 1e-9, qPrintable(QString::number(portErr)));
    QVERIFY2(share <= 1,
             qPrintable(QString("the float32 front end exceeds the rounding bound by %1x").arg(share)));
    // The bound stays below 1% everywhere: a front end that differs in anything but rounding (mel
    // scale, window, normalisation, power, offset) is off by more than that in most elements.
    QVERIFY2(bound.max().item<double>() < 1e-2,
             "the bound must still tell a different front end from rounding");
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

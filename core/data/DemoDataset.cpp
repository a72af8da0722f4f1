// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/DemoDataset.h"

#include "audio/AudioFile.h"
#include "util/Error.h"
#include "util/Hash.h"
#include "util/ProgressSink.h"
#include "util/ThreadGroup.h"
#include "util/Threads.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

constexpr double kPi = 3.14159265358979323846;

/// Portable RNG: mt19937_64 is specified bit-exactly; the transforms below are ours.
class Rng
{
public:
    explicit Rng(std::uint64_t seed) : m_gen(seed) {}
    double uniform() { return double(m_gen() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double a, double b) { return a + (b - a) * uniform(); }
    int integer(int n) { return int(uniform() * n) % n; }
    double normal()
    {
        const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * kPi * u2);
    }

private:
    std::mt19937_64 m_gen;
};

// Attack/release envelope so clips start and end without clicks.
void fade(std::vector<float>& x, int sr, double attack = 0.01, double release = 0.05)
{
    const size_t a = std::min(x.size(), size_t(attack * sr)), r = std::min(x.size(), size_t(release * sr));
    for (size_t i = 0; i < a; ++i)
        x[i] *= float(i) / float(a);
    for (size_t i = 0; i < r; ++i)
        x[x.size() - 1 - i] *= float(i) / float(r);
}

void normalise(std::vector<float>& x, double peak)
{
    float m = 0;
    for (float v : x)
        m = std::max(m, std::abs(v));
    if (m > 0)
        for (float& v : x)
            v = float(v * peak / m);
}

std::vector<float> harmonicTone(Rng& rng, size_t n, int sr, double f0, int kind)
{
    // kind 0: all harmonics 1/k (organ/saw), 1: breathy near-sine (flute), 2: odd harmonics (clarinet)
    std::vector<float> x(n, 0.f);
    const double vibRate = rng.uniform(4, 7), vibDepth = kind == 1 ? 0.006 : 0.002;
    const int maxK = int(std::min(40.0, (sr / 2.0 - 200) / f0));
    for (int k = 1; k <= maxK; ++k) {
        double amp;
        if (kind == 0)
            amp = 1.0 / k;
        else if (kind == 1)
            amp = k == 1 ? 1.0 : (k <= 3 ? 0.08 / k : 0.0);
        else
            amp = (k % 2 == 1) ? 1.0 / k : 0.02 / k;
        if (amp == 0)
            continue;
        double phase = rng.uniform(0, 2 * kPi);
        for (size_t i = 0; i < n; ++i) {
            const double t = double(i) / sr;
            const double f = f0 * k * (1 + vibDepth * std::sin(2 * kPi * vibRate * t));
            phase += 2 * kPi * f / sr;
            x[i] += float(amp * std::sin(phase));
        }
    }
    if (kind == 1) // breath noise
        for (auto& v : x)
            v += float(0.03 * rng.normal());
    return x;
}

std::vector<float> colouredNoise(Rng& rng, size_t n, int colour)
{
    // colour 0 white, 1 pink (Paul Kellet's filter), 2 brown (leaky integrator)
    std::vector<float> x(n);
    double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, brown = 0;
    for (size_t i = 0; i < n; ++i) {
        const double w = rng.normal();
        if (colour == 0) {
            x[i] = float(w);
        } else if (colour == 1) {
            b0 = 0.99886 * b0 + w * 0.0555179;
            b1 = 0.99332 * b1 + w * 0.0750759;
            b2 = 0.96900 * b2 + w * 0.1538520;
            b3 = 0.86650 * b3 + w * 0.3104856;
            b4 = 0.55000 * b4 + w * 0.5329522;
            b5 = -0.7616 * b5 - w * 0.0168980;
            x[i] = float(b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
            b6 = w * 0.115926;
        } else {
            brown = 0.998 * brown + 0.05 * w;
            x[i] = float(brown);
        }
    }
    return x;
}

} // namespace

const std::vector<std::string>& DemoDataset::classNames()
{
    static const std::vector<std::string> names{
        "organ",    "flute",      "clarinet", "pluck",   "white_noise", "pink_noise",   "brown_noise",
        "chirp_up", "chirp_down", "clicks",   "tremolo", "fm_bell",     "tone_in_noise"};
    return names;
}

// Long on purpose: one branch per demo class: each class's sound reads best beside its name.
std::vector<float> DemoDataset::synthesize(int cls, std::uint64_t clipSeed, double seconds, int sr)
{
    if (cls < 0 || cls >= int(classNames().size()))
        throw InputError("demo dataset: no class " + std::to_string(cls));
    Rng rng(clipSeed);
    const size_t n = size_t(seconds * sr);
    std::vector<float> x;
    const std::string& name = classNames()[size_t(cls)];
    const double f0 = 110.0 * std::pow(2.0, rng.uniform(0, 2.5)); // 110-620 Hz
    if (name == "organ")
        x = harmonicTone(rng, n, sr, f0, 0);
    else if (name == "flute")
        x = harmonicTone(rng, n, sr, f0 * 2, 1);
    else if (name == "clarinet")
        x = harmonicTone(rng, n, sr, f0, 2);
    else if (name == "pluck") {
        // Karplus-Strong plucked string, re-plucked a few times.
        x.assign(n, 0.f);
        const int plucks = 1 + rng.integer(3);
        for (int p = 0; p < plucks; ++p) {
            const size_t start = size_t(double(n) * p / plucks);
            const size_t period = std::max<size_t>(2, size_t(sr / (f0 * rng.uniform(1, 2))));
            std::vector<double> buf(period);
            for (auto& b : buf)
                b = rng.uniform(-1, 1);
            for (size_t i = start, j = 0; i < n; ++i, ++j) {
                const size_t k = j % period;
                const double out = buf[k];
                buf[k] = 0.996 * 0.5 * (buf[k] + buf[(k + 1) % period]);
                x[i] += float(out);
            }
        }
    } else if (name == "white_noise")
        x = colouredNoise(rng, n, 0);
    else if (name == "pink_noise")
        x = colouredNoise(rng, n, 1);
    else if (name == "brown_noise")
        x = colouredNoise(rng, n, 2);
    else if (name == "chirp_up" || name == "chirp_down") {
        // Exponential sweeps, repeated.
        x.assign(n, 0.f);
        const double lo = rng.uniform(100, 400), hi = rng.uniform(3000, 9000);
        const double period = rng.uniform(0.5, 1.5);
        double phase = 0;
        for (size_t i = 0; i < n; ++i) {
            double u = std::fmod(double(i) / sr, period) / period;
            if (name == "chirp_down")
                u = 1 - u;
            const double f = lo * std::pow(hi / lo, u);
            phase += 2 * kPi * f / sr;
            x[i] = float(std::sin(phase));
        }
    } else if (name == "clicks") {
        x.assign(n, 0.f);
        const double rate = rng.uniform(3, 20);
        double t = rng.uniform(0, 1 / rate);
        while (size_t(t * sr) + 64 < n) {
            const size_t i0 = size_t(t * sr);
            for (size_t k = 0; k < 64; ++k) // short decaying burst
                x[i0 + k] += float(rng.normal() * std::exp(-double(k) / 8.0));
            t += (1.0 / rate) * rng.uniform(0.7, 1.3);
        }
    } else if (name == "tremolo") {
        x = harmonicTone(rng, n, sr, f0, 1);
        const double rate = rng.uniform(4, 12);
        for (size_t i = 0; i < n; ++i)
            x[i] *= float(0.5 * (1 + std::sin(2 * kPi * rate * double(i) / sr)));
    } else if (name == "fm_bell") {
        // Inharmonic FM (carrier:modulator 1:1.4) with exponential decay, struck repeatedly.
        x.assign(n, 0.f);
        const double fc = f0 * 2, fm = fc * 1.4, index = rng.uniform(2, 6);
        const double strikeEvery = rng.uniform(0.8, 2.0);
        for (size_t i = 0; i < n; ++i) {
            const double t = double(i) / sr;
            const double local = std::fmod(t, strikeEvery);
            const double env = std::exp(-local * 3);
            x[i] = float(env * std::sin(2 * kPi * fc * t + index * env * std::sin(2 * kPi * fm * t)));
        }
    } else { // tone_in_noise: a mixture at 0-10 dB SNR
        auto tone = harmonicTone(rng, n, sr, f0, 2);
        auto noise = colouredNoise(rng, n, 1);
        normalise(tone, 1.0);
        normalise(noise, 1.0);
        const double g = std::pow(10.0, -rng.uniform(0, 10) / 20.0);
        x.resize(n);
        for (size_t i = 0; i < n; ++i)
            x[i] = float(tone[i] + g * noise[i]);
    }
    fade(x, sr);
    normalise(x, std::pow(10.0, rng.uniform(-20, -3) / 20.0)); // -20..-3 dBFS peak
    return x;
}

int DemoDataset::generate(const std::string& outDir, const DemoDatasetOptions& o, ProgressSink* sinkIn)
{
    ProgressSink& sink = sinkIn ? *sinkIn : nullProgressSink();
    if (o.clipsPerClass < 1 || o.minSeconds <= 0 || o.maxSeconds < o.minSeconds || o.folds < 1)
        throw InputError(
            "demo dataset: need clips per class >= 1, 0 < min seconds <= max seconds, folds >= 1");
    const auto& classes = classNames();
    const int total = int(classes.size()) * o.clipsPerClass;
    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (ec)
        throw Error(outDir + ": cannot create folder: " + ec.message());

    struct Job
    {
        int cls, idx;
        std::string rel;
    };
    std::vector<Job> jobs;
    for (int c = 0; c < int(classes.size()); ++c)
        for (int i = 0; i < o.clipsPerClass; ++i) {
            const int k = c * o.clipsPerClass + i;
            std::string ext = ".wav";
            if (o.mixedFormats && k % 7 == 3)
                ext = ".flac";
            else if (o.mixedFormats && k % 11 == 5)
                ext = ".ogg";
            char name[64];
            std::snprintf(name, sizeof name, "%s_%03d%s", classes[size_t(c)].c_str(), i, ext.c_str());
            jobs.push_back({c, i, classes[size_t(c)] + "/" + name});
        }
    for (const auto& c : classes)
        fs::create_directories(fs::path(outDir) / c);

    static const int kRates[] = {16000, 22050, 32000, 44100, 48000};
    std::atomic<size_t> next{0};
    std::atomic<int> done{0};
    auto worker = [&]() {
        for (;;) {
            const size_t j = next.fetch_add(1);
            if (j >= jobs.size())
                return;
            const Job& job = jobs[j];
            const std::uint64_t clipSeed =
                mixSeed(mixSeed(o.seed, std::uint64_t(job.cls)), std::uint64_t(job.idx));
            Rng rng(mixSeed(clipSeed, 7));
            const int sr = o.mixedFormats ? kRates[rng.integer(5)] : 32000;
            const int channels = (o.mixedFormats && rng.uniform() < 0.3) ? 2 : 1;
            const double seconds = rng.uniform(o.minSeconds, o.maxSeconds);
            auto mono = DemoDataset::synthesize(job.cls, clipSeed, seconds, sr);
            std::vector<float> data;
            if (channels == 1) {
                data = std::move(mono);
            } else { // stereo with a slight level difference between channels
                data.resize(mono.size() * 2);
                const float pan = float(rng.uniform(0.6, 1.0));
                for (size_t i = 0; i < mono.size(); ++i) {
                    data[2 * i] = mono[i];
                    data[2 * i + 1] = mono[i] * pan;
                }
            }
            AudioFile::write((fs::path(outDir) / job.rel).string(), data, sr, channels);
            sink.progress("generate", done.fetch_add(1) + 1, total);
        }
    };
    // The first failure (a full disk, say) stops the other workers and is rethrown here.
    ThreadGroup pool([&] { next.store(jobs.size()); });
    for (int t = 0; t < logicalCores(); ++t)
        pool.spawn(worker);
    pool.join();

    std::ofstream csv(fs::path(outDir) / "labels.csv");
    csv << "path,label,fold\n";
    for (const auto& job : jobs)
        csv << job.rel << ',' << classes[size_t(job.cls)] << ',' << (job.idx % o.folds) << '\n';
    if (!csv)
        throw Error(outDir + "/labels.csv: write failed");
    return total;
}

} // namespace ssondo

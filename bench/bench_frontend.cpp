// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: decode + downmix + resample to 32 kHz + log-mel, clips per second, against Debian's
// torchaudio doing the same (torchaudio.load, Resample, MelSpectrogram) on the same files in the
// same run. Prints the ratio (target >= 2x). Then the resampler's quality for this front end:
// each soxr recipe against the very-high-quality one, by the log-mel it leads to and its time.
//   bench_frontend [clips_per_class=12] [seconds=10]

#include "audio/AudioFile.h"
#include "audio/LogMelFrontEnd.h"
#include "audio/Resampler.h"
#include "data/DemoDataset.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <soxr.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using namespace ssondo;

static double cppRun(const std::vector<std::string>& files, int workers)
{
    LogMelFrontEnd fe;
    std::atomic<size_t> next{0};
    std::atomic<double> sink{0};
    const auto t0 = std::chrono::steady_clock::now();
    auto work = [&]() {
        for (;;) {
            const size_t i = next.fetch_add(1);
            if (i >= files.size())
                return;
            MonoAudio a = AudioFile::readMono(files[i], 32000);
            at::Tensor wav = at::from_blob(a.samples.data(), {1, std::int64_t(a.samples.size())}, at::kFloat);
            at::Tensor mel = fe.forward(wav);
            sink = sink + mel[0][0][0][0].item<double>();
        }
    };
    std::vector<std::thread> pool;
    for (int w = 1; w < workers; ++w)
        pool.emplace_back(work);
    work();
    for (auto& t : pool)
        t.join();
    return double(files.size()) /
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

static double pythonRun(const std::vector<std::string>& files, int threads)
{
    std::string cmd =
        "/usr/bin/python3 " SSONDO_BENCH_DIR "/frontend_torchaudio.py " + std::to_string(threads);
    for (const auto& f : files)
        cmd += " '" + f + "'";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return 0;
    char buf[512] = {0};
    std::string out;
    while (fgets(buf, sizeof buf, p))
        out += buf;
    pclose(p);
    const auto k = out.find("\"clips_per_s\": ");
    return k == std::string::npos ? 0.0 : std::stod(out.substr(k + 15));
}

/// Where one thread's time goes: decode (and downmix), resample, log-mel, in ms per clip.
static void stageProfile(const std::vector<std::string>& files)
{
    const LogMelFrontEnd fe;
    const at::Tensor window = at::hann_window(fe.options().win_length());
    double decode = 0, resample = 0, mel = 0, stft = 0;
    using clock = std::chrono::steady_clock;
    for (const auto& f : files) {
        const auto t0 = clock::now();
        MonoAudio a = AudioFile::readMono(f);
        const auto t1 = clock::now();
        std::vector<float> y = Resampler::resample(a.samples, a.sampleRate, 32000);
        const auto t2 = clock::now();
        const at::Tensor m = fe.forward(at::from_blob(y.data(), {1, std::int64_t(y.size())}, at::kFloat));
        const auto t3 = clock::now();
        decode += std::chrono::duration<double>(t1 - t0).count();
        resample += std::chrono::duration<double>(t2 - t1).count();
        mel += std::chrono::duration<double>(t3 - t2).count();
        const at::Tensor wav = at::from_blob(y.data(), {1, std::int64_t(y.size())}, at::kFloat);
        const auto t4 = clock::now(); // the STFT alone, again: the part of the log-mel that is an FFT library's
        const at::Tensor spec = at::stft(wav, fe.options().n_fft(), fe.options().hop_length(),
                                         fe.options().win_length(), window, false, true, true);
        stft += std::chrono::duration<double>(clock::now() - t4).count();
    }
    const double k = 1e3 / double(files.size());
    std::printf("  where one thread's time goes, ms per clip: decode %.2f, resample %.2f, log-mel %.2f (of which "
                "the STFT %.2f)\n",
                decode * k, resample * k, mel * k, stft * k);
}

/// A soxr converter with one recipe, designed once and reused clip after clip (as the Resampler
/// keeps one per rate pair).
struct Converter
{
    soxr_t s = nullptr;
    Converter(double from, double to, unsigned long recipe)
    {
        const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
        const soxr_quality_spec_t q = soxr_quality_spec(recipe, 0);
        const soxr_runtime_spec_t rt = soxr_runtime_spec(1);
        s = soxr_create(from, to, 1, nullptr, &io, &q, &rt);
    }
    ~Converter() { soxr_delete(s); }
    std::vector<float> operator()(const std::vector<float>& in, double from, double to) const
    {
        soxr_clear(s);
        std::vector<float> out(size_t(std::llround(double(in.size()) * to / from)));
        size_t done = 0, tail = 0;
        for (size_t at = 0; at < in.size() && done < out.size();) { // in blocks, as the Resampler
            size_t used = 0, got = 0;
            soxr_process(s, in.data() + at, std::min<size_t>(4096, in.size() - at), &used, out.data() + done,
                         out.size() - done, &got);
            at += used, done += got;
        }
        soxr_process(s, nullptr, 0, nullptr, out.data() + done, out.size() - done, &tail);
        out.resize(done + tail);
        return out;
    }
};

/// Per input rate: each recipe's log-mel against VHQ's (mean and max |difference| in dB over every
/// element above the floor, and the mean over the 16 top bands, where a narrower pass band shows)
/// and its time per clip.
static void qualitySection(const std::vector<std::string>& files)
{
    const LogMelFrontEnd fe;
    const struct { const char* name; unsigned long recipe; } recipes[] = {
        {"QQ", SOXR_QQ}, {"LQ", SOXR_LQ}, {"MQ", SOXR_MQ}, {"HQ", SOXR_HQ}, {"VHQ", SOXR_VHQ}};
    // The first demo clip of each rate, then white noise at 44.1 and 48 kHz: the demo's sounds hold
    // little above 14 kHz, where the recipes' pass bands differ; noise fills every band.
    std::vector<std::pair<std::string, MonoAudio>> inputs;
    for (const auto& f : files) {
        MonoAudio a = AudioFile::readMono(f);
        bool seen = a.sampleRate == 32000;
        for (const auto& in : inputs)
            seen |= in.second.sampleRate == a.sampleRate;
        if (!seen)
            inputs.emplace_back("demo", std::move(a));
    }
    for (int rate : {44100, 48000}) {
        const at::Tensor noise = at::randn({10 * rate}) * 0.1;
        MonoAudio a;
        a.sampleRate = rate;
        a.samples.assign(noise.data_ptr<float>(), noise.data_ptr<float>() + noise.numel());
        inputs.emplace_back("noise", std::move(a));
    }
    std::printf("resampler quality (log-mel against soxr VHQ; dB = 10 log10 of the mel power ratio):\n");
    for (const auto& [kind, a] : inputs) {
        auto logMel = [&](const std::vector<float>& y) {
            return fe.forward(at::from_blob(const_cast<float*>(y.data()), {std::int64_t(y.size())}, at::kFloat))[0][0];
        };
        const at::Tensor ref = logMel(Converter(a.sampleRate, 32000, SOXR_VHQ)(a.samples, a.sampleRate, 32000));
        const at::Tensor loud = ref > std::log(0.001) + 2.3; // 10 dB above the floor
        for (const auto& r : recipes) {
            const Converter convert(a.sampleRate, 32000, r.recipe);
            convert(a.samples, a.sampleRate, 32000); // warm caches
            const int reps = 9;
            const auto t0 = std::chrono::steady_clock::now();
            std::vector<float> y;
            for (int i = 0; i < reps; ++i)
                y = convert(a.samples, a.sampleRate, 32000);
            const double ms = 1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / reps;
            const at::Tensor got = logMel(y);
            const std::int64_t frames = std::min(got.size(1), ref.size(1));
            const at::Tensor d = (got.slice(1, 0, frames) - ref.slice(1, 0, frames)).abs() * (10.0 / std::log(10.0));
            const at::Tensor m = loud.slice(1, 0, frames);
            std::printf("  %-5s %5d Hz %-3s: %5.2f ms/clip, mean %.4f dB, max %.3f dB, top 16 bands mean %.4f dB\n",
                        kind.c_str(), a.sampleRate, r.name, ms, d.masked_select(m).mean().item<double>(),
                        d.masked_select(m).max().item<double>(), d.slice(0, 112).mean().item<double>());
        }
    }
}

int main(int argc, char** argv)
{
    const int perClass = argc > 1 ? std::atoi(argv[1]) : 12;
    const double seconds = argc > 2 ? std::atof(argv[2]) : 10.0;
    const fs::path dir = fs::temp_directory_path() / ("ssondo_bench_frontend_" + std::to_string(perClass));
    DemoDatasetOptions o;
    o.clipsPerClass = perClass;
    o.minSeconds = seconds;
    o.maxSeconds = seconds;
    o.mixedFormats = true; // wav/flac/ogg at 16-48 kHz, mono and stereo: every path is exercised
    if (!fs::exists(dir / "labels.csv"))
        DemoDataset::generate(dir.string(), o);
    std::vector<std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() != ".csv")
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    std::printf(
        "bench_frontend: %zu clips of %.0f s (wav/flac/ogg, 16-48 kHz, mono/stereo) -> [128 x 624] log-mel\n",
        files.size(), seconds);

    at::set_num_threads(1);
    cppRun(std::vector<std::string>(files.begin(), files.begin() + std::min<size_t>(8, files.size())),
           1); // warm-up
    const double cpp1 = cppRun(files, 1);
    const double py1 = pythonRun(files, 1);
    std::printf("  1 thread : ssondo %.1f clips/s, torchaudio %.1f clips/s, ratio %.2fx\n", cpp1, py1,
                py1 > 0 ? cpp1 / py1 : 0);
    stageProfile(files);
    std::printf("bench_frontend: ours %.1f clips/s, baseline %.1f clips/s, ratio %.2f (one thread)\n", cpp1, py1,
                py1 > 0 ? cpp1 / py1 : 0);
    const int n = std::max(2u, std::thread::hardware_concurrency());
    const double cppN = cppRun(files, n);
    at::set_num_threads(n);
    const double pyN = pythonRun(files, n);
    std::printf("  %d threads: ssondo %.1f clips/s (%d decode workers), torchaudio %.1f clips/s (%d intra-op "
                "threads), ratio %.2fx\n",
                n, cppN, n, pyN, n, pyN > 0 ? cppN / pyN : 0);
    at::set_num_threads(1);
    qualitySection(files);
    return 0;
}

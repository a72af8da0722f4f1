// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark: decode + downmix + resample to 32 kHz + log-mel, clips per second, against Debian's
// torchaudio doing the same (torchaudio.load, Resample, MelSpectrogram) on the same files in the
// same run. Prints the ratio (target >= 2x).
//   bench_frontend [clips_per_class=12] [seconds=10]

#include "audio/AudioFile.h"
#include "audio/LogMelFrontEnd.h"
#include "data/DemoDataset.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

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
    const int n = std::max(2u, std::thread::hardware_concurrency());
    const double cppN = cppRun(files, n);
    at::set_num_threads(n);
    const double pyN = pythonRun(files, n);
    std::printf("  %d threads: ssondo %.1f clips/s (%d decode workers), torchaudio %.1f clips/s (%d intra-op "
                "threads), ratio %.2fx\n",
                n, cppN, n, pyN, n, pyN > 0 ? cppN / pyN : 0);
    return 0;
}

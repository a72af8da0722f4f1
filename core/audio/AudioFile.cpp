// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/AudioFile.h"

#include "audio/Resampler.h"
#include "util/Error.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

namespace ssondo {

namespace {

struct SndfileCloser
{
    void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

// Sample rates outside this range are header damage, not audio: resampling 1 Hz to 32 kHz multiplies
// the sample count by 32000 (gigabytes from a small file) and soxr cannot convert the extreme ratios.
constexpr int kMinSampleRate = 1000;
constexpr int kMaxSampleRate = 1000000;

std::string formatName(int format)
{
    const int major = format & SF_FORMAT_TYPEMASK;
    const int sub = format & SF_FORMAT_SUBMASK;
    std::string name;
    switch (major) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
    case SF_FORMAT_RF64:
        name = "wav";
        break;
    case SF_FORMAT_AIFF:
        name = "aiff";
        break;
    case SF_FORMAT_FLAC:
        return "flac";
    case SF_FORMAT_OGG:
        name = "ogg";
        break;
    case SF_FORMAT_MPEG:
        return "mp3";
    case SF_FORMAT_CAF:
        name = "caf";
        break;
    case SF_FORMAT_AU:
        name = "au";
        break;
    case SF_FORMAT_W64:
        name = "w64";
        break;
    default:
        name = "other";
        break;
    }
    switch (sub) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
        return name + "/pcm8";
    case SF_FORMAT_PCM_16:
        return name + "/pcm16";
    case SF_FORMAT_PCM_24:
        return name + "/pcm24";
    case SF_FORMAT_PCM_32:
        return name + "/pcm32";
    case SF_FORMAT_FLOAT:
        return name + "/float";
    case SF_FORMAT_DOUBLE:
        return name + "/double";
    case SF_FORMAT_VORBIS:
        return name + "/vorbis";
    case SF_FORMAT_OPUS:
        return name + "/opus";
    default:
        return name;
    }
}

SndfilePtr openForRead(const std::string& path, SF_INFO& info)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw AudioError(path, "file does not exist");
    if (std::filesystem::is_directory(path, ec))
        throw AudioError(path, "is a directory, not an audio file");
    if (std::filesystem::file_size(path, ec) == 0)
        throw AudioError(path, "empty file (0 bytes)");
    info = SF_INFO{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    if (!f)
        throw AudioError(path, std::string("cannot decode: ") + sf_strerror(nullptr));
    SndfilePtr handle(f);
    if (info.channels <= 0)
        throw AudioError(path, "header declares no channels");
    if (info.samplerate < kMinSampleRate || info.samplerate > kMaxSampleRate)
        throw AudioError(path, "header declares an invalid sample rate of " +
                                   std::to_string(info.samplerate) + " Hz (expected " +
                                   std::to_string(kMinSampleRate) + " to " + std::to_string(kMaxSampleRate) +
                                   " Hz)");
    if (info.frames == 0)
        throw AudioError(path, "no audio frames (zero-length audio)");
    return handle;
}

} // namespace

const std::vector<std::string>& AudioFile::audioExtensions()
{
    static const std::vector<std::string> exts{".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3",
                                               ".aif", ".aiff", ".au",  ".caf", ".w64"};
    return exts;
}

AudioInfo AudioFile::probe(const std::string& path)
{
    SF_INFO info;
    SndfilePtr f = openForRead(path, info);
    AudioInfo out;
    out.frames = info.frames;
    out.sampleRate = info.samplerate;
    out.channels = info.channels;
    out.format = formatName(info.format);
    return out;
}

MonoAudio AudioFile::readMono(const std::string& path, int targetRate)
{
    SF_INFO info;
    SndfilePtr f = openForRead(path, info);
    const int channels = info.channels;

    // Decode in large blocks straight into the output (mono) or a block buffer (downmix). Blocks,
    // not one read of info.frames: mp3 and truncated files report an inexact frame count. The block
    // holds 64 Ki samples of all channels (a 1024-channel header must not cost 256 MiB per file).
    const sf_count_t blockFrames = std::max<sf_count_t>(1, (sf_count_t(1) << 16) / channels);
    MonoAudio out;
    out.sampleRate = info.samplerate;
    // The header's frame count is only a hint (a FLAC header may claim 2^36 frames in a few bytes):
    // reserve no more than 8 samples per byte of file (Ogg Vorbis decodes to about 3); growth does the rest.
    std::error_code ec;
    const std::uintmax_t fileBytes = std::filesystem::file_size(path, ec);
    if (info.frames > 0 && !ec)
        out.samples.reserve(
            static_cast<size_t>(std::min<std::uintmax_t>(std::uintmax_t(info.frames), fileBytes * 8)));
    std::vector<float> block(channels > 1 ? static_cast<size_t>(blockFrames) * size_t(channels) : 0);
    const float scale = 1.0f / float(channels);
    for (;;) {
        const size_t at = out.samples.size();
        out.samples.resize(at + size_t(blockFrames));
        float* dst = out.samples.data() + at;
        const sf_count_t got = sf_readf_float(f.get(), channels == 1 ? dst : block.data(), blockFrames);
        out.samples.resize(at + size_t(std::max<sf_count_t>(got, 0)));
        if (got <= 0)
            break;
        if (channels > 1) {
            for (sf_count_t i = 0; i < got; ++i) {
                const float* frame = block.data() + i * channels;
                float acc = 0.f;
                for (int c = 0; c < channels; ++c)
                    acc += frame[c];
                dst[i] = acc * scale;
            }
        }
        if (got < blockFrames)
            break;
    }
    bool nonFinite = false;
    for (float v : out.samples)
        nonFinite |= !std::isfinite(v);
    if (sf_error(f.get()) != SF_ERR_NO_ERROR)
        throw AudioError(path, std::string("decoding failed: ") + sf_strerror(f.get()));
    if (out.samples.empty())
        throw AudioError(path, "no audio frames could be decoded (truncated or corrupt)");
    if (nonFinite)
        throw AudioError(path, "contains NaN or infinite samples");
    if (targetRate > 0 && targetRate != out.sampleRate) {
        if (std::llround(double(out.samples.size()) * targetRate / out.sampleRate) == 0)
            throw AudioError(path, "too short to resample: " + std::to_string(out.samples.size()) +
                                       " sample(s) at " + std::to_string(out.sampleRate) +
                                       " Hz round to none at " + std::to_string(targetRate) + " Hz");
        out.samples = Resampler::resample(out.samples, out.sampleRate, targetRate);
        out.sampleRate = targetRate;
        // Finite but huge float samples (e.g. 1e37) can overflow in the resampler's filter.
        for (float v : out.samples)
            if (!std::isfinite(v))
                throw AudioError(path, "samples too large to resample to " + std::to_string(targetRate) +
                                           " Hz (the filter overflows to infinity)");
    }
    return out;
}

void AudioFile::write(const std::string& path, const std::vector<float>& interleaved, int sampleRate,
                      int channels)
{
    if (channels <= 0 || sampleRate <= 0 || interleaved.size() % size_t(channels) != 0)
        throw Error(path + ": invalid channel count or sample rate for writing");
    const std::string ext = std::filesystem::path(path).extension().string();
    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = channels;
    if (ext == ".flac")
        info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    else if (ext == ".ogg")
        info.format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    else if (ext == ".opus")
        info.format = SF_FORMAT_OGG | SF_FORMAT_OPUS;
    else if (ext == ".mp3")
        info.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    else
        info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* raw = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!raw)
        throw Error(path + ": cannot write audio: " + sf_strerror(nullptr));
    SndfilePtr f(raw);
    // Clip to full scale rather than let the PCM encoder wrap around.
    sf_command(f.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const sf_count_t frames = sf_count_t(interleaved.size() / size_t(channels));
    if (sf_writef_float(f.get(), interleaved.data(), frames) != frames)
        throw Error(path + ": short write: " + sf_strerror(f.get()));
}

} // namespace ssondo

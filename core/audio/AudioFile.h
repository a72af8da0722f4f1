// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

/// What a file's header says, without decoding the samples.
struct AudioInfo
{
    std::int64_t frames = 0; ///< samples per channel (libsndfile's count; approximate for mp3)
    int sampleRate = 0;      ///< Hz
    int channels = 0;
    std::string format; ///< container/codec, e.g. "wav/pcm16", "flac", "ogg/vorbis", "ogg/opus", "mp3"
    double durationSeconds() const { return sampleRate > 0 ? double(frames) / sampleRate : 0.0; }
};

/// Mono float samples at a known rate.
struct MonoAudio
{
    std::vector<float> samples; ///< [T] float32 in [-1, 1] (not clipped), mono
    int sampleRate = 0;         ///< Hz
    double durationSeconds() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

/// Reads any format libsndfile 1.1+ decodes (wav, aiff, flac, ogg/vorbis, ogg/opus, mp3, ...).
/// All functions are thread-safe (each call opens its own handle) and throw AudioError naming the
/// path and the reason: unreadable, not audio, empty (0 frames), truncated, non-finite samples.
class AudioFile
{
public:
    /// Header only: fast, used to scan datasets.
    static AudioInfo probe(const std::string& path);

    /// Decodes the whole file and downmixes to mono by the mean of the channels (the reference
    /// front end's rule). targetRate > 0 resamples with soxr (high quality); 0 keeps the file's rate.
    static MonoAudio readMono(const std::string& path, int targetRate = 0);

    /// Writes mono or interleaved multi-channel float samples as 16-bit PCM wav, FLAC or Ogg/Vorbis
    /// (chosen from the extension: .wav, .flac, .ogg (Vorbis), .opus (Ogg Opus), .mp3). Used by the demo
    /// generator and tests.
    static void write(const std::string& path, const std::vector<float>& interleaved, int sampleRate,
                      int channels);

    /// Extensions scanned as audio (lower case, with the dot).
    static const std::vector<std::string>& audioExtensions();
};

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio/ClipLoader.h"

#include "audio/AudioFile.h"
#include "audio/Segmenter.h"

#include <ATen/ATen.h>

namespace ssondo {

at::Tensor loadSegments(const std::string& path, int sampleRate, double windowSeconds)
{
    const MonoAudio audio = AudioFile::readMono(path, sampleRate);
    return Segmenter(windowSeconds, sampleRate)
        .split(audio.samples.data(), std::int64_t(audio.samples.size()));
}

} // namespace ssondo

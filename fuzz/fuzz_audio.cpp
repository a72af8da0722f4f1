// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: AudioFile::probe and AudioFile::readMono (decode, downmix, resample to the
// front end's 32 kHz as the training pipeline does) on arbitrary bytes, through libsndfile.
//
// The input's last byte picks the file's extension and is not part of the file: libsndfile falls
// back on the extension when it does not recognise the header (".au": headerless u-law, ".mp3":
// handed to mpg123), so the extension decides which decoders see garbage. AudioError (or another
// ssondo::Error) is the expected refusal; anything else is a bug.

#include "FuzzInput.h"

#include "audio/AudioFile.h"
#include "util/Error.h"

#include <cmath>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    static const char* const kExtensions[] = {".wav", ".mp3", ".au"};
    const fuzz::InputFile file("audio", kExtensions[data[size - 1] % 3], data, size - 1);
    const std::string& path = file.path();
    try {
        const ssondo::AudioInfo info = ssondo::AudioFile::probe(path);
        if (info.channels <= 0 || info.sampleRate <= 0)
            std::abort(); // probe promises a usable header
        const ssondo::MonoAudio a = ssondo::AudioFile::readMono(path, 32000);
        if (a.sampleRate != 32000 || a.samples.empty())
            std::abort();
        for (float v : a.samples)
            if (!std::isfinite(v))
                std::abort(); // readMono refuses non-finite samples
    } catch (const ssondo::Error&) {
    }
    return 0;
}

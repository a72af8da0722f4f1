// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "audio/LogMelFrontEnd.h"
#include "teachers/Teacher.h"

namespace ssondo {

/// The built-in demo teacher: a fixed-seed random-feature network, NOT a pretrained model.
/// It has the shape of the real teachers (16 kHz, 80 log-mels, 10 s windows, a 3840-d embedding
/// made of 5 frequency tokens × 768 averaged over time, like M2D and MATPAC++) and is several times
/// larger than the students (~19 M parameters) so that the demo shows compression, yet cheap:
/// patches of 16 mels × 80 frames (0.8 s) go through a per-band random projection and a shared
/// random MLP, about 0.5 GMAC per 10 s clip. Random features of log-mel patches keep sounds that
/// differ apart, so clustering, distillation and linear probes behave sensibly on the demo data.
class DemoTeacher : public Teacher
{
public:
    static constexpr std::uint64_t kSeed = 20260427;

    DemoTeacher();
    ~DemoTeacher() override;

    TeacherKind kind() const override { return TeacherKind::Demo; }
    int sampleRate() const override { return 16000; }
    double windowSeconds() const override { return 10.0; }
    std::int64_t embeddingDim() const override { return kBands * kTokenDim; }
    std::string identity() const override;
    std::string description() const override;
    std::int64_t parameterCount() const override;
    at::Tensor embed(const at::Tensor& wav) override;
    void to(const std::string& device) override;

    static constexpr int kBands = 5;      ///< frequency tokens
    static constexpr int kTokenDim = 768; ///< per-token output
    static constexpr int kPatchMels = 16;
    static constexpr int kPatchFrames = 80;
    static constexpr int kHidden = 2048;

private:
    struct Net;
    std::unique_ptr<Net> m_net;
    LogMelFrontEnd m_frontEnd;
};

} // namespace ssondo

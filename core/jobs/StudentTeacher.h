// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "audio/LogMelFrontEnd.h"
#include "teachers/Teacher.h"

#include <functional>
#include <memory>

namespace ssondo {

class StudentBackbone;
class Workspace;

/// A distilled student seen through the Teacher interface, so that ExtractJob embeds (and caches,
/// resumably) any dataset with it: waveform at 32 kHz → S-SONDO log-mel → backbone → embedding.
/// The mapping head is dropped, as in the paper's evaluation. Its identity hashes the checkpoint,
/// so a run trained further gets new embeddings instead of stale ones.
class StudentTeacher : public Teacher
{
public:
    /// The student of run `runId`, from its last checkpoint. Throws InputError without one.
    static std::shared_ptr<StudentTeacher> fromRun(Workspace& workspace, std::int64_t runId);

    /// A new (untrained) student of the same architecture and options, for inference copies.
    using Rebuild = std::function<std::shared_ptr<StudentBackbone>()>;

    StudentTeacher(std::shared_ptr<StudentBackbone> student, double windowSeconds, std::string identity,
                   std::string description, Rebuild rebuild = {});

    TeacherKind kind() const override { return TeacherKind::Student; }
    int sampleRate() const override { return m_frontEnd.sampleRate(); }
    double windowSeconds() const override { return m_window; }
    std::int64_t embeddingDim() const override;
    std::string identity() const override { return m_identity; }
    std::string description() const override { return m_description; }
    std::int64_t parameterCount() const override;
    at::Tensor embed(const at::Tensor& wav) override;
    void to(const std::string& device) override;
    /// On the CPU, with a Rebuild: the student as trained, with its batch norms folded into the
    /// convolutions, and folded and channels-last, each a copy timed on a trial batch; the fastest
    /// whose embeddings equal the trained one's to 1e-4 of their scale is kept (chooseForm).
    std::string optimizeForInference() override;

private:
    std::shared_ptr<StudentBackbone> m_student;
    Rebuild m_rebuild;
    bool m_channelsLast = false; ///< the student's weights, hence its input, are channels-last
    LogMelFrontEnd m_frontEnd;
    double m_window;
    std::string m_identity, m_description, m_device = "cpu";
};

} // namespace ssondo

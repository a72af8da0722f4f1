// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "audio/LogMelFrontEnd.h"
#include "teachers/Teacher.h"

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

    StudentTeacher(std::shared_ptr<StudentBackbone> student, double windowSeconds, std::string identity,
                   std::string description);

    TeacherKind kind() const override { return TeacherKind::Student; }
    int sampleRate() const override { return m_frontEnd.sampleRate(); }
    double windowSeconds() const override { return m_window; }
    std::int64_t embeddingDim() const override;
    std::string identity() const override { return m_identity; }
    std::string description() const override { return m_description; }
    std::int64_t parameterCount() const override;
    at::Tensor embed(const at::Tensor& wav) override;
    void to(const std::string& device) override;

private:
    std::shared_ptr<StudentBackbone> m_student;
    LogMelFrontEnd m_frontEnd;
    double m_window;
    std::string m_identity, m_description, m_device = "cpu";
};

} // namespace ssondo

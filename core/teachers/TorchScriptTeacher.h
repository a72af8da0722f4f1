#pragma once

#include "teachers/Teacher.h"

#include <memory>

namespace torch::jit {
struct Module;
}

namespace ssondo {

/// A teacher exported with torch.jit.trace/script (see packaging/export_teacher.py): its forward
/// maps mono waveforms [B, T] at its sample rate to embeddings [B, D]. The sample rate and window
/// come from the module's attributes `sample_rate` and `window_seconds` when present, else from
/// the spec. The file is checked when opened: it must load as TorchScript and, on one window of
/// low noise, return a finite [1, D] tensor. Loading a TorchScript file runs code from that file.
class TorchScriptTeacher : public Teacher
{
public:
    /// Throws InputError naming the file for every problem found.
    TorchScriptTeacher(const std::string& path, int sampleRate = 0, double windowSeconds = 0);
    ~TorchScriptTeacher() override;

    TeacherKind kind() const override { return TeacherKind::TorchScript; }
    int sampleRate() const override { return m_sampleRate; }
    double windowSeconds() const override { return m_windowSeconds; }
    std::int64_t embeddingDim() const override { return m_dim; }
    std::string identity() const override { return m_identity; }
    std::string description() const override;
    std::int64_t parameterCount() const override { return m_parameters; }
    at::Tensor embed(const at::Tensor& wav) override;
    void to(const std::string& device) override;

    const std::string& path() const { return m_path; }

private:
    at::Tensor forwardChecked(const at::Tensor& wav);

    std::string m_path;
    std::unique_ptr<torch::jit::Module> m_module;
    int m_sampleRate = 0;
    double m_windowSeconds = 0;
    std::int64_t m_dim = 0;
    std::int64_t m_parameters = 0;
    std::string m_identity;
    std::string m_device = "cpu";
};

} // namespace ssondo

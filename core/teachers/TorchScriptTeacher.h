// SPDX-License-Identifier: GPL-3.0-or-later
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
/// low noise, return a finite floating-point [1, D] tensor (float16 and float64 are converted to
/// float32); later outputs must keep that rank, dimension and dtype. Loading a TorchScript file
/// runs code from that file.
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
    /// On the CPU: the module as exported, frozen (torch.jit.freeze), or optimized for inference
    /// (frozen, conv-BN folded, oneDNN layouts: torch.jit.optimize_for_inference), each timed on a
    /// batch of 8 noise windows; the fastest whose output matches the exported one to 1e-4 of
    /// its scale is kept. The candidates are copies: the exported module is never called here.
    std::string optimizeForInference() override;

    const std::string& path() const { return m_path; }

private:
    /// The module's output for `wav`, unwrapped from a tuple; TeacherFailure when forward throws.
    at::Tensor rawForward(const at::Tensor& wav);
    /// Checks `out` against the contract of the first output (rank 2, batch, dimension, dtype)
    /// and returns it as contiguous float32 on the CPU. Throws `Bad` naming what differs.
    template <typename Bad> at::Tensor conform(const at::Tensor& out, std::int64_t batch) const;

    std::string m_path;
    std::unique_ptr<torch::jit::Module> m_module;
    int m_sampleRate = 0;
    double m_windowSeconds = 0;
    std::int64_t m_dim = 0;
    at::ScalarType m_dtype = at::ScalarType::Float; ///< dtype of the first output
    std::int64_t m_parameters = 0;
    std::string m_identity;
    std::string m_device = "cpu";
};

} // namespace ssondo

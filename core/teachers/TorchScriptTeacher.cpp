// SPDX-License-Identifier: GPL-3.0-or-later
#include "teachers/TorchScriptTeacher.h"

#include "teachers/FormTrial.h"
#include "util/Error.h"
#include "util/ErrorText.h"
#include "util/Hash.h"

#include <c10/core/InferenceMode.h>
#include <torch/script.h>

#include <filesystem>
#include <fstream>

namespace ssondo {

namespace {

std::string fileHash(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    Fnv1a64 h;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), std::streamsize(buf.size()));
        h.add(buf.data(), size_t(in.gcount()));
    }
    return h.hex();
}

} // namespace

TorchScriptTeacher::TorchScriptTeacher(const std::string& path, int sampleRate, double windowSeconds)
    : m_path(path)
{
    if (!std::filesystem::is_regular_file(path))
        throw InputError(path + ": teacher file does not exist");
    try {
        m_module = std::make_unique<torch::jit::Module>(torch::jit::load(path, torch::kCPU));
    } catch (const std::exception& e) {
        std::string why = e.what();
        why = why.substr(0, why.find('\n'));
        throw InputError(path + ": not a TorchScript file (torch.jit.load failed: " + why +
                         "); export the teacher with packaging/export_teacher.py");
    }
    m_module->eval();
    auto attrDouble = [&](const char* name) -> double {
        if (!m_module->hasattr(name))
            return 0;
        const c10::IValue v = m_module->attr(name);
        if (v.isInt())
            return double(v.toInt());
        if (v.isDouble())
            return v.toDouble();
        throw InputError(path + ": attribute '" + name + "' must be a number");
    };
    m_sampleRate = int(attrDouble("sample_rate"));
    m_windowSeconds = attrDouble("window_seconds");
    if (m_sampleRate <= 0)
        m_sampleRate = sampleRate;
    if (m_windowSeconds <= 0)
        m_windowSeconds = windowSeconds;
    if (m_sampleRate <= 0)
        throw InputError(path + ": the module has no 'sample_rate' attribute; pass --teacher-sample-rate HZ");
    if (m_windowSeconds <= 0)
        throw InputError(path +
                         ": the module has no 'window_seconds' attribute; pass --teacher-window SECONDS");
    for (const auto& p : m_module->parameters())
        m_parameters += p.numel();

    // Probe one window of low-level noise: it sets the contract every later output must keep.
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(1);
    const auto samples = std::int64_t(std::llround(m_windowSeconds * m_sampleRate));
    const at::Tensor probe = at::randn({1, samples}, gen, at::kFloat) * 0.01;
    at::Tensor raw;
    try {
        raw = rawForward(probe);
    } catch (const Error& e) {
        throw InputError(std::string(e.what()) + " (a probe window of low noise, when the file was opened)");
    }
    if (!at::isFloatingType(raw.scalar_type()))
        throw InputError(path + ": the teacher returns " + std::string(c10::toString(raw.scalar_type())) +
                         " tensors; embeddings must be floating point");
    m_dtype = raw.scalar_type();
    const at::Tensor out = conform<InputError>(raw, 1);
    if (!at::isfinite(out).all().item<bool>())
        throw InputError(path +
                         ": the teacher returned NaN or infinite values on a probe window of low noise");
    m_dim = out.size(1);
    m_identity = "torchscript-" + fileHash(path) + "-" + std::to_string(m_sampleRate) + "-" +
                 std::to_string(m_windowSeconds);
}

TorchScriptTeacher::~TorchScriptTeacher() = default;

std::string TorchScriptTeacher::description() const
{
    return "TorchScript teacher " + std::filesystem::path(m_path).filename().string() + " (" +
           std::to_string(m_parameters) + " parameters, " + std::to_string(m_sampleRate) + " Hz, " +
           std::to_string(m_windowSeconds) + " s windows, " + std::to_string(m_dim) + "-d)";
}

void TorchScriptTeacher::to(const std::string& device)
{
    m_module->to(torch::Device(device));
    m_device = device;
}

namespace {

/// A form of the module as a trial: its forward, unwrapped from a tuple.
FormTrial moduleTrial(std::string name, torch::jit::Module module)
{
    return {std::move(name),
            [module](const at::Tensor& x) mutable {
                c10::IValue r = module.forward({x});
                if (r.isTuple() && !r.toTupleRef().elements().empty())
                    r = r.toTupleRef().elements()[0];
                return r.toTensor();
            },
            {}, 0};
}

} // namespace

std::string TorchScriptTeacher::optimizeForInference()
{
    if (m_device != "cpu")
        return {};
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(2);
    const auto samples = std::int64_t(std::llround(m_windowSeconds * m_sampleRate));
    const at::Tensor x = at::randn({kFormTrialBatch, samples}, gen, at::kFloat) * 0.1;
    std::vector<FormTrial> trials;
    std::vector<torch::jit::Module> modules;
    std::string line;
    try {
        modules.push_back(m_module->clone());
        trials.push_back(moduleTrial("as exported", modules.back()));
        measureForm(trials.back(), x);
    } catch (const std::exception& e) {
        return "teacher kept as exported (a trial batch failed: " + errorText(e) + ")";
    }
    auto candidate = [&](const char* name, auto make) {
        try {
            torch::jit::Module copy = m_module->clone();
            torch::jit::Module made = make(copy);
            FormTrial t = moduleTrial(name, made);
            measureForm(t, x);
            trials.push_back(std::move(t));
            modules.push_back(made);
        } catch (const std::exception& e) {
            line += std::string(line.empty() ? "" : "; ") + name + " not possible (" + errorText(e) + ")";
        }
    };
    candidate("frozen", [](torch::jit::Module& m) { return torch::jit::freeze(m); });
    candidate("optimized for inference",
              [](torch::jit::Module& m) { return torch::jit::optimize_for_inference(m); });
    std::string times;
    const std::size_t best = chooseForm(trials, times);
    if (best != 0)
        *m_module = modules[best];
    return "teacher " + trials[best].name + " (per batch of " + std::to_string(kFormTrialBatch) +
           " windows: " + times + ")" + (line.empty() ? "" : "; " + line);
}

namespace {

std::string shapeText(const at::Tensor& t)
{
    std::string s = "[";
    for (std::int64_t d = 0; d < t.dim(); ++d)
        s += (d ? ", " : "") + std::to_string(t.size(d));
    return s + "]";
}

} // namespace

at::Tensor TorchScriptTeacher::rawForward(const at::Tensor& wav)
{
    c10::IValue result;
    try {
        c10::InferenceMode inference;
        result = m_module->forward({wav.to(torch::Device(m_device))});
    } catch (const std::exception& e) {
        throw TeacherFailure(m_path + ": the teacher's forward failed on input " + shapeText(wav) + ": " +
                             errorText(e));
    }
    if (result.isTuple() &&
        !result.toTupleRef().elements().empty()) // (embedding, ...) as some exports return
        result = result.toTupleRef().elements()[0];
    if (!result.isTensor())
        throw TeacherContractError(m_path + ": the teacher's forward returned a " + result.tagKind() +
                                   "; it must return a tensor [B, D]");
    return result.toTensor();
}

template <typename Bad>
at::Tensor TorchScriptTeacher::conform(const at::Tensor& out, std::int64_t batch) const
{
    if (out.dim() != 2 || out.size(0) != batch)
        throw Bad(m_path + ": the teacher returned shape " + shapeText(out) + " (rank " +
                  std::to_string(out.dim()) + ") for a batch of " + std::to_string(batch) +
                  "; expected [B, D] = [" + std::to_string(batch) + ", " +
                  (m_dim > 0 ? std::to_string(m_dim) : std::string("D")) + "]");
    if (m_dim > 0 && out.size(1) != m_dim)
        throw Bad(m_path + ": the teacher returned dimension " + std::to_string(out.size(1)) +
                  " where its first output had " + std::to_string(m_dim));
    if (out.scalar_type() != m_dtype)
        throw Bad(m_path + ": the teacher returned " + std::string(c10::toString(out.scalar_type())) +
                  " where its first output was " + std::string(c10::toString(m_dtype)));
    return out.to(at::kCPU).to(at::kFloat).contiguous();
}

at::Tensor TorchScriptTeacher::embed(const at::Tensor& wav)
{
    if (wav.dim() != 2)
        throw TeacherContractError("teacher input must be [B, T], got " + shapeText(wav));
    return conform<TeacherContractError>(rawForward(wav), wav.size(0));
}

} // namespace ssondo

#include "teachers/TorchScriptTeacher.h"

#include "util/Error.h"
#include "util/Hash.h"

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

    // Probe one window of low-level noise: output must be [1, D], finite.
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(1);
    const auto samples = std::int64_t(std::llround(m_windowSeconds * m_sampleRate));
    const at::Tensor probe = at::randn({1, samples}, gen, at::kFloat) * 0.01;
    const at::Tensor out = forwardChecked(probe);
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

at::Tensor TorchScriptTeacher::forwardChecked(const at::Tensor& wav)
{
    c10::IValue result;
    try {
        torch::NoGradGuard ng;
        result = m_module->forward({wav.to(torch::Device(m_device))});
    } catch (const std::exception& e) {
        std::string why = e.what();
        why = why.substr(0, why.find('\n'));
        throw Error(m_path + ": the teacher's forward failed on input " + std::to_string(wav.size(0)) +
                    " x " + std::to_string(wav.size(1)) + ": " + why);
    }
    if (result.isTuple()) // (embedding, ...) as some exports return
        result = result.toTuple()->elements().at(0);
    if (!result.isTensor())
        throw Error(m_path + ": the teacher's forward must return a tensor [B, D]");
    at::Tensor out = result.toTensor().to(at::kCPU).to(at::kFloat);
    if (out.dim() != 2 || out.size(0) != wav.size(0))
        throw Error(
            m_path + ": the teacher returned shape [" + std::to_string(out.dim() > 0 ? out.size(0) : 0) +
            (out.dim() > 1 ? ", " + std::to_string(out.size(1)) : std::string()) + "] (rank " +
            std::to_string(out.dim()) + "); expected [B, D] = [" + std::to_string(wav.size(0)) + ", D]");
    if (m_dim > 0 && out.size(1) != m_dim)
        throw Error(m_path + ": the teacher returned dimension " + std::to_string(out.size(1)) +
                    ", expected " + std::to_string(m_dim));
    if (!at::isfinite(out).all().item<bool>())
        throw Error(m_path + ": the teacher returned NaN or infinite values");
    return out.contiguous();
}

at::Tensor TorchScriptTeacher::embed(const at::Tensor& wav)
{
    TORCH_CHECK(wav.dim() == 2, "teacher input must be [B, T]");
    return forwardChecked(wav);
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/StudentExport.h"

#include "audio/LogMelFrontEnd.h"
#include "students/StateDict.h"
#include "students/StudentRegistry.h"
#include "util/AtomicFile.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <sstream>

#include <filesystem>

namespace fs = std::filesystem;

namespace ssondo {

std::vector<std::string> exportStudent(const std::string& dir, StudentBackbone& student,
                                       MappingHeadImpl& head, const nlohmann::json& info,
                                       double segmentSeconds)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error(dir + ": cannot create: " + ec.message());
    std::vector<std::string> files;
    const auto backbone = stateDict(student);
    const auto headDict = stateDict(head);
    auto path = [&](const char* name) { return (fs::path(dir) / name).string(); };

    writePyTorchStateDict(path("backbone.pt"), backbone);
    files.push_back(path("backbone.pt"));
    writePyTorchStateDict(path("mapping_head.pt"), headDict);
    files.push_back(path("mapping_head.pt"));
    std::map<std::string, at::Tensor> wrapper;
    for (const auto& [k, t] : backbone)
        wrapper["model." + k] = t;
    for (const auto& [k, t] : headDict)
        wrapper["classification_head." + k] = t;
    writePyTorchStateDict(path("ssondo_wrapper.pt"), wrapper);
    files.push_back(path("ssondo_wrapper.pt"));

    {
        // To memory, then checked writes (LibTorch's writer terminates the process on a full disk).
        torch::serialize::OutputArchive archive;
        student.save(archive);
        std::ostringstream bytes;
        archive.save_to(bytes);
        writeFileAtomic(path("backbone_libtorch.pt"), bytes.str());
    }
    files.push_back(path("backbone_libtorch.pt"));

    const LogMelOptions fe;
    nlohmann::json j = info;
    j["format"] = "ssondo-student-1";
    j["architecture"] = student.architecture();
    j["embedding_dim"] = student.embeddingDim();
    j["backbone_parameters"] = parameterCount(student);
    j["mapping_head"] = {{"in_features", head.options().in_features()},
                         {"hidden", head.options().hidden()},
                         {"out_features", head.options().out_features()},
                         {"dropout", head.options().dropout()},
                         {"parameters", parameterCount(head)}};
    j["front_end"] = {
        {"sample_rate", fe.sample_rate()},
        {"n_fft", fe.n_fft()},
        {"win_length", fe.win_length()},
        {"hop_length", fe.hop_length()},
        {"n_mels", fe.n_mels()},
        {"f_min", fe.f_min()},
        {"f_max", fe.f_max()},
        {"mel_scale", "slaney"},
        {"mel_norm", "slaney"},
        {"power", fe.power()},
        {"center", false},
        {"window", "hann (periodic)"},
        {"log", "ln(mel + 0.001)"},
        {"segment_seconds", segmentSeconds},
        {"input_shape",
         {1, fe.n_mels(), LogMelFrontEnd(fe).numFrames(std::llround(segmentSeconds * fe.sample_rate()))}}};
    j["state_dict_keys"] = backbone.size();
    writeFileAtomic(path("model.json"), j.dump(2));
    files.push_back(path("model.json"));
    return files;
}

std::shared_ptr<StudentBackbone> loadExportedStudent(const std::string& dir)
{
    const std::string meta = (fs::path(dir) / "model.json").string();
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readFile(meta));
    } catch (const std::exception& e) {
        throw InputError(meta + ": not an exported student (" + std::string(e.what()).substr(0, 120) + ")");
    }
    StudentOptions o;
    o.widthMult = j.value("width", 1.0);
    o.mChannels = j.value("m_channels", std::int64_t(16));
    const std::string arch = j.value("registry_name", std::string("mn10"));
    auto student = StudentRegistry::instance().create(arch, o);
    try {
        torch::serialize::InputArchive archive;
        archive.load_from((fs::path(dir) / "backbone_libtorch.pt").string());
        student->load(archive);
    } catch (const std::exception& e) {
        throw InputError(dir + "/backbone_libtorch.pt: cannot load (" + std::string(e.what()).substr(0, 160) +
                         ")");
    }
    student->eval();
    return student;
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/StateDict.h"

#include "students/TorchPickle.h"
#include "util/AtomicFile.h"
#include "util/Error.h"

#include <torch/serialize.h>
#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <sstream>

namespace ssondo {

std::map<std::string, at::Tensor> stateDict(const torch::nn::Module& module)
{
    std::map<std::string, at::Tensor> out;
    for (const auto& p : module.named_parameters())
        out[p.key()] = p.value();
    for (const auto& b : module.named_buffers())
        out[b.key()] = b.value();
    return out;
}

static std::string shapeOf(const at::Tensor& t)
{
    std::ostringstream s;
    s << t.sizes();
    return s.str();
}

LoadReport loadStateDict(torch::nn::Module& module, const std::map<std::string, at::Tensor>& tensors,
                         bool strict, const std::string& source)
{
    LoadReport r;
    auto own = stateDict(module);
    torch::NoGradGuard ng;
    for (auto& [name, target] : own) {
        auto it = tensors.find(name);
        if (it == tensors.end()) {
            r.missing.push_back(name);
            continue;
        }
        if (it->second.sizes() != target.sizes()) {
            r.mismatched.push_back(name + ": file " + shapeOf(it->second) + " vs model " + shapeOf(target));
            continue;
        }
        target.copy_(it->second.to(target.dtype()).to(target.device()));
        r.loaded.push_back(name);
    }
    for (const auto& [name, t] : tensors)
        if (!own.count(name))
            r.unexpected.push_back(name);
    if (strict && (!r.missing.empty() || !r.unexpected.empty() || !r.mismatched.empty())) {
        std::string msg = source + ": does not match the model:";
        auto list = [&](const char* what, const std::vector<std::string>& v) {
            if (v.empty())
                return;
            msg += std::string(" ") + std::to_string(v.size()) + " " + what + " (";
            for (size_t i = 0; i < v.size() && i < 5; ++i)
                msg += (i ? ", " : "") + v[i];
            msg += v.size() > 5 ? ", ...)" : ")";
        };
        list("missing", r.missing);
        list("unexpected", r.unexpected);
        list("mismatched", r.mismatched);
        throw InputError(msg);
    }
    return r;
}

std::map<std::string, at::Tensor> readPyTorchStateDict(const std::string& path)
{
    auto all = readTorchSaveTensors(path);
    if (all.empty())
        throw InputError(path + ": the file holds no tensors");
    // Unwrap {"state_dict": {...}} / {"model": {...}} (Lightning, EfficientAT checkpoints).
    for (const char* wrapper : {"state_dict.", "model_state_dict.", "model."}) {
        const std::string w = wrapper;
        bool allUnder = true;
        for (const auto& [k, t] : all)
            allUnder &= k.rfind(w, 0) == 0;
        if (allUnder) {
            std::map<std::string, at::Tensor> inner;
            for (const auto& [k, t] : all)
                inner[k.substr(w.size())] = t;
            return inner;
        }
    }
    return all;
}

void writePyTorchStateDict(const std::string& path, const std::map<std::string, at::Tensor>& tensors)
{
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto& [k, t] : tensors)
        dict.insert(k, t.detach().cpu().contiguous());
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
    writeFileAtomic(path, std::string(bytes.begin(), bytes.end()));
}

} // namespace ssondo

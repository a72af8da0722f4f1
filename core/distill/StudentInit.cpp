// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/StudentInit.h"

#include "students/StateDict.h"
#include "students/StudentBackbone.h"
#include "util/Error.h"
#include "util/ProgressSink.h"

#include <ATen/ATen.h>

#include <map>

namespace ssondo {

namespace {

bool isClassifierKey(const std::string& k)
{
    for (const char* prefix : {"classifier.", "classification_head.", "student_model.classification_head."})
        if (k.rfind(prefix, 0) == 0)
            return true;
    return false;
}

std::string withoutWrapperPrefix(const std::string& k)
{
    for (const char* prefix : {"student_model.model.", "model.", "module."})
        if (k.rfind(prefix, 0) == 0)
            return k.substr(std::string(prefix).size());
    return k;
}

} // namespace

void initFromStateDict(StudentBackbone& student, const std::string& path, const std::string& arch,
                       ProgressSink& sink)
{
    std::map<std::string, at::Tensor> tensors;
    std::size_t dropped = 0;
    for (auto& [key, t] : readPyTorchStateDict(path)) {
        const std::string k = withoutWrapperPrefix(key);
        if (isClassifierKey(k) || isClassifierKey(key)) {
            ++dropped;
            continue;
        }
        tensors[k] = t;
    }
    const LoadReport r = loadStateDict(student, tensors, false, path);
    sink.info("Initialised from " + path + ": " + std::to_string(r.loaded.size()) + " tensors loaded, " +
              std::to_string(dropped) + " classifier tensors dropped, " + std::to_string(r.missing.size()) +
              " missing, " + std::to_string(r.unexpected.size()) + " unexpected, " +
              std::to_string(r.mismatched.size()) + " with another shape");
    for (const auto& k : r.missing)
        sink.warning("not in the init file; keeps its fresh initialisation", k);
    for (const auto& k : r.unexpected)
        sink.warning("in the init file but not in the model; ignored", k);
    for (const auto& k : r.mismatched)
        sink.warning("shape differs; keeps its fresh initialisation", k);
    if (r.loaded.empty())
        throw InputError(path + ": no tensor matches the " + arch +
                         " student (are these the reference key names?)");
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "teachers/Teacher.h"

#include "teachers/DemoTeacher.h"
#include "teachers/PrecomputedTeacher.h"
#include "teachers/TorchScriptTeacher.h"
#include "util/Error.h"

#include <filesystem>

namespace ssondo {

std::string teacherKindName(TeacherKind kind)
{
    switch (kind) {
    case TeacherKind::Demo:
        return "demo";
    case TeacherKind::TorchScript:
        return "torchscript";
    case TeacherKind::Precomputed:
        return "precomputed";
    case TeacherKind::Student:
        return "student";
    }
    return "unknown";
}

std::unique_ptr<Teacher> openTeacher(const TeacherSpec& spec)
{
    if (spec.source.empty() || spec.source == "demo")
        return std::make_unique<DemoTeacher>();
    namespace fs = std::filesystem;
    if (!fs::exists(spec.source))
        throw InputError(spec.source +
                         ": no such teacher (expected 'demo', a TorchScript .pt file, a folder of .npz "
                         "embeddings or a .npy matrix)");
    if (fs::is_directory(spec.source) || fs::path(spec.source).extension() == ".npy")
        return std::make_unique<PrecomputedTeacher>(spec.source, spec.indexCsv);
    return std::make_unique<TorchScriptTeacher>(spec.source, spec.sampleRate, spec.windowSeconds);
}

} // namespace ssondo

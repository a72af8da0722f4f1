// SPDX-License-Identifier: GPL-3.0-or-later
#include "students/StudentRegistry.h"

#include "students/DyMN.h"
#include "students/ERes2Net.h"
#include "students/MobileNetV3.h"
#include "util/Error.h"

namespace ssondo {

StudentRegistry& StudentRegistry::instance()
{
    static StudentRegistry r;
    return r;
}

StudentRegistry::StudentRegistry()
{
    add({"mn10",
         "MobileNetV3",
         "MobileNetV3 (EfficientAT mn10, width 1.0); --width sets the multiplier",
         0,
         0,
         {1, 128, 624},
         "Schmid et al., ICASSP 2023 (EfficientAT); Howard et al., ICCV 2019"},
        [](const StudentOptions& o) {
            return std::static_pointer_cast<StudentBackbone>(
                std::make_shared<MobileNetV3Impl>(MobileNetV3Options().width_mult(o.widthMult)));
        });
    add({"dymn10",
         "DyMN",
         "Dynamic MobileNet (EfficientAT dymn10, width 1.0): dynamic convolutions, Dynamic ReLU, "
         "coordinate attention; --width sets the multiplier",
         0,
         0,
         {1, 128, 624},
         "Schmid et al., TASLP 2024 (EfficientAT DyMN)"},
        [](const StudentOptions& o) {
            return std::static_pointer_cast<StudentBackbone>(
                std::make_shared<DyMNImpl>(DyMNOptions().width_mult(o.widthMult)));
        });
    add({"eres2net",
         "ERes2Net",
         "ERes2Net (S-SONDO variant: 5 layers, AFF fusion, statistics pooling); --m-channels sets the width",
         0,
         0,
         {1, 128, 624},
         "Chen et al., Interspeech 2023 (ERes2Net); S-SONDO, ICASSP 2026"},
        [](const StudentOptions& o) {
            return std::static_pointer_cast<StudentBackbone>(
                std::make_shared<ERes2NetImpl>(ERes2NetOptions().m_channels(o.mChannels)));
        });
}

void StudentRegistry::add(StudentInfo info, Factory factory)
{
    // Fill the numbers from a real instance so that the listing can never drift from the code.
    auto model = factory(StudentOptions{});
    info.parameters = parameterCount(*model);
    info.embeddingDim = model->embeddingDim();
    m_entries.emplace_back(std::move(info), std::move(factory));
}

std::vector<StudentInfo> StudentRegistry::list() const
{
    std::vector<StudentInfo> out;
    for (const auto& e : m_entries)
        out.push_back(e.first);
    return out;
}

bool StudentRegistry::has(const std::string& name) const
{
    for (const auto& e : m_entries)
        if (e.first.name == name)
            return true;
    return false;
}

std::shared_ptr<StudentBackbone> StudentRegistry::create(const std::string& name,
                                                         const StudentOptions& options) const
{
    for (const auto& e : m_entries)
        if (e.first.name == name)
            return e.second(options);
    std::string known;
    for (const auto& e : m_entries)
        known += (known.empty() ? "" : ", ") + e.first.name;
    throw InputError("unknown student '" + name + "' (known: " + known + ")");
}

} // namespace ssondo

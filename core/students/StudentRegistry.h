// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "students/StudentBackbone.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ssondo {

/// Options common to every student; each architecture reads what applies to it.
struct StudentOptions
{
    double widthMult = 1.0;      ///< channel multiplier
    std::int64_t mChannels = 16; ///< ERes2Net base channels
};

/// What `ssondo students` lists about an architecture.
struct StudentInfo
{
    std::string name;   ///< "mn10", ...
    std::string family; ///< "MobileNetV3", ...
    std::string description;
    std::int64_t parameters = 0; ///< backbone, with default options
    std::int64_t embeddingDim = 0;
    std::vector<std::int64_t> inputShape; ///< [1, 128, 624] for a 10 s clip
    std::string reference;                ///< where the architecture comes from
};

/// The students the workbench can train. Later architectures register here (DyMN, ERes2Net).
class StudentRegistry
{
public:
    using Factory = std::function<std::shared_ptr<StudentBackbone>(const StudentOptions&)>;

    static StudentRegistry& instance();
    void add(StudentInfo info, Factory factory);
    std::vector<StudentInfo> list() const;
    /// Throws InputError listing the known names.
    std::shared_ptr<StudentBackbone> create(const std::string& name,
                                            const StudentOptions& options = {}) const;
    bool has(const std::string& name) const;

private:
    StudentRegistry();
    std::vector<std::pair<StudentInfo, Factory>> m_entries;
};

} // namespace ssondo

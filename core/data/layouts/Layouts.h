// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The readers of the standard layouts (one file each). Internal to core/data/layouts: the rest of
// the code reaches them through datasetLayouts().

#include "data/layouts/DatasetLayout.h"

namespace ssondo::layouts {

bool detectEsc50(const std::filesystem::path& root);
LayoutRead readEsc50(const std::filesystem::path& root);
bool detectUrbanSound8K(const std::filesystem::path& root);
LayoutRead readUrbanSound8K(const std::filesystem::path& root);
bool detectGtzan(const std::filesystem::path& root);
LayoutRead readGtzan(const std::filesystem::path& root);
bool detectNSynth(const std::filesystem::path& root);
LayoutRead readNSynth(const std::filesystem::path& root);
bool detectFsd50k(const std::filesystem::path& root);
LayoutRead readFsd50k(const std::filesystem::path& root);
bool detectOpenMic(const std::filesystem::path& root);
LayoutRead readOpenMic(const std::filesystem::path& root);
bool detectMagnaTagATune(const std::filesystem::path& root);
LayoutRead readMagnaTagATune(const std::filesystem::path& root);
bool detectHear(const std::filesystem::path& root);
LayoutRead readHear(const std::filesystem::path& root);

} // namespace ssondo::layouts

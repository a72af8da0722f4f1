// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <string>

namespace ssondo {

/// Writes `path` so that a reader or a crash only ever sees the old file or the complete new one:
/// the bytes go to `path.tmp-<pid>`, are fsynced, renamed over `path`, and the folder is fsynced.
/// Throws Error naming the file (disk full, permissions); the old file is then untouched.
void writeFileAtomic(const std::string& path, const std::string& content);

/// Same, with a writer callback that fills a temporary file path (for writers that need a path,
/// such as torch::save). The callback must write `tmpPath` completely or throw.
void writeFileAtomicWith(const std::string& path,
                         const std::function<void(const std::string& tmpPath)>& writer);

/// Reads a whole file; throws Error naming it when it cannot.
std::string readFile(const std::string& path);

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace ssondo {
class StopToken;
namespace cli {

/// `ssondo train --nproc N`: starts N copies of this command on this machine as the ranks of one
/// data-parallel job (RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1 and a
/// free MASTER_PORT in their environment, `--nproc` removed, ranks > 0 quiet), forwards SIGINT/
/// SIGTERM to them, and stops the others when one fails. Returns the exit code: rank 0's when all
/// succeed, else the first failure's.
int launchLocal(const std::vector<std::string>& argv, int nproc, const StopToken& stop);

/// In a forked child: runs this executable with `args` (args[0] as its name); never returns (exit
/// 127 when the exec fails).
[[noreturn]] void execSelf(std::vector<std::string> args);

/// The arguments without `--nproc N` / `--nproc=N`.
std::vector<std::string> withoutNproc(const std::vector<std::string>& argv);

} // namespace cli
} // namespace ssondo

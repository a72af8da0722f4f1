// SPDX-License-Identifier: GPL-3.0-or-later
#include "distributed/DistEnv.h"

#include "util/Error.h"

#include <cstdlib>
#include <string>

namespace ssondo {

namespace {

int toInt(const DistEnv::Getenv& getenv, const char* name, int fallback, int min, int max)
{
    const char* v = getenv(name);
    if (!v || !*v)
        return fallback;
    char* end = nullptr;
    const long x = std::strtol(v, &end, 10);
    if (*end != '\0' || x < min || x > max)
        throw InputError(std::string("environment variable ") + name + "='" + v +
                         "' is not a whole number in [" + std::to_string(min) + ", " + std::to_string(max) +
                         "]");
    return int(x);
}

bool has(const DistEnv::Getenv& getenv, const char* name)
{
    const char* v = getenv(name);
    return v && *v;
}

/// "4(x2),2" → tasks on the first node (SLURM_TASKS_PER_NODE / SLURM_NTASKS_PER_NODE formats).
int firstCount(const char* v, int fallback)
{
    if (!v || !*v)
        return fallback;
    const long x = std::strtol(v, nullptr, 10);
    return x > 0 ? int(x) : fallback;
}

} // namespace

std::string firstSlurmHost(const std::string& list)
{
    // The first entry ends at the first comma outside brackets.
    std::size_t end = 0;
    int depth = 0;
    for (; end < list.size(); ++end) {
        if (list[end] == '[')
            ++depth;
        else if (list[end] == ']')
            --depth;
        else if (list[end] == ',' && depth == 0)
            break;
    }
    const std::string first = list.substr(0, end);
    const auto open = first.find('[');
    if (open == std::string::npos)
        return first;
    // prefix[03-05,9]suffix → prefix03suffix (zero padding kept)
    const auto close = first.find(']', open);
    if (close == std::string::npos)
        throw InputError("malformed Slurm node list '" + list + "'");
    std::string range = first.substr(open + 1, close - open - 1);
    range = range.substr(0, range.find_first_of(",-"));
    return first.substr(0, open) + range + first.substr(close + 1);
}

std::string DistEnv::describe() const
{
    if (!distributed())
        return "single process";
    return "rank " + std::to_string(rank) + " of " + std::to_string(worldSize) + " (" + source + ", " +
           (masterAddr.empty() ? "file store " + storeFile
                               : "master " + masterAddr + ":" + std::to_string(masterPort)) +
           ")";
}

DistEnv DistEnv::fromEnvironment()
{
    return fromEnvironment([](const char* n) { return std::getenv(n); });
}

DistEnv DistEnv::fromEnvironment(const Getenv& getenv)
{
    DistEnv e;
    const int maxRanks = 1 << 20;
    if (has(getenv, "WORLD_SIZE") || has(getenv, "RANK")) {
        if (!has(getenv, "WORLD_SIZE") || !has(getenv, "RANK"))
            throw InputError("RANK and WORLD_SIZE must be set together (found only " +
                             std::string(has(getenv, "RANK") ? "RANK" : "WORLD_SIZE") + ")");
        e.source = "env";
        e.worldSize = toInt(getenv, "WORLD_SIZE", 1, 1, maxRanks);
        e.rank = toInt(getenv, "RANK", 0, 0, maxRanks);
        e.localRank = toInt(getenv, "LOCAL_RANK", e.rank, 0, maxRanks);
        e.localWorldSize = toInt(getenv, "LOCAL_WORLD_SIZE", e.worldSize, 1, maxRanks);
        e.jobKey = has(getenv, "TORCHELASTIC_RUN_ID") ? getenv("TORCHELASTIC_RUN_ID") : "";
    } else if (has(getenv, "SLURM_PROCID") && has(getenv, "SLURM_NTASKS")) {
        e.source = "slurm";
        e.worldSize = toInt(getenv, "SLURM_NTASKS", 1, 1, maxRanks);
        e.rank = toInt(getenv, "SLURM_PROCID", 0, 0, maxRanks);
        e.localRank = toInt(getenv, "SLURM_LOCALID", 0, 0, maxRanks);
        e.localWorldSize =
            firstCount(getenv("SLURM_NTASKS_PER_NODE"), firstCount(getenv("SLURM_TASKS_PER_NODE"), 1));
        e.jobKey = has(getenv, "SLURM_JOB_ID") ? getenv("SLURM_JOB_ID") : "";
        const char* nodes =
            has(getenv, "SLURM_STEP_NODELIST") ? getenv("SLURM_STEP_NODELIST") : getenv("SLURM_JOB_NODELIST");
        if (!has(getenv, "MASTER_ADDR") && nodes && *nodes)
            e.masterAddr = firstSlurmHost(nodes);
        if (!has(getenv, "MASTER_PORT") && !e.jobKey.empty())
            e.masterPort = 20000 + int(std::strtoll(e.jobKey.c_str(), nullptr, 10) % 20000);
    } else if (has(getenv, "OMPI_COMM_WORLD_SIZE")) {
        e.source = "openmpi";
        e.worldSize = toInt(getenv, "OMPI_COMM_WORLD_SIZE", 1, 1, maxRanks);
        e.rank = toInt(getenv, "OMPI_COMM_WORLD_RANK", 0, 0, maxRanks);
        e.localRank = toInt(getenv, "OMPI_COMM_WORLD_LOCAL_RANK", 0, 0, maxRanks);
        e.localWorldSize = toInt(getenv, "OMPI_COMM_WORLD_LOCAL_SIZE", 1, 1, maxRanks);
        e.jobKey = has(getenv, "OMPI_MCA_ess_base_jobid") ? getenv("OMPI_MCA_ess_base_jobid") : "";
    }
    if (has(getenv, "MASTER_ADDR"))
        e.masterAddr = getenv("MASTER_ADDR");
    if (has(getenv, "MASTER_PORT"))
        e.masterPort = toInt(getenv, "MASTER_PORT", 0, 1, 65535);
    if (e.rank >= e.worldSize)
        throw InputError("rank " + std::to_string(e.rank) + " is outside a world of " +
                         std::to_string(e.worldSize) + " processes (" + e.source + " environment)");
    if (e.distributed() && !e.masterAddr.empty() && e.masterPort == 0)
        e.masterPort = 29500; // torchrun's default
    if (e.source == "single")
        e.worldSize = 1;
    return e;
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <string>

namespace ssondo {

/// Where this process sits in a data-parallel job, read from the launcher's environment:
///  1. torchrun-style: RANK, WORLD_SIZE (LOCAL_RANK, LOCAL_WORLD_SIZE), MASTER_ADDR, MASTER_PORT
///  2. Slurm (srun): SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID, SLURM_NTASKS_PER_NODE, the first
///     host of SLURM_JOB_NODELIST (or SLURM_STEP_NODELIST) as master, MASTER_PORT or a port derived
///     from SLURM_JOB_ID
///  3. Open MPI (mpirun): OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE, OMPI_COMM_WORLD_LOCAL_RANK,
///     OMPI_COMM_WORLD_LOCAL_SIZE; MASTER_ADDR/MASTER_PORT when set, else rendezvous through a file
///     on the shared workspace (FileStore)
/// and otherwise a single process.
struct DistEnv
{
    int rank = 0, worldSize = 1;
    int localRank = 0, localWorldSize = 1;
    std::string masterAddr; ///< empty: rendezvous through `storeFile` instead of TCP
    int masterPort = 0;
    std::string storeFile;         ///< FileStore path (set by the caller when masterAddr is empty)
    std::string source = "single"; ///< "env", "slurm", "openmpi" or "single"
    std::string jobKey;            ///< identifies the job for a FileStore name (Slurm/MPI job id)

    bool distributed() const { return worldSize > 1; }
    /// "rank 1 of 2 (slurm, master node01:29500)"
    std::string describe() const;

    using Getenv = std::function<const char*(const char*)>;
    /// Reads the variables above. Throws InputError on inconsistent values (rank outside the world,
    /// a world size without a rank, a non-numeric port) naming the variable.
    static DistEnv fromEnvironment(const Getenv& getenv);
    static DistEnv fromEnvironment();
};

/// First host of a Slurm node list: "node[03-05,9],gpu1" → "node03"; "a,b" → "a".
std::string firstSlurmHost(const std::string& nodeList);

} // namespace ssondo

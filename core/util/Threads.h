// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace ssondo {

/// Intra-op threads for this process's tensor work: OMP_NUM_THREADS when it is set (a launcher,
/// Slurm or the user chose), else the logical cores shared out between `sharers` processes of
/// this machine (data-parallel ranks). At least 1.
int computeThreads(int sharers = 1);

/// Logical cores of this machine (at least 1).
int logicalCores();

/// Fixes the calling thread's intra-op thread count at `n`. ATen sets each thread's count lazily,
/// at its first parallel operation, from a process-wide value that every at::set_num_threads
/// call changes, including a decoder worker's set_num_threads(1): a thread that has not done any
/// parallel work yet would silently take 1. This initialises the calling thread first, then sets
/// it, so later calls on other threads no longer change it.
void pinIntraOpThreads(int n);

/// For worker threads (decoding, data pipelines): one intra-op thread, leaving the cores to the
/// thread that runs the model. Call before any tensor work on the worker.
void useOneIntraOpThread();

} // namespace ssondo

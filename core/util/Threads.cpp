// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/Threads.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

namespace ssondo {

int logicalCores()
{
    return std::max(1, int(std::thread::hardware_concurrency()));
}

int computeThreads(int sharers)
{
    if (const char* omp = std::getenv("OMP_NUM_THREADS")) {
        char* end = nullptr;
        const long n = std::strtol(omp, &end, 10);
        if (end != omp && *end == '\0' && n > 0)
            return int(std::min<long>(n, 4096));
    }
    return std::max(1, logicalCores() / std::max(1, sharers));
}

void pinIntraOpThreads(int n)
{
    at::internal::lazy_init_num_threads();
    at::set_num_threads(std::max(1, n));
}

void useOneIntraOpThread()
{
    pinIntraOpThreads(1);
}

} // namespace ssondo

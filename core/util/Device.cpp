// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/Device.h"

#include "util/Error.h"

#include <torch/cuda.h>

namespace ssondo {

const ChoiceTable<Named<int>>& devices()
{
    static const ChoiceTable<Named<int>> table(
        "device",
        {{0, "auto", "the GPU when LibTorch was built with CUDA and one is visible, else the CPU"},
         {1, "cpu", "the CPU"},
         {2, "cuda", "the first GPU (of the rank's node, for data-parallel ranks: cuda:LOCAL_RANK)"},
         {3, "cuda:N", "GPU number N"}});
    return table;
}

bool isDeviceRequest(const std::string& request)
{
    if (request.rfind("cuda:", 0) == 0)
        return request.size() > 5 && request.find_first_not_of("0123456789", 5) == std::string::npos;
    return request != "cuda:N" && devices().contains(request);
}

std::string resolveDevice(const std::string& request)
{
    const bool cuda = torch::cuda::is_available();
    if (request.empty() || request == "auto")
        return cuda ? "cuda" : "cpu";
    if (request == "cpu")
        return "cpu";
    if (isDeviceRequest(request)) {
        if (!cuda)
            throw InputError(
                "device '" + request +
                "' requested but no CUDA GPU is available to this build of LibTorch "
                "(Debian's libtorch is CPU-only; build against an official CUDA LibTorch, see README)");
        return request;
    }
    throw InputError("unknown device '" + request + "' (one of " + devices().names(", ") + ")");
}

} // namespace ssondo

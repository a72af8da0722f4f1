#include "util/Device.h"

#include "util/Error.h"

#include <torch/cuda.h>

namespace ssondo {

std::string resolveDevice(const std::string& request)
{
    const bool cuda = torch::cuda::is_available();
    if (request.empty() || request == "auto")
        return cuda ? "cuda" : "cpu";
    if (request == "cpu")
        return "cpu";
    if (request == "cuda" || request.rfind("cuda:", 0) == 0) {
        if (!cuda)
            throw InputError(
                "device '" + request +
                "' requested but no CUDA GPU is available to this build of LibTorch "
                "(Debian's libtorch is CPU-only; build against an official CUDA LibTorch, see README)");
        return request;
    }
    throw InputError("unknown device '" + request + "' (expected auto, cpu, cuda or cuda:N)");
}

} // namespace ssondo

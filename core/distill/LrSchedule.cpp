#include "distill/LrSchedule.h"

#include "distill/TrainConfig.h"

#include <algorithm>
#include <cmath>

namespace ssondo {

double lrFactor(const TrainConfig& c, double e)
{
    if (c.schedule == "constant")
        return 1.0;
    const double warm = (c.warmupEpochs > 0 && e < c.warmupEpochs)
                            ? std::exp(-5.0 * std::pow(1.0 - e / c.warmupEpochs, 2.0))
                            : 1.0;
    if (c.schedule == "cosine") {
        const double span = std::max(1.0, double(c.epochs) - 1.0 - c.warmupEpochs);
        const double t = std::clamp((e - c.warmupEpochs) / span, 0.0, 1.0);
        return warm * (c.rampdownFinal + (1.0 - c.rampdownFinal) * 0.5 * (1.0 + std::cos(M_PI * t)));
    }
    double ramp = 1.0;
    if (e >= c.rampdownStart) {
        const double t = std::min(1.0, (e - c.rampdownStart) / c.rampdownEpochs);
        ramp = 1.0 - (1.0 - c.rampdownFinal) * t;
    }
    return warm * ramp;
}

} // namespace ssondo

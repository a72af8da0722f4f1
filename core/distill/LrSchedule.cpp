// SPDX-License-Identifier: GPL-3.0-or-later
#include "distill/LrSchedule.h"

#include "distill/TrainConfig.h"

#include <algorithm>
#include <cmath>

namespace ssondo {

namespace {

/// exp(−5 (1 − e / warmup)²) during the warm-up (the reference's), then 1.
double warmUp(const TrainConfig& c, double e)
{
    return (c.warmupEpochs > 0 && e < c.warmupEpochs)
               ? std::exp(-5.0 * std::pow(1.0 - e / c.warmupEpochs, 2.0))
               : 1.0;
}

double referenceFactor(const TrainConfig& c, double e)
{
    double ramp = 1.0;
    if (e >= c.rampdownStart) {
        const double t = std::min(1.0, (e - c.rampdownStart) / c.rampdownEpochs);
        ramp = 1.0 - (1.0 - c.rampdownFinal) * t;
    }
    return warmUp(c, e) * ramp;
}

double cosineFactor(const TrainConfig& c, double e)
{
    const double span = std::max(1.0, double(c.epochs) - 1.0 - c.warmupEpochs);
    const double t = std::clamp((e - c.warmupEpochs) / span, 0.0, 1.0);
    return warmUp(c, e) * (c.rampdownFinal + (1.0 - c.rampdownFinal) * 0.5 * (1.0 + std::cos(M_PI * t)));
}

} // namespace

const ChoiceTable<ScheduleEntry>& schedules()
{
    static const ChoiceTable<ScheduleEntry> table(
        "schedule",
        {{"reference", "the reference's: exponential warm-up, then a linear ramp-down to rampdown_final",
          referenceFactor},
         {"cosine", "the same warm-up, then a cosine decay to rampdown_final at the last epoch",
          cosineFactor},
         {"constant", "optim.lr throughout", [](const TrainConfig&, double) { return 1.0; }}});
    return table;
}

double lrFactor(const TrainConfig& c, double e)
{
    return schedules().get(c.schedule, "optim.schedule").factor(c, e);
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

namespace ssondo {

struct TrainConfig;

/// One learning-rate schedule (optim.schedule): its factor of optim.lr at a 0-based epoch.
struct ScheduleEntry
{
    std::string_view name;
    std::string_view description;
    double (*factor)(const TrainConfig& config, double epoch);
};

/// reference, cosine, constant (below).
const ChoiceTable<ScheduleEntry>& schedules();

/// Learning-rate factor (multiplies optim.lr) for a 0-based epoch, per epoch as the reference:
///  reference: exp(−5 (1 − e / warmup)²) during the warm-up, then 1, then a linear ramp from 1 at
///             rampdown_start to rampdown_final after rampdown_epochs more epochs, then constant;
///  cosine:    the same warm-up, then a cosine decay from 1 to rampdown_final at the last epoch;
///  constant:  1.
double lrFactor(const TrainConfig& config, double epoch);

} // namespace ssondo

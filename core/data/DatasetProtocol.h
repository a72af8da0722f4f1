// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace ssondo {

/// How a dataset is evaluated, as its own metadata says: the protocol a layout reader found (ESC-50's
/// folds, NSynth's split, OpenMIC's masked labels...). `ssondo evaluate` follows it by default.
/// Empty fields mean "not said": a plain folder or CSV, where evaluation picks from the clips.
struct DatasetProtocol
{
    std::string layout;     ///< the layout read ("esc50", "nsynth", ...; "" for a folder or a CSV)
    std::string evaluation; ///< "folds" (cross-validation on the dataset's folds), "split", "stratified", ""
    std::string metric;     ///< "accuracy", "mAP" or ""
    bool multiLabel = false;
    /// Labels can be unknown (OpenMIC): a clip's `known` labels are those annotated; the probe's
    /// loss and the mAP ignore the others.
    bool masked = false;
    std::vector<std::string> classes; ///< the task's vocabulary in its own order; empty: the clips' labels
    std::string note;                 ///< e.g. "no split lists: stratified folds"

    bool empty() const { return layout.empty() && evaluation.empty() && metric.empty(); }
    /// JSON as the workspace stores it ("" for an empty protocol).
    std::string toJson() const;
    /// Throws InputError naming the dataset on malformed JSON; "" gives an empty protocol.
    static DatasetProtocol fromJson(const std::string& json, const std::string& dataset);
};

} // namespace ssondo

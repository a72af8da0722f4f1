// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/DatasetProtocol.h"
#include "util/ChoiceTable.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ssondo {

/// One clip as a dataset's metadata names it.
struct LayoutClip
{
    std::string path; ///< relative to the dataset root, '/' separated
    std::vector<std::string> labels;
    std::vector<std::string> known; ///< masked datasets: the labels annotated (positive or negative)
    int fold = -1;
    std::string split; ///< "train", "valid", "test" or "" (outside the protocol)
};

/// What a layout reader found under a dataset root.
struct LayoutRead
{
    std::vector<LayoutClip> clips; ///< every clip the metadata names, present on disk or not
    DatasetProtocol protocol;
    std::vector<std::string> warnings;
};

/// A standard dataset as downloaded: how to recognise it from its metadata files and read its
/// labels, folds, splits and protocol. The facts each reader relies on are in docs/datasets.md.
struct DatasetLayout
{
    std::string_view name; ///< what `ssondo dataset add --format` takes
    std::string_view description;
    bool (*detect)(const std::filesystem::path& root);
    /// Throws InputError naming the metadata file and line on a file it cannot read.
    LayoutRead (*read)(const std::filesystem::path& root);
};

/// Every layout, in the order detection tries them.
const ChoiceTable<DatasetLayout>& datasetLayouts();

/// The first layout whose metadata files are under `root`, or nullptr (a plain folder).
const DatasetLayout* detectLayout(const std::filesystem::path& root);

/// A label file of any other dataset, its columns named by its header row.
struct CsvColumns
{
    std::string path = "path", label = "label", fold, split;
    std::string labelSeparator = ";"; ///< between the labels of a multi-label clip
};

/// Reads a label CSV by column name (the header row is required). Clip paths are relative to
/// `root` (absolute paths under it are made relative). A label column whose values all look like
/// fold numbers is warned about.
LayoutRead readLabelCsv(const std::filesystem::path& root, const std::string& csvPath,
                        const CsvColumns& columns);

} // namespace ssondo

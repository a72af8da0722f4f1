// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/ClipInfo.h"
#include "data/DatasetProtocol.h"
#include "data/layouts/DatasetLayout.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class ProgressSink;
class StopToken;

/// Where a dataset's labels come from.
enum class LabelSource {
    None,    ///< unlabelled
    Folders, ///< the first sub-folder under the root names the label (root/dog/x.wav → "dog")
    Csv,     ///< a CSV file: path,label[,fold[,split]] (header row optional), or columns named
    Layout   ///< a standard dataset's own metadata files (ESC-50, NSynth, ...: datasetLayouts())
};

struct ScanOptions
{
    LabelSource labels = LabelSource::Folders;
    std::string csvPath; ///< for LabelSource::Csv
    /// For LabelSource::Csv: the columns by header name; unset: path,label[,fold[,split]] by position.
    std::optional<CsvColumns> csvColumns;
    std::string layout;  ///< for LabelSource::Layout: the name of one of datasetLayouts()
    bool verify = false; ///< decode every file fully (finds truncated/NaN files; slower)
    int threads = 0;     ///< 0: hardware concurrency
};

/// Summary of a dataset as the Data page and `ssondo dataset show` present it.
struct DatasetSummary
{
    std::int64_t clips = 0; ///< readable clips
    std::int64_t unreadable = 0;
    double totalSeconds = 0;
    double minSeconds = 0, maxSeconds = 0;
    std::map<int, std::int64_t> sampleRates;     ///< Hz → clips
    std::map<int, std::int64_t> channelCounts;   ///< channels → clips
    std::map<std::string, std::int64_t> formats; ///< format → clips
    std::map<std::string, std::int64_t> labels;  ///< label → clips (multi-label clips count once per label)
    std::map<int, std::int64_t> folds;           ///< fold → clips
    bool multiLabel = false;

    static DatasetSummary of(const std::vector<ClipInfo>& clips);
};

/// Result of scanning a folder.
struct DatasetScan
{
    std::string root;                  ///< absolute, canonical
    std::vector<ClipInfo> clips;       ///< every audio file found, readable or not, sorted by path
    std::vector<std::string> warnings; ///< CSV rows that match no file, etc.
    std::string version;               ///< content hash of (path, size, mtime) of every file
    DatasetProtocol protocol;          ///< what the layout says about evaluation (empty for a folder)
    bool stopped = false;              ///< the stop token fired before the end
};

/// Finds the audio files under a folder (or, for a layout or a CSV by column names, the files its
/// metadata names), reads their headers (or decodes them with verify), attaches labels, folds and
/// splits. Unreadable and missing files are kept with their reason, never fatal.
class DatasetScanner
{
public:
    /// Throws InputError when root is not a folder or the CSV cannot be read.
    static DatasetScan scan(const std::string& root, const ScanOptions& options, ProgressSink* sink = nullptr,
                            const StopToken* stop = nullptr);
};

std::string labelSourceName(LabelSource s);
LabelSource labelSourceFromName(const std::string& name); ///< throws InputError

/// Scan options that read `root` by its layout when one is recognised, else `fallback`.
ScanOptions detectScanOptions(const std::string& root, const ScanOptions& fallback);

} // namespace ssondo

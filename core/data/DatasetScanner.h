// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/ClipInfo.h"

#include <map>
#include <string>
#include <vector>

namespace ssondo {

class ProgressSink;
class StopToken;

/// Where a dataset's labels come from.
enum class LabelSource {
    None,    ///< unlabelled
    Folders, ///< the first sub-folder under the root names the label (root/dog/x.wav → "dog")
    Csv      ///< a CSV file: path,label[,fold[,split]] (header row optional)
};

struct ScanOptions
{
    LabelSource labels = LabelSource::Folders;
    std::string csvPath; ///< for LabelSource::Csv
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
    bool stopped = false;              ///< the stop token fired before the end
};

/// Finds the audio files under a folder, reads their headers (or decodes them with verify),
/// attaches labels, folds and splits. Unreadable files are kept with their reason, never fatal.
class DatasetScanner
{
public:
    /// Throws InputError when root is not a folder or the CSV cannot be read.
    static DatasetScan scan(const std::string& root, const ScanOptions& options, ProgressSink* sink = nullptr,
                            const StopToken* stop = nullptr);
};

std::string labelSourceName(LabelSource s);
LabelSource labelSourceFromName(const std::string& name); ///< throws InputError

} // namespace ssondo

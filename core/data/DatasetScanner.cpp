// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/DatasetScanner.h"

#include "audio/AudioFile.h"
#include "data/CsvReader.h"
#include "data/layouts/LayoutFiles.h"
#include "util/Error.h"
#include "util/Hash.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "util/ThreadGroup.h"
#include "util/Threads.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <set>
#include <thread>
#include <unordered_map>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

bool isAudio(const fs::path& p)
{
    const std::string ext = lower(p.extension().string());
    const auto& exts = AudioFile::audioExtensions();
    return std::find(exts.begin(), exts.end(), ext) != exts.end();
}

// Folder names that mean a split rather than a label ("train/dog/x.wav"): the names datasets give
// their splits, one list for folders, CSVs and layouts.
std::string splitOfFolder(const std::string& name)
{
    return layouts::canonicalSplit(name);
}

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

/// A positional CSV (path,label,...) whose second column is not a label: a header that names it
/// otherwise (ESC-50's meta/esc50.csv: filename,fold,...) or values that look like fold numbers.
void warnAboutColumns(const std::string& csvPath, const std::vector<std::vector<std::string>>& rows,
                      std::vector<std::string>& warnings)
{
    if (rows.empty() || rows[0].size() < 2)
        return;
    const bool header = lower(trim(rows[0][0])) == "path" || lower(trim(rows[0][0])) == "filename" ||
                        lower(trim(rows[0][0])) == "file";
    const std::string second = lower(trim(rows[0][1]));
    static const std::set<std::string> labelNames{"label", "labels", "class", "category", "tag", "tags"};
    if (header && !labelNames.count(second)) {
        std::string names;
        for (const auto& h : rows[0])
            names += (names.empty() ? "" : ", ") + trim(h);
        warnings.push_back(csvPath + ": its second column, read as the label, is named '" + trim(rows[0][1]) +
                           "' (the header has " + names +
                           "); name the label column with --label-column (and --path-column)");
        return;
    }
    std::vector<std::string> labels;
    for (size_t r = header ? 1 : 0; r < rows.size(); ++r)
        if (rows[r].size() >= 2)
            labels.push_back(trim(rows[r][1]));
    if (layouts::looksLikeFoldNumbers(labels))
        warnings.push_back(csvPath + ": every label is a small integer, as fold numbers are; if column 2 is "
                                     "not the label, name the columns with --path-column and --label-column");
}

void applyCsvLabels(const std::string& csvPath, std::vector<ClipInfo>& clips,
                    std::vector<std::string>& warnings)
{
    const auto rows = CsvReader::readFile(csvPath);
    std::unordered_map<std::string, size_t> byPath, byName;
    std::unordered_map<std::string, int> nameCount;
    for (size_t i = 0; i < clips.size(); ++i) {
        byPath[clips[i].path] = i;
        const std::string name = fs::path(clips[i].path).filename().string();
        byName[name] = i;
        ++nameCount[name];
    }
    warnAboutColumns(csvPath, rows, warnings);
    size_t unmatched = 0;
    for (size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (row.empty() || (row.size() == 1 && trim(row[0]).empty()))
            continue;
        const std::string key = trim(row[0]);
        if (r == 0 && (lower(key) == "path" || lower(key) == "filename" || lower(key) == "file"))
            continue; // header
        if (row.size() < 2) {
            warnings.push_back(csvPath + ":" + std::to_string(r + 1) +
                               ": expected path,label[,fold[,split]]");
            continue;
        }
        auto it = byPath.find(key);
        if (it == byPath.end()) {
            // Also accept a bare file name when it is unique in the dataset.
            const std::string name = fs::path(key).filename().string();
            auto jt = byName.find(name);
            if (jt != byName.end() && nameCount[name] == 1)
                it = byPath.find(clips[jt->second].path);
        }
        if (it == byPath.end()) {
            if (++unmatched <= 20)
                warnings.push_back(csvPath + ":" + std::to_string(r + 1) + ": no audio file '" + key +
                                   "' in the dataset");
            continue;
        }
        ClipInfo& clip = clips[it->second];
        clip.label = trim(row[1]);
        if (row.size() >= 3 && !trim(row[2]).empty()) {
            try {
                clip.fold = std::stoi(trim(row[2]));
            } catch (const std::logic_error&) {
                warnings.push_back(csvPath + ":" + std::to_string(r + 1) + ": fold '" + row[2] +
                                   "' is not an integer");
            }
        }
        if (row.size() >= 4)
            clip.split = splitOfFolder(trim(row[3])).empty() ? trim(row[3]) : splitOfFolder(trim(row[3]));
    }
    if (unmatched > 20)
        warnings.push_back(csvPath + ": " + std::to_string(unmatched - 20) +
                           " more rows match no audio file");
}

/// The root as an absolute, canonical folder; throws InputError when it is not one.
fs::path canonicalFolder(const std::string& rootIn)
{
    std::error_code ec;
    const fs::path root = fs::weakly_canonical(fs::absolute(rootIn), ec);
    if (ec || !fs::is_directory(root))
        throw InputError(rootIn + ": not a folder");
    return root;
}

/// Every audio file under root, sorted (so ids and versions are reproducible); unreadable entries are
/// warnings.
std::vector<fs::path> listAudio(const fs::path& root, std::vector<std::string>& warnings)
{
    std::error_code ec;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) {
            warnings.push_back(it->path().string() + ": " + ec.message());
            ec.clear();
            continue;
        }
        if (it->is_regular_file(ec) && isAudio(it->path()))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// Probes (or with `verify` decodes) one file into its clip; the file's failure is recorded on the clip.
void probeClip(const fs::path& file, const fs::path& root, bool verify, ClipInfo& c)
{
    c.path = file.lexically_relative(root).generic_string();
    std::error_code fec;
    if (!fs::exists(file, fec)) {
        c.error = "missing: the dataset's metadata lists it, the folder does not have it";
        return;
    }
    c.bytes = std::int64_t(fs::file_size(file, fec));
    try {
        const AudioInfo info = AudioFile::probe(file.string());
        c.frames = info.frames;
        c.sampleRate = info.sampleRate;
        c.channels = info.channels;
        c.format = info.format;
        if (verify) {
            const MonoAudio a = AudioFile::readMono(file.string());
            c.frames = std::int64_t(a.samples.size());
        }
    } catch (const AudioError& e) {
        c.error = e.reason();
    } catch (const std::exception& e) {
        c.error = e.what();
    }
}

/// Probes every file into its clip on options.threads workers; returns how many were probed.
size_t probeAll(const std::vector<fs::path>& files, const fs::path& root, const ScanOptions& options,
                ProgressSink& sink, const StopToken* stop, std::vector<ClipInfo>& clips)
{
    std::atomic<size_t> next{0}, done{0};
    const int nThreads = options.threads > 0 ? options.threads : logicalCores();
    auto worker = [&]() {
        for (;;) {
            if (stop && stop->requested())
                return;
            const size_t i = next.fetch_add(1);
            if (i >= files.size())
                return;
            probeClip(files[i], root, options.verify, clips[i]);
            sink.progress("scan", std::int64_t(done.fetch_add(1) + 1), std::int64_t(files.size()));
        }
    };
    {
        // A failure that is not one file's (the progress sink's output, say) stops every worker
        // and is rethrown here; a file's own failure is recorded on its clip.
        ThreadGroup pool([&] { next.store(files.size()); });
        for (int t = 0; t < nThreads; ++t)
            pool.spawn(worker);
        pool.join();
    }
    return done.load();
}

/// A split from the first folder ("train/..."), and with folder labels the label from the next one.
void labelsFromFolders(std::vector<ClipInfo>& clips, LabelSource labels)
{
    for (auto& c : clips) {
        const fs::path rel(c.path);
        std::vector<std::string> parts;
        for (const auto& p : rel.parent_path())
            parts.push_back(p.string());
        size_t first = 0;
        if (!parts.empty() && !splitOfFolder(parts[0]).empty()) {
            c.split = splitOfFolder(parts[0]);
            first = 1;
        }
        if (labels == LabelSource::Folders && parts.size() > first)
            c.label = parts[first];
    }
}

/// Version: any added, removed, resized or touched file changes it.
std::string versionOf(const std::vector<ClipInfo>& clips, const std::vector<fs::path>& files)
{
    Fnv1a64 h;
    for (size_t i = 0; i < clips.size(); ++i) {
        const auto& c = clips[i];
        std::error_code tec;
        const auto mtime = fs::last_write_time(files[i], tec).time_since_epoch().count();
        h.add(c.path);
        h.add(&c.bytes, sizeof c.bytes);
        h.add(&mtime, sizeof mtime);
        h.add(c.label);
        h.add(&c.fold, sizeof c.fold);
        if (!c.split.empty() || !c.known.empty()) { // only then, so folder datasets keep their versions
            h.add(c.split);
            h.add(c.known);
        }
    }
    return h.hex();
}

} // namespace

std::string labelSourceName(LabelSource s)
{
    switch (s) {
    case LabelSource::None:
        return "none";
    case LabelSource::Folders:
        return "folders";
    case LabelSource::Csv:
        return "csv";
    case LabelSource::Layout:
        return "layout";
    }
    return "none";
}

LabelSource labelSourceFromName(const std::string& name)
{
    if (name == "none")
        return LabelSource::None;
    if (name == "folders")
        return LabelSource::Folders;
    if (name == "csv")
        return LabelSource::Csv;
    if (name == "layout")
        return LabelSource::Layout;
    throw InputError("unknown label source '" + name + "' (expected none, folders, csv or layout)");
}

DatasetSummary DatasetSummary::of(const std::vector<ClipInfo>& clips)
{
    DatasetSummary s;
    bool first = true;
    for (const auto& c : clips) {
        if (!c.readable()) {
            ++s.unreadable;
            continue;
        }
        ++s.clips;
        const double d = c.durationSeconds();
        s.totalSeconds += d;
        s.minSeconds = first ? d : std::min(s.minSeconds, d);
        s.maxSeconds = first ? d : std::max(s.maxSeconds, d);
        first = false;
        ++s.sampleRates[c.sampleRate];
        ++s.channelCounts[c.channels];
        ++s.formats[c.format];
        if (c.fold >= 0)
            ++s.folds[c.fold];
        if (!c.label.empty()) {
            size_t start = 0;
            int n = 0;
            while (start <= c.label.size()) {
                const size_t end = c.label.find(';', start);
                const std::string one =
                    trim(c.label.substr(start, end == std::string::npos ? std::string::npos : end - start));
                if (!one.empty()) {
                    ++s.labels[one];
                    ++n;
                }
                if (end == std::string::npos)
                    break;
                start = end + 1;
            }
            s.multiLabel |= n > 1;
        }
    }
    return s;
}

namespace {

std::string joined(const std::vector<std::string>& v)
{
    std::string out;
    for (const auto& x : v)
        out += (out.empty() ? "" : ";") + x;
    return out;
}

/// A CSV that names clips by their bare file names (ESC-50's filename column) while the files sit
/// in a sub-folder: each missing path whose file name is unique under the root is pointed at it.
void resolveBareNames(const fs::path& root, LayoutRead& read)
{
    std::vector<std::string> unused;
    std::unordered_map<std::string, std::string> byName;
    std::unordered_map<std::string, int> count;
    for (const auto& f : listAudio(root, unused)) {
        const std::string name = f.filename().string();
        byName[name] = f.lexically_relative(root).generic_string();
        ++count[name];
    }
    for (auto& c : read.clips) {
        const std::string name = fs::path(c.path).filename().string();
        if (!fs::exists(root / c.path) && count[name] == 1)
            c.path = byName[name];
    }
}

/// The clips a layout or a named-column CSV lists, in path order, once each.
LayoutRead readListed(const fs::path& root, const ScanOptions& options)
{
    LayoutRead read = options.labels == LabelSource::Layout
                          ? datasetLayouts().get(options.layout, "--format").read(root)
                          : readLabelCsv(root, options.csvPath, *options.csvColumns);
    if (options.labels != LabelSource::Layout)
        resolveBareNames(root, read);
    std::stable_sort(read.clips.begin(), read.clips.end(),
                     [](const LayoutClip& a, const LayoutClip& b) { return a.path < b.path; });
    const auto dup = std::unique(read.clips.begin(), read.clips.end(),
                                 [](const LayoutClip& a, const LayoutClip& b) { return a.path == b.path; });
    if (dup != read.clips.end()) {
        read.warnings.push_back(std::to_string(read.clips.end() - dup) +
                                " clips are listed more than once; the first entry of each is kept");
        read.clips.erase(dup, read.clips.end());
    }
    return read;
}

/// Says how many audio files under the root the metadata does not list (they are left out).
void warnUnlisted(const fs::path& root, const std::vector<fs::path>& listed,
                  std::vector<std::string>& warnings)
{
    std::vector<std::string> unused;
    const std::vector<fs::path> onDisk = listAudio(root, unused);
    const std::set<fs::path> known(listed.begin(), listed.end());
    const auto n =
        std::count_if(onDisk.begin(), onDisk.end(), [&](const fs::path& p) { return !known.count(p); });
    if (n)
        warnings.push_back(std::to_string(n) +
                           " audio files under the folder are in none of its metadata files: "
                           "left out");
}

/// Scan of a dataset whose metadata lists its clips (a layout, or a CSV by column names).
DatasetScan scanListed(const fs::path& root, const ScanOptions& options, ProgressSink& sink,
                       const StopToken* stop)
{
    DatasetScan scan;
    scan.root = root.string();
    LayoutRead read = readListed(root, options);
    std::vector<fs::path> files;
    for (const auto& c : read.clips)
        files.push_back((root / c.path).lexically_normal());
    scan.clips.resize(files.size());
    const size_t done = probeAll(files, root, options, sink, stop, scan.clips);
    if (stop && stop->requested()) {
        scan.stopped = true;
        scan.clips.resize(std::min(scan.clips.size(), done));
    }
    for (size_t i = 0; i < scan.clips.size(); ++i) {
        ClipInfo& c = scan.clips[i];
        c.path = read.clips[i].path;
        c.label = joined(read.clips[i].labels);
        c.known = joined(read.clips[i].known);
        c.fold = read.clips[i].fold;
        c.split = read.clips[i].split;
    }
    warnUnlisted(root, files, read.warnings);
    scan.warnings = std::move(read.warnings);
    scan.protocol = std::move(read.protocol);
    files.resize(scan.clips.size());
    scan.version = versionOf(scan.clips, files);
    return scan;
}

} // namespace

ScanOptions detectScanOptions(const std::string& root, const ScanOptions& fallback)
{
    const DatasetLayout* layout = detectLayout(canonicalFolder(root));
    if (!layout)
        return fallback;
    ScanOptions o = fallback;
    o.labels = LabelSource::Layout;
    o.layout = std::string(layout->name);
    return o;
}

DatasetScan DatasetScanner::scan(const std::string& rootIn, const ScanOptions& options, ProgressSink* sinkIn,
                                 const StopToken* stop)
{
    ProgressSink& sink = sinkIn ? *sinkIn : nullProgressSink();
    const fs::path root = canonicalFolder(rootIn);
    if (options.labels == LabelSource::Layout || (options.labels == LabelSource::Csv && options.csvColumns)) {
        DatasetScan scan = scanListed(root, options, sink, stop);
        for (const auto& c : scan.clips)
            if (!c.readable())
                sink.warning(c.error, c.path);
        return scan;
    }

    DatasetScan scan;
    scan.root = root.string();
    // 1. List files.
    const std::vector<fs::path> files = listAudio(root, scan.warnings);
    scan.clips.resize(files.size());

    // 2. Probe (or decode) in parallel; every failure is recorded on its clip.
    const size_t done = probeAll(files, root, options, sink, stop, scan.clips);
    if (stop && stop->requested()) {
        scan.stopped = true;
        scan.clips.resize(std::min(scan.clips.size(), done));
    }

    // 3. Labels, folds, splits.
    labelsFromFolders(scan.clips, options.labels);
    if (options.labels == LabelSource::Csv)
        applyCsvLabels(options.csvPath, scan.clips, scan.warnings);

    // 4. Version.
    scan.version = versionOf(scan.clips, files);
    for (const auto& c : scan.clips)
        if (!c.readable())
            sink.warning(c.error, c.path);
    return scan;
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/ClipInfo.h"
#include "data/DatasetScanner.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

/// A dataset as recorded in the workspace.
struct DatasetRecord
{
    std::int64_t id = 0;
    std::string name;
    std::string root;
    LabelSource labelSource = LabelSource::None;
    std::string labelCsv;
    std::string layout;                   ///< for LabelSource::Layout
    std::optional<CsvColumns> csvColumns; ///< a CSV read by column names
    DatasetProtocol protocol;             ///< what the layout says about evaluation
    std::string version;
    std::int64_t clipCount = 0;
    std::int64_t unreadableCount = 0;
    double totalSeconds = 0;
    std::string createdAt, updatedAt;

    /// The options that scan this dataset again (a rescan).
    ScanOptions scanOptions() const;
};

/// Reads and writes datasets and their clips in the workspace database.
class DatasetCatalog
{
public:
    explicit DatasetCatalog(Database& db) : m_db(db) {}

    /// Stores a scan under `name`, replacing the clips of a dataset of the same name in one
    /// transaction (a rescan). Returns the dataset id.
    std::int64_t save(const std::string& name, const DatasetScan& scan, const ScanOptions& options);

    std::vector<DatasetRecord> list();
    /// By name, or by numeric id given as text.
    std::optional<DatasetRecord> find(const std::string& nameOrId);
    /// Like find(), throwing InputError that lists the known names when absent.
    DatasetRecord get(const std::string& nameOrId);
    std::vector<ClipInfo> clips(std::int64_t datasetId);
    std::vector<std::string> warnings(std::int64_t datasetId);
    void remove(std::int64_t datasetId);

private:
    Database& m_db;
};

} // namespace ssondo

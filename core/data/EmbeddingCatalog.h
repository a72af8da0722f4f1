#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

/// An embedding set as recorded in the workspace (its rows live in an EmbeddingStore folder).
struct EmbeddingSetRecord
{
    std::int64_t id = 0;
    std::int64_t datasetId = 0;
    std::string datasetName;
    std::string datasetVersion;
    std::string teacherIdentity, teacherKind, teacherSource, teacherDescription;
    std::int64_t teacherParameters = 0;
    int teacherSampleRate = 0;
    double teacherWindow = 0;
    std::int64_t dim = 0;
    std::string dtype;
    std::int64_t rows = 0, done = 0, failed = 0;
    std::string path; ///< relative to the workspace folder
    std::string createdAt, updatedAt;
};

class EmbeddingCatalog
{
public:
    explicit EmbeddingCatalog(Database& db) : m_db(db) {}

    /// Inserts or updates (same dataset version, teacher and dtype) and returns the id.
    std::int64_t upsert(const EmbeddingSetRecord& r);
    void updateCounts(std::int64_t id, std::int64_t done, std::int64_t failed);
    std::vector<EmbeddingSetRecord> list();
    std::optional<EmbeddingSetRecord> find(std::int64_t id);
    /// Throws InputError listing the known ids when absent.
    EmbeddingSetRecord get(std::int64_t id);
    /// The most recent complete-or-not set of the dataset's current version by any teacher (students'
    /// evaluation sets excluded), or by `teacherIdentity`.
    std::optional<EmbeddingSetRecord> latestFor(const std::string& datasetName,
                                                const std::string& teacherIdentity = {});

private:
    Database& m_db;
};

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ChoiceTable.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

/// Where an embedding set stands. Only a set with at least one embedded row is offered for
/// clustering, maps and training, whatever its state.
enum class EmbeddingSetState { Extracting, Ready, Empty, Failed };

/// The names and meanings of EmbeddingSetState (the database stores the names).
const ChoiceTable<Named<EmbeddingSetState>>& embeddingSetStates();

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
    EmbeddingSetState state = EmbeddingSetState::Ready;
    std::string reason; ///< why the set is empty or failed
    std::string createdAt, updatedAt;

    /// At least one row embedded: the set can be clustered, mapped and trained on.
    bool usable() const { return done > 0; }
};

class EmbeddingCatalog
{
public:
    explicit EmbeddingCatalog(Database& db) : m_db(db) {}

    /// Inserts or updates (same dataset version, teacher and dtype) and returns the id.
    std::int64_t upsert(const EmbeddingSetRecord& r);
    void updateCounts(std::int64_t id, std::int64_t done, std::int64_t failed);
    void setState(std::int64_t id, EmbeddingSetState state, const std::string& reason);
    /// Removes the set's record in one transaction; its clusterings and maps go with it (foreign
    /// keys), runs and evaluations keep their numbers and lose the link. Returns the files and
    /// folders (relative to the workspace) that belonged to them, for the caller to delete: the
    /// record goes first, so a failure half-way leaves stray files, never a record without files.
    std::vector<std::string> remove(std::int64_t id);
    std::vector<EmbeddingSetRecord> list();
    std::optional<EmbeddingSetRecord> find(std::int64_t id);
    /// Throws InputError listing the known ids when absent.
    EmbeddingSetRecord get(std::int64_t id);
    /// get(id), and InputError saying why when the set has no embedded row (`purpose`: "train on").
    EmbeddingSetRecord getUsable(std::int64_t id, const std::string& purpose);
    /// The most recent usable (complete or not) set of the dataset's current version by any teacher
    /// (students' evaluation sets excluded), or by `teacherIdentity`.
    std::optional<EmbeddingSetRecord> latestFor(const std::string& datasetName,
                                                const std::string& teacherIdentity = {});

private:
    Database& m_db;
};

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/EmbeddingCatalog.h"

#include "experiments/Database.h"
#include "util/Error.h"

namespace ssondo {

const ChoiceTable<Named<EmbeddingSetState>>& embeddingSetStates()
{
    static const ChoiceTable<Named<EmbeddingSetState>> table(
        "embedding set state",
        {{EmbeddingSetState::Extracting, "extracting",
          "an extraction is writing it, or was stopped or killed"},
         {EmbeddingSetState::Ready, "ready", "at least one clip is embedded"},
         {EmbeddingSetState::Empty, "empty", "every clip failed: none could be embedded"},
         {EmbeddingSetState::Failed, "failed", "the extraction failed before any clip was embedded"}});
    return table;
}

namespace {

constexpr const char* kSelect = "SELECT e.id, e.dataset_id, d.name, e.dataset_version, e.teacher_identity, "
                                "e.teacher_kind, e.teacher_source, "
                                "e.teacher_description, e.teacher_parameters, e.teacher_sample_rate, "
                                "e.teacher_window, e.dim, e.dtype, e.rows, "
                                "e.done, e.failed, e.path, e.created_at, e.updated_at, e.state, e.reason "
                                "FROM embedding_sets e JOIN datasets d ON d.id = e.dataset_id";

EmbeddingSetRecord readRecord(const Statement& s)
{
    EmbeddingSetRecord r;
    r.id = s.columnInt(0);
    r.datasetId = s.columnInt(1);
    r.datasetName = s.columnText(2);
    r.datasetVersion = s.columnText(3);
    r.teacherIdentity = s.columnText(4);
    r.teacherKind = s.columnText(5);
    r.teacherSource = s.columnText(6);
    r.teacherDescription = s.columnText(7);
    r.teacherParameters = s.columnInt(8);
    r.teacherSampleRate = int(s.columnInt(9));
    r.teacherWindow = s.columnDouble(10);
    r.dim = s.columnInt(11);
    r.dtype = s.columnText(12);
    r.rows = s.columnInt(13);
    r.done = s.columnInt(14);
    r.failed = s.columnInt(15);
    r.path = s.columnText(16);
    r.createdAt = s.columnText(17);
    r.updatedAt = s.columnText(18);
    r.state = embeddingSetStates().get(s.columnText(19), "embedding set " + std::to_string(r.id)).value;
    r.reason = s.columnText(20);
    return r;
}

} // namespace

std::int64_t EmbeddingCatalog::upsert(const EmbeddingSetRecord& r)
{
    const std::string now = utcNow();
    Database::Transaction tx(m_db);
    auto find = m_db.prepare("SELECT id FROM embedding_sets WHERE dataset_id = ?1 AND dataset_version = ?2 "
                             "AND teacher_identity = ?3 AND dtype = ?4");
    find.bind(1, r.datasetId).bind(2, r.datasetVersion).bind(3, r.teacherIdentity).bind(4, r.dtype);
    std::int64_t id = 0;
    if (find.step())
        id = find.columnInt(0);
    if (id) {
        m_db.prepare(
                "UPDATE embedding_sets SET done = ?2, failed = ?3, teacher_source = ?4, updated_at = ?5, "
                "state = ?6, reason = '' WHERE id = ?1")
            .bind(1, id)
            .bind(2, r.done)
            .bind(3, r.failed)
            .bind(4, r.teacherSource)
            .bind(5, now)
            .bind(6, embeddingSetStates().nameOf(r.state))
            .run();
    } else {
        m_db.prepare(
                "INSERT INTO embedding_sets(dataset_id, dataset_version, teacher_identity, "
                "teacher_kind, teacher_source, "
                "teacher_description, teacher_parameters, teacher_sample_rate, teacher_window, dim, dtype, rows, done, "
                "failed, path, created_at, updated_at, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17)")
            .bind(1, r.datasetId)
            .bind(2, r.datasetVersion)
            .bind(3, r.teacherIdentity)
            .bind(4, r.teacherKind)
            .bind(5, r.teacherSource)
            .bind(6, r.teacherDescription)
            .bind(7, r.teacherParameters)
            .bind(8, r.teacherSampleRate)
            .bind(9, r.teacherWindow)
            .bind(10, r.dim)
            .bind(11, r.dtype)
            .bind(12, r.rows)
            .bind(13, r.done)
            .bind(14, r.failed)
            .bind(15, r.path)
            .bind(16, now)
            .bind(17, embeddingSetStates().nameOf(r.state))
            .run();
        id = m_db.lastInsertId();
    }
    tx.commit();
    return id;
}

void EmbeddingCatalog::updateCounts(std::int64_t id, std::int64_t done, std::int64_t failed)
{
    m_db.prepare("UPDATE embedding_sets SET done = ?2, failed = ?3, updated_at = ?4 WHERE id = ?1")
        .bind(1, id)
        .bind(2, done)
        .bind(3, failed)
        .bind(4, utcNow())
        .run();
}

void EmbeddingCatalog::setState(std::int64_t id, EmbeddingSetState state, const std::string& reason)
{
    m_db.prepare("UPDATE embedding_sets SET state = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1")
        .bind(1, id)
        .bind(2, embeddingSetStates().nameOf(state))
        .bind(3, reason)
        .bind(4, utcNow())
        .run();
}

std::vector<std::string> EmbeddingCatalog::remove(std::int64_t id)
{
    const EmbeddingSetRecord r = get(id); // names the known ids when absent
    std::vector<std::string> files{r.path, r.path + ".parts"};
    Database::Transaction tx(m_db);
    for (const char* sql : {"SELECT centroids_path FROM clusterings WHERE embedding_set_id = ?1",
                            "SELECT path FROM maps WHERE embedding_set_id = ?1"}) {
        auto s = m_db.prepare(sql);
        s.bind(1, id);
        while (s.step())
            if (!s.columnText(0).empty())
                files.push_back(s.columnText(0));
    }
    m_db.prepare("DELETE FROM embedding_sets WHERE id = ?1").bind(1, id).run();
    tx.commit();
    return files;
}

std::vector<EmbeddingSetRecord> EmbeddingCatalog::list()
{
    std::vector<EmbeddingSetRecord> out;
    auto s = m_db.prepare(std::string(kSelect) + " ORDER BY e.id");
    while (s.step())
        out.push_back(readRecord(s));
    return out;
}

std::optional<EmbeddingSetRecord> EmbeddingCatalog::find(std::int64_t id)
{
    auto s = m_db.prepare(std::string(kSelect) + " WHERE e.id = ?1");
    s.bind(1, id);
    if (s.step())
        return readRecord(s);
    return std::nullopt;
}

EmbeddingSetRecord EmbeddingCatalog::get(std::int64_t id)
{
    if (auto r = find(id))
        return *r;
    std::string known;
    for (const auto& e : list())
        known += (known.empty() ? "" : ", ") + std::to_string(e.id) + " (" + e.datasetName + ")";
    throw InputError("no embedding set " + std::to_string(id) + " in this workspace" +
                     (known.empty() ? " (run `ssondo extract` first)" : " (known: " + known + ")"));
}

EmbeddingSetRecord EmbeddingCatalog::getUsable(std::int64_t id, const std::string& purpose)
{
    EmbeddingSetRecord r = get(id);
    if (r.usable())
        return r;
    throw InputError(
        "embedding set " + std::to_string(id) + " has no embedded clip (" +
        embeddingSetStates().nameOf(r.state) + (r.reason.empty() ? "" : ": " + r.reason) + "), nothing to " +
        purpose +
        "; fix the cause and run `ssondo extract` again, or remove it with `ssondo embeddings remove " +
        std::to_string(id) + "`");
}

std::optional<EmbeddingSetRecord> EmbeddingCatalog::latestFor(const std::string& datasetName,
                                                              const std::string& teacher)
{
    auto s = m_db.prepare(std::string(kSelect) +
                          " WHERE d.name = ?1 AND (?2 = '' OR e.teacher_identity = ?2) "
                          "AND (?2 <> '' OR e.teacher_kind <> 'student') "
                          "AND e.dataset_version = d.version AND e.done > 0 ORDER BY e.id DESC LIMIT 1");
    s.bind(1, datasetName).bind(2, teacher);
    if (s.step())
        return readRecord(s);
    return std::nullopt;
}

} // namespace ssondo

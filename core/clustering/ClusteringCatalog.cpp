// SPDX-License-Identifier: GPL-3.0-or-later
#include "clustering/ClusteringCatalog.h"

#include "experiments/Database.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

namespace ssondo {

namespace {

constexpr const char* kSelect =
    "SELECT id, embedding_set_id, k, normalized, seed, iterations, restarts, rows, inertia, silhouette, "
    "calinski_harabasz, davies_bouldin, nmi, ari, purity, sizes_json, centroids_path, seconds, created_at, init "
    "FROM clusterings";

ClusteringRecord readRecord(const Statement& s)
{
    ClusteringRecord r;
    r.id = s.columnInt(0);
    r.embeddingSetId = s.columnInt(1);
    r.k = s.columnInt(2);
    r.normalized = s.columnInt(3) != 0;
    r.seed = s.columnInt(4);
    r.iterations = s.columnInt(5);
    r.restarts = s.columnInt(6);
    r.rows = s.columnInt(7);
    r.quality.inertia = s.columnDouble(8);
    r.quality.silhouette = s.columnOptDouble(9).value_or(0);
    r.quality.calinskiHarabasz = s.columnOptDouble(10).value_or(0);
    r.quality.daviesBouldin = s.columnOptDouble(11).value_or(0);
    r.quality.nmi = s.columnOptDouble(12);
    r.quality.ari = s.columnOptDouble(13);
    r.quality.purity = s.columnOptDouble(14);
    r.sizes = nlohmann::json::parse(s.columnText(15)).get<std::vector<std::int64_t>>();
    r.centroidsPath = s.columnText(16);
    r.seconds = s.columnDouble(17);
    r.createdAt = s.columnText(18);
    r.init = s.columnText(19);
    return r;
}

} // namespace

std::int64_t ClusteringCatalog::save(ClusteringRecord r, const std::vector<std::int64_t>& rows,
                                     const std::vector<std::int64_t>& clusters)
{
    Database::Transaction tx(m_db);
    auto ins = m_db.prepare(
        "INSERT INTO clusterings(embedding_set_id, k, normalized, seed, iterations, restarts, rows, inertia, "
        "silhouette, calinski_harabasz, davies_bouldin, nmi, ari, purity, sizes_json, centroids_path, seconds, "
        "created_at, init) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");
    ins.bind(1, r.embeddingSetId)
        .bind(2, r.k)
        .bind(3, std::int64_t(r.normalized))
        .bind(4, r.seed)
        .bind(5, r.iterations)
        .bind(6, r.restarts)
        .bind(7, r.rows)
        .bind(8, r.quality.inertia)
        .bind(9, r.quality.silhouette)
        .bind(10, r.quality.calinskiHarabasz)
        .bind(11, r.quality.daviesBouldin)
        .bind(12, r.quality.nmi)
        .bind(13, r.quality.ari)
        .bind(14, r.quality.purity)
        .bind(15, nlohmann::json(r.sizes).dump())
        .bind(16, r.centroidsPath)
        .bind(17, r.seconds)
        .bind(18, utcNow())
        .bind(19, r.init)
        .run();
    const std::int64_t id = m_db.lastInsertId();
    auto a = m_db.prepare("INSERT INTO cluster_assignments(clustering_id, row, cluster) VALUES (?1, ?2, ?3)");
    for (size_t i = 0; i < rows.size(); ++i)
        a.bind(1, id).bind(2, rows[i]).bind(3, clusters[i]).run();
    tx.commit();
    return id;
}

std::vector<ClusteringRecord> ClusteringCatalog::list()
{
    std::vector<ClusteringRecord> out;
    auto s = m_db.prepare(std::string(kSelect) + " ORDER BY id");
    while (s.step())
        out.push_back(readRecord(s));
    return out;
}

ClusteringRecord ClusteringCatalog::get(std::int64_t id)
{
    auto s = m_db.prepare(std::string(kSelect) + " WHERE id = ?1");
    s.bind(1, id);
    if (!s.step())
        throw InputError("no clustering " + std::to_string(id) +
                         " in this workspace (see `ssondo clusterings list`, "
                         "or make one with `ssondo cluster --embeddings ID --k 50`)");
    return readRecord(s);
}

std::vector<std::int64_t> ClusteringCatalog::assignments(std::int64_t id, std::int64_t rowCount)
{
    std::vector<std::int64_t> out(size_t(rowCount), -1);
    auto s = m_db.prepare("SELECT row, cluster FROM cluster_assignments WHERE clustering_id = ?1");
    s.bind(1, id);
    while (s.step()) {
        const auto row = s.columnInt(0);
        if (row >= 0 && row < rowCount)
            out[size_t(row)] = s.columnInt(1);
    }
    return out;
}

namespace {

MapRecord readMap(const Statement& s)
{
    MapRecord r;
    r.id = s.columnInt(0);
    r.embeddingSetId = s.columnInt(1);
    r.method = s.columnText(2);
    r.paramsJson = s.columnText(3);
    r.rows = s.columnInt(4);
    r.path = s.columnText(5);
    r.seconds = s.columnDouble(6);
    r.createdAt = s.columnText(7);
    return r;
}

constexpr const char* kSelectMap =
    "SELECT id, embedding_set_id, method, params_json, rows, path, seconds, created_at FROM maps";

} // namespace

std::int64_t ClusteringCatalog::addMap(const MapRecord& r)
{
    auto s = m_db.prepare(
        "INSERT INTO maps(embedding_set_id, method, params_json, rows, path, seconds, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, r.embeddingSetId);
    s.bind(2, r.method);
    s.bind(3, r.paramsJson);
    s.bind(4, r.rows);
    s.bind(5, r.path);
    s.bind(6, r.seconds);
    s.bind(7, utcNow());
    s.run();
    return m_db.lastInsertId();
}

std::vector<MapRecord> ClusteringCatalog::maps(std::int64_t embeddingSetId)
{
    auto s =
        m_db.prepare(std::string(kSelectMap) + " WHERE ?1 = 0 OR embedding_set_id = ?1 ORDER BY id DESC");
    s.bind(1, embeddingSetId);
    std::vector<MapRecord> out;
    while (s.step())
        out.push_back(readMap(s));
    return out;
}

MapRecord ClusteringCatalog::getMap(std::int64_t id)
{
    auto s = m_db.prepare(std::string(kSelectMap) + " WHERE id = ?1");
    s.bind(1, id);
    if (!s.step())
        throw InputError("no map with id " + std::to_string(id) + " (see `ssondo maps list`)");
    return readMap(s);
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/DatasetCatalog.h"

#include "experiments/Database.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace ssondo {

namespace {

std::string columnsJson(const std::optional<CsvColumns>& c)
{
    if (!c)
        return {};
    return nlohmann::json{{"path", c->path},
                          {"label", c->label},
                          {"fold", c->fold},
                          {"split", c->split},
                          {"separator", c->labelSeparator}}
        .dump();
}

std::optional<CsvColumns> columnsOf(const std::string& json)
{
    if (json.empty())
        return std::nullopt;
    const auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw DatabaseError("a dataset's stored CSV columns are not valid JSON: " + json);
    CsvColumns c;
    c.path = j.value("path", c.path);
    c.label = j.value("label", c.label);
    c.fold = j.value("fold", "");
    c.split = j.value("split", "");
    c.labelSeparator = j.value("separator", c.labelSeparator);
    return c;
}

DatasetRecord readRecord(const Statement& s)
{
    DatasetRecord r;
    r.id = s.columnInt(0);
    r.name = s.columnText(1);
    r.root = s.columnText(2);
    r.labelSource = labelSourceFromName(s.columnText(3));
    r.labelCsv = s.columnText(4);
    r.layout = s.columnText(11);
    if (!r.layout.empty())
        r.labelSource = LabelSource::Layout;
    r.csvColumns = columnsOf(s.columnText(12));
    r.protocol = DatasetProtocol::fromJson(s.columnText(13), r.name);
    r.version = s.columnText(5);
    r.clipCount = s.columnInt(6);
    r.unreadableCount = s.columnInt(7);
    r.totalSeconds = s.columnDouble(8);
    r.createdAt = s.columnText(9);
    r.updatedAt = s.columnText(10);
    return r;
}

constexpr const char* kSelect =
    "SELECT id, name, root, label_source, label_csv, version, clip_count, unreadable_count, total_seconds, "
    "created_at, updated_at, layout, csv_columns, protocol FROM datasets";

/// What the label_source column holds: a layout's labels come from its metadata files ('csv').
std::string storedLabelSource(LabelSource s)
{
    return labelSourceName(s == LabelSource::Layout ? LabelSource::Csv : s);
}

std::string layoutOf(const ScanOptions& o)
{
    return o.labels == LabelSource::Layout ? o.layout : std::string();
}

} // namespace

ScanOptions DatasetRecord::scanOptions() const
{
    ScanOptions o;
    o.labels = labelSource;
    o.csvPath = labelCsv;
    o.csvColumns = csvColumns;
    o.layout = layout;
    return o;
}

std::int64_t DatasetCatalog::save(const std::string& name, const DatasetScan& scan,
                                  const ScanOptions& options)
{
    if (name.empty())
        throw InputError("a dataset needs a name");
    const DatasetSummary summary = DatasetSummary::of(scan.clips);
    const std::string now = utcNow();
    Database::Transaction tx(m_db);
    std::int64_t id = 0;
    {
        auto find = m_db.prepare("SELECT id FROM datasets WHERE name = ?1");
        find.bind(1, name);
        if (find.step())
            id = find.columnInt(0);
    }
    if (id) {
        auto up = m_db.prepare(
            "UPDATE datasets SET root=?2, label_source=?3, label_csv=?4, version=?5, clip_count=?6, "
            "unreadable_count=?7, total_seconds=?8, updated_at=?9, layout=?10, csv_columns=?11, protocol=?12 "
            "WHERE id=?1");
        up.bind(1, id)
            .bind(2, scan.root)
            .bind(3, storedLabelSource(options.labels))
            .bind(4, options.csvPath)
            .bind(5, scan.version)
            .bind(6, summary.clips)
            .bind(7, summary.unreadable)
            .bind(8, summary.totalSeconds)
            .bind(9, now)
            .bind(10, layoutOf(options))
            .bind(11, columnsJson(options.csvColumns))
            .bind(12, scan.protocol.toJson())
            .run();
        m_db.prepare("DELETE FROM clips WHERE dataset_id = ?1").bind(1, id).run();
        m_db.prepare("DELETE FROM dataset_warnings WHERE dataset_id = ?1").bind(1, id).run();
    } else {
        auto ins = m_db.prepare(
            "INSERT INTO datasets(name, root, label_source, label_csv, version, clip_count, unreadable_count, "
            "total_seconds, created_at, updated_at, layout, csv_columns, protocol) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12)");
        ins.bind(1, name)
            .bind(2, scan.root)
            .bind(3, storedLabelSource(options.labels))
            .bind(4, options.csvPath)
            .bind(5, scan.version)
            .bind(6, summary.clips)
            .bind(7, summary.unreadable)
            .bind(8, summary.totalSeconds)
            .bind(9, now)
            .bind(10, layoutOf(options))
            .bind(11, columnsJson(options.csvColumns))
            .bind(12, scan.protocol.toJson())
            .run();
        id = m_db.lastInsertId();
    }
    auto clip = m_db.prepare("INSERT INTO clips(dataset_id, idx, path, label, fold, split, frames, "
                             "sample_rate, channels, format, bytes, error, known) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    for (size_t i = 0; i < scan.clips.size(); ++i) {
        const ClipInfo& c = scan.clips[i];
        clip.bind(1, id)
            .bind(2, std::int64_t(i))
            .bind(3, c.path)
            .bind(4, c.label)
            .bind(5, c.fold)
            .bind(6, c.split)
            .bind(7, c.frames)
            .bind(8, c.sampleRate)
            .bind(9, c.channels)
            .bind(10, c.format)
            .bind(11, c.bytes)
            .bind(12, c.error)
            .bind(13, c.known)
            .run();
    }
    auto warn = m_db.prepare("INSERT INTO dataset_warnings(dataset_id, message) VALUES (?1, ?2)");
    for (const auto& w : scan.warnings)
        warn.bind(1, id).bind(2, w).run();
    tx.commit();
    return id;
}

std::vector<DatasetRecord> DatasetCatalog::list()
{
    std::vector<DatasetRecord> out;
    auto s = m_db.prepare(std::string(kSelect) + " ORDER BY name");
    while (s.step())
        out.push_back(readRecord(s));
    return out;
}

std::optional<DatasetRecord> DatasetCatalog::find(const std::string& nameOrId)
{
    auto s = m_db.prepare(std::string(kSelect) + " WHERE name = ?1");
    s.bind(1, nameOrId);
    if (s.step())
        return readRecord(s);
    if (!nameOrId.empty() && std::all_of(nameOrId.begin(), nameOrId.end(), ::isdigit)) {
        auto byId = m_db.prepare(std::string(kSelect) + " WHERE id = ?1");
        byId.bind(1, std::int64_t(std::stoll(nameOrId)));
        if (byId.step())
            return readRecord(byId);
    }
    return std::nullopt;
}

DatasetRecord DatasetCatalog::get(const std::string& nameOrId)
{
    if (auto r = find(nameOrId))
        return *r;
    std::string known;
    for (const auto& d : list())
        known += (known.empty() ? "" : ", ") + d.name;
    throw InputError("no dataset '" + nameOrId + "' in this workspace" +
                     (known.empty() ? " (it has none yet; add one with `ssondo dataset add PATH`)"
                                    : " (known: " + known + ")"));
}

std::vector<ClipInfo> DatasetCatalog::clips(std::int64_t datasetId)
{
    std::vector<ClipInfo> out;
    auto s = m_db.prepare(
        "SELECT path, label, fold, split, frames, sample_rate, channels, format, bytes, error, known FROM clips "
        "WHERE dataset_id = ?1 ORDER BY idx");
    s.bind(1, datasetId);
    while (s.step()) {
        ClipInfo c;
        c.path = s.columnText(0);
        c.label = s.columnText(1);
        c.fold = int(s.columnInt(2));
        c.split = s.columnText(3);
        c.frames = s.columnInt(4);
        c.sampleRate = int(s.columnInt(5));
        c.channels = int(s.columnInt(6));
        c.format = s.columnText(7);
        c.bytes = s.columnInt(8);
        c.error = s.columnText(9);
        c.known = s.columnText(10);
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::string> DatasetCatalog::warnings(std::int64_t datasetId)
{
    std::vector<std::string> out;
    auto s = m_db.prepare("SELECT message FROM dataset_warnings WHERE dataset_id = ?1 ORDER BY id");
    s.bind(1, datasetId);
    while (s.step())
        out.push_back(s.columnText(0));
    return out;
}

void DatasetCatalog::remove(std::int64_t datasetId)
{
    Database::Transaction tx(m_db);
    m_db.prepare("DELETE FROM datasets WHERE id = ?1").bind(1, datasetId).run();
    tx.commit();
}

} // namespace ssondo

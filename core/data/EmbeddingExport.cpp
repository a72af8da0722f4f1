// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/EmbeddingExport.h"

#include "data/EmbeddingStore.h"
#include "data/NpyFile.h"
#include "data/NpzFile.h"
#include "util/AtomicFile.h"
#include "util/Error.h"

#include <ATen/ATen.h>

#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace ssondo {

const ChoiceTable<Named<EmbeddingExportFormat>>& embeddingExportFormats()
{
    static const ChoiceTable<Named<EmbeddingExportFormat>> table(
        "export format", {{EmbeddingExportFormat::Npy, "npy",
                           "one [clips, D] float32 matrix, with a CSV naming each row's clip"},
                          {EmbeddingExportFormat::Npz, "npz",
                           "one <split>/<clip>.npz per clip, key 'embed' (the reference's layout)"}});
    return table;
}

namespace {

std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

EmbeddingExport exportNpy(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                          const std::string& out)
{
    const at::Tensor x = store.rowsAt(rows).contiguous();
    NpyFile::write(out, {std::int64_t(rows.size()), store.dim()}, x.data_ptr<float>());
    const std::string index = (fs::path(out).replace_extension(".csv")).string();
    std::string csv = "path\n";
    for (auto r : rows)
        csv += csvField(store.info().clipPaths[std::size_t(r)]) + "\n";
    writeFileAtomic(index, csv);
    return {std::int64_t(rows.size()), {out, index}};
}

EmbeddingExport exportNpz(const EmbeddingStore& store, const std::vector<std::int64_t>& rows,
                          const std::vector<ClipInfo>& clips, const std::string& out)
{
    std::set<std::string> written;
    for (auto r : rows) {
        const ClipInfo& clip = clips.at(std::size_t(r));
        const fs::path dir = fs::path(out) / (clip.split.empty() ? "all" : clip.split);
        const std::string file = (dir / (fs::path(clip.path).stem().string() + ".npz")).string();
        if (!written.insert(file).second)
            throw InputError(file + ": two clips of this split share the name '" +
                             fs::path(clip.path).stem().string() +
                             "' (the reference's layout keys clips by base name); export as npy instead");
        fs::create_directories(dir);
        const at::Tensor e = store.row(r).contiguous();
        NpzFile::write(file, {{"embed", {{store.dim()}, e.data_ptr<float>()}}});
    }
    return {std::int64_t(rows.size()), {out}};
}

} // namespace

EmbeddingExport exportEmbeddings(const EmbeddingStore& store, const std::vector<ClipInfo>& clips,
                                 EmbeddingExportFormat format, const std::string& out)
{
    if (std::int64_t(clips.size()) != store.rows())
        throw InputError(store.dir() + ": the store has " + std::to_string(store.rows()) + " rows for " +
                         std::to_string(clips.size()) + " clips (a changed dataset?)");
    const std::vector<std::int64_t> rows = store.rowsIn(EmbeddingStore::RowState::Done);
    if (format == EmbeddingExportFormat::Npy)
        return exportNpy(store, rows, out);
    return exportNpz(store, rows, clips, out);
}

} // namespace ssondo

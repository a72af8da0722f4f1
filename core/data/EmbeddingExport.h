// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "data/ClipInfo.h"
#include "util/ChoiceTable.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

class EmbeddingStore;

enum class EmbeddingExportFormat { Npy, Npz };
/// npy: one matrix and its index; npz: the reference implementation's one file per clip.
const ChoiceTable<Named<EmbeddingExportFormat>>& embeddingExportFormats();

struct EmbeddingExport
{
    std::int64_t rows = 0;          ///< clips written (the embedded ones)
    std::vector<std::string> files; ///< npy: the matrix and its index; npz: the folder
};

/// Writes the embedded rows of `store` (float32, whatever the store's dtype) for Python:
/// - npy: `out` is the matrix file, [rows, D] float32 in row order, and next to it
///   `<out without .npy>.csv`, the clip path of each row under a "path" header (what
///   `ssondo extract --teacher M.npy --teacher-index M.csv` reads back);
/// - npz: `out` is a folder with `<split or "all">/<clip stem>.npz` per clip, key `embed`,
///   shape (D,), as the reference implementation stores teacher embeddings.
/// `clips` are the dataset's clips (row i of the store is clips[i]).
EmbeddingExport exportEmbeddings(const EmbeddingStore& store, const std::vector<ClipInfo>& clips,
                                 EmbeddingExportFormat format, const std::string& out);

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "teachers/Teacher.h"

#include <unordered_map>
#include <vector>

namespace ssondo {

/// Embeddings computed elsewhere, matched to a dataset's clips:
///  - a folder of the reference implementation's per-clip .npz files (key `embed`, float32,
///    shape (D,) or (1, D)), found recursively and matched by the clip's base name without
///    extension ("dog/123.wav" ↔ ".../embed/train/123.npz");
///  - or a .npy matrix [N, D] with an index CSV giving each row's clip path (matched by relative
///    path, else by base name).
/// Files are read lazily in lookup(); a file with the wrong key, shape or dtype throws InputError
/// naming it, which the extraction job reports for that clip and goes on.
class PrecomputedTeacher : public Teacher
{
public:
    /// Throws InputError when the source is empty or unusable.
    explicit PrecomputedTeacher(const std::string& source, const std::string& indexCsv = {});

    TeacherKind kind() const override { return TeacherKind::Precomputed; }
    int sampleRate() const override { return 0; }
    double windowSeconds() const override { return 10.0; }
    std::int64_t embeddingDim() const override { return m_dim; }
    std::string identity() const override { return m_identity; }
    std::string description() const override;
    std::int64_t parameterCount() const override { return 0; }
    at::Tensor embed(const at::Tensor& wav) override;
    std::optional<at::Tensor> lookup(const std::string& clipPath) override;

    /// Number of embeddings available.
    std::size_t size() const;

private:
    at::Tensor readNpz(const std::string& file) const;

    std::string m_source;
    bool m_matrix = false;
    std::unordered_map<std::string, std::string> m_npzByStem; // stem -> file
    std::vector<float> m_rows;                                // matrix mode
    std::unordered_map<std::string, std::int64_t> m_rowByKey; // path or stem -> row
    std::int64_t m_dim = 0;
    std::string m_identity;
};

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ssondo {

/// How far the student has come into the teacher's space on a fixed sample of training clips:
/// the mapped student embeddings (student + mapping head) of the sample, kept at step 0 and at the
/// end of every epoch, in a run's folder (`align/sample.txt`: the dataset positions of the sample;
/// `align/epoch-NNNN.npy`: [clips, teacher dim] float16 unit rows, row-aligned with the sample, and
/// `epoch-NNNN.norms.npy` their float32 norms).
class AlignmentLog
{
public:
    explicit AlignmentLog(std::string runDir);

    /// The default sample: the smaller of 2,000 clips and a sixteenth of an epoch's, at least 1.
    static std::int64_t defaultClips(std::int64_t clipsPerEpoch);
    /// `n` of `train` (dataset positions), seeded; when `clusterOf` (by dataset position) is not
    /// empty, drawn round-robin over the teacher clusters so that every cluster is represented.
    static std::vector<std::int64_t> chooseSample(const std::vector<std::int64_t>& train,
                                                  const std::vector<std::int64_t>& clusterOf, std::int64_t n,
                                                  std::uint64_t seed);

    bool hasSample() const;
    std::vector<std::int64_t> sample() const; ///< throws InputError when there is none
    void saveSample(const std::vector<std::int64_t>& rows) const;
    /// Keeps `mapped` ([sample size, dim]) as the snapshot of `epoch` (0: before training).
    void save(std::int64_t epoch, const at::Tensor& mapped) const;
    std::vector<std::int64_t> epochs() const;  ///< the snapshots kept, in order
    at::Tensor load(std::int64_t epoch) const; ///< float32 [sample size, dim]
    const std::string& dir() const { return m_dir; }

private:
    std::string m_dir;
};

/// Agreement of one snapshot with the teacher on the sample: the mean cosine, the kNN overlap@k
/// of the two neighbourhoods, and the mean cosine per teacher cluster (worst first). Rows with
/// NaN (clips that failed to decode) are left out.
struct AlignmentScores
{
    std::int64_t epoch = 0, clips = 0, k = 0;
    double meanCosine = 0, knnOverlap = 0;
    struct Cluster
    {
        std::int64_t cluster = 0, clips = 0;
        double meanCosine = 0;
    };
    std::vector<Cluster> clusters;
};
AlignmentScores alignmentScores(std::int64_t epoch, const at::Tensor& teacher, const at::Tensor& mapped,
                                const std::vector<std::int64_t>& clusterOfRow, int k = 10);

/// Teacher and student embeddings of the sample in one 2-D map of their directions (unit rows).
/// "pca": PCA fitted on the teacher's unit rows (randomised subspace iteration, seeded; axes
/// oriented so that their largest loading is positive), applied to every snapshot, so that a
/// student point sits where a teacher point with its direction would. "umap" / "tsne": one map of
/// the union of the teacher's and the snapshots' unit rows, so that the same place means the same
/// direction for all of them; when the union would exceed maxRows, evenly spaced snapshots (the
/// first and the last among them) are mapped. Rows with NaN stay NaN.
struct AlignmentMap
{
    std::string method;               ///< pca | umap | tsne
    at::Tensor teacher;               ///< [n, 2]
    std::vector<int> snapshots;       ///< the snapshots on the map (indices into the input)
    std::vector<at::Tensor> students; ///< one per entry of `snapshots`, [n, 2]
    std::vector<double> explained;    ///< PCA: share of the teacher's variance on each axis
};
AlignmentMap alignmentMap(const at::Tensor& teacher, const std::vector<at::Tensor>& snapshots,
                          const std::string& method = "pca", std::uint64_t seed = 42,
                          std::int64_t maxRows = 40000);

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ssondo {

class ProgressSink;
class StopToken;

/// Which rows are tested, validated and trained on in each round of a probe evaluation.
/// fold[i] is the fold of row i (-1: left out). In round f the rows of fold f are tested, those of
/// fold valFold(f) choose the weight decay, the others train; the final probe is refitted on
/// train + validation with the chosen weight decay.
struct FoldPlan
{
    std::vector<int> fold;
    int numFolds = 0;
    std::vector<int> testFolds;     ///< rounds (folds tested); all folds for cross-validation
    std::vector<int> validationFor; ///< validation fold of each fold
    std::string protocol;           ///< e.g. "dataset folds (5)", "stratified 5-fold, seed 42"

    /// Cross-validation over given folds (values may be any integers; they are renumbered in
    /// order). Rows with fold < 0 are left out. Throws InputError with fewer than 3 folds.
    static FoldPlan fromFolds(const std::vector<int>& folds, const std::string& protocol);
    /// Stratified k-fold over a primary label per row (-1: left out), seeded: every class is spread
    /// over the folds as evenly as possible.
    static FoldPlan stratified(const std::vector<int>& primaryLabel, int k, std::uint64_t seed);
    /// A fixed split: one round, testing "test", choosing on "valid", training on "train".
    /// split[i] is "train", "valid", "test" or anything else (left out). A split without "valid"
    /// (OpenMIC's train/test) chooses on a seeded eighth of the train rows.
    static FoldPlan fromSplits(const std::vector<std::string>& split, std::uint64_t seed = 42);
};

/// A labelled set of embeddings.
struct ProbeData
{
    at::Tensor features;                  ///< [N, D] float32
    std::vector<std::vector<int>> labels; ///< class indices of each row (one for single-label)
    std::int64_t numClasses = 0;
    bool multiLabel = false; ///< mAP with a sigmoid probe instead of accuracy with softmax
    /// Masked multi-label tasks (OpenMIC): the classes annotated for each row, positive or negative;
    /// the loss and the mAP ignore the others. Empty: every label of every row is known.
    std::vector<std::vector<int>> known;
};

struct ProbeOptions
{
    /// L2 penalty grid: loss = mean cross-entropy + wd/2 · ‖W‖². scikit-learn's C is 1/(wd · n)
    /// for n training rows: this grid spans C = 1e-3 … 100 (and beyond) for 1,000 to 100,000 rows,
    /// the search a user of LogisticRegression makes.
    std::vector<double> weightDecays{1.0, 3e-1, 1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 0.0};
    int maxIterations = 300; ///< L-BFGS iterations per fit (a fit that needs more is marked unconverged)
    int knnK = 10;           ///< neighbours of the cosine kNN classifier (0: no kNN)
};

struct ProbeFold
{
    int fold = 0;
    double score = 0;       ///< probe accuracy or mAP on the test fold
    double knnScore = 0;    ///< kNN accuracy or mAP on the test fold
    double weightDecay = 0; ///< chosen on the validation fold
    double validationScore = 0;
    std::vector<double> validationScores; ///< per weight decay of the grid (strongest first)
    bool converged = true;                ///< every L-BFGS fit of the round reached its tolerance
    std::int64_t trainRows = 0, testRows = 0;
};

struct ProbeResult
{
    std::string metric;       ///< "accuracy" or "mAP"
    std::vector<double> grid; ///< the weight decays tried, strongest first
    std::vector<ProbeFold> folds;
    double mean = 0, ci95 = 0; ///< over folds (ci95 NaN with a single round)
    double knnMean = 0, knnCi95 = 0;
    double seconds = 0;
};

/// Linear probe of frozen embeddings: per round, features standardised on the training rows, a
/// multinomial logistic regression (softmax; independent sigmoids for multi-label) fitted with
/// full-batch L-BFGS for each weight decay of the grid (warm-started along the path, in coordinates
/// that whiten the training rows' covariance), the best on the validation fold refitted on train +
/// validation and scored on the test fold; plus a cosine kNN classifier (FAISS inner product on
/// L2-normalised rows, similarity-weighted votes).
ProbeResult runLinearProbe(const ProbeData& data, const FoldPlan& plan, const ProbeOptions& options = {},
                           ProgressSink* sink = nullptr, const StopToken* stop = nullptr);

/// Share of correct arg-max predictions. scores [N, C].
double accuracyScore(const at::Tensor& scores, const std::vector<std::vector<int>>& labels);
/// Mean over classes with at least one positive of the average precision (scikit-learn's
/// average_precision_score, macro). scores [N, C]. With `known` (per row, the classes annotated),
/// each class's AP uses only the rows where it is annotated (OpenMIC's masked mAP).
double meanAveragePrecision(const at::Tensor& scores, const std::vector<std::vector<int>>& labels,
                            const std::vector<std::vector<int>>* known = nullptr);

/// Two-sided 97.5% quantile of Student's t with `dof` degrees of freedom.
double studentT975(int dof);
/// Half-width of the 95% confidence interval of the mean of `values` (t-based; NaN for < 2).
double ci95HalfWidth(const std::vector<double>& values);

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "eval/Agreement.h"

#include "clustering/Neighbours.h"
#include "util/Error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <vector>

namespace ssondo {

namespace {

at::Tensor unitRows(const at::Tensor& x)
{
    const at::Tensor f = x.to(at::kFloat);
    return (f / f.norm(2, {1}, true).clamp_min(1e-12)).contiguous();
}

/// The k nearest other rows of each row by cosine, sorted by row index.
std::vector<std::vector<std::int64_t>> neighbours(const at::Tensor& unit, std::int64_t k)
{
    const NeighbourLists nb = nearestOthers(unit, k, NeighbourMetric::InnerProduct);
    std::vector<std::vector<std::int64_t>> out(static_cast<std::size_t>(unit.size(0)));
    for (std::int64_t i = 0; i < unit.size(0); ++i) {
        for (std::int64_t m = 0; m < k; ++m)
            if (nb.of(i)[m] >= 0)
                out[size_t(i)].push_back(nb.of(i)[m]);
        std::sort(out[size_t(i)].begin(), out[size_t(i)].end());
    }
    return out;
}

} // namespace

AgreementScores embeddingAgreement(const at::Tensor& teacher, const at::Tensor& student, int k)
{
    if (teacher.dim() != 2 || student.dim() != 2 || teacher.size(0) != student.size(0))
        throw InputError("agreement: teacher and student embeddings must be [n, D] with the same n");
    if (teacher.size(1) != student.size(1))
        throw InputError("agreement: the student's projected embeddings have " +
                         std::to_string(student.size(1)) + " dimensions, the teacher's " +
                         std::to_string(teacher.size(1)));
    const std::int64_t n = teacher.size(0);
    if (n < 2)
        throw InputError("agreement: at least 2 clips are needed");
    AgreementScores s;
    const at::Tensor t = unitRows(teacher), p = unitRows(student);
    s.meanCosine = (t * p).sum(1).mean().item<double>();
    s.k = std::min<std::int64_t>(k, n - 1);
    const auto nt = neighbours(t, s.k), np = neighbours(p, s.k);
    double total = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        std::vector<std::int64_t> common;
        std::set_intersection(nt[size_t(i)].begin(), nt[size_t(i)].end(), np[size_t(i)].begin(),
                              np[size_t(i)].end(), std::back_inserter(common));
        total += double(common.size()) / double(s.k);
    }
    s.knnOverlap = total / double(n);
    return s;
}

} // namespace ssondo

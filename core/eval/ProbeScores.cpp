// SPDX-License-Identifier: GPL-3.0-or-later
// The probe's scores and their confidence intervals (declared in eval/LinearProbe.h): accuracy,
// macro average precision as scikit-learn computes it, Student's t quantiles.
#include "eval/LinearProbe.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace ssondo {

double accuracyScore(const at::Tensor& scores, const std::vector<std::vector<int>>& labels)
{
    if (labels.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const at::Tensor pred = scores.argmax(1).contiguous();
    const auto* p = pred.data_ptr<std::int64_t>();
    std::int64_t correct = 0;
    for (std::size_t i = 0; i < labels.size(); ++i)
        correct += p[i] == labels[i].front();
    return double(correct) / double(labels.size());
}

double meanAveragePrecision(const at::Tensor& scores, const std::vector<std::vector<int>>& labels,
                            const std::vector<std::vector<int>>* known)
{
    const at::Tensor s = scores.to(at::kDouble).contiguous();
    const std::int64_t n = s.size(0), classes = s.size(1);
    // pos: 1 positive, 0 negative, -1 not annotated (left out of that class's AP).
    std::vector<std::vector<signed char>> pos(size_t(classes),
                                              std::vector<signed char>(size_t(n), known ? -1 : 0));
    for (std::int64_t i = 0; i < n; ++i) {
        if (known)
            for (int c : (*known)[size_t(i)])
                pos[size_t(c)][size_t(i)] = 0;
        for (int c : labels[size_t(i)])
            if (pos[size_t(c)][size_t(i)] == 0) // a label that is not annotated stays out
                pos[size_t(c)][size_t(i)] = 1;
    }
    const double* sp = s.data_ptr<double>();
    double sum = 0;
    int counted = 0;
    std::vector<std::int64_t> order;
    order.reserve(static_cast<std::size_t>(n));
    for (std::int64_t c = 0; c < classes; ++c) {
        const auto& y = pos[size_t(c)];
        const std::int64_t positives = std::count(y.begin(), y.end(), 1);
        if (positives == 0)
            continue;
        order.clear();
        for (std::int64_t i = 0; i < n; ++i)
            if (y[size_t(i)] >= 0)
                order.push_back(i);
        std::stable_sort(order.begin(), order.end(),
                         [&](auto a, auto b) { return sp[a * classes + c] > sp[b * classes + c]; });
        // Step-wise AP over distinct thresholds (ties form one step), as scikit-learn computes it.
        double ap = 0, prevRecall = 0;
        std::int64_t tp = 0, seen = 0;
        for (std::size_t i = 0; i < order.size(); ++i) {
            tp += y[size_t(order[i])];
            ++seen;
            const bool lastOfTie =
                i + 1 == order.size() || sp[order[i + 1] * classes + c] != sp[order[i] * classes + c];
            if (!lastOfTie)
                continue;
            const double recall = double(tp) / double(positives);
            ap += (recall - prevRecall) * double(tp) / double(seen);
            prevRecall = recall;
        }
        sum += ap;
        ++counted;
    }
    return counted ? sum / counted : std::numeric_limits<double>::quiet_NaN();
}

double studentT975(int dof)
{
    static const double table[] = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060,
                                   2.2622,  2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199,
                                   2.1098,  2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639,
                                   2.0595,  2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    if (dof < 1)
        return std::numeric_limits<double>::quiet_NaN();
    if (dof <= 30)
        return table[dof - 1];
    // Cornish-Fisher expansion around the normal quantile; exact to 1e-4 beyond 30 dof.
    const double z = 1.959964, d = dof;
    return z + (z * z * z + z) / (4 * d) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * d * d);
}

double ci95HalfWidth(const std::vector<double>& v)
{
    if (v.size() < 2)
        return std::numeric_limits<double>::quiet_NaN();
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
    double ss = 0;
    for (double x : v)
        ss += (x - mean) * (x - mean);
    const double sd = std::sqrt(ss / double(v.size() - 1));
    return studentT975(int(v.size()) - 1) * sd / std::sqrt(double(v.size()));
}

} // namespace ssondo

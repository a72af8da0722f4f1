// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace ssondo {

struct AgreementScores
{
    double meanCosine = 0; ///< mean cosine between each clip's teacher and student embedding
    double knnOverlap = 0; ///< mean |N_T(i) ∩ N_S(i)| / k over clips (cosine neighbours, self excluded)
    std::int64_t k = 0;    ///< neighbours used (min(k, n − 1))
};

/// How closely a student's projected embeddings follow the teacher's on the same clips:
/// teacher, student: [n, D] (row i is clip i in both). Neighbourhoods by cosine (FAISS).
AgreementScores embeddingAgreement(const at::Tensor& teacher, const at::Tensor& student, int k = 10);

} // namespace ssondo

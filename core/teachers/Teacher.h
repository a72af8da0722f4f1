// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/Error.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace ssondo {

/// The teacher's forward raised on this input (a model that fails on silent or short inputs, say).
/// The clips of that input are recorded as failed with this message; the job goes on.
class TeacherFailure : public Error
{
public:
    using Error::Error;
};

/// The teacher's output broke the contract its first output set (rank, dimension, dtype, batch
/// size). Rows embedded before stay saved; the job stops with this message, which names the
/// teacher and what changed.
class TeacherContractError : public Error
{
public:
    using Error::Error;
};

/// What kind of teacher a Teacher is.
enum class TeacherKind { Demo, TorchScript, Precomputed, Student };

/// A teacher gives one embedding per clip; nothing else of it is used (S-SONDO distils from the
/// output embedding only). Implementations are not thread-safe: one instance per thread, or
/// calls serialised by the caller.
class Teacher
{
public:
    virtual ~Teacher() = default;

    virtual TeacherKind kind() const = 0;
    /// Sample rate of the waveforms embed() takes, Hz.
    virtual int sampleRate() const = 0;
    /// Length of the window the teacher embeds at once, seconds (clips are cut into such segments).
    virtual double windowSeconds() const = 0;
    /// Embedding dimension D.
    virtual std::int64_t embeddingDim() const = 0;
    /// Stable identity: same weights and settings, same string (a content hash). Keys the
    /// embedding store, so a changed teacher never reuses stale embeddings.
    virtual std::string identity() const = 0;
    /// One line for people: what this teacher is ("demo teacher (random features, not pretrained)").
    virtual std::string description() const = 0;
    /// Number of parameters (0 when unknown, e.g. precomputed embeddings).
    virtual std::int64_t parameterCount() const = 0;

    /// wav: [B, T] float32 mono at sampleRate() Hz, T = windowSeconds() * sampleRate()
    /// → [B, D] float32, contiguous, on the CPU. Rows may hold NaN or infinite values: the caller
    /// decides what a non-finite row means. Throws TeacherFailure when the forward itself fails
    /// and TeacherContractError when the output's rank, dimension, dtype or batch size is not the
    /// teacher's (both name the teacher). Not available for precomputed teachers.
    virtual at::Tensor embed(const at::Tensor& wav) = 0;

    /// For precomputed teachers: the clip's embedding [D], looked up by the clip's path relative
    /// to its dataset root (matched on the base name). nullopt when the teacher has none for it.
    virtual std::optional<at::Tensor> lookup(const std::string& clipPath)
    {
        (void)clipPath;
        return std::nullopt;
    }

    /// Moves the teacher to a device ("cpu", "cuda"); a no-op for precomputed teachers.
    virtual void to(const std::string& device) { (void)device; }

    /// Before a long extraction: switches to the fastest equivalent form of the model on its
    /// device, measured here, when there is one (outputs equal to rounding). Returns one line saying
    /// what was measured and chosen, "" when there is nothing to choose.
    virtual std::string optimizeForInference() { return {}; }
};

/// Options for opening a teacher from the command line or the GUI.
struct TeacherSpec
{
    std::string source;       ///< "demo", a .pt TorchScript file, a folder of .npz, or a .npy matrix
    std::string indexCsv;     ///< for a .npy matrix: CSV with one clip path per row (same order)
    int sampleRate = 0;       ///< override for TorchScript files without a sample_rate attribute
    double windowSeconds = 0; ///< idem for window_seconds
};

/// Opens the teacher a spec names. Throws InputError (naming the file) when it cannot be used.
std::unique_ptr<Teacher> openTeacher(const TeacherSpec& spec);

std::string teacherKindName(TeacherKind kind);

} // namespace ssondo

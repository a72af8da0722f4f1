// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distributed/DistEnv.h"

#include <ATen/core/Tensor.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ssondo {

/// The collective operations of data-parallel training, over LibTorch's c10d: a TCPStore (or
/// FileStore) rendezvous and ProcessGroupGloo on CPU, ProcessGroupNCCL for CUDA tensors when
/// LibTorch was built with it. Every rank must make the same calls in the same order.
class Communicator
{
public:
    /// Joins the group described by `env` (a world of one is allowed: every call is then local).
    /// `device` is "cpu" or "cuda[:N]": the backend follows it. Throws Error when the rendezvous
    /// does not complete within `timeout`, naming the address it waited on.
    static std::unique_ptr<Communicator> create(const DistEnv& env, const std::string& device,
                                                std::chrono::seconds timeout = std::chrono::seconds(300));
    ~Communicator();

    int rank() const;
    int worldSize() const;
    const std::string& backend() const; ///< "gloo", "nccl" or "local"

    /// Sums each tensor across ranks, in place.
    void allReduceSum(std::vector<at::Tensor>& tensors);
    /// Averages the gradients of `params` across ranks: flattened into buckets of about
    /// `bucketBytes`, all buckets reduced concurrently, then copied back. A parameter without a
    /// gradient counts as zero (every rank reduces the same buckets).
    void averageGradients(const std::vector<at::Tensor>& params, std::int64_t bucketBytes = 25 << 20);
    /// Copies root's tensors to every rank, in place (initial weights, buffers).
    void broadcast(std::vector<at::Tensor>& tensors, int root = 0);
    /// root's string on every rank (through the store).
    std::string broadcastString(const std::string& value, const std::string& key, int root = 0);
    void barrier();

    /// Seconds spent in collective calls so far (waiting included), and their count.
    double commSeconds() const;
    std::int64_t calls() const;

private:
    Communicator();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace ssondo

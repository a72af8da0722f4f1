// SPDX-License-Identifier: GPL-3.0-or-later
#include "distributed/Communicator.h"

#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/version.h>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <cstdlib>

namespace ssondo {

namespace {
using Clock = std::chrono::steady_clock;
#if TORCH_VERSION_MAJOR >= 2
using Group = c10d::Backend; // LibTorch 2.x: ProcessGroupGloo/NCCL are backends
#else
using Group = c10d::ProcessGroup;
#endif
} // namespace

struct Communicator::Impl
{
    int rank = 0, world = 1;
    std::string backend = "local";
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<Group> group;
    double seconds = 0;
    std::int64_t calls = 0;

    template <typename F> void timed(F&& f)
    {
        const auto t0 = Clock::now();
        f();
        seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        ++calls;
    }
};

Communicator::Communicator() : d(std::make_unique<Impl>()) {}
Communicator::~Communicator() = default;

std::unique_ptr<Communicator> Communicator::create(const DistEnv& env, const std::string& device,
                                                   std::chrono::seconds timeout)
{
    std::unique_ptr<Communicator> c(new Communicator());
    c->d->rank = env.rank;
    c->d->world = env.worldSize;
    if (!env.distributed())
        return c;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
    try {
        if (!env.masterAddr.empty()) {
            c10d::TCPStoreOptions o;
            o.port = std::uint16_t(env.masterPort);
            o.isServer = env.rank == 0;
            o.numWorkers = std::size_t(env.worldSize);
            o.waitWorkers = true;
            o.timeout = ms;
            c->d->store = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, o);
        } else {
            if (env.storeFile.empty())
                throw InputError(
                    "no rendezvous: set MASTER_ADDR and MASTER_PORT, or run from a shared workspace");
            c->d->store = c10::make_intrusive<c10d::FileStore>(env.storeFile, env.worldSize);
            c->d->store->setTimeout(ms);
        }
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(
            "rank " + std::to_string(env.rank) + " could not join the rendezvous at " +
            (env.masterAddr.empty() ? env.storeFile : env.masterAddr + ":" + std::to_string(env.masterPort)) +
            " within " + std::to_string(timeout.count()) + " s: " + e.what());
    }
    const bool cuda = device.rfind("cuda", 0) == 0;
    try {
        if (cuda) {
#ifdef USE_C10D_NCCL
            auto opts = c10d::ProcessGroupNCCL::Options::create();
            opts->timeout = ms;
            c->d->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(
                c10::make_intrusive<c10d::PrefixStore>("nccl", c->d->store), env.rank, env.worldSize, opts);
            c->d->backend = "nccl";
#endif
        }
        if (!c->d->group) {
            auto opts = c10d::ProcessGroupGloo::Options::create(ms);
            const char* iface = std::getenv("GLOO_SOCKET_IFNAME");
            if (iface && *iface)
                opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(iface));
            else if (env.masterAddr == "127.0.0.1" || env.masterAddr == "localhost")
                opts->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
            else
                opts->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
            opts->threads = 2;
            c->d->group = c10::make_intrusive<c10d::ProcessGroupGloo>(
                c10::make_intrusive<c10d::PrefixStore>("gloo", c->d->store), env.rank, env.worldSize, opts);
            c->d->backend = "gloo";
        }
    } catch (const std::exception& e) {
        throw Error("rank " + std::to_string(env.rank) + ": could not create the " + (cuda ? "NCCL/" : "") +
                    "Gloo process group: " + e.what());
    }
    return c;
}

int Communicator::rank() const
{
    return d->rank;
}
int Communicator::worldSize() const
{
    return d->world;
}
const std::string& Communicator::backend() const
{
    return d->backend;
}
double Communicator::commSeconds() const
{
    return d->seconds;
}
std::int64_t Communicator::calls() const
{
    return d->calls;
}

void Communicator::allReduceSum(std::vector<at::Tensor>& tensors)
{
    if (!d->group || tensors.empty())
        return;
    d->timed([&] {
        std::vector<c10::intrusive_ptr<c10d::Work>> works;
        for (auto& t : tensors) {
            std::vector<at::Tensor> one{t};
            works.push_back(d->group->allreduce(one));
        }
        for (auto& w : works)
            w->wait();
    });
}

void Communicator::averageGradients(const std::vector<at::Tensor>& params, std::int64_t bucketBytes)
{
    if (!d->group)
        return;
    d->timed([&] {
        // Buckets of consecutive parameters of one dtype/device, flattened into one tensor each.
        std::vector<std::vector<at::Tensor>> buckets;
        std::int64_t bytes = 0;
        for (const auto& p : params) {
            at::Tensor g = p.grad();
            if (!g.defined()) {
                // Unused in this step on this rank (another rank may have used it).
                p.mutable_grad() = at::zeros_like(p);
                g = p.grad();
            }
            const std::int64_t b = g.numel() * std::int64_t(g.element_size());
            if (buckets.empty() || bytes + b > bucketBytes ||
                buckets.back().front().scalar_type() != g.scalar_type() ||
                buckets.back().front().device() != g.device()) {
                buckets.emplace_back();
                bytes = 0;
            }
            buckets.back().push_back(g);
            bytes += b;
        }
        std::vector<at::Tensor> flats;
        std::vector<c10::intrusive_ptr<c10d::Work>> works;
        for (auto& bucket : buckets) {
            std::vector<at::Tensor> views;
            for (auto& g : bucket)
                views.push_back(g.reshape({-1}));
            flats.push_back(at::cat(views));
            std::vector<at::Tensor> one{flats.back()};
            works.push_back(d->group->allreduce(one));
        }
        const double scale = 1.0 / double(d->world);
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            works[i]->wait();
            flats[i].mul_(scale);
            std::int64_t offset = 0;
            for (auto& g : buckets[i]) {
                const std::int64_t n = g.numel();
                g.copy_(flats[i].slice(0, offset, offset + n).view_as(g));
                offset += n;
            }
        }
    });
}

void Communicator::broadcast(std::vector<at::Tensor>& tensors, int root)
{
    if (!d->group)
        return;
    d->timed([&] {
        c10d::BroadcastOptions o;
        o.rootRank = root;
        for (auto& t : tensors) {
            // Broadcast needs a contiguous tensor; copy back when the parameter is a view.
            at::Tensor c = t.contiguous();
            std::vector<at::Tensor> one{c};
            d->group->broadcast(one, o)->wait();
            if (!c.is_same(t))
                t.copy_(c);
        }
    });
}

std::string Communicator::broadcastString(const std::string& value, const std::string& key, int root)
{
    if (!d->store)
        return value;
    const std::string k = "bcast/" + key;
    if (d->rank == root) {
        d->store->set(k, std::vector<std::uint8_t>(value.begin(), value.end()));
        return value;
    }
    const auto v = d->store->get(k); // waits for the key
    return std::string(v.begin(), v.end());
}

void Communicator::barrier()
{
    if (!d->group)
        return;
    d->timed([&] { d->group->barrier()->wait(); });
}

} // namespace ssondo

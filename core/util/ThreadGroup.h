// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ssondo {

/// Worker threads that are always joined and whose exceptions are never lost.
///
/// A `std::thread` that throws, or that is still joinable when it is destroyed, calls
/// std::terminate: the whole process aborts and whatever it had not saved is lost. Every worker of
/// the core runs through a ThreadGroup instead:
/// - an exception escaping a worker's body is caught and kept (the first one wins), and `release`
///   is called so the other workers and the consumer stop waiting;
/// - join() waits for every worker and rethrows the kept exception on the owner's thread, where
///   the job's error path handles it like any other failure;
/// - the destructor calls `release`, then joins, and swallows the kept exception (the owner is
///   already unwinding from another one or chose not to look).
/// `release` must wake every worker from every wait (close its queue, set its stop flag); it may
/// be called more than once and from any worker thread.
class ThreadGroup
{
public:
    explicit ThreadGroup(std::function<void()> release = {}) : m_release(std::move(release)) {}
    ~ThreadGroup();
    ThreadGroup(const ThreadGroup&) = delete;
    ThreadGroup& operator=(const ThreadGroup&) = delete;

    /// Starts `body` on a new thread of the group. Not thread-safe: call from the owner only.
    void spawn(std::function<void()> body);
    /// Waits for every worker, then rethrows the first exception any of them threw.
    void join();
    /// True once a worker has thrown. Thread-safe.
    bool failed() const noexcept { return m_failed.load(); }
    /// Rethrows the first exception a worker threw, if any, without waiting. Thread-safe.
    void rethrowIfFailed() const;
    std::size_t size() const noexcept { return m_threads.size(); }

private:
    void joinAll() noexcept;

    std::function<void()> m_release;
    std::vector<std::thread> m_threads;
    mutable std::mutex m_mutex;
    std::exception_ptr m_error;
    std::atomic<bool> m_failed{false};
};

} // namespace ssondo

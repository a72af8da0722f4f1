// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <atomic>

namespace ssondo {

/// Cooperative cancellation shared between a job and whoever may stop it (signal handler, GUI
/// thread). Thread-safe; async-signal-safe to request() since std::atomic<bool> is lock-free.
class StopToken
{
public:
    void request() noexcept { m_stop.store(true, std::memory_order_relaxed); }
    bool requested() const noexcept { return m_stop.load(std::memory_order_relaxed); }
    void reset() noexcept { m_stop.store(false, std::memory_order_relaxed); }

private:
    std::atomic<bool> m_stop{false};
};

} // namespace ssondo

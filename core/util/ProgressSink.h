// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace ssondo {

/// Where long operations report. Implementations must be thread-safe: workers may call from any
/// thread. Every method has a no-op default so a caller only overrides what it shows.
class ProgressSink
{
public:
    virtual ~ProgressSink() = default;

    /// done of total units of `stage` (clips, steps...). total < 0: unknown.
    virtual void progress(const std::string& stage, std::int64_t done, std::int64_t total)
    {
        (void)stage;
        (void)done;
        (void)total;
    }
    /// One scalar of a run. step/epoch < 0 when not meaningful.
    virtual void metric(const std::string& name, double value, std::int64_t step, std::int64_t epoch)
    {
        (void)name;
        (void)value;
        (void)step;
        (void)epoch;
    }
    /// Something the user should see; the operation goes on. `where` names the file or item.
    virtual void warning(const std::string& message, const std::string& where = {})
    {
        (void)message;
        (void)where;
    }
    /// A human-readable line for logs.
    virtual void info(const std::string& message) { (void)message; }
};

/// A sink that drops everything.
inline ProgressSink& nullProgressSink()
{
    static ProgressSink sink;
    return sink;
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ProgressSink.h"

#include <chrono>
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>

namespace ssondo {

/// ProgressSink that writes one JSON object per line (the job protocol the GUI follows):
///   {"type":"progress","stage":..,"done":..,"total":..,"rate":..,"eta_s":..,"t":..}
///   {"type":"metric","name":..,"value":..,"step":..,"epoch":..,"t":..}
///   {"type":"warning","message":..,"where":..,"t":..}
///   {"type":"info","message":..,"t":..}
///   {"type":"result",...}  (writeResult)
/// "t" is seconds since the sink was created. Progress lines are throttled to `minIntervalMs`
/// per stage, except the first and the last (done == total). Thread-safe.
class JsonLinesSink : public ProgressSink
{
public:
    explicit JsonLinesSink(std::ostream& out, int minIntervalMs = 200);

    void progress(const std::string& stage, std::int64_t done, std::int64_t total) override;
    void metric(const std::string& name, double value, std::int64_t step, std::int64_t epoch) override;
    void warning(const std::string& message, const std::string& where) override;
    void info(const std::string& message) override;
    /// Writes {"type":"result", ...fields of `jsonObject`}; jsonObject is a serialized JSON object.
    void writeResult(const std::string& jsonObject);

    double elapsedSeconds() const;

private:
    void writeLine(const std::string& line);

    std::ostream& m_out;
    int m_minIntervalMs;
    std::chrono::steady_clock::time_point m_start;
    struct StageClock
    {
        std::chrono::steady_clock::time_point first;
        std::chrono::steady_clock::time_point last;
        std::int64_t firstDone = 0;
    };
    std::map<std::string, StageClock> m_stages;
    std::mutex m_mutex;
};

} // namespace ssondo

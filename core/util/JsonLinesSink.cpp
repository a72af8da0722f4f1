// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/JsonLinesSink.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ostream>

namespace ssondo {

using Clock = std::chrono::steady_clock;

JsonLinesSink::JsonLinesSink(std::ostream& out, int minIntervalMs)
    : m_out(out), m_minIntervalMs(minIntervalMs), m_start(Clock::now())
{
}

double JsonLinesSink::elapsedSeconds() const
{
    return std::chrono::duration<double>(Clock::now() - m_start).count();
}

void JsonLinesSink::writeLine(const std::string& line)
{
    // Caller holds m_mutex. One write + flush per line so a reader never sees half a line.
    m_out << line << '\n';
    m_out.flush();
}

void JsonLinesSink::progress(const std::string& stage, std::int64_t done, std::int64_t total)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto now = Clock::now();
    auto it = m_stages.find(stage);
    const bool first = it == m_stages.end();
    if (first)
        it = m_stages.emplace(stage, StageClock{now, now, done}).first;
    StageClock& clock = it->second;
    const bool last = total >= 0 && done >= total;
    const auto sinceLast = std::chrono::duration_cast<std::chrono::milliseconds>(now - clock.last).count();
    if (!first && !last && sinceLast < m_minIntervalMs)
        return;
    clock.last = now;

    const double span = std::chrono::duration<double>(now - clock.first).count();
    const double rate = span > 0 ? double(done - clock.firstDone) / span : 0.0;
    nlohmann::json j{{"type", "progress"},
                     {"stage", stage},
                     {"done", done},
                     {"total", total},
                     {"rate", std::isfinite(rate) ? rate : 0.0},
                     {"t", elapsedSeconds()}};
    if (total >= 0 && rate > 0)
        j["eta_s"] = double(total - done) / rate;
    else
        j["eta_s"] = nullptr;
    writeLine(j.dump());
}

void JsonLinesSink::metric(const std::string& name, double value, std::int64_t step, std::int64_t epoch)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    nlohmann::json j{
        {"type", "metric"}, {"name", name}, {"step", step}, {"epoch", epoch}, {"t", elapsedSeconds()}};
    j["value"] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
    writeLine(j.dump());
}

void JsonLinesSink::warning(const std::string& message, const std::string& where)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    nlohmann::json j{{"type", "warning"}, {"message", message}, {"where", where}, {"t", elapsedSeconds()}};
    writeLine(j.dump());
}

void JsonLinesSink::info(const std::string& message)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    writeLine(nlohmann::json{{"type", "info"}, {"message", message}, {"t", elapsedSeconds()}}.dump());
}

void JsonLinesSink::writeResult(const std::string& jsonObject)
{
    auto j = nlohmann::json::parse(jsonObject);
    j["type"] = "result";
    j["t"] = elapsedSeconds();
    std::lock_guard<std::mutex> lock(m_mutex);
    writeLine(j.dump());
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/ProgressSink.h"

#include <chrono>
#include <iosfwd>
#include <mutex>

namespace ssondo::cli {

/// Human progress on a terminal: one self-overwriting line per stage ("scan 120/325 56/s eta 3s"),
/// warnings on their own lines. Plain lines (no carriage returns) when the stream is not a tty.
class TerminalProgress : public ProgressSink
{
public:
    TerminalProgress(std::ostream& out, bool quiet);
    ~TerminalProgress() override;

    void progress(const std::string& stage, std::int64_t done, std::int64_t total) override;
    void metric(const std::string& name, double value, std::int64_t step, std::int64_t epoch) override;
    void warning(const std::string& message, const std::string& where) override;
    void info(const std::string& message) override;

private:
    void endLine();

    std::ostream& m_out;
    bool m_quiet;
    bool m_tty;
    bool m_open = false;
    std::string m_stage;
    std::chrono::steady_clock::time_point m_stageStart, m_last;
    std::mutex m_mutex;
};

} // namespace ssondo::cli

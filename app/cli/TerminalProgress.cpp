// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/TerminalProgress.h"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace ssondo::cli {

using Clock = std::chrono::steady_clock;

TerminalProgress::TerminalProgress(std::ostream& out, bool quiet)
    : m_out(out), m_quiet(quiet), m_tty(&out == &std::cerr ? isatty(2) : isatty(1))
{
}

TerminalProgress::~TerminalProgress()
{
    endLine();
}

void TerminalProgress::endLine()
{
    if (m_open) {
        m_out << '\n';
        m_open = false;
    }
}

void TerminalProgress::progress(const std::string& stage, std::int64_t done, std::int64_t total)
{
    if (m_quiet)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto now = Clock::now();
    if (stage != m_stage) {
        endLine();
        m_stage = stage;
        m_stageStart = now;
        m_last = Clock::time_point{};
    }
    const bool last = total >= 0 && done >= total;
    const double minGap = m_tty ? 0.1 : 2.0;
    if (!last && std::chrono::duration<double>(now - m_last).count() < minGap)
        return;
    m_last = now;
    const double secs = std::chrono::duration<double>(now - m_stageStart).count();
    const double rate = secs > 0 ? done / secs : 0;
    char buf[160];
    if (total >= 0 && rate > 0)
        std::snprintf(buf, sizeof buf, "%s %lld/%lld  %.1f/s  eta %.0fs", stage.c_str(), (long long)done,
                      (long long)total, rate, (total - done) / rate);
    else
        std::snprintf(buf, sizeof buf, "%s %lld", stage.c_str(), (long long)done);
    if (m_tty) {
        m_out << '\r' << buf << "\x1b[K" << std::flush;
        m_open = true;
        if (last)
            endLine();
    } else {
        m_out << buf << '\n';
    }
}

void TerminalProgress::metric(const std::string& name, double value, std::int64_t step, std::int64_t epoch)
{
    if (m_quiet)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    endLine();
    m_out << "  epoch " << epoch << " step " << step << "  " << name << " = " << value << '\n';
}

void TerminalProgress::warning(const std::string& message, const std::string& where)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    endLine();
    m_out << "warning: " << (where.empty() ? "" : where + ": ") << message << '\n';
}

void TerminalProgress::info(const std::string& message)
{
    if (m_quiet)
        return;
    std::lock_guard<std::mutex> lock(m_mutex);
    endLine();
    m_out << message << '\n';
}

} // namespace ssondo::cli

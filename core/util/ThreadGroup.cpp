// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/ThreadGroup.h"

namespace ssondo {

ThreadGroup::~ThreadGroup()
{
    if (m_release && !m_threads.empty())
        m_release();
    joinAll();
}

void ThreadGroup::spawn(std::function<void()> body)
{
    m_threads.emplace_back([this, body = std::move(body)]() {
        try {
            body();
        } catch (...) {
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                if (!m_error)
                    m_error = std::current_exception();
            }
            m_failed.store(true);
            if (m_release)
                m_release();
        }
    });
}

void ThreadGroup::joinAll() noexcept
{
    for (auto& t : m_threads)
        if (t.joinable())
            t.join();
    m_threads.clear();
}

void ThreadGroup::join()
{
    joinAll();
    rethrowIfFailed();
}

void ThreadGroup::rethrowIfFailed() const
{
    std::exception_ptr e;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        e = m_error;
    }
    if (e)
        std::rethrow_exception(e);
}

} // namespace ssondo

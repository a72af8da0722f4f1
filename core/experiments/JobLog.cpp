// SPDX-License-Identifier: GPL-3.0-or-later
#include "experiments/JobLog.h"

#include "experiments/Database.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace ssondo {

const ChoiceTable<Named<JobState>>& jobStates()
{
    static const ChoiceTable<Named<JobState>> table(
        "job state",
        {{JobState::Queued, "queued", "waiting to start"},
         {JobState::Running, "running", "its process is at work"},
         {JobState::Stopped, "stopped", "stopped on request after saving; the same command continues it"},
         {JobState::Failed, "failed", "ended with an error, or its process died"},
         {JobState::Done, "done", "finished"}});
    return table;
}

namespace {

std::string hostName()
{
    char buf[256] = {0};
    if (gethostname(buf, sizeof buf - 1) != 0)
        return "localhost";
    return buf;
}

constexpr const char* kSelect =
    "SELECT id, kind, target, command, state, pid, host, progress_done, "
    "progress_total, rate, message, log_path, "
    "started_at, updated_at, finished_at, slurm_job_id, IFNULL(run_id, 0) FROM jobs";

JobRecord readJob(const Statement& s)
{
    JobRecord j;
    j.id = s.columnInt(0);
    j.kind = s.columnText(1);
    j.target = s.columnText(2);
    j.command = s.columnText(3);
    j.state = jobStates().get(s.columnText(4), "job " + std::to_string(j.id)).value;
    j.pid = s.columnInt(5);
    j.host = s.columnText(6);
    j.done = s.columnInt(7);
    j.total = s.columnInt(8);
    j.rate = s.columnOptDouble(9);
    j.message = s.columnText(10);
    j.logPath = s.columnText(11);
    j.startedAt = s.columnText(12);
    j.updatedAt = s.columnText(13);
    j.finishedAt = s.columnText(14);
    j.slurmJobId = s.columnText(15);
    j.runId = s.columnInt(16);
    return j;
}

} // namespace

std::int64_t JobLog::start(const std::string& kind, const std::string& target, const std::string& command,
                           const std::string& logPath, std::int64_t runId)
{
    // Jobs of this host whose process died without a word are recorded as failed first.
    try {
        reapDead();
    } catch (const std::exception&) {
        // a busy database: the next job reaps them
    }
    const std::string now = utcNow();
    auto s = m_db.prepare("INSERT INTO jobs(kind, target, command, state, pid, host, log_path, started_at, "
                          "updated_at, slurm_job_id, run_id) "
                          "VALUES (?1, ?2, ?3, ?9, ?4, ?5, ?6, ?7, ?7, ?8, NULLIF(?10, 0))");
    // Inside a Slurm job the dock matches this row with the job it submitted.
    std::optional<std::string> slurm;
    if (const char* a = std::getenv("SLURM_ARRAY_JOB_ID"); a && *a)
        slurm = std::string(a) + "_" +
                (std::getenv("SLURM_ARRAY_TASK_ID") ? std::getenv("SLURM_ARRAY_TASK_ID") : "");
    else if (const char* id = std::getenv("SLURM_JOB_ID"); id && *id)
        slurm = std::string(id);
    s.bind(1, kind)
        .bind(2, target)
        .bind(3, command)
        .bind(4, std::int64_t(getpid()))
        .bind(5, hostName())
        .bind(6, logPath)
        .bind(7, now)
        .bind(8, slurm)
        .bind(9, jobStates().nameOf(JobState::Running))
        .bind(10, runId)
        .run();
    return m_db.lastInsertId();
}

void JobLog::progress(std::int64_t id, std::int64_t done, std::int64_t total, std::optional<double> rate)
{
    auto s = m_db.prepare(
        "UPDATE jobs SET progress_done = ?2, progress_total = ?3, rate = ?4, updated_at = ?5 WHERE id = ?1");
    s.bind(1, id).bind(2, done).bind(3, total).bind(4, rate).bind(5, utcNow()).run();
}

void JobLog::finish(std::int64_t id, JobState state, const std::string& message)
{
    const std::string now = utcNow();
    auto s = m_db.prepare(
        "UPDATE jobs SET state = ?2, message = ?3, updated_at = ?4, finished_at = ?4 WHERE id = ?1");
    s.bind(1, id).bind(2, jobStates().nameOf(state)).bind(3, message).bind(4, now).run();
}

std::vector<JobRecord> JobLog::list(int limit)
{
    std::vector<JobRecord> out;
    auto s = m_db.prepare(std::string(kSelect) + " ORDER BY id DESC LIMIT ?1");
    s.bind(1, std::int64_t(limit));
    while (s.step())
        out.push_back(readJob(s));
    return out;
}

std::optional<JobRecord> JobLog::get(std::int64_t id)
{
    auto s = m_db.prepare(std::string(kSelect) + " WHERE id = ?1");
    s.bind(1, id);
    if (s.step())
        return readJob(s);
    return std::nullopt;
}

std::optional<JobRecord> JobLog::runningJobOfRun(std::int64_t runId)
{
    auto s =
        m_db.prepare(std::string(kSelect) + " WHERE run_id = ?1 AND state = ?2 ORDER BY id DESC LIMIT 1");
    s.bind(1, runId).bind(2, jobStates().nameOf(JobState::Running));
    if (s.step())
        return readJob(s);
    return std::nullopt;
}

int JobLog::reapDead()
{
    const std::string host = hostName();
    std::vector<std::int64_t> dead;
    {
        auto s =
            m_db.prepare("SELECT id, pid FROM jobs WHERE state = ?2 AND host = ?1 AND slurm_job_id IS NULL");
        s.bind(1, host).bind(2, jobStates().nameOf(JobState::Running));
        while (s.step()) {
            const auto pid = pid_t(s.columnInt(1));
            if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH)
                dead.push_back(s.columnInt(0));
        }
    }
    for (auto id : dead)
        finish(id, JobState::Failed, "the job's process ended without reporting (crashed or killed)");
    return int(dead.size());
}

} // namespace ssondo

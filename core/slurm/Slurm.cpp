// SPDX-License-Identifier: GPL-3.0-or-later
#include "slurm/Slurm.h"

#include "experiments/JobLog.h"

#include "experiments/Database.h"
#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace ssondo {

namespace {

struct Output
{
    int code = -1;
    std::string text;
};

/// Runs a shell command, stdout and stderr together.
Output capture(const std::string& command)
{
    Output o;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (!p)
        return o;
    std::array<char, 4096> buf{};
    while (std::fgets(buf.data(), int(buf.size()), p))
        o.text += buf.data();
    const int status = ::pclose(p);
    o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return o;
}

std::string trim(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
        s.pop_back();
    while (!s.empty() && s.front() == ' ')
        s.erase(s.begin());
    return s;
}

std::string words(const std::vector<std::string>& args)
{
    std::string out;
    for (const auto& a : args)
        out += " " + Slurm::quote(a);
    return out;
}

std::string header(const SlurmResources& r, const std::string& name, const std::string& output,
                   bool gpusPerNode)
{
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# Written by ssondo slurm; submit with sbatch. Every task runs the same ssondo binary on the same\n"
      << "# workspace, which must be on a file system shared by the nodes.\n"
      << "#SBATCH --job-name=" << name << "\n"
      << "#SBATCH --output=" << output << "\n"
      << "#SBATCH --time=" << r.time << "\n";
    if (!r.partition.empty())
        s << "#SBATCH --partition=" << r.partition << "\n";
    if (!r.account.empty())
        s << "#SBATCH --account=" << r.account << "\n";
    if (!r.qos.empty())
        s << "#SBATCH --qos=" << r.qos << "\n";
    if (!r.mem.empty())
        s << "#SBATCH --mem=" << r.mem << "\n";
    if (r.cpusPerTask > 0)
        s << "#SBATCH --cpus-per-task=" << r.cpusPerTask << "\n";
    if (r.gpus > 0)
        s << "#SBATCH --gres=gpu:" << r.gpus << (gpusPerNode ? "  # per node\n" : "\n");
    for (const auto& e : r.extra)
        s << "#SBATCH " << e << "\n";
    return s.str();
}

std::string combine(const std::vector<std::string>& states)
{
    if (states.empty())
        return {};
    bool running = false, pending = false;
    std::string failed;
    for (const auto& s : states) {
        if (s == "RUNNING" || s == "COMPLETING" || s == "CONFIGURING" || s == "STAGE_OUT")
            running = true;
        else if (s == "PENDING" || s == "REQUEUED" || s == "RESIZING" || s == "SUSPENDED")
            pending = true;
        else if (s != "COMPLETED" && failed.empty())
            failed = s;
    }
    if (running)
        return "RUNNING";
    if (pending)
        return "PENDING";
    return failed.empty() ? "COMPLETED" : failed;
}

} // namespace

bool slurmStateFinal(const std::string& s)
{
    return !(s.empty() || s == "PENDING" || s == "RUNNING" || s == "COMPLETING" || s == "CONFIGURING" ||
             s == "REQUEUED" || s == "RESIZING" || s == "SUSPENDED" || s == "STAGE_OUT" || s == "SUBMITTED");
}

std::string Slurm::quote(const std::string& w)
{
    if (!w.empty() &&
        w.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") ==
            std::string::npos)
        return w;
    std::string q = "'";
    for (char c : w)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string Slurm::extractArrayScript(const std::string& ssondo, const std::string& ws,
                                      const std::vector<std::string>& args, int shards,
                                      const SlurmResources& res, const std::string& logDir,
                                      const std::string& name)
{
    std::ostringstream s;
    s << header(res, name, logDir + "/extract-%A_%a.out", false) << "#SBATCH --ntasks=1\n"
      << "#SBATCH --array=0-" << (shards - 1) << "\n"
      << "set -euo pipefail\n"
      << "# Shard I of " << shards << " embeds clips I, I+" << shards
      << "... into its own part folder; it does\n"
      << "# not write the workspace database (one writer: the merge job that follows the array).\n"
      << "exec " << quote(ssondo) << " -w " << quote(ws) << " extract" << words(args)
      << " --shard \"${SLURM_ARRAY_TASK_ID}/" << shards << "\"\n";
    return s.str();
}

std::string Slurm::sweepArrayScript(const std::string& ssondo, const std::string& ws,
                                    const std::string& sweepFile, int runs, int parallel,
                                    const SlurmResources& res, const std::string& logDir,
                                    const std::string& name)
{
    std::ostringstream s;
    s << header(res, name, logDir + "/sweep-%A_%a.out", false) << "#SBATCH --ntasks=1\n"
      << "#SBATCH --array=0-" << (runs - 1) << (parallel > 0 ? "%" + std::to_string(parallel) : std::string())
      << "\n"
      << "set -euo pipefail\n"
      << "# Task I trains run I of the sweep (an unfinished one resumes from its checkpoint; a finished\n"
      << "# one returns at once), reads its metric and records it in the workspace.\n"
      << "exec " << quote(ssondo) << " -w " << quote(ws) << " sweep -c " << quote(sweepFile)
      << " --run-index \"${SLURM_ARRAY_TASK_ID}\"\n";
    return s.str();
}

std::string Slurm::mergeScript(const std::string& ssondo, const std::string& ws,
                               const std::vector<std::string>& args, int shards, const SlurmResources& res,
                               const std::string& logDir, const std::string& name)
{
    SlurmResources r = res;
    r.gpus = 0; // merging copies rows
    std::ostringstream s;
    s << header(r, name, logDir + "/merge-%j.out", false) << "#SBATCH --ntasks=1\n"
      << "set -euo pipefail\n"
      << "exec " << quote(ssondo) << " -w " << quote(ws) << " extract" << words(args) << " --merge-shards "
      << shards << "\n";
    return s.str();
}

std::string Slurm::trainScript(const std::string& ssondo, const std::string& ws,
                               const std::vector<std::string>& args, const SlurmResources& res,
                               const std::string& logDir, const std::string& name)
{
    std::ostringstream s;
    s << header(res, name, logDir + "/train-%j.out", true) << "#SBATCH --nodes=" << res.nodes << "\n"
      << "#SBATCH --ntasks-per-node=" << res.tasksPerNode << "\n"
      << "set -euo pipefail\n"
      << "# One rank per task: ssondo reads SLURM_PROCID, SLURM_NTASKS and the first host of the node list\n"
      << "# (MASTER_ADDR), and a port from the job id unless MASTER_PORT is set. Rank 0 alone writes the\n"
      << "# workspace. A failed rank stops the others.\n"
      << "srun --kill-on-bad-exit=1 " << quote(ssondo) << " -w " << quote(ws) << " train" << words(args)
      << "\n";
    return s.str();
}

std::string Slurm::submit(const std::string& script, const std::string& afterOk)
{
    std::string cmd = "sbatch --parsable";
    if (!afterOk.empty())
        cmd += " --dependency=afterok:" + afterOk + " --kill-on-invalid-dep=yes";
    const Output o = capture(cmd + " " + quote(script));
    if (o.code != 0)
        throw Error("sbatch failed for " + script +
                    (o.code == 127 ? " (is Slurm's sbatch installed here?)" : "") + ": " + trim(o.text));
    // --parsable prints "id" or "id;cluster"; warnings may come first.
    std::string last;
    std::istringstream in(o.text);
    for (std::string line; std::getline(in, line);)
        if (!trim(line).empty())
            last = trim(line);
    const std::string id = last.substr(0, last.find(';'));
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
        throw Error("sbatch did not print a job id for " + script + ": " + trim(o.text));
    return id;
}

void Slurm::cancel(const std::vector<std::string>& ids)
{
    if (ids.empty())
        return;
    std::string cmd = "scancel";
    for (const auto& id : ids)
        cmd += " " + quote(id);
    const Output o = capture(cmd);
    if (o.code != 0)
        throw Error("scancel failed: " + trim(o.text));
}

std::map<std::string, std::string> Slurm::states(const std::vector<std::string>& ids)
{
    std::map<std::string, std::string> out;
    for (const auto& id : ids) {
        if (id.empty())
            continue;
        std::vector<std::string> seen;
        // 1. squeue (jobs the controller still holds, finished ones for MinJobAge)
        Output o = capture("squeue -h --states=all -o '%i|%T' -j " + quote(id));
        if (o.code == 0) {
            std::istringstream in(o.text);
            for (std::string line; std::getline(in, line);)
                if (const auto bar = line.find('|'); bar != std::string::npos)
                    seen.push_back(trim(line.substr(bar + 1)));
        }
        // 2. scontrol (one line per array task)
        if (seen.empty()) {
            o = capture("scontrol -o show job " + quote(id));
            if (o.code == 0) {
                std::istringstream in(o.text);
                for (std::string line; std::getline(in, line);)
                    if (const auto p = line.find("JobState="); p != std::string::npos)
                        seen.push_back(line.substr(p + 9, line.find(' ', p) - p - 9));
            }
        }
        // 3. accounting, when the cluster keeps it
        if (seen.empty()) {
            o = capture("sacct -n -P -X -o State -j " + quote(id));
            if (o.code == 0) {
                std::istringstream in(o.text);
                for (std::string line; std::getline(in, line);)
                    if (!trim(line).empty())
                        seen.push_back(trim(line.substr(0, line.find(' '))));
            }
        }
        if (!seen.empty())
            out[id] = combine(seen);
    }
    return out;
}

std::int64_t SlurmCatalog::add(const SlurmJobRecord& r)
{
    const std::string now = utcNow();
    m_db.prepare(
            "INSERT INTO slurm_jobs(slurm_job_id, merge_job_id, kind, target, command, job_command, script_path, "
            "tasks, parts_path, state, reason, submitted_at, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)")
        .bind(1, r.slurmJobId)
        .bind(2, r.mergeJobId)
        .bind(3, r.kind)
        .bind(4, r.target)
        .bind(5, r.command)
        .bind(6, r.jobCommand)
        .bind(7, r.scriptPath)
        .bind(8, r.tasks)
        .bind(9, r.partsPath)
        .bind(10, r.state)
        .bind(11, r.reason)
        .bind(12, now)
        .run();
    return m_db.lastInsertId();
}

namespace {
constexpr const char* kSlurmSelect = "SELECT id, slurm_job_id, merge_job_id, kind, target, command, "
                                     "job_command, script_path, tasks, parts_path, "
                                     "state, reason, submitted_at, updated_at FROM slurm_jobs";

SlurmJobRecord readRecord(const Statement& s)
{
    SlurmJobRecord r;
    r.id = s.columnInt(0);
    r.slurmJobId = s.columnText(1);
    r.mergeJobId = s.columnText(2);
    r.kind = s.columnText(3);
    r.target = s.columnText(4);
    r.command = s.columnText(5);
    r.jobCommand = s.columnText(6);
    r.scriptPath = s.columnText(7);
    r.tasks = int(s.columnInt(8));
    r.partsPath = s.columnText(9);
    r.state = s.columnText(10);
    r.reason = s.columnText(11);
    r.submittedAt = s.columnText(12);
    r.updatedAt = s.columnText(13);
    return r;
}
} // namespace

std::vector<SlurmJobRecord> SlurmCatalog::list(int limit)
{
    auto s = m_db.prepare(std::string(kSlurmSelect) + " ORDER BY id DESC LIMIT ?1");
    s.bind(1, limit);
    std::vector<SlurmJobRecord> out;
    while (s.step())
        out.push_back(readRecord(s));
    return out;
}

SlurmJobRecord SlurmCatalog::get(std::int64_t id)
{
    auto s = m_db.prepare(std::string(kSlurmSelect) + " WHERE id = ?1");
    s.bind(1, id);
    if (!s.step())
        throw InputError("no Slurm submission " + std::to_string(id) +
                         " in this workspace (ssondo slurm status)");
    return readRecord(s);
}

void SlurmCatalog::setState(std::int64_t id, const std::string& state, const std::string& reason)
{
    m_db.prepare("UPDATE slurm_jobs SET state = ?2, reason = ?3, updated_at = ?4 WHERE id = ?1")
        .bind(1, id)
        .bind(2, state)
        .bind(3, reason)
        .bind(4, utcNow())
        .run();
}

SlurmProgress SlurmCatalog::progress(const SlurmJobRecord& r, const std::string& wsDir)
{
    SlurmProgress p;
    auto jobRow = [&](const std::string& slurmId) {
        auto s = m_db.prepare("SELECT progress_done, progress_total, rate, message, state FROM jobs "
                              "WHERE slurm_job_id = ?1 AND started_at >= ?2 ORDER BY id DESC LIMIT 1");
        s.bind(1, slurmId).bind(2, r.submittedAt); // ids restart when a cluster is rebuilt
        if (!s.step())
            return false;
        p.done = s.columnInt(0);
        p.total = s.columnInt(1);
        p.rate = s.isNull(2) ? 0.0 : s.columnDouble(2);
        p.summary = s.columnText(3);
        p.detail = s.columnText(4);
        return true;
    };
    if (r.kind == "sweep") { // target "sweep:ID": the sweep's runs that ended, of all
        auto q = m_db.prepare("SELECT COUNT(*), SUM(status IN ('done', 'failed', 'pruned')), "
                              "SUM(status = 'running') FROM sweep_runs WHERE sweep_id = ?1");
        q.bind(1, std::int64_t(std::atoll(r.target.substr(r.target.find(':') + 1).c_str())));
        if (q.step()) {
            p.total = q.columnInt(0);
            p.done = q.columnInt(1);
            p.detail = std::to_string(q.columnInt(2)) + " runs running";
        }
        return p;
    }
    if (r.kind == "train") {
        if (!jobRow(r.slurmJobId))
            p.detail = "waiting for rank 0";
        return p;
    }
    // Extraction: the merge job's row once it ran, else the shards' progress files.
    if (!r.mergeJobId.empty() && jobRow(r.mergeJobId))
        return p;
    // The shards' part folder: <embedding set folder>.parts (the set's name holds the teacher's
    // identity, which only the shards compute); the newest one of this dataset and shard count.
    fs::path parts = r.partsPath.empty() ? fs::path() : fs::path(wsDir) / r.partsPath;
    if (parts.empty()) {
        std::error_code ec;
        fs::file_time_type newest{};
        const std::string suffix = "shard-0-of-" + std::to_string(r.tasks);
        for (const auto& e : fs::directory_iterator(fs::path(wsDir) / "embeddings", ec)) {
            const std::string n = e.path().filename().string();
            if (n.size() < 6 || n.compare(n.size() - 6, 6, ".parts") != 0 ||
                n.rfind(r.target + "-", 0) != 0 || !fs::exists(e.path() / suffix))
                continue;
            const auto t = fs::last_write_time(e.path() / suffix, ec);
            if (parts.empty() || t > newest) {
                parts = e.path();
                newest = t;
            }
        }
    }
    int started = 0, finished = 0;
    p.total = 0;
    for (int i = 0; i < r.tasks && !parts.empty(); ++i) {
        const fs::path f =
            parts / ("shard-" + std::to_string(i) + "-of-" + std::to_string(r.tasks)) / "progress.json";
        std::ifstream in(f);
        if (!in)
            continue;
        try {
            const auto j = nlohmann::json::parse(in);
            ++started;
            p.done += j.value("done", std::int64_t(0)) + j.value("failed", std::int64_t(0));
            p.total += j.value("rows", std::int64_t(0));
            p.rate += j.value("clips_per_s", 0.0);
            if (j.value("state", std::string()) != jobStates().nameOf(JobState::Running))
                ++finished;
        } catch (const std::exception&) {
            // being replaced: the next poll reads it
        }
    }
    if (started == 0)
        p.total = -1;
    p.detail = std::to_string(started) + " of " + std::to_string(r.tasks) + " shards started, " +
               std::to_string(finished) + " finished";
    return p;
}

} // namespace ssondo

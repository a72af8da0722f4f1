// SPDX-License-Identifier: GPL-3.0-or-later
// ssondo sweep (expand a sweep file and run it, N runs at a time, each in its own process) and
// ssondo sweeps list|show (every run with its values and metric, and what each value did).
#include "cli/CliContext.h"
#include "cli/Launcher.h"

#include "experiments/RunLog.h"
#include "experiments/SweepLog.h"
#include "experiments/SweepSpec.h"
#include "jobs/SweepJob.h"
#include "util/AtomicFile.h"
#include "util/Error.h"
#include "util/ProgressSink.h"
#include "util/Threads.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

namespace fs = std::filesystem;

namespace ssondo::cli {

namespace {

std::string fixed4(std::optional<double> v)
{
    if (!v)
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", *v);
    return buf;
}

std::string valuesText(const std::vector<std::pair<std::string, std::string>>& values, std::int64_t seed)
{
    std::string s;
    for (const auto& [k, v] : values)
        s += k + "=" + v + "  ";
    return s + "seed=" + std::to_string(seed);
}

/// Runs best first (by metric), then the ones without a metric in their order.
std::vector<SweepRunRecord> bestFirst(std::vector<SweepRunRecord> runs)
{
    std::stable_sort(runs.begin(), runs.end(), [](const SweepRunRecord& a, const SweepRunRecord& b) {
        if (a.metric.has_value() != b.metric.has_value())
            return a.metric.has_value();
        return a.metric && *a.metric > *b.metric;
    });
    return runs;
}

nlohmann::json sweepJson(const SweepRecord& s, const std::vector<SweepRunRecord>& runs)
{
    nlohmann::json j{{"id", s.id},
                     {"name", s.name},
                     {"method", s.method},
                     {"metric", s.metric},
                     {"keys", s.keys},
                     {"status", s.status},
                     {"message", s.message},
                     {"created_at", s.createdAt},
                     {"updated_at", s.updatedAt}};
    std::map<std::string, int> counts;
    for (const auto& r : runs)
        ++counts[sweepRunStatuses().nameOf(r.status)];
    j["counts"] = counts;
    j["runs"] = nlohmann::json::array();
    for (const auto& r : bestFirst(runs)) {
        nlohmann::json v = nlohmann::json::object();
        for (const auto& [k, x] : r.values)
            v[k] = x;
        j["runs"].push_back({{"index", r.index + 1},
                             {"point", r.point + 1},
                             {"seed", r.seed},
                             {"values", v},
                             {"run", r.runId},
                             {"status", sweepRunStatuses().nameOf(r.status)},
                             {"metric", r.metric ? nlohmann::json(*r.metric) : nlohmann::json()},
                             {"message", r.message}});
    }
    j["effects"] = nlohmann::json::array();
    for (const auto& e : SweepLog::effects(s, runs))
        j["effects"].push_back({{"key", e.key},
                                {"value", e.value},
                                {"runs", e.runs},
                                {"mean", e.mean},
                                {"sd", e.sd},
                                {"best", e.best}});
    return j;
}

void printSweep(const SweepRecord& s, const std::vector<SweepRunRecord>& runs)
{
    std::printf("Sweep %lld '%s': %s search, metric %s, %s%s%s\n", (long long)s.id, s.name.c_str(),
                s.method.c_str(), s.metric.c_str(), s.status.c_str(), s.message.empty() ? "" : ": ",
                s.message.c_str());
    std::printf("  %-4s %-8s %-5s %-9s %s\n", "#", "status", "run", s.metric.c_str(), "values");
    for (const auto& r : bestFirst(runs)) {
        const std::string metric = fixed4(r.metric);
        std::printf("  %03d  %-8s %-5s %-9s %s%s%s\n", r.index + 1,
                    sweepRunStatuses().nameOf(r.status).c_str(),
                    r.runId ? std::to_string(r.runId).c_str() : "-", metric.c_str(),
                    valuesText(r.values, r.seed).c_str(), r.message.empty() ? "" : "  # ", r.message.c_str());
    }
    const auto effects = SweepLog::effects(s, runs);
    if (effects.empty())
        return;
    std::printf("What each value did (%s over the finished runs: mean ± sd, best, runs):\n",
                s.metric.c_str());
    std::string key;
    for (const auto& e : effects) {
        if (e.key != key)
            std::printf("  %s\n", (key = e.key).c_str());
        std::printf("    %-16s %.4f ± %.4f  best %.4f  n=%d\n", e.value.c_str(), e.mean, e.sd, e.best,
                    e.runs);
    }
}

std::string sweepDir(Workspace& ws, std::int64_t id)
{
    return (fs::path(ws.dir()) / "sweeps" / std::to_string(id)).string();
}

/// A child process running one run of the sweep: `ssondo -w WS -q sweep -c FILE --run-index I`,
/// its output in the run's log file.
pid_t startRun(const CliContext& ctx, const std::string& specFile, int index, int threads, int workers,
               const std::string& logPath)
{
    std::vector<std::string> args{ctx.argv.empty() ? "ssondo" : ctx.argv[0],
                                  "-w",
                                  ctx.resolvedWorkspaceDir(),
                                  "-q",
                                  "sweep",
                                  "-c",
                                  specFile,
                                  "--run-index",
                                  std::to_string(index),
                                  "--workers",
                                  std::to_string(workers)};
    const pid_t pid = ::fork();
    if (pid < 0)
        throw Error("cannot start run " + std::to_string(index + 1) + " of the sweep: fork failed");
    if (pid == 0) {
        const int fd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
            ::close(fd);
        }
        ::setenv("OMP_NUM_THREADS", std::to_string(threads).c_str(), 1);
        execSelf(args);
    }
    return pid;
}

/// The last non-empty line of a file (a failed run's error).
std::string lastLine(const std::string& path)
{
    std::string text;
    try {
        text = readFile(path);
    } catch (const std::exception&) {
        return {};
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    const auto nl = text.rfind('\n');
    return nl == std::string::npos ? text : text.substr(nl + 1);
}

struct Child
{
    int index = 0;
    std::string hash, logPath;
};

/// Records how a child's run ended: its own record (it writes it), unless it died without writing one.
void finishChild(Workspace& ws, const SweepRecord& sweep, const Child& c, int code, int done, int total)
{
    SweepLog slog(ws.database());
    RunLog rlog(ws.database());
    SweepRunRecord r;
    for (const auto& x : slog.runs(sweep.id))
        if (x.index == c.index)
            r = x;
    const std::int64_t runId = r.runId ? r.runId : rlog.newestWithHash(c.hash);
    if (r.status == SweepRunStatus::Running) {
        const std::string why =
            "its process exited with code " + std::to_string(code) + ": " + lastLine(c.logPath);
        slog.setRun(sweep.id, c.index, SweepRunStatus::Failed, runId, std::nullopt, why);
        r.status = SweepRunStatus::Failed, r.message = why;
    }
    const std::string metric = r.metric ? ", " + sweep.metric + " " + fixed4(r.metric) : "";
    std::fprintf(stderr, "ssondo: [%d/%d] run %03d (run %lld) %s%s%s%s\n", done, total, c.index + 1,
                 (long long)runId, sweepRunStatuses().nameOf(r.status).c_str(), metric.c_str(),
                 r.message.empty() ? "" : ": ", r.message.c_str());
}

/// Runs the sweep's unfinished runs, `parallel` at a time, until all are done or a stop is asked.
/// Returns true when every run ended (done, failed or pruned).
bool runLocally(const CliContext& ctx, Workspace& ws, const SweepRecord& sweep, const std::string& specFile,
                int parallel, bool retryFailed)
{
    SweepLog slog(ws.database());
    slog.releaseRunning(sweep.id);
    std::vector<int> queue;
    int total = 0, finished = 0;
    for (const auto& r : slog.runs(sweep.id)) {
        ++total;
        const bool todo = r.status == SweepRunStatus::Pending || r.status == SweepRunStatus::Stopped ||
                          (retryFailed && r.status == SweepRunStatus::Failed);
        if (todo)
            queue.push_back(r.index);
        else
            ++finished;
    }
    const std::string dir = sweepDir(ws, sweep.id);
    fs::create_directories(dir);
    const int threads = computeThreads(parallel);
    const int workers = std::max(1, logicalCores() / parallel - 1);
    std::fprintf(stderr,
                 "ssondo: sweep %lld '%s': %d runs, %d to run, %d at a time (%d thread%s each); logs in %s\n",
                 (long long)sweep.id, sweep.name.c_str(), total, int(queue.size()), parallel, threads,
                 threads == 1 ? "" : "s", dir.c_str());
    slog.setStatus(sweep.id, "running");
    std::map<pid_t, Child> children;
    std::size_t next = 0;
    bool forwarded = false;
    const std::vector<SweepRunRecord> rows = slog.runs(sweep.id);
    while (!children.empty() || (next < queue.size() && !ctx.stop.requested())) {
        while (!ctx.stop.requested() && next < queue.size() && int(children.size()) < parallel) {
            const int index = queue[next++];
            char name[32];
            std::snprintf(name, sizeof name, "run-%03d.log", index + 1);
            Child c{index, rows[std::size_t(index)].configHash, (fs::path(dir) / name).string()};
            children[startRun(ctx, specFile, index, threads, workers, c.logPath)] = c;
            std::fprintf(stderr, "ssondo: started run %03d: %s\n", index + 1,
                         valuesText(rows[std::size_t(index)].values, rows[std::size_t(index)].seed).c_str());
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0 && children.count(pid)) {
            const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            finishChild(ws, sweep, children[pid], code, ++finished, total);
            children.erase(pid);
            continue;
        }
        if (ctx.stop.requested() && !forwarded) {
            for (const auto& [p, c] : children)
                ::kill(p, SIGINT); // each run saves a checkpoint and exits
            forwarded = true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    int failed = 0, left = 0;
    for (const auto& r : slog.runs(sweep.id)) {
        failed += r.status == SweepRunStatus::Failed;
        left += r.status == SweepRunStatus::Pending || r.status == SweepRunStatus::Stopped;
    }
    if (left > 0) {
        slog.setStatus(sweep.id, "stopped",
                       std::to_string(left) + " runs left; the same command continues the sweep");
        return false;
    }
    slog.setStatus(sweep.id, "done", failed ? std::to_string(failed) + " runs failed" : "");
    return true;
}

struct SweepArgs
{
    std::string file;
    int parallel = 0;
    bool dryRun = false, retryFailed = false;
    int runIndex = -1;
    int workers = 0;
};

void runSweepCommand(CliContext& ctx, const SweepArgs& a)
{
    const SweepSpec spec = SweepSpec::fromFile(a.file);
    const std::vector<SweepTrial> trials = spec.expand();
    if (a.dryRun) {
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& t : trials) {
                nlohmann::json v = nlohmann::json::object();
                for (const auto& [k, x] : t.values)
                    v[k] = x;
                j.push_back({{"index", t.index + 1},
                             {"point", t.point + 1},
                             {"seed", t.seed},
                             {"values", v},
                             {"name", t.config.name},
                             {"config_hash", t.config.hash()}});
            }
            ctx.printJson(j);
            return;
        }
        std::printf("Sweep '%s' (%s search, metric %s): %zu runs\n", spec.name.c_str(), spec.method.c_str(),
                    spec.metric.c_str(), trials.size());
        for (const auto& t : trials)
            std::printf("  %03d  %s\n", t.index + 1, valuesText(t.values, t.seed).c_str());
        return;
    }
    auto ws = ctx.openWorkspace();
    SweepLog slog(ws->database());
    const auto [sweep, fresh] = slog.openOrCreate(spec, trials);
    if (a.runIndex >= 0) { // one run, in this process (a child of the scheduler, or a Slurm array task)
        const auto runs = slog.runs(sweep.id);
        if (a.runIndex >= int(runs.size()))
            throw UsageError("--run-index " + std::to_string(a.runIndex) + ": the sweep has " +
                             std::to_string(runs.size()) + " runs (0 to " + std::to_string(runs.size() - 1) +
                             ")");
        const SweepRunRecord& run = runs[std::size_t(a.runIndex)];
        if (run.status == SweepRunStatus::Done || run.status == SweepRunStatus::Pruned)
            return; // a resubmitted array task whose run is over
        auto sink = ctx.makeSink();
        const SweepRunOutcome o =
            SweepJob::runOne(*ws, sweep, run, ctx.commandLine, *sink, ctx.stop, a.workers, spec.stopIfBelow);
        if (!ctx.stop.requested())
            slog.updateStatusFromRuns(sweep.id); // an array task: no scheduler to do it
        if (o.status == SweepRunStatus::Failed) {
            std::cerr << "ssondo: run " << a.runIndex + 1 << " of sweep " << sweep.id
                      << " failed: " << o.message << std::endl;
            std::exit(1);
        }
        return;
    }
    if (!fresh)
        std::fprintf(stderr, "ssondo: continuing sweep %lld '%s' (the same sweep file was started before)\n",
                     (long long)sweep.id, sweep.name.c_str());
    const int parallel = a.parallel > 0 ? a.parallel : spec.parallel;
    runLocally(ctx, *ws, sweep, fs::absolute(a.file).string(), parallel, a.retryFailed);
    const SweepRecord done = slog.get(sweep.id);
    const auto runs = slog.runs(sweep.id);
    if (ctx.json)
        ctx.printJson(sweepJson(done, runs));
    else
        printSweep(done, runs);
    const auto failed = std::count_if(
        runs.begin(), runs.end(), [](const SweepRunRecord& r) { return r.status == SweepRunStatus::Failed; });
    if (failed > 0 && !ctx.stop.requested()) // the others ran; the exit status says not all did
        throw Error(std::to_string(failed) + " of " + std::to_string(runs.size()) + " runs of sweep " +
                    std::to_string(sweep.id) + " failed (ssondo sweeps show " + std::to_string(sweep.id) +
                    " says why; --retry-failed runs them again)");
}

} // namespace

void addSweepCommands(CLI::App& app, CliContext& ctx)
{
    auto a = std::make_shared<SweepArgs>();
    auto* sw = app.add_subcommand(
        "sweep", "Run a family of runs from a sweep file: a base config and the keys to vary (grid or random "
                 "search, seeds); started again, it continues with the runs not yet done");
    sw->add_option("-c,--config", a->file, "Sweep file (TOML; see ssondo(1), SWEEPS)")
        ->required()
        ->check(CLI::ExistingFile);
    sw->add_option(
          "--parallel", a->parallel,
          "Runs at a time on this machine, each its own process (default: the file's parallel, else 1)")
        ->check(CLI::Range(1, 256));
    sw->add_flag("--dry-run", a->dryRun, "List the runs the file expands to, and start nothing");
    sw->add_flag("--retry-failed", a->retryFailed, "Run the failed runs again too");
    sw->add_option("--run-index", a->runIndex,
                   "Run only this run of the sweep (0-based) in this process: what the "
                   "scheduler's children and Slurm array tasks do")
        ->check(CLI::Range(0, 1000000));
    sw->add_option("--workers", a->workers, "With --run-index: data-loading threads when the config says 0")
        ->group("");
    sw->callback([&ctx, a]() { runSweepCommand(ctx, *a); });

    auto* sws = app.add_subcommand("sweeps", "The sweeps of this workspace and what each setting did");
    sws->require_subcommand(1);
    auto* list = sws->add_subcommand("list", "Every sweep: runs done, the best metric");
    list->callback([&ctx]() {
        auto ws = ctx.openWorkspace(true);
        SweepLog slog(ws->database());
        nlohmann::json j = nlohmann::json::array();
        for (const auto& s : slog.list()) {
            const auto runs = slog.runs(s.id);
            int done = 0;
            std::optional<double> best;
            for (const auto& r : runs) {
                done += r.status == SweepRunStatus::Done;
                if (r.metric && (!best || *r.metric > *best))
                    best = r.metric;
            }
            j.push_back({{"id", s.id},
                         {"name", s.name},
                         {"method", s.method},
                         {"metric", s.metric},
                         {"status", s.status},
                         {"runs", runs.size()},
                         {"done", done},
                         {"best", best ? nlohmann::json(*best) : nlohmann::json()},
                         {"created_at", s.createdAt}});
            if (!ctx.json)
                std::printf("%4lld  %-20s %-7s %-8s %3d/%-3zu done  best %s %s\n", (long long)s.id,
                            s.name.c_str(), s.method.c_str(), s.status.c_str(), done, runs.size(),
                            s.metric.c_str(), fixed4(best).c_str());
        }
        if (ctx.json)
            ctx.printJson(j);
    });
    auto id = std::make_shared<std::int64_t>(0);
    auto* show =
        sws->add_subcommand("show", "A sweep's runs, best first, with their values, and what each value did");
    show->add_option("id", *id, "Sweep id")->required();
    show->callback([&ctx, id]() {
        auto ws = ctx.openWorkspace(true);
        SweepLog slog(ws->database());
        const SweepRecord s = slog.get(*id);
        if (ctx.json)
            ctx.printJson(sweepJson(s, slog.runs(s.id)));
        else
            printSweep(s, slog.runs(s.id));
    });
}

} // namespace ssondo::cli

// SPDX-License-Identifier: GPL-3.0-or-later
// ssondo slurm: write, submit and follow jobs on a Slurm cluster.

#include "cli/CliContext.h"

#include "experiments/SweepLog.h"
#include "experiments/SweepSpec.h"
#include "slurm/Slurm.h"
#include "util/AtomicFile.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>

namespace fs = std::filesystem;

namespace ssondo::cli {

namespace {

struct SlurmArgs
{
    SlurmResources res;
    int shards = 2;
    std::string ssondo; ///< binary the nodes run (default: this one)
    bool dryRun = false;
};

void addResourceOptions(CLI::App* c, SlurmArgs& a, bool training)
{
    c->add_option("--partition", a.res.partition, "Slurm partition (default: the cluster's)");
    c->add_option("--time", a.res.time, "Time limit, e.g. 04:00:00");
    c->add_option("--gpus", a.res.gpus, training ? "GPUs per node" : "GPUs per shard")
        ->check(CLI::Range(0, 64));
    c->add_option("--cpus-per-task", a.res.cpusPerTask, "CPUs per task")->check(CLI::Range(0, 1024));
    c->add_option("--mem", a.res.mem, "Memory per node, e.g. 32G");
    c->add_option("--account", a.res.account, "Slurm account");
    c->add_option("--qos", a.res.qos, "Slurm QOS");
    c->add_option("--sbatch", a.res.extra,
                  "Another sbatch option, verbatim (repeatable): --sbatch=--constraint=a100");
    c->add_option("--ssondo", a.ssondo, "ssondo binary the nodes run (default: this one)");
    c->add_flag("--dry-run", a.dryRun, "Write the script(s) and print them; submit nothing");
    c->allow_extras();
    c->fallthrough(false); // the job's own arguments stay here, for its command line
}

std::string selfPath()
{
    std::error_code ec;
    const auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("ssondo") : p.string();
}

std::string stamp()
{
    const std::time_t t = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", std::localtime(&t));
    return buf;
}

std::string valueOf(const std::vector<std::string>& args, const std::string& flag)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == flag && i + 1 < args.size())
            return args[i + 1];
        if (args[i].rfind(flag + "=", 0) == 0)
            return args[i].substr(flag.size() + 1);
    }
    return {};
}

std::string joined(const std::string& head, const std::vector<std::string>& args)
{
    std::string s = head;
    for (const auto& a : args)
        s += " " + Slurm::quote(a);
    return s;
}

nlohmann::json toJson(const SlurmJobRecord& r, const SlurmProgress& p)
{
    return {{"id", r.id},
            {"slurm_job_id", r.slurmJobId},
            {"merge_job_id", r.mergeJobId},
            {"kind", r.kind},
            {"target", r.target},
            {"tasks", r.tasks},
            {"state", r.state},
            {"script", r.scriptPath},
            {"job_command", r.jobCommand},
            {"done", p.done},
            {"total", p.total},
            {"rate", p.rate},
            {"detail", p.detail},
            {"summary", p.summary},
            {"submitted_at", r.submittedAt}};
}

/// Refreshes the recorded state of the unfinished submissions from Slurm; returns all of them.
std::vector<SlurmJobRecord> refreshed(SlurmCatalog& catalog)
{
    auto list = catalog.list();
    std::vector<std::string> ids;
    for (const auto& r : list)
        if (!slurmStateFinal(r.state)) {
            ids.push_back(r.slurmJobId);
            if (!r.mergeJobId.empty())
                ids.push_back(r.mergeJobId);
        }
    const auto states = Slurm::states(ids);
    for (auto& r : list) {
        if (slurmStateFinal(r.state))
            continue;
        auto main = states.find(r.slurmJobId);
        std::string s = main == states.end() ? r.state : main->second;
        if (!r.mergeJobId.empty()) {
            // An extraction is finished when its merge step is.
            const auto merge = states.find(r.mergeJobId);
            if (slurmStateFinal(s) && s != "COMPLETED")
                ; // the array failed: that is the state
            else if (merge != states.end())
                s = s == "COMPLETED" || merge->second != "PENDING" ? merge->second : s;
        }
        if (s != r.state) {
            catalog.setState(r.id, s);
            r.state = s;
        }
    }
    return list;
}

/// `slurm sweep`: a sweep file as one job array, task I running run I of the sweep.
void addSlurmSweep(CLI::App* slurm, CliContext& ctx)
{
    auto wa = std::make_shared<SlurmArgs>();
    auto sweepFile = std::make_shared<std::string>();
    auto sweepParallel = std::make_shared<int>(0);
    auto* sw =
        slurm->add_subcommand("sweep", "Submit a sweep as one job array: task I trains run I of the sweep "
                                       "file (resubmitting it continues with the runs not done)");
    sw->add_option("-c,--config", *sweepFile, "Sweep file (TOML)")->required()->check(CLI::ExistingFile);
    sw->add_option("--parallel", *sweepParallel, "Array tasks at a time (0: as the cluster allows)")
        ->check(CLI::Range(0, 100000));
    addResourceOptions(sw, *wa, false);
    sw->allow_extras(false); // no job arguments: the sweep file says everything
    sw->callback([&ctx, wa, sweepFile, sweepParallel]() {
        const SweepSpec spec = SweepSpec::fromFile(*sweepFile);
        const auto trials = spec.expand();
        auto ws = ctx.openWorkspace();
        const auto [sweep, fresh] = SweepLog(ws->database()).openOrCreate(spec, trials);
        const std::string wsDir = fs::absolute(ws->dir()).string();
        const std::string ssondo = wa->ssondo.empty() ? selfPath() : wa->ssondo;
        const std::string rel = "slurm/sweep-" + std::to_string(sweep.id) + "-" + stamp();
        const fs::path dir = fs::path(wsDir) / rel;
        fs::create_directories(dir);
        const std::string script = (dir / "sweep.sbatch").string();
        const std::string file = fs::absolute(*sweepFile).string();
        writeFileAtomic(script,
                        Slurm::sweepArrayScript(ssondo, wsDir, file, int(trials.size()), *sweepParallel,
                                                wa->res, dir.string(), "ssondo-sweep"));
        if (wa->dryRun) {
            std::cout << "# " << script << "\n" << readFile(script);
            return;
        }
        SlurmJobRecord r;
        r.slurmJobId = Slurm::submit(script);
        r.kind = "sweep";
        r.target = "sweep:" + std::to_string(sweep.id);
        r.command = ctx.commandLine;
        r.jobCommand = ssondo + " -w " + Slurm::quote(wsDir) + " sweep -c " + Slurm::quote(file) +
                       " --run-index $SLURM_ARRAY_TASK_ID";
        r.scriptPath = rel + "/sweep.sbatch";
        r.tasks = int(trials.size());
        r.id = SlurmCatalog(ws->database()).add(r);
        if (ctx.json) {
            ctx.printJson(
                {{"id", r.id}, {"slurm_job_id", r.slurmJobId}, {"sweep", sweep.id}, {"script", script}});
            return;
        }
        std::printf("Submitted sweep %lld '%s' (%s): job array %s of %zu runs\n", (long long)sweep.id,
                    sweep.name.c_str(), fresh ? "new" : "continued", r.slurmJobId.c_str(), trials.size());
        std::printf("Script and logs: %s\nFollow it with: ssondo -w %s sweeps show %lld\n", dir.c_str(),
                    Slurm::quote(wsDir).c_str(), (long long)sweep.id);
    });
}

} // namespace

void addSlurmCommands(CLI::App& app, CliContext& ctx)
{
    auto* slurm =
        app.add_subcommand("slurm", "Run extraction and training on a Slurm cluster, and follow them");
    slurm->require_subcommand(1);

    // ---- extract
    auto ea = std::make_shared<SlurmArgs>();
    auto* ex = slurm->add_subcommand(
        "extract", "Submit a sharded extraction: a job array (one shard per task) and a merge job after it. "
                   "Other arguments are those of `ssondo extract`.");
    ex->add_option("--shards", ea->shards, "Number of shards (array tasks)")->check(CLI::Range(1, 100000));
    addResourceOptions(ex, *ea, false);
    ex->callback([&ctx, ea, ex]() {
        const std::vector<std::string> args = ex->remaining();
        const std::string dataset = valueOf(args, "--dataset");
        if (dataset.empty())
            throw InputError("ssondo slurm extract needs the extraction's --dataset (and --teacher)");
        for (const auto& a : args)
            if (a == "--shard" || a.rfind("--shard=", 0) == 0 || a == "--merge-shards")
                throw InputError(
                    "ssondo slurm extract sets --shard and --merge-shards itself; use --shards N");
        auto ws = ctx.openWorkspace();
        const std::string wsDir = fs::absolute(ws->dir()).string();
        const std::string ssondo = ea->ssondo.empty() ? selfPath() : ea->ssondo;
        const std::string rel = "slurm/extract-" + dataset + "-" + stamp();
        const fs::path dir = fs::path(wsDir) / rel;
        fs::create_directories(dir);
        const std::string name = "ssondo-extract-" + dataset;
        const std::string array = (dir / "extract.sbatch").string(), merge = (dir / "merge.sbatch").string();
        writeFileAtomic(
            array, Slurm::extractArrayScript(ssondo, wsDir, args, ea->shards, ea->res, dir.string(), name));
        writeFileAtomic(merge, Slurm::mergeScript(ssondo, wsDir, args, ea->shards, ea->res, dir.string(),
                                                  name + "-merge"));
        if (ea->dryRun) {
            std::cout << "# " << array << "\n"
                      << readFile(array) << "\n# " << merge << "\n"
                      << readFile(merge);
            return;
        }
        SlurmJobRecord r;
        r.slurmJobId = Slurm::submit(array);
        try {
            r.mergeJobId = Slurm::submit(merge, r.slurmJobId);
        } catch (...) {
            Slurm::cancel({r.slurmJobId}); // no array without its merge step
            throw;
        }
        r.kind = "extract";
        r.target = dataset;
        r.command = ctx.commandLine;
        r.jobCommand = joined(ssondo + " -w " + Slurm::quote(wsDir) + " extract", args) + " --shard I/" +
                       std::to_string(ea->shards);
        r.scriptPath = rel + "/extract.sbatch";
        r.tasks = ea->shards;
        // The shards' part folder: <embedding set folder>.parts, known once a shard ran; the
        // progress reader looks for it by dataset under embeddings/.
        r.partsPath = "";
        r.state = "PENDING";
        SlurmCatalog catalog(ws->database());
        r.id = catalog.add(r);
        if (ctx.json) {
            ctx.printJson({{"id", r.id},
                           {"slurm_job_id", r.slurmJobId},
                           {"merge_job_id", r.mergeJobId},
                           {"script", array}});
            return;
        }
        std::printf(
            "Submitted extraction of '%s' in %d shards: job array %s, merge job %s (after the array)\n",
            dataset.c_str(), ea->shards, r.slurmJobId.c_str(), r.mergeJobId.c_str());
        std::printf("Scripts and logs: %s\nFollow it with: ssondo -w %s slurm status\n", dir.c_str(),
                    Slurm::quote(wsDir).c_str());
    });

    // ---- train
    auto ta = std::make_shared<SlurmArgs>();
    auto* tr = slurm->add_subcommand("train", "Submit data-parallel training: srun starts one rank per task. "
                                              "Other arguments are those of `ssondo train`.");
    tr->add_option("--nodes", ta->res.nodes, "Nodes")->check(CLI::Range(1, 4096));
    tr->add_option("--tasks-per-node", ta->res.tasksPerNode, "Ranks per node (one per GPU on GPU nodes)")
        ->check(CLI::Range(1, 256));
    addResourceOptions(tr, *ta, true);
    tr->callback([&ctx, ta, tr]() {
        const std::vector<std::string> args = tr->remaining();
        for (const auto& a : args)
            if (a == "--nproc" || a.rfind("--nproc=", 0) == 0)
                throw InputError("ssondo slurm train starts one rank per Slurm task; use --nodes and "
                                 "--tasks-per-node instead of --nproc");
        auto ws = ctx.openWorkspace();
        const std::string wsDir = fs::absolute(ws->dir()).string();
        const std::string ssondo = ta->ssondo.empty() ? selfPath() : ta->ssondo;
        std::string target = valueOf(args, "--name");
        const std::string rel =
            "slurm/train-" + (target.empty() ? std::string("run") : target) + "-" + stamp();
        const fs::path dir = fs::path(wsDir) / rel;
        fs::create_directories(dir);
        const std::string script = (dir / "train.sbatch").string();
        writeFileAtomic(script,
                        Slurm::trainScript(ssondo, wsDir, args, ta->res, dir.string(), "ssondo-train"));
        if (ta->dryRun) {
            std::cout << "# " << script << "\n" << readFile(script);
            return;
        }
        SlurmJobRecord r;
        r.slurmJobId = Slurm::submit(script);
        r.kind = "train";
        r.target = target;
        r.command = ctx.commandLine;
        r.jobCommand = joined(ssondo + " -w " + Slurm::quote(wsDir) + " train", args);
        r.scriptPath = rel + "/train.sbatch";
        r.tasks = ta->res.nodes * ta->res.tasksPerNode;
        SlurmCatalog catalog(ws->database());
        r.id = catalog.add(r);
        if (ctx.json) {
            ctx.printJson({{"id", r.id}, {"slurm_job_id", r.slurmJobId}, {"script", script}});
            return;
        }
        std::printf("Submitted training on %d node(s) x %d rank(s): Slurm job %s\n", ta->res.nodes,
                    ta->res.tasksPerNode, r.slurmJobId.c_str());
        std::printf("Script and log: %s\nFollow it with: ssondo -w %s slurm status\n", dir.c_str(),
                    Slurm::quote(wsDir).c_str());
    });

    addSlurmSweep(slurm, ctx);

    // ---- status
    auto* st = slurm->add_subcommand("status", "Submissions of this workspace: Slurm state and progress");
    st->callback([&ctx]() {
        auto ws = ctx.openWorkspace();
        SlurmCatalog catalog(ws->database());
        const auto list = refreshed(catalog);
        nlohmann::json j = nlohmann::json::array();
        for (const auto& r : list) {
            const SlurmProgress p = catalog.progress(r, ws->dir());
            if (ctx.json) {
                j.push_back(toJson(r, p));
                continue;
            }
            std::string prog = p.total > 0 ? std::to_string(p.done) + "/" + std::to_string(p.total) : "-";
            std::printf("%3lld  %-7s %-10s %-16s %-11s %-12s %s%s%s\n", (long long)r.id, r.kind.c_str(),
                        (r.slurmJobId + (r.mergeJobId.empty() ? "" : "+" + r.mergeJobId)).c_str(),
                        r.target.c_str(), r.state.c_str(), prog.c_str(), p.detail.c_str(),
                        p.summary.empty() ? "" : " — ", p.summary.c_str());
        }
        if (ctx.json)
            ctx.printJson(j);
        else if (list.empty())
            std::cout << "No Slurm submissions in this workspace; see `ssondo slurm extract --help`.\n";
    });

    // ---- cancel
    auto cancelId = std::make_shared<std::int64_t>(0);
    auto* ca = slurm->add_subcommand("cancel", "Cancel a submission (scancel of its jobs)");
    ca->add_option("id", *cancelId, "Submission id (ssondo slurm status)")->required();
    ca->callback([&ctx, cancelId]() {
        auto ws = ctx.openWorkspace();
        SlurmCatalog catalog(ws->database());
        const auto r = catalog.get(*cancelId);
        std::vector<std::string> ids{r.slurmJobId};
        if (!r.mergeJobId.empty())
            ids.push_back(r.mergeJobId);
        Slurm::cancel(ids);
        catalog.setState(r.id, "CANCELLED");
        std::printf("Cancelled Slurm job(s) %s%s\n", r.slurmJobId.c_str(),
                    r.mergeJobId.empty() ? "" : (" and " + r.mergeJobId).c_str());
    });
}

} // namespace ssondo::cli

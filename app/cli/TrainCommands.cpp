// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/CliContext.h"
#include "cli/Launcher.h"
#include "distributed/Communicator.h"
#include "util/Device.h"

#include "distill/TrainConfig.h"
#include "jobs/TrainJob.h"
#include "students/StudentRegistry.h"
#include "util/Error.h"
#include "util/JsonLinesSink.h"
#include "util/Threads.h"
#include "workspace/Workspace.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ATen/Parallel.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

namespace ssondo::cli {

namespace {

/// roff text: backslashes and leading dots escaped, hyphens as \-.
std::string roff(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\''))
        out = "\\&" + out;
    return out;
}

/// The RUN CONFIGURATION section of ssondo(1): every key of the schema with its default, what it
/// means, and its allowed values or range.
std::string configKeysRoff()
{
    const TrainConfig defaults;
    std::ostringstream s;
    std::string section = "-";
    for (const ConfigKey& k : TrainConfig::schema()) {
        if (k.section != section) {
            section = k.section;
            s << ".SS " << (section.empty() ? "top level" : "[" + section + "]") << "\n";
        }
        s << ".TP\n.B " << roff(k.key) << "\n";
        const auto choices = k.choices();
        s << roff(choices.empty() ? k.help() : k.doc) << " (default " << roff(defaults.valueText(k.key))
          << ").\n";
        if (!choices.empty()) {
            s << "One of:\n.RS\n";
            for (const auto& c : choices)
                s << ".TP\n.B " << roff(c.name) << "\n" << roff(c.description) << "\n";
            s << ".RE\n";
        }
    }
    return s.str();
}

/// The flags and --set values on top of `cfg`, checked: what they make wrong is a usage error.
void applyCommandLine(TrainConfig& cfg, const std::vector<std::pair<std::string, std::string>>& flags,
                      const std::vector<std::string>& sets, bool validate)
{
    if (flags.empty() && sets.empty())
        return;
    try {
        for (const auto& [k, v] : flags)
            cfg.set(k, v);
        for (const auto& s : sets) {
            const auto eq = s.find('=');
            if (eq == std::string::npos)
                throw InputError("--set expects KEY=VALUE, got '" + s + "'");
            cfg.set(s.substr(0, eq), s.substr(eq + 1));
        }
        if (validate)
            cfg.validate();
    } catch (const UsageError&) {
        throw;
    } catch (const InputError& e) {
        throw UsageError(e.what());
    }
}

} // namespace

void addTrainCommands(CLI::App& app, CliContext& ctx)
{
    // ---- students
    auto sopts = std::make_shared<StudentOptions>();
    auto* students =
        app.add_subcommand("students", "The student architectures: parameters, embedding, input shape");
    students->add_option("--width", sopts->widthMult, "Count parameters at this width multiplier")
        ->check(CLI::Range(0.05, 8.0));
    students->add_option("--m-channels", sopts->mChannels, "Count ERes2Net parameters at these base channels")
        ->check(CLI::Range(2, 256));
    students->callback([&ctx, sopts]() {
        auto list = StudentRegistry::instance().list();
        if (sopts->widthMult != 1.0 || sopts->mChannels != 16)
            for (auto& s : list) {
                auto m = StudentRegistry::instance().create(s.name, *sopts);
                s.parameters = parameterCount(*m);
                s.embeddingDim = m->embeddingDim();
                s.name = m->architecture();
            }
        if (ctx.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& s : list)
                j.push_back({{"name", s.name},
                             {"family", s.family},
                             {"parameters", s.parameters},
                             {"embedding_dim", s.embeddingDim},
                             {"input_shape", s.inputShape},
                             {"description", s.description},
                             {"reference", s.reference}});
            ctx.printJson(j);
            return;
        }
        for (const auto& s : list)
            std::printf("%-10s %-12s %10lld parameters  %5lld-d embedding  input [%lld, %lld, %lld]  %s\n",
                        s.name.c_str(), s.family.c_str(), (long long)s.parameters, (long long)s.embeddingDim,
                        (long long)s.inputShape[0], (long long)s.inputShape[1], (long long)s.inputShape[2],
                        s.description.c_str());
    });

    // ---- train
    struct Args
    {
        std::string configFile;
        std::vector<std::string> sets;
        std::int64_t resume = 0;
        bool printConfig = false, printConfigMan = false;
        int nproc = 1;
        int timeout = 300;
        std::vector<std::pair<std::string, std::string>> flags; // (config key, value)
    };
    auto a = std::make_shared<Args>();
    auto* train = app.add_subcommand(
        "train", "Distil a student from teacher embeddings (resumes an unfinished run of the same config)");
    train->add_option("-c,--config", a->configFile, "TOML run config (see --print-config)")
        ->check(CLI::ExistingFile);
    train->add_option("--set", a->sets, "Override any config key: --set optim.lr=1e-3 (repeatable)");
    train->add_option("--resume", a->resume, "Continue this run id from its last checkpoint");
    train
        ->add_option("--nproc", a->nproc,
                     "Train with N data-parallel processes on this machine (c10d: Gloo on CPU, NCCL on GPUs)")
        ->check(CLI::Range(1, 1024));
    train
        ->add_option("--dist-timeout", a->timeout,
                     "Seconds a data-parallel rank waits for the others (rendezvous and each collective)")
        ->check(CLI::Range(10, 86400));
    // For the man page (packaging): every config key in roff, from the schema.
    train->add_flag("--print-config-man", a->printConfigMan, "Print the config keys as a man page section")
        ->group("");
    train->add_flag("--print-config", a->printConfig,
                    "Print the documented config (defaults merged with flags) and exit");
    // Flags for the common keys; each maps onto one config key, and says what the schema says of it.
    static const std::vector<std::pair<const char*, const char*>> kFlags{
        {"--dataset", "data.dataset"},
        {"--embeddings", "data.embeddings"},
        {"--student", "student.arch"},
        {"--width", "student.width"},
        {"--m-channels", "student.m_channels"},
        {"--init", "student.init"},
        {"--loss", "loss.kind"},
        {"--temperature", "loss.temperature"},
        {"--sampler", "sampler.kind"},
        {"--clustering", "sampler.clustering"},
        {"--optimizer", "optim.optimizer"},
        {"--lr", "optim.lr"},
        {"--schedule", "optim.schedule"},
        {"--epochs", "train.epochs"},
        {"--batch-size", "train.batch_size"},
        {"--samples-per-epoch", "train.samples_per_epoch"},
        {"--seed", "train.seed"},
        {"--device", "train.device"},
        {"--mixup", "train.mixup"},
        {"--specaugment", "train.specaugment"},
        {"--val-fraction", "data.val_fraction"},
        {"--clip-seconds", "data.clip_seconds"},
        {"--workers", "data.workers"},
        {"--name", "name"},
        {"--tags", "tags"},
    };
    for (const auto& [flag, key] : kFlags) {
        const std::string k = key;
        const ConfigKey* info = TrainConfig::keyInfo(k);
        if (!info)
            throw std::logic_error(std::string("train flag ") + flag + " names no config key");
        train
            ->add_option_function<std::string>(
                flag, [a, k](const std::string& v) { a->flags.emplace_back(k, v); },
                info->help() + " [" + k + "]")
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast); // a later flag wins, as in most tools
    }
    train->callback([&ctx, a]() {
        TrainConfig cfg;
        if (!a->configFile.empty())
            cfg = TrainConfig::fromFile(a->configFile);                                  // a bad file: exit 1
        applyCommandLine(cfg, a->flags, a->sets, !a->printConfig && !a->printConfigMan); // a bad flag: exit 2
        if (a->printConfigMan) {
            std::cout << configKeysRoff();
            return;
        }
        if (a->printConfig) {
            std::cout << cfg.toToml();
            return;
        }
        DistEnv env = DistEnv::fromEnvironment();
        if (a->nproc > 1) {
            if (env.distributed())
                throw InputError("--nproc " + std::to_string(a->nproc) + " inside a job that already has " +
                                 std::to_string(env.worldSize) + " processes (" + env.source +
                                 "); drop --nproc or start one process");
            const int rc = launchLocal(ctx.argv, a->nproc, ctx.stop);
            if (rc != 0)
                std::exit(rc); // the ranks reported why on stderr
            return;
        }
        std::unique_ptr<Communicator> comm;
        std::unique_ptr<Workspace> ws;
        if (env.distributed()) {
            // Rendezvous first; rank 0 opens (and, if needed, upgrades) the workspace before the
            // others open it read-only: they never write it.
            if (env.masterAddr.empty())
                env.storeFile = (std::filesystem::path(ctx.resolvedWorkspaceDir()) / "tmp" /
                                 ("rendezvous-" + (env.jobKey.empty() ? cfg.hash() : env.jobKey)))
                                    .string();
            if (!env.storeFile.empty())
                std::filesystem::create_directories(std::filesystem::path(env.storeFile).parent_path());
            std::string device = resolveDevice(cfg.device);
            if (device == "cuda" && env.localWorldSize > 1)
                cfg.device = "cuda:" + std::to_string(env.localRank); // one GPU per rank of a node
            if (cfg.workers == 0) // share the cores between the ranks of this node
                cfg.workers = std::max(1, logicalCores() / env.localWorldSize - 1);
            pinIntraOpThreads(computeThreads(env.localWorldSize));
            comm = Communicator::create(env, resolveDevice(cfg.device), std::chrono::seconds(a->timeout));
            if (env.rank == 0)
                ws = ctx.openWorkspace();
            comm->barrier();
            if (env.rank != 0)
                ws = ctx.openWorkspace(true);
        } else {
            ws = ctx.openWorkspace();
        }
        if (env.rank != 0)
            ctx.quiet = true; // one voice: rank 0's (errors still reach stderr)
        auto sink = ctx.makeSink();
        const TrainResult r =
            TrainJob::run(*ws, cfg, ctx.commandLine, *sink, ctx.stop, a->resume, comm.get());
        if (comm)
            comm->barrier(); // rank 0 has written the run's final status
        if (env.rank != 0)
            return; // rank 0 reports
        nlohmann::json j{{"run", r.runId},
                         {"name", r.runName},
                         {"dir", r.runDir},
                         {"resumed", r.resumed},
                         {"stopped", r.stopped},
                         {"epochs_done", r.epochsDone},
                         {"steps", r.steps},
                         {"train_clips", r.trainClips},
                         {"val_clips", r.valClips},
                         {"baseline_val_cosine", r.baselineValCosine},
                         {"val_cosine", r.lastValCosine},
                         {"best_val_cosine", r.bestValCosine},
                         {"val_loss", r.lastValLoss},
                         {"seconds", r.seconds},
                         {"clips_per_s", r.clipsPerSecond},
                         {"data_wait_share", r.dataWaitShare},
                         {"backbone_params", r.backboneParams},
                         {"head_params", r.headParams},
                         {"processes", r.worldSize},
                         {"comm_share", r.commShare},
                         {"grad_comm_share", r.gradCommShare}};
        if (ctx.json) {
            static_cast<JsonLinesSink*>(sink.get())->writeResult(j.dump());
            return;
        }
        sink.reset();
        std::printf("Run %lld '%s' %s after %lld epochs (%lld steps) in %.1f s, %.1f clips/s\n",
                    (long long)r.runId, r.runName.c_str(), r.stopped ? "stopped" : "finished",
                    (long long)r.epochsDone, (long long)r.steps, r.seconds, r.clipsPerSecond);
        if (r.worldSize > 1)
            std::printf("%d data-parallel processes; collectives took %.1f%% of rank 0's step time (gradient "
                        "all-reduce %.1f%%, synchronised batch norm the rest)\n",
                        r.worldSize, 100.0 * r.commShare, 100.0 * r.gradCommShare);
        std::printf(
            "Validation teacher-student cosine %.4f (best %.4f); baseline of predicting the mean teacher "
            "embedding %.4f\n",
            r.lastValCosine, r.bestValCosine, r.baselineValCosine);
        if (r.stopped)
            std::printf("Run the same command again (or ssondo train --resume %lld) to continue.\n",
                        (long long)r.runId);
    });
}

} // namespace ssondo::cli

// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/TrainJob.h"

#include "experiments/RunLog.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

namespace ssondo {

TrainResult TrainJob::run(Workspace& ws, TrainConfig cfg, const std::string& commandLine, ProgressSink& sink,
                          const StopToken& stop, std::int64_t resumeRunId, Communicator* comm)
{
    if (resumeRunId > 0) {
        const RunRecord r = RunLog(ws.database()).get(resumeRunId);
        if (r.status == RunStatus::Done)
            throw InputError("run " + std::to_string(r.id) + " is finished; nothing to resume");
        cfg = TrainConfig::fromToml(r.configToml, "run " + std::to_string(r.id) + " config");
    }
    cfg.validate();
    return Trainer(ws, std::move(cfg), commandLine, sink, stop, resumeRunId, comm).run();
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/RunModels.h"

#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "distill/Checkpoint.h"
#include "distill/TrainingData.h"
#include "experiments/Database.h"
#include "students/StudentRegistry.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

#include <torch/torch.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace ssondo {

RunModels loadRunModels(Workspace& ws, std::int64_t runId)
{
    RunModels m;
    m.run = RunLog(ws.database()).get(runId);
    m.config = TrainConfig::fromToml(m.run.configToml, "run " + std::to_string(runId) + " config");
    m.teacherDim = EmbeddingCatalog(ws.database()).get(m.config.embeddings).dim;
    m.student =
        StudentRegistry::instance().create(m.config.arch, StudentOptions{m.config.width, m.config.mChannels});
    m.head = MappingHead(MappingHeadOptions(m.student->embeddingDim(), m.teacherDim)
                             .hidden(m.config.headHidden)
                             .dropout(m.config.headDropout));
    m.checkpointPath = (fs::path(ws.dir()) / m.run.dir / "checkpoint.pt").string();
    if (!fs::exists(m.checkpointPath))
        throw InputError("run " + std::to_string(runId) + " has no checkpoint yet (" + m.checkpointPath +
                         ")");
    loadCheckpointWeights(m.checkpointPath, *m.student, *m.head);
    m.student->eval();
    m.head->eval();
    return m;
}

RunData loadRunData(Workspace& ws, const TrainConfig& config)
{
    Database& db = ws.database();
    const EmbeddingSetRecord es = EmbeddingCatalog(db).get(config.embeddings);
    RunData d;
    d.store = EmbeddingStore::open((fs::path(ws.dir()) / es.path).string());
    DatasetCatalog datasets(db);
    const DatasetRecord ds = datasets.get(es.datasetName);
    if (ds.version != es.datasetVersion)
        throw InputError("dataset '" + ds.name + "' changed since the run's embeddings were extracted");
    d.dataset = ds.name;
    for (const auto& c : datasets.clips(ds.id)) {
        d.paths.push_back((fs::path(ds.root) / c.path).string());
        d.relativePaths.push_back(c.path);
        d.labels.push_back(c.label);
    }
    const auto split =
        splitTrainVal(d.store->rowsIn(EmbeddingStore::RowState::Done), config.seed, config.valFraction);
    d.train = split.train;
    d.val = split.val;
    return d;
}

} // namespace ssondo

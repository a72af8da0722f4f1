// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A small real workspace for UI tests: the synthetic demo dataset (13 classes × clipsPerClass short
// clips, labels and folds from its CSV), its demo-teacher embeddings, a k-means clustering and a
// PCA map, all made by the core jobs the CLI runs.

#include "clustering/ClusteringCatalog.h"
#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "jobs/ClusterJob.h"
#include "jobs/ExtractJob.h"
#include "jobs/MapJob.h"
#include "util/ProgressSink.h"
#include "util/StopToken.h"
#include "workspace/Workspace.h"

#include <string>

namespace ssondo::testing {

struct DemoWorkspace
{
    std::string dir, data;
    std::int64_t embeddingSet = 0, clustering = 0, map = 0;
};

inline DemoWorkspace makeDemoWorkspace(const std::string& root, int clipsPerClass = 3, std::int64_t k = 4)
{
    DemoWorkspace d;
    d.dir = root + "/ws";
    d.data = root + "/data";
    DemoDatasetOptions o;
    o.clipsPerClass = clipsPerClass;
    o.minSeconds = 0.5;
    o.maxSeconds = 1.0;
    DemoDataset::generate(d.data, o);
    auto ws = Workspace::create(d.dir);
    ScanOptions so;
    so.labels = LabelSource::Csv;
    so.csvPath = d.data + "/labels.csv";
    DatasetCatalog(ws->database()).save("demo", DatasetScanner::scan(d.data, so), so);
    StopToken stop;
    ExtractConfig ec;
    ec.dataset = "demo";
    d.embeddingSet = ExtractJob::run(*ws, ec, nullProgressSink(), stop).embeddingSetId;
    ClusterConfig cc;
    cc.embeddings = d.embeddingSet;
    cc.kmeans.k = k;
    d.clustering = ClusterJob::run(*ws, cc, nullProgressSink(), stop).front().id;
    MapConfig mc;
    mc.embeddings = d.embeddingSet;
    mc.method = "pca";
    d.map = MapJob::run(*ws, mc, nullProgressSink(), stop).id;
    return d;
}

} // namespace ssondo::testing

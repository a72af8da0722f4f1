// SPDX-License-Identifier: GPL-3.0-or-later
#include "experiments/Schema.h"

#include "util/Error.h"

#include <vector>

namespace ssondo {

namespace {

// Long on purpose: the schema's history: one SQL string per version, never edited.
const std::vector<std::string>& migrations()
{
    static const std::vector<std::string> m{
        // v1: workspace metadata, datasets and their clips, jobs.
        R"SQL(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE datasets (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE,
  root             TEXT NOT NULL,
  label_source     TEXT NOT NULL CHECK (label_source IN ('none', 'folders', 'csv')),
  label_csv        TEXT,
  version          TEXT NOT NULL,
  clip_count       INTEGER NOT NULL DEFAULT 0,
  unreadable_count INTEGER NOT NULL DEFAULT 0,
  total_seconds    REAL NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE TABLE clips (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  path        TEXT NOT NULL,
  label       TEXT NOT NULL DEFAULT '',
  fold        INTEGER NOT NULL DEFAULT -1,
  split       TEXT NOT NULL DEFAULT '',
  frames      INTEGER NOT NULL DEFAULT 0,
  sample_rate INTEGER NOT NULL DEFAULT 0,
  channels    INTEGER NOT NULL DEFAULT 0,
  format      TEXT NOT NULL DEFAULT '',
  bytes       INTEGER NOT NULL DEFAULT 0,
  error       TEXT NOT NULL DEFAULT '',
  UNIQUE (dataset_id, path),
  UNIQUE (dataset_id, idx)
);
CREATE TABLE dataset_warnings (
  id         INTEGER PRIMARY KEY,
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  message    TEXT NOT NULL
);
CREATE TABLE jobs (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL,
  target         TEXT NOT NULL DEFAULT '',
  command        TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'stopped', 'failed', 'done')),
  pid            INTEGER,
  host           TEXT NOT NULL DEFAULT '',
  slurm_job_id   TEXT,
  progress_done  INTEGER NOT NULL DEFAULT 0,
  progress_total INTEGER NOT NULL DEFAULT -1,
  rate           REAL,
  message        TEXT NOT NULL DEFAULT '',
  log_path       TEXT NOT NULL DEFAULT '',
  started_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  finished_at    TEXT
);
CREATE INDEX jobs_state ON jobs(state);
)SQL",
        // v2: embedding sets, runs, metric points, artifacts.
        R"SQL(
CREATE TABLE embedding_sets (
  id                  INTEGER PRIMARY KEY,
  dataset_id          INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  dataset_version     TEXT NOT NULL,
  teacher_identity    TEXT NOT NULL,
  teacher_kind        TEXT NOT NULL,
  teacher_source      TEXT NOT NULL,
  teacher_description TEXT NOT NULL,
  teacher_parameters  INTEGER NOT NULL DEFAULT 0,
  teacher_sample_rate INTEGER NOT NULL DEFAULT 0,
  teacher_window      REAL NOT NULL DEFAULT 0,
  dim                 INTEGER NOT NULL,
  dtype               TEXT NOT NULL CHECK (dtype IN ('float32', 'float16')),
  rows                INTEGER NOT NULL,
  done                INTEGER NOT NULL DEFAULT 0,
  failed              INTEGER NOT NULL DEFAULT 0,
  path                TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  UNIQUE (dataset_id, dataset_version, teacher_identity, dtype)
);
CREATE TABLE runs (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('created', 'running', 'stopped', 'failed', 'done')),
  embedding_set_id INTEGER REFERENCES embedding_sets(id) ON DELETE SET NULL,
  clustering_id    INTEGER,
  teacher          TEXT NOT NULL DEFAULT '',
  student          TEXT NOT NULL,
  sampler          TEXT NOT NULL,
  loss             TEXT NOT NULL,
  seed             INTEGER NOT NULL,
  config_toml      TEXT NOT NULL,
  config_hash      TEXT NOT NULL DEFAULT '',
  tags             TEXT NOT NULL DEFAULT '',
  notes            TEXT NOT NULL DEFAULT '',
  dir              TEXT NOT NULL DEFAULT '',
  backbone_params  INTEGER NOT NULL DEFAULT 0,
  head_params      INTEGER NOT NULL DEFAULT 0,
  message          TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL,
  started_at       TEXT,
  finished_at      TEXT,
  updated_at       TEXT NOT NULL
);
CREATE TABLE metric_points (
  run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step      INTEGER NOT NULL,
  epoch     INTEGER NOT NULL,
  wall_time REAL NOT NULL,
  name      TEXT NOT NULL,
  value     REAL
);
CREATE INDEX metric_points_run ON metric_points(run_id, name, step);
CREATE TABLE artifacts (
  id         INTEGER PRIMARY KEY,
  run_id     INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  path       TEXT NOT NULL,
  sha256     TEXT NOT NULL DEFAULT '',
  bytes      INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
)SQL",
        // v3: clusterings of embedding sets and their assignments.
        R"SQL(
CREATE TABLE clusterings (
  id                 INTEGER PRIMARY KEY,
  embedding_set_id   INTEGER NOT NULL REFERENCES embedding_sets(id) ON DELETE CASCADE,
  k                  INTEGER NOT NULL,
  normalized         INTEGER NOT NULL,
  seed               INTEGER NOT NULL,
  iterations         INTEGER NOT NULL,
  restarts           INTEGER NOT NULL,
  rows               INTEGER NOT NULL,
  inertia            REAL NOT NULL,
  silhouette         REAL,
  calinski_harabasz  REAL,
  davies_bouldin     REAL,
  nmi                REAL,
  ari                REAL,
  purity             REAL,
  sizes_json         TEXT NOT NULL,
  centroids_path     TEXT NOT NULL,
  seconds            REAL NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL
);
CREATE TABLE cluster_assignments (
  clustering_id INTEGER NOT NULL REFERENCES clusterings(id) ON DELETE CASCADE,
  row           INTEGER NOT NULL,
  cluster       INTEGER NOT NULL,
  PRIMARY KEY (clustering_id, row)
) WITHOUT ROWID;
)SQL",
        // v4: probe evaluations (of runs and of teachers), model profiles, teacher-student agreement,
        // 2-D maps of embedding sets.
        R"SQL(
CREATE TABLE evaluations (
  id               INTEGER PRIMARY KEY,
  run_id           INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  teacher_identity TEXT NOT NULL,
  embedding_set_id INTEGER REFERENCES embedding_sets(id) ON DELETE SET NULL,
  task             TEXT NOT NULL,
  task_version     TEXT NOT NULL,
  protocol         TEXT NOT NULL,
  metric           TEXT NOT NULL CHECK (metric IN ('accuracy', 'mAP')),
  mean             REAL NOT NULL,
  ci95             REAL,
  knn_mean         REAL,
  knn_ci95         REAL,
  folds_json       TEXT NOT NULL,
  clips            INTEGER NOT NULL,
  classes          INTEGER NOT NULL,
  seconds          REAL NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL
);
CREATE INDEX evaluations_lookup ON evaluations(task, task_version, protocol, teacher_identity);
CREATE TABLE model_profiles (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER REFERENCES runs(id) ON DELETE CASCADE,
  subject         TEXT NOT NULL,
  backbone_params INTEGER NOT NULL,
  head_params     INTEGER NOT NULL,
  file_bytes      INTEGER NOT NULL,
  macs            INTEGER NOT NULL,
  latency_ms      REAL NOT NULL,
  latency_runs    INTEGER NOT NULL,
  threads         INTEGER NOT NULL,
  created_at      TEXT NOT NULL
);
CREATE TABLE agreements (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  clips       INTEGER NOT NULL,
  mean_cosine REAL NOT NULL,
  knn_overlap REAL NOT NULL,
  k           INTEGER NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE TABLE maps (
  id               INTEGER PRIMARY KEY,
  embedding_set_id INTEGER NOT NULL REFERENCES embedding_sets(id) ON DELETE CASCADE,
  method           TEXT NOT NULL CHECK (method IN ('pca', 'tsne')),
  params_json      TEXT NOT NULL,
  rows             INTEGER NOT NULL,
  path             TEXT NOT NULL,
  seconds          REAL NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL
);
)SQL",
        // v5: how a clustering was initialised (earlier ones used FAISS's random rows).
        R"SQL(
ALTER TABLE clusterings ADD COLUMN init TEXT NOT NULL DEFAULT 'random';
)SQL",
        // v6: jobs submitted to Slurm by `ssondo slurm` (the dock follows them).
        R"SQL(
CREATE TABLE slurm_jobs (
  id             INTEGER PRIMARY KEY,
  slurm_job_id   TEXT NOT NULL,
  merge_job_id   TEXT NOT NULL DEFAULT '',
  kind           TEXT NOT NULL CHECK (kind IN ('extract', 'train')),
  target         TEXT NOT NULL DEFAULT '',
  command        TEXT NOT NULL,
  job_command    TEXT NOT NULL,
  script_path    TEXT NOT NULL,
  tasks          INTEGER NOT NULL,
  parts_path     TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'PENDING',
  reason         TEXT NOT NULL DEFAULT '',
  submitted_at   TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
)SQL",
        // v7: an embedding set's state and, when it is empty or failed, why.
        R"SQL(
ALTER TABLE embedding_sets ADD COLUMN state TEXT NOT NULL DEFAULT 'ready'
  CHECK (state IN ('extracting', 'ready', 'empty', 'failed'));
ALTER TABLE embedding_sets ADD COLUMN reason TEXT NOT NULL DEFAULT '';
UPDATE embedding_sets SET state = 'empty', reason = 'no clip was embedded' WHERE done = 0 AND failed = rows;
UPDATE embedding_sets SET state = 'extracting' WHERE done = 0 AND failed < rows;
)SQL",
        // v8: the training run a train job works on (the Train page stops the run it shows).
        R"SQL(
ALTER TABLE jobs ADD COLUMN run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL;
)SQL",
        // v9: datasets read by their layout (ESC-50, NSynth, ...) or by named CSV columns, with the
        // evaluation protocol their metadata gives (JSON), and the annotated labels of the clips of
        // masked datasets (OpenMIC). A dataset read by a layout has label_source 'csv' (its labels
        // come from its metadata files: the CHECK of v1 stays) and the layout's name in `layout`.
        R"SQL(
ALTER TABLE datasets ADD COLUMN layout TEXT NOT NULL DEFAULT '';
ALTER TABLE datasets ADD COLUMN csv_columns TEXT NOT NULL DEFAULT '';
ALTER TABLE datasets ADD COLUMN protocol TEXT NOT NULL DEFAULT '';
ALTER TABLE clips ADD COLUMN known TEXT NOT NULL DEFAULT '';
)SQL",
        // v10: sweeps (families of runs from one sweep file) and their runs, each with the values it
        // varies, its status in the sweep, the metric read when it finished, and why it stopped early;
        // slurm_jobs rebuilt (SQLite cannot alter a CHECK) to accept kind 'sweep' (a job array).
        R"SQL(
CREATE TABLE sweeps (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  spec_toml   TEXT NOT NULL,
  spec_hash   TEXT NOT NULL,
  method      TEXT NOT NULL,
  metric      TEXT NOT NULL,
  keys        TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL CHECK (status IN ('created', 'running', 'stopped', 'failed', 'done')),
  message     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE TABLE sweep_runs (
  sweep_id    INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  point       INTEGER NOT NULL,
  seed        INTEGER NOT NULL,
  vals        TEXT NOT NULL,
  config_toml TEXT NOT NULL,
  config_hash TEXT NOT NULL,
  run_id      INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending', 'running', 'stopped', 'failed', 'pruned', 'done')),
  metric      REAL,
  message     TEXT NOT NULL DEFAULT '',
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (sweep_id, idx)
);
CREATE TABLE slurm_jobs_v10 (
  id             INTEGER PRIMARY KEY,
  slurm_job_id   TEXT NOT NULL,
  merge_job_id   TEXT NOT NULL DEFAULT '',
  kind           TEXT NOT NULL CHECK (kind IN ('extract', 'train', 'sweep')),
  target         TEXT NOT NULL DEFAULT '',
  command        TEXT NOT NULL,
  job_command    TEXT NOT NULL,
  script_path    TEXT NOT NULL,
  tasks          INTEGER NOT NULL,
  parts_path     TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'PENDING',
  reason         TEXT NOT NULL DEFAULT '',
  submitted_at   TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
INSERT INTO slurm_jobs_v10 SELECT id, slurm_job_id, merge_job_id, kind, target, command, job_command,
  script_path, tasks, parts_path, state, reason, submitted_at, updated_at FROM slurm_jobs;
DROP TABLE slurm_jobs;
ALTER TABLE slurm_jobs_v10 RENAME TO slurm_jobs;
)SQL",
        // v11: a student's per-block profile (`profile --layers`) kept with its model profile; maps
        // rebuilt (SQLite cannot alter a CHECK) to accept method 'umap'. No table references maps.
        R"SQL(
ALTER TABLE model_profiles ADD COLUMN layers TEXT NOT NULL DEFAULT '';
CREATE TABLE maps_v11 (
  id               INTEGER PRIMARY KEY,
  embedding_set_id INTEGER NOT NULL REFERENCES embedding_sets(id) ON DELETE CASCADE,
  method           TEXT NOT NULL CHECK (method IN ('pca', 'tsne', 'umap')),
  params_json      TEXT NOT NULL,
  rows             INTEGER NOT NULL,
  path             TEXT NOT NULL,
  seconds          REAL NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL
);
INSERT INTO maps_v11 SELECT id, embedding_set_id, method, params_json, rows, path, seconds, created_at FROM maps;
DROP TABLE maps;
ALTER TABLE maps_v11 RENAME TO maps;
)SQL",
    };
    return m;
}

} // namespace

int Schema::currentVersion()
{
    return int(migrations().size());
}

std::string Schema::migrationTo(int version)
{
    if (version < 1 || version > currentVersion())
        throw DatabaseError("no schema migration to version " + std::to_string(version));
    return migrations()[size_t(version - 1)];
}

} // namespace ssondo

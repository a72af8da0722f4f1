#include "experiments/Schema.h"

#include "util/Error.h"

#include <vector>

namespace ssondo {

namespace {

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
    };
    return m;
}

} // namespace

int Schema::currentVersion() { return int(migrations().size()); }

std::string Schema::migrationTo(int version)
{
    if (version < 1 || version > currentVersion())
        throw DatabaseError("no schema migration to version " + std::to_string(version));
    return migrations()[size_t(version - 1)];
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssondo {

class Database;

/// One model's score on one task: the latest evaluation recorded, or missing.
struct BenchmarkCell
{
    std::optional<double> mean, ci95;
    std::int64_t evaluationId = 0;
};

/// One row of the table: a teacher, or a run's student.
struct BenchmarkRow
{
    std::string model;           ///< "demo teacher" / "run 3: mn10"
    bool teacher = false;        ///< teacher rows come first (greyed)
    std::int64_t runId = 0;      ///< students
    std::string teacherIdentity; ///< the teacher itself, or the student's teacher
    std::vector<BenchmarkCell> cells;
    std::optional<double> average; ///< over the tasks it has a score on
    bool partial = false;          ///< some task has no score: the average is over fewer tasks
    /// Students: 100 × their average / their teacher's average over the tasks both have (the paper).
    std::optional<double> pctOfTeacher;
    std::int64_t params = 0; ///< backbone parameters (0: not known)
};

/// The paper's Table 1 from the experiment log: one row per model (teachers first), one column
/// per task (score ± 95% CI), then the average, % of teacher and backbone parameters. A task a
/// model was not evaluated on is missing, never zero, and makes its average partial.
struct BenchmarkTable
{
    std::vector<std::string> tasks;
    std::vector<std::string> metrics; ///< per task ("accuracy", "mAP"; "" when nothing was evaluated)
    std::vector<BenchmarkRow> rows;

    /// Teachers are named by identity; each run's teacher is added when not given.
    static BenchmarkTable build(Database& db, const std::vector<std::int64_t>& runs,
                                const std::vector<std::string>& teacherIdentities,
                                const std::vector<std::string>& tasks);

    /// Per task, the row with the best score (-1 when no row has one).
    std::vector<int> bestRowPerTask() const;

    std::string csv() const;
    std::string markdown() const;
    std::string latex() const;
    std::string json() const;
    /// By the file's extension: .csv, .md or .tex; InputError otherwise.
    std::string format(const std::string& path) const;
};

/// Named task lists of a workspace (`ssondo benchmark --suite NAME`), kept in its database.
void saveTaskSuite(Database& db, const std::string& name, const std::vector<std::string>& tasks);
/// InputError naming the known suites when there is none of that name.
std::vector<std::string> loadTaskSuite(Database& db, const std::string& name);
std::vector<std::string> taskSuiteNames(Database& db);

} // namespace ssondo

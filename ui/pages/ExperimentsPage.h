// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "eval/BenchmarkTable.h"
#include "pages/Page.h"

#include <cstdint>
#include <vector>

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLineEdit;
class QTabWidget;
class QTableWidget;

namespace ssondo::ui {

class AlignmentView;
class LayerProfileView;
class CurvePlot;
class SweepView;

/// Compare runs: the runs table (status, teacher, student, parameters, loss, sampler, best
/// validation cosine, downstream average, % of teacher, tags, notes) with tag / note / rename /
/// delete; for the selected runs their curves overlaid (runs differing only by seed as a mean with a
/// min–max band), the config keys that differ, students against teachers per task, and a Pareto
/// plot of % of teacher against size or cost; a sweep's runs together (SweepView); CSV export of the table
/// and every curve, plots to PNG or PDF.
class ExperimentsPage : public Page
{
    Q_OBJECT

public:
    explicit ExperimentsPage(WorkspaceController* controller, QWidget* parent = nullptr);
    QString title() const override { return tr("Experiments"); }
    QString pageId() const override { return QStringLiteral("experiments"); }
    void refresh() override;

    void selectRuns(const std::vector<std::int64_t>& ids);
    std::vector<std::int64_t> selectedRuns() const;
    /// Writes runs.csv and curves.csv into `dir`; returns the files written.
    QStringList exportCsv(const QString& dir) const;
    /// Saves the plot of the current tab (.png or .pdf by extension).
    bool savePlot(const QString& file) const;
    void setCurrentTab(int index);

    QTableWidget* runsTable() const { return m_runs; }
    CurvePlot* curves() const { return m_curves; }
    QTableWidget* configTable() const { return m_config; }
    QTableWidget* scoresTable() const { return m_scores; }
    /// The students-vs-teachers table shown (the paper's layout: tasks as columns).
    const BenchmarkTable& benchmarkTable() const { return m_benchmark; }
    /// Writes it as CSV, Markdown or LaTeX by the file's extension; false (and a status message) on failure.
    bool exportScores(const QString& file);
    QComboBox* taskSuiteCombo() const { return m_suite; }
    QCustomPlot* paretoPlot() const { return m_pareto; }
    QTableWidget* matrixTable() const { return m_matrix; }
    /// Colour of a run's curves: the user's choice (double-click the run's id) or a stable default.
    static QColor runColor(std::int64_t runId);
    static void setRunColor(std::int64_t runId, const QColor& color);
    QComboBox* metricCombo() const { return m_metric; }
    QCheckBox* groupSeeds() const { return m_groupSeeds; }
    SweepView* sweepView() const { return m_sweepView; }
    AlignmentView* alignmentView() const { return m_alignmentView; }
    LayerProfileView* layerView() const { return m_layerView; }

Q_SIGNALS:
    /// The user opened a clip (a click on the alignment map).
    void clipActivated(const QString& dataset, const QString& clipPath);

public:
private:
    void fillRuns();
    void updateSelection();
    void fillCurves();
    void fillConfig();
    void fillScores();
    std::vector<std::string> scoreTasks() const;
    void fillPareto();
    void fillMatrix();
    void editSelected(const QString& what);

    QLineEdit* m_filter;
    QTableWidget* m_runs;
    QTabWidget* m_tabs;
    QComboBox* m_metric;
    QComboBox* m_summary;
    QCheckBox* m_groupSeeds;
    CurvePlot* m_curves;
    QTableWidget* m_config;
    QTableWidget* m_scores;
    QComboBox* m_suite;
    BenchmarkTable m_benchmark;
    QComboBox* m_paretoX;
    QCustomPlot* m_pareto;
    QTableWidget* m_matrix;
    std::vector<std::int64_t> m_paretoRuns;
    SweepView* m_sweepView;
    AlignmentView* m_alignmentView;
    LayerProfileView* m_layerView;
};

} // namespace ssondo::ui

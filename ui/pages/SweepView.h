// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "experiments/SweepLog.h"

#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QCustomPlot;
class QLabel;
class QTableWidget;
class QTimer;

namespace ssondo::ui {

class CurvePlot;
class WorkspaceController;

/// One sweep on the Experiments page: its runs' validation-cosine curves overlaid and coloured by
/// one varied key; the metric against each varied key (a strip plot per key, seeds side by side);
/// a parallel-coordinates plot over every varied key and the metric, each run a line coloured by
/// its metric; and what each value did (mean ± sd over the finished runs). Live: read again every
/// second while the sweep runs.
class SweepView : public QWidget
{
    Q_OBJECT

public:
    explicit SweepView(WorkspaceController* controller, QWidget* parent = nullptr);

    /// Reads the workspace's sweeps again (keeps the one shown when it still exists).
    void refresh();
    void showSweep(std::int64_t id);
    std::int64_t shownSweep() const { return m_sweep.id; }
    void setColorKey(const QString& key);
    /// Reads the shown sweep's runs and curves now (the timer does it while it runs).
    void reload();

    QComboBox* sweepCombo() const { return m_sweeps; }
    QComboBox* colorKeyCombo() const { return m_colorKey; }
    CurvePlot* curves() const { return m_curves; }
    QCustomPlot* stripPlot() const { return m_strips; }
    QCustomPlot* parallelPlot() const { return m_parallel; }
    QTableWidget* effectsTable() const { return m_effects; }
    const std::vector<SweepRunRecord>& runs() const { return m_runs; }

    /// Where a run's value of a key sits on that key's axis in [0, 1]: numbers in order (on a log
    /// scale when they are positive and span more than a factor of 20), other values in the order
    /// they first appear. Same input, same positions: what the strip and parallel plots share.
    static std::vector<double> axisPositions(const std::vector<QString>& values, QStringList* ticks = nullptr,
                                             std::vector<double>* tickPositions = nullptr);

Q_SIGNALS:
    /// "Select its runs": the run ids of the shown sweep.
    void selectRuns(const std::vector<std::int64_t>& ids);

private:
    void fillCurves();
    void fillStrips();
    void fillParallel();
    void fillEffects();
    QString valueOf(const SweepRunRecord& r, const QString& key) const;

    WorkspaceController* m_controller;
    QComboBox* m_sweeps;
    QComboBox* m_colorKey;
    QLabel* m_status;
    CurvePlot* m_curves;
    QCustomPlot* m_strips;
    QCustomPlot* m_parallel;
    QTableWidget* m_effects;
    QTimer* m_timer;
    SweepRecord m_sweep;
    std::vector<SweepRunRecord> m_runs;
};

} // namespace ssondo::ui

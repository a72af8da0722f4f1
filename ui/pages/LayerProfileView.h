// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;

namespace ssondo::ui {

class WorkspaceController;

/// The per-block profile (`ssondo profile --layers`) of the selected runs side by side: a table of
/// each block's time, MACs and parameters per run, and a bar chart of one of them (a bar per run
/// for each block, in the run's colour); each run's sum of the blocks against its whole-model time.
/// Runs without a per-block profile are named, with a button that profiles them.
class LayerProfileView : public QWidget
{
    Q_OBJECT

public:
    explicit LayerProfileView(WorkspaceController* controller, QWidget* parent = nullptr);

    void showRuns(const std::vector<std::int64_t>& runIds);
    void setMeasure(const QString& what); ///< ms | macs | params

    QCustomPlot* plot() const { return m_plot; }
    QTableWidget* table() const { return m_table; }
    QLabel* summary() const { return m_summary; }
    /// The blocks on the chart (the union of the shown runs' blocks, in order).
    const QStringList& blocks() const { return m_blocks; }
    /// Runs shown / selected runs without a per-block profile.
    const std::vector<std::int64_t>& shownRuns() const { return m_shown; }
    const std::vector<std::int64_t>& missingRuns() const { return m_missing; }

Q_SIGNALS:
    /// The user asked for the per-block profile of these runs.
    void profileRequested(const std::vector<std::int64_t>& runIds);

private:
    struct Row
    {
        QString block;
        double ms = 0, macs = 0, params = 0;
    };
    struct RunProfile
    {
        std::int64_t runId = 0;
        QString title;
        double wholeMs = 0, sumMs = 0;
        int runs = 0, threads = 0;
        std::vector<Row> rows;
    };

    void fillTable();
    void draw();
    double value(const Row& r) const;

    WorkspaceController* m_controller;
    QComboBox* m_measure;
    QPushButton* m_profile;
    QLabel* m_summary;
    QCustomPlot* m_plot;
    QTableWidget* m_table;
    std::vector<RunProfile> m_profiles;
    std::vector<std::int64_t> m_shown, m_missing;
    QStringList m_blocks;
};

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pages/Page.h"

#include <cstdint>

class QButtonGroup;
class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace ssondo::ui {

class HistogramPlot;

/// The teacher: the demo network, a TorchScript export or precomputed embeddings, inspected (rate,
/// window, dimension, parameters, file hash, and a live check on one clip, off the GUI thread);
/// extraction for a dataset (runs `ssondo extract`); the embedding sets of the workspace with their
/// statistics (norm histogram, per-dimension variance).
class TeacherPage : public Page
{
    Q_OBJECT

public:
    explicit TeacherPage(WorkspaceController* controller, QWidget* parent = nullptr);
    QString title() const override { return tr("Teacher"); }
    QString pageId() const override { return QStringLiteral("teacher"); }
    void refresh() override;

    /// "demo", a .pt file, or a folder / .npy of precomputed embeddings.
    void setTeacherSource(const QString& source);
    QString teacherSource() const;
    /// Starts the inspection (asynchronous); inspected() fires with the text shown.
    void inspect();
    QStringList extractCommand() const;
    void selectEmbeddingSet(std::int64_t id);

    QTableWidget* setsTable() const { return m_sets; }
    QLabel* teacherInfo() const { return m_info; }
    HistogramPlot* normHistogram() const { return m_norms; }
    QCustomPlot* variancePlot() const { return m_variance; }
    QLabel* setStats() const { return m_stats; }

Q_SIGNALS:
    void inspected(bool ok, const QString& text);

private:
    void fillDatasets();
    void fillSets();
    void showSetStats();
    /// Asks, then runs `ssondo embeddings remove ID` (with --force when runs were trained on it).
    void removeSelectedSet();
    void updateCommand();

    QButtonGroup* m_kind;
    QLineEdit* m_path;
    QPushButton* m_browse;
    QPushButton* m_inspect;
    QLabel* m_info;
    QComboBox* m_dataset;
    QComboBox* m_dtype;
    QPushButton* m_extract;
    QPushButton* m_cluster = nullptr;
    QPushButton* m_remove = nullptr;
    QLabel* m_command;
    QTableWidget* m_sets;
    QLabel* m_stats;
    HistogramPlot* m_norms;
    QCustomPlot* m_variance;
    std::int64_t m_shownSet = -1;
    int m_inspectGeneration = 0;
};

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/Alignment.h"

#include <QPoint>
#include <QWidget>

#include <cstdint>
#include <string>
#include <vector>

class QComboBox;
class QCustomPlot;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace ssondo::ui {

class HistogramPlot;
class WorkspaceController;

/// The alignment map of a run: its alignment sample's teacher embeddings and the mapped student
/// embeddings of the same clips in one projection (PCA fitted on the teacher, or UMAP / t-SNE of
/// both together), each clip a teacher
/// point with a line to its student point coloured by their cosine; an epoch slider (and Play)
/// moves the student points through training; points coloured by cosine, cluster or label; hover
/// says the clip, its cluster, label and cosine; a click opens the clip (Data page); the mean cosine
/// per teacher cluster beside it, worst first, following the slider.
class AlignmentView : public QWidget
{
    Q_OBJECT

public:
    explicit AlignmentView(WorkspaceController* controller, QWidget* parent = nullptr);

    /// Lists the runs that kept snapshots (keeps the one shown).
    void refresh();
    void showRun(std::int64_t runId);
    std::int64_t shownRun() const { return m_run; }
    /// Shows snapshot `index` (0: step 0) of the run.
    void setSnapshot(int index);
    /// Snapshots on the map (every one with PCA; evenly spaced ones when a union map would be too large).
    int snapshotCount() const { return int(m_map.students.size()); }
    void setColorBy(const QString& what); ///< cosine | cluster | label
    /// pca (fitted on the teacher) | umap | tsne (of the teacher's and the snapshots' rows together)
    void setMapMethod(const QString& method);

    QCustomPlot* plot() const { return m_plot; }
    HistogramPlot* clusterBars() const { return m_bars; }
    QSlider* epochSlider() const { return m_slider; }
    const AlignmentMap& map() const { return m_map; }
    /// Cosine of each sample clip at the shown snapshot.
    const std::vector<double>& cosines() const { return m_cos; }
    /// The sample clip nearest to a pixel of the plot (teacher or student point), or -1.
    int clipAt(const QPoint& pixel) const;

Q_SIGNALS:
    void clipActivated(const QString& dataset, const QString& clipPath);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void load();
    void draw();
    QString describe(int clip) const;

    WorkspaceController* m_controller;
    QComboBox* m_runs;
    QComboBox* m_colorBy;
    QComboBox* m_method;
    QSlider* m_slider;
    QToolButton* m_play;
    QLabel* m_epochLabel;
    QCustomPlot* m_plot;
    HistogramPlot* m_bars;
    QTimer* m_timer;

    std::int64_t m_run = 0;
    std::string m_dataset;
    std::vector<std::int64_t> m_epochs;
    std::vector<std::string> m_paths, m_labels;
    std::vector<std::int64_t> m_clusters; ///< per sample clip (empty without a clustering)
    at::Tensor m_teacher;                 ///< teacher embeddings of the sample (normalised space)
    std::vector<at::Tensor> m_snapshots;
    AlignmentMap m_map;
    std::vector<double> m_cos;
    int m_shown = 0;
    QPoint m_pressPos;
};

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pages/Page.h"

#include <QHash>

#include <cstdint>
#include <map>
#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;

namespace ssondo {
struct TrainConfig;
}

namespace ssondo::ui {

class ConfigForm;
class CurvePlot;
class HistogramPlot;

/// Launch and watch distillation runs: the whole run config as a form (paper defaults), validated
/// before start, saved and loaded as TOML, shown as the equivalent `ssondo train` command; Start,
/// Stop, Resume; live curves read from the experiment log every 40 ms (train and validation loss,
/// learning rate, validation cosine against the mean-embedding baseline) with step / epoch / wall
/// time axes, log scales and debiased smoothing; validation loss per teacher cluster, worst first.
class TrainPage : public Page
{
    Q_OBJECT

public:
    explicit TrainPage(WorkspaceController* controller, QWidget* parent = nullptr);
    ~TrainPage() override;
    QString title() const override { return tr("Train"); }
    QString pageId() const override { return QStringLiteral("train"); }
    void refresh() override;

    /// The config the form describes (throws InputError when a field is invalid).
    TrainConfig config() const;
    void setConfig(const TrainConfig& config);
    /// `train` arguments equivalent to the form: flags for the keys that differ from the defaults.
    QStringList trainArguments() const;
    /// The metrics a sweep can compare: val_cosine, and probe:DATASET for each labelled dataset.
    QStringList sweepMetrics() const;
    /// Empty when the form is valid, else what is wrong.
    QString validationError() const;

    void showRun(std::int64_t runId);
    std::int64_t shownRun() const { return m_run; }
    /// Reads new metric points of the shown run now (the timer does it every 40 ms).
    void pollMetrics();

    CurvePlot* lossPlot() const { return m_losses; }
    CurvePlot* cosinePlot() const { return m_cosine; }
    HistogramPlot* clusterPlot() const { return m_clusters; }
    QLabel* progressLabel() const { return m_progress; }
    QPlainTextEdit* commandView() const { return m_commandView; }

    ConfigForm* form() const { return m_form; }
    /// What Load TOML… does with the file it asks for.
    void loadTomlFile(const QString& file);
    /// The note under the form (why the clip length was chosen, for example).
    QLabel* noteLabel() const { return m_note; }

Q_SIGNALS:
    /// Stop the job with this id (the jobs dock knows how: its runner, or a signal to its process).
    void stopJob(qint64 jobId);

private:
    QWidget* buildForm();
    QWidget* buildActions();
    void updateCommand();
    void fillRuns();
    void fillSources();
    void adaptClipLength();
    void rebuildCurves();
    void showEmptyState(bool empty);
    void start();
    void stop();
    void resume();
    void saveToml();
    void loadToml();

    // Form
    ConfigForm* m_form;
    QLabel* m_error;
    QLabel* m_note;
    QPlainTextEdit* m_commandView;
    QPushButton* m_start;
    QPushButton* m_cluster = nullptr;
    QPushButton* m_sweep = nullptr;
    QPushButton* m_stop;
    QPushButton* m_resume;
    bool m_clipChosenByUser = false, m_adaptingClip = false, m_fillingSources = false;
    QLabel* m_empty = nullptr;

    // Watching
    QComboBox* m_runs;
    QLabel* m_progress;
    QComboBox* m_xAxis;
    QSlider* m_smoothing;
    QCheckBox* m_logX;
    QCheckBox* m_logY;
    QWidget* m_plots = nullptr;
    CurvePlot* m_losses;
    CurvePlot* m_cosine;
    HistogramPlot* m_clusters;
    QTimer* m_timer;
    std::int64_t m_run = 0, m_lastRowid = 0, m_knownCount = 0;
    struct Curve
    {
        QVector<double> step, epoch, wall, value;
    };
    std::map<std::string, Curve> m_curves;
    bool m_dirty = false;
    int m_statusTicks = 0;
};

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
// The Train page while a run goes: which run is shown, its points read from the log every 40 ms,
// the curves and per-cluster bars, and Start / Stop / Resume.

#include "pages/TrainPage.h"

#include "pages/ConfigForm.h"

#include "WorkspaceController.h"
#include "distill/TrainConfig.h"
#include "experiments/JobLog.h"
#include "experiments/RunLog.h"
#include "models/JobTableModel.h"
#include "plots/CurvePlot.h"
#include "plots/HistogramPlot.h"
#include "workspace/Workspace.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSysInfo>

#include <algorithm>
#include <csignal>

namespace ssondo::ui {

void TrainPage::fillRuns()
{
    Workspace* ws = controller()->workspace();
    if (!ws)
        return;
    const qlonglong keep = m_runs->currentData().toLongLong();
    const QSignalBlocker b(m_runs);
    m_runs->clear();
    std::vector<RunRecord> runs;
    try {
        runs = RunLog(ws->database()).list();
    } catch (const std::exception&) {
        return;
    }
    std::sort(runs.begin(), runs.end(), [](const auto& a, const auto& c) { return a.id > c.id; });
    for (const auto& r : runs)
        m_runs->addItem(tr("#%1 %2 · %3 · %4")
                            .arg(r.id)
                            .arg(QString::fromStdString(r.name), QString::fromStdString(r.student),
                                 QString::fromStdString(runStatuses().nameOf(r.status))),
                        qlonglong(r.id));
    const int i = m_runs->findData(keep);
    m_runs->setCurrentIndex(i >= 0 ? i : (m_runs->count() ? 0 : -1));
    const std::int64_t shown = m_runs->currentData().toLongLong();
    if (shown != m_run)
        showRun(shown);
    pollMetrics();
}

void TrainPage::showRun(std::int64_t runId)
{
    m_run = runId;
    m_lastRowid = 0;
    m_knownCount = 0;
    m_curves.clear();
    m_dirty = true;
    showEmptyState(runId <= 0);
    const int i = m_runs->findData(qlonglong(runId));
    if (i >= 0 && m_runs->currentIndex() != i) {
        const QSignalBlocker b(m_runs);
        m_runs->setCurrentIndex(i);
    }
    pollMetrics();
}

void TrainPage::pollMetrics()
{
    Workspace* ws = controller()->workspace();
    if (!ws || m_run <= 0) {
        if (m_dirty)
            rebuildCurves();
        return;
    }
    try {
        RunLog log(ws->database());
        const std::int64_t count = log.metricCount(m_run);
        if (count < m_knownCount) { // a resumed run redid its last steps: read it again
            m_curves.clear();
            m_lastRowid = 0;
            m_knownCount = 0;
            m_dirty = true;
        }
        if (count != m_knownCount) {
            for (const auto& [rowid, p] : log.metricsAfter(m_run, m_lastRowid)) {
                Curve& c = m_curves[p.name];
                c.step << double(p.step);
                c.epoch << double(p.epoch);
                c.wall << p.wallTime;
                c.value << p.value;
                m_lastRowid = rowid;
                ++m_knownCount;
            }
            m_dirty = true;
        }
        // Status and job progress: when points arrived, else once a second (every 25th tick).
        if (!m_dirty && ++m_statusTicks % 25 != 0)
            return;
        const RunRecord r = log.get(m_run);
        QString text = tr("<b>%1</b> · %2 · %3 · %4 sampling · status <b>%5</b>")
                           .arg(QString::fromStdString(r.name), QString::fromStdString(r.student),
                                QString::fromStdString(r.loss), QString::fromStdString(r.sampler),
                                QString::fromStdString(runStatuses().nameOf(r.status)));
        if (r.status == RunStatus::Running)
            if (const auto job = JobLog(ws->database()).runningJobOfRun(m_run)) {
                const JobRecord& j = *job;
                {
                    text += tr(" · step %1 of %2").arg(j.done).arg(j.total);
                    if (j.rate && *j.rate > 0) {
                        double batch = 0;
                        try {
                            batch = double(TrainConfig::fromToml(r.configToml).batchSize);
                        } catch (const std::exception&) {
                        }
                        text += tr(" · %1 steps/s (%2 clips/s)")
                                    .arg(*j.rate, 0, 'f', 2)
                                    .arg(*j.rate * batch, 0, 'f', 1);
                        if (j.total > j.done)
                            text += tr(" · ETA %1")
                                        .arg(JobTableModel::duration(double(j.total - j.done) / *j.rate));
                    }
                }
            }
        if (!r.message.empty())
            text += QStringLiteral("<br>") + QString::fromStdString(r.message).toHtmlEscaped();
        m_progress->setText(text);
        m_stop->setEnabled(r.status == RunStatus::Running);
        m_resume->setEnabled(r.status == RunStatus::Stopped || r.status == RunStatus::Failed);
    } catch (const std::exception& e) {
        m_progress->setText(QString::fromUtf8(e.what()).toHtmlEscaped());
    }
    if (m_dirty)
        rebuildCurves();
}

void TrainPage::rebuildCurves()
{
    m_dirty = false;
    auto series = [&](const std::string& name, const QString& label, const QColor& color, bool right = false,
                      bool smooth = true) {
        CurvePlot::Series s;
        const auto it = m_curves.find(name);
        if (it != m_curves.end()) {
            s.step = it->second.step;
            s.epoch = it->second.epoch;
            s.wall = it->second.wall;
            s.value = it->second.value;
        }
        s.label = label;
        s.color = color;
        s.rightAxis = right;
        s.smooth = smooth;
        return s;
    };
    m_losses->setSeries(QStringLiteral("train_loss"),
                        series("train_loss", tr("training loss"), QColor(0x1f, 0x77, 0xb4)));
    m_losses->setSeries(QStringLiteral("val_loss"),
                        series("val_loss", tr("validation loss"), QColor(0xff, 0x7f, 0x0e)));
    m_losses->setSeries(QStringLiteral("lr"),
                        series("lr", tr("learning rate"), QColor(0x88, 0x88, 0x88), true, false));
    m_cosine->setSeries(QStringLiteral("val_cosine"),
                        series("val_cosine", tr("validation cosine"), QColor(0x2c, 0xa0, 0x2c)));
    const auto base = m_curves.find("baseline_val_cosine");
    if (base != m_curves.end() && !base->second.value.isEmpty())
        m_cosine->setBaseline(tr("mean-embedding baseline %1").arg(base->second.value.last(), 0, 'f', 3),
                              base->second.value.last(), QColor(0xd6, 0x27, 0x28));
    m_losses->rebuild();
    m_cosine->rebuild();
    // Latest validation loss of every cluster, worst first.
    std::vector<std::pair<double, QString>> worst;
    for (const auto& [name, c] : m_curves)
        if (name.rfind("val_loss_cluster/", 0) == 0 && !c.value.isEmpty())
            worst.push_back({c.value.last(), QString::fromStdString(name.substr(17))});
    std::sort(worst.begin(), worst.end(), std::greater<>());
    QStringList cats;
    QVector<double> values;
    for (const auto& [v, name] : worst)
        cats << name, values << v;
    m_clusters->setData(cats, values);
}

void TrainPage::start()
{
    const QString error = validationError();
    if (!error.isEmpty()) {
        m_error->setText(error);
        return;
    }
    Q_EMIT runCommand(trainArguments(), QStringLiteral("train"),
                      m_form->value(QStringLiteral("data.embeddings")));
}

/// Stops the run on screen: its running job, as the jobs dock records it (whoever started it).
void TrainPage::stop()
{
    Workspace* ws = controller()->workspace();
    if (!ws || m_run <= 0)
        return;
    try {
        if (const auto job = JobLog(ws->database()).runningJobOfRun(m_run)) {
            Q_EMIT stopJob(job->id);
            Q_EMIT statusMessage(
                tr("Asked run %1 (job %2) to stop; it saves a checkpoint first.").arg(m_run).arg(job->id));
            return;
        }
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromUtf8(e.what()));
        return;
    }
    Q_EMIT statusMessage(tr("Run %1 has no running job.").arg(m_run));
}

void TrainPage::showEmptyState(bool empty)
{
    if (empty)
        m_progress->clear();
    m_empty->setVisible(empty);
    m_plots->setVisible(!empty);
}

void TrainPage::resume()
{
    if (m_run > 0)
        Q_EMIT runCommand({QStringLiteral("train"), QStringLiteral("--resume"), QString::number(m_run)},
                          QStringLiteral("train"), QString::number(m_run));
}

} // namespace ssondo::ui

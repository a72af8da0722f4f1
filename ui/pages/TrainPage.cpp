// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/TrainPage.h"

#include "pages/ConfigForm.h"

#include "WorkspaceController.h"
#include "clustering/ClusteringCatalog.h"
#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "distill/TrainConfig.h"
#include "experiments/JobLog.h"
#include "experiments/RunLog.h"
#include "models/JobTableModel.h"
#include "plots/CurvePlot.h"
#include "plots/HistogramPlot.h"
#include "plots/QCustomPlotInclude.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

#include "jobs/ClusterRunDialog.h"
#include "pages/SweepDialog.h"
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QSysInfo>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <fstream>

namespace ssondo::ui {

namespace {

QComboBox* combo(QWidget* parent, const QStringList& items)
{
    auto* c = new QComboBox(parent);
    c->addItems(items);
    return c;
}

} // namespace

TrainPage::TrainPage(WorkspaceController* controller, QWidget* parent)
    : Page(controller, parent), m_timer(new QTimer(this))
{
    // The actions stay on screen; the form scrolls under them.
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(buildForm());
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(380);
    auto* left = new QWidget(this);
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addWidget(buildActions());
    ll->addWidget(scroll, 1);

    m_runs = new QComboBox(this);
    m_runs->setMinimumWidth(260);
    m_progress = new QLabel(this);
    m_progress->setTextFormat(Qt::RichText);
    m_progress->setWordWrap(true);
    m_xAxis = combo(this, {tr("step"), tr("epoch"), tr("wall time")});
    m_smoothing = new QSlider(Qt::Horizontal, this);
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(60);
    m_smoothing->setToolTip(tr("Debiased exponential smoothing; the raw curve stays visible, faint"));
    m_logX = new QCheckBox(tr("log x"), this);
    m_logY = new QCheckBox(tr("log y"), this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Run:"), this));
    controls->addWidget(m_runs, 1);
    controls->addWidget(new QLabel(tr("x:"), this));
    controls->addWidget(m_xAxis);
    controls->addWidget(new QLabel(tr("smoothing"), this));
    controls->addWidget(m_smoothing);
    controls->addWidget(m_logX);
    controls->addWidget(m_logY);

    m_losses = new CurvePlot(this);
    m_losses->setTitle(tr("Loss"));
    m_losses->setYLabel(tr("loss"), tr("learning rate"));
    m_cosine = new CurvePlot(this);
    m_cosine->setTitle(tr("Validation teacher–student cosine"));
    m_cosine->setYLabel(tr("cosine"));
    m_clusters = new HistogramPlot(this);
    m_clusters->setTitle(tr("Validation loss per teacher cluster, worst first"));
    m_clusters->plot()->yAxis->setLabel(tr("1 − cos"));

    auto* plots = new QSplitter(Qt::Vertical, this);
    plots->addWidget(m_losses);
    plots->addWidget(m_cosine);
    plots->addWidget(m_clusters);
    // Until a run is shown: what to do, instead of empty axes.
    m_empty = new QLabel(tr("No run yet: choose the teacher embeddings and press <b>Start</b>. "
                            "A run started from a terminal or a cluster shows here too."),
                         this);
    m_empty->setObjectName(QStringLiteral("trainEmptyState"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet(QStringLiteral("color: #555; font-size: 15px; padding: 40px"));
    auto* right = new QWidget(this);
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    rl->addLayout(controls);
    rl->addWidget(m_progress);
    rl->addWidget(m_empty, 1);
    rl->addWidget(plots, 1);
    m_plots = plots;

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    rememberSplitter(split, QStringLiteral("formAndCurves"));
    rememberSplitter(plots, QStringLiteral("plots"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_runs, &QComboBox::currentIndexChanged, this,
            [this] { showRun(m_runs->currentData().toLongLong()); });
    connect(m_xAxis, &QComboBox::currentIndexChanged, this, [this](int i) {
        for (auto* p : {m_losses, m_cosine})
            p->setXAxis(CurvePlot::XAxis(i));
        rebuildCurves();
    });
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int v) {
        for (auto* p : {m_losses, m_cosine})
            p->setSmoothing(v / 100.0);
        rebuildCurves();
    });
    connect(m_logX, &QCheckBox::toggled, this, [this](bool on) {
        for (auto* p : {m_losses, m_cosine})
            p->setLogX(on);
        rebuildCurves();
    });
    connect(m_logY, &QCheckBox::toggled, this, [this](bool on) {
        for (auto* p : {m_losses, m_cosine})
            p->setLogY(on);
        rebuildCurves();
    });
    // Batch the points of ~40 ms into one redraw: smooth while a job logs at 100 Hz.
    m_timer->setInterval(40);
    // Only while the page is on screen: a hidden page does not query the log 25 times a second.
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            pollMetrics();
    });
    m_timer->start();
    setConfig(TrainConfig{});
    showEmptyState(true);
}

TrainPage::~TrainPage() = default;

QWidget* TrainPage::buildForm()
{
    auto* w = new QWidget(this);
    auto* layout = new QVBoxLayout(w);
    m_form = new ConfigForm(w);
    m_form->setObjectName(QStringLiteral("trainConfigForm"));
    layout->addWidget(m_form);
    layout->addStretch(1);
    connect(m_form, &ConfigForm::changed, this, [this](const QString& key) {
        if (key == QStringLiteral("data.clip_seconds") && !m_adaptingClip)
            m_clipChosenByUser = true;
        if (key == QStringLiteral("data.embeddings")) {
            fillSources();
            adaptClipLength();
        }
        updateCommand();
    });
    return w;
}

/// Start and the other actions, the equivalent command and what is wrong, above the form.
QWidget* TrainPage::buildActions()
{
    auto* w = new QWidget(this);
    auto* layout = new QVBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    m_start = new QPushButton(tr("Start"), w);
    m_start->setObjectName(QStringLiteral("startRun"));
    m_stop = new QPushButton(tr("Stop"), w);
    m_resume = new QPushButton(tr("Resume"), w);
    m_cluster = new QPushButton(tr("Run on cluster…"), w);
    m_cluster->setObjectName(QStringLiteral("trainOnCluster"));
    m_cluster->setToolTip(tr("Submit the same run to Slurm: data-parallel over nodes × ranks"));
    m_sweep = new QPushButton(tr("Sweep…"), w);
    m_sweep->setObjectName(QStringLiteral("trainSweep"));
    m_sweep->setToolTip(tr("Start a family of runs from this config: the keys to vary, their values, seeds"));
    auto* save = new QPushButton(tr("Save TOML…"), w);
    auto* load = new QPushButton(tr("Load TOML…"), w);
    auto* defaults = new QPushButton(tr("Paper defaults"), w);
    auto* buttons = new QHBoxLayout;
    for (auto* b : {m_start, m_sweep, m_cluster, m_stop, m_resume})
        buttons->addWidget(b);
    auto* files = new QHBoxLayout;
    for (auto* b : {save, load, defaults})
        files->addWidget(b);
    m_error = new QLabel(w);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_note = new QLabel(w);
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("trainNote"));
    m_commandView = new QPlainTextEdit(w);
    m_commandView->setReadOnly(true);
    m_commandView->setMaximumHeight(64);
    m_commandView->setObjectName(QStringLiteral("trainCommand"));
    layout->addLayout(buttons);
    layout->addLayout(files);
    layout->addWidget(m_error);
    layout->addWidget(m_note);
    layout->addWidget(m_commandView);

    connect(m_start, &QPushButton::clicked, this, &TrainPage::start);
    connect(m_cluster, &QPushButton::clicked, this, [this] {
        const QString error = validationError();
        if (!error.isEmpty()) {
            m_error->setText(error);
            return;
        }
        const QStringList args = ClusterRunDialog::ask(QStringLiteral("train"), trainArguments(), this);
        if (!args.isEmpty())
            Q_EMIT runCommand(args, QStringLiteral("slurm"),
                              m_form->value(QStringLiteral("data.embeddings")));
    });
    connect(m_sweep, &QPushButton::clicked, this, [this] {
        const QString error = validationError();
        if (!error.isEmpty()) {
            m_error->setText(error);
            return;
        }
        const QStringList args = SweepDialog::ask(
            config(), sweepMetrics(), controller()->dir() + QStringLiteral("/sweeps/files"), this);
        if (!args.isEmpty())
            Q_EMIT runCommand(args, QStringLiteral("sweep"), args.at(2));
    });
    connect(m_stop, &QPushButton::clicked, this, &TrainPage::stop);
    connect(m_resume, &QPushButton::clicked, this, &TrainPage::resume);
    connect(save, &QPushButton::clicked, this, &TrainPage::saveToml);
    connect(load, &QPushButton::clicked, this, &TrainPage::loadToml);
    connect(defaults, &QPushButton::clicked, this, [this] {
        TrainConfig c;
        c.embeddings = config().embeddings;
        m_clipChosenByUser = false;
        setConfig(c);
        adaptClipLength();
    });
    return w;
}

QStringList TrainPage::sweepMetrics() const
{
    QStringList metrics{QStringLiteral("val_cosine")};
    if (Workspace* ws = controller()->workspace())
        for (const auto& d : DatasetCatalog(ws->database()).list())
            if (d.labelSource != LabelSource::None)
                metrics << QStringLiteral("probe:") + QString::fromStdString(d.name);
    return metrics;
}

TrainConfig TrainPage::config() const
{
    return m_form->config();
}

void TrainPage::setConfig(const TrainConfig& c)
{
    m_form->setConfig(c);
    fillSources();
    updateCommand();
}

QString TrainPage::validationError() const
{
    try {
        const TrainConfig c = config();
        if (c.embeddings <= 0)
            return tr("Choose the teacher embeddings (extract them on the Teacher page first).");
        c.validate();
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    for (const ConfigKey& k : TrainConfig::schema())
        if (QWidget* e = m_form->editor(QString::fromStdString(k.key)))
            if (const QString why = e->property("problem").toString(); !why.isEmpty())
                return why;
    return {};
}

QStringList TrainPage::trainArguments() const
{
    QStringList a{QStringLiteral("train")};
    const TrainConfig c = config();
    const TrainConfig defaults;
    for (const auto& key : c.differences(defaults)) {
        if (key == "name" || key == "tags")
            continue;
        a << QStringLiteral("--set") << QString::fromStdString(key + "=" + c.valueText(key, true));
    }
    if (!c.name.empty())
        a << QStringLiteral("--name") << QString::fromStdString(c.name);
    if (!c.tags.empty()) {
        QStringList tags;
        for (const auto& t : c.tags)
            tags << QString::fromStdString(t);
        a << QStringLiteral("--tags") << tags.join(QLatin1Char(','));
    }
    return a;
}

void TrainPage::updateCommand()
{
    const QString error = validationError();
    m_error->setText(error);
    m_start->setEnabled(error.isEmpty() && controller()->isOpen());
    m_cluster->setEnabled(error.isEmpty() && controller()->isOpen());
    m_sweep->setEnabled(error.isEmpty() && controller()->isOpen());
    QStringList shown;
    for (const QString& a : trainArguments())
        shown << (a.contains(QLatin1Char(' ')) ? QStringLiteral("'%1'").arg(a) : a);
    m_commandView->setPlainText(QStringLiteral("ssondo ") + shown.join(QLatin1Char(' ')));
}

void TrainPage::refresh()
{
    fillSources();
    fillRuns();
}

/// The embedding sets and clusterings of the workspace, as the choices of their config keys; when
/// none is chosen yet, the newest set and its newest clustering.
void TrainPage::fillSources()
{
    Workspace* ws = controller()->workspace();
    if (!ws || m_fillingSources)
        return;
    m_fillingSources = true;
    try {
        std::vector<std::pair<QString, qlonglong>> sets{{tr("choose…"), 0}}, clusterings{{tr("none"), 0}};
        for (const auto& s : EmbeddingCatalog(ws->database()).list())
            if (s.teacherKind != "student" && s.usable())
                sets.emplace_back(
                    tr("set %1 · %2 · %3-d").arg(s.id).arg(QString::fromStdString(s.datasetName)).arg(s.dim),
                    qlonglong(s.id));
        if (config().embeddings <= 0 && sets.size() > 1)
            m_form->setValue(QStringLiteral("data.embeddings"), QString::number(sets.back().second));
        for (const auto& c : ClusteringCatalog(ws->database()).list())
            if (c.embeddingSetId == config().embeddings)
                clusterings.emplace_back(tr("#%1 · k %2").arg(c.id).arg(c.k), qlonglong(c.id));
        m_form->setChoices(QStringLiteral("data.embeddings"), sets);
        m_form->setChoices(QStringLiteral("sampler.clustering"), clusterings);
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromUtf8(e.what()));
    }
    m_fillingSources = false;
    updateCommand();
}

/// A dataset whose clips are all shorter than the reference's 10 s trains on clips of their
/// length (rounded up to 0.1 s, at least 1 s), unless the user chose a length; the note says so.
void TrainPage::adaptClipLength()
{
    Workspace* ws = controller()->workspace();
    m_note->clear();
    if (!ws || m_clipChosenByUser || config().embeddings <= 0)
        return;
    try {
        const auto set = EmbeddingCatalog(ws->database()).find(config().embeddings);
        if (!set)
            return;
        DatasetCatalog datasets(ws->database());
        double longest = 0;
        for (const auto& c : datasets.clips(set->datasetId))
            if (c.sampleRate > 0)
                longest = std::max(longest, double(c.frames) / c.sampleRate);
        const double chosen = std::clamp(std::ceil(longest * 10 - 1e-9) / 10, 1.0, TrainConfig{}.clipSeconds);
        m_adaptingClip = true;
        m_form->setValue(QStringLiteral("data.clip_seconds"), QString::number(chosen));
        m_adaptingClip = false;
        if (chosen < TrainConfig{}.clipSeconds)
            m_note->setText(
                tr("Clip length %1 s: every clip of '%2' is at most %3 s long (the reference's 10 s "
                   "would be mostly padding). Set data.clip_seconds to choose another.")
                    .arg(chosen)
                    .arg(QString::fromStdString(set->datasetName))
                    .arg(longest, 0, 'f', 2));
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromUtf8(e.what()));
    }
}

void TrainPage::saveToml()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save run config"), QStringLiteral("run.toml"),
                                                      tr("TOML (*.toml)"));
    if (file.isEmpty())
        return;
    try {
        std::ofstream out(file.toStdString());
        out << config().toToml(true);
        if (!out)
            throw Error(file.toStdString() + ": write failed");
    } catch (const std::exception& e) {
        m_error->setText(QString::fromUtf8(e.what()));
    }
}

void TrainPage::loadToml()
{
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Load run config"), QString(), tr("TOML (*.toml)"));
    if (!file.isEmpty())
        loadTomlFile(file);
}

void TrainPage::loadTomlFile(const QString& file)
{
    try {
        m_clipChosenByUser = true; // the file says what it wants
        setConfig(TrainConfig::fromFile(file.toStdString()));
        m_note->setText(tr("Loaded %1").arg(file));
    } catch (const std::exception& e) {
        m_error->setText(QString::fromUtf8(e.what()));
    }
}

} // namespace ssondo::ui

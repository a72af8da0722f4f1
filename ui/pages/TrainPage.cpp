#include "pages/TrainPage.h"

#include "WorkspaceController.h"
#include "clustering/ClusteringCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "distill/TrainConfig.h"
#include "experiments/RunLog.h"
#include "jobs/JobLog.h"
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
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QSysInfo>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
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
    auto* formWidget = new QWidget(this);
    buildForm(formWidget);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(formWidget);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(360);

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
    auto* right = new QWidget(this);
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    rl->addLayout(controls);
    rl->addWidget(m_progress);
    rl->addWidget(plots, 1);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
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
}

TrainPage::~TrainPage() = default;

void TrainPage::buildForm(QWidget* w)
{
    auto* layout = new QVBoxLayout(w);
    auto group = [&](const QString& title) {
        auto* box = new QGroupBox(title, w);
        auto* f = new QFormLayout(box);
        layout->addWidget(box);
        return f;
    };
    auto* data = group(tr("Teacher embeddings"));
    m_embeddings = new QComboBox(w);
    m_clustering = new QComboBox(w);
    m_clipSeconds = new QDoubleSpinBox(w);
    m_clipSeconds->setRange(1, 60);
    m_clipSeconds->setSuffix(tr(" s"));
    data->addRow(tr("Embedding set"), m_embeddings);
    data->addRow(tr("Clustering"), m_clustering);
    data->addRow(tr("Clip length"), m_clipSeconds);
    auto* student = group(tr("Student and mapping head"));
    m_arch = combo(w, {"mn10", "dymn10", "eres2net"});
    m_width = new QDoubleSpinBox(w);
    m_width->setRange(0.1, 4);
    m_width->setSingleStep(0.1);
    m_mChannels = new QSpinBox(w);
    m_mChannels->setRange(4, 256);
    m_headHidden = new QSpinBox(w);
    m_headHidden->setRange(16, 8192);
    m_headDropout = new QDoubleSpinBox(w);
    m_headDropout->setRange(0, 0.9);
    m_headDropout->setSingleStep(0.05);
    student->addRow(tr("Architecture"), m_arch);
    student->addRow(tr("Width"), m_width);
    student->addRow(tr("ERes2Net channels"), m_mChannels);
    student->addRow(tr("Head hidden units"), m_headHidden);
    student->addRow(tr("Head dropout"), m_headDropout);
    auto* loss = group(tr("Loss and sampling"));
    m_loss = combo(w, {"cosine", "mse", "l1", "kl", "clap", "cluster_contrastive"});
    m_temperature = new QDoubleSpinBox(w);
    m_temperature->setRange(0.001, 10);
    m_temperature->setDecimals(3);
    m_sampler = combo(w, {"uniform", "balanced"});
    loss->addRow(tr("Loss"), m_loss);
    loss->addRow(tr("Temperature"), m_temperature);
    loss->addRow(tr("Sampler"), m_sampler);
    auto* optim = group(tr("Optimisation"));
    m_optimizer = combo(w, {"adam", "adamw", "sgd"});
    m_lr = new QLineEdit(w);
    m_weightDecay = new QLineEdit(w);
    m_schedule = combo(w, {"reference", "cosine", "constant"});
    m_warmup = new QDoubleSpinBox(w);
    m_warmup->setRange(0, 1000);
    m_epochs = new QSpinBox(w);
    m_epochs->setRange(1, 100000);
    m_batch = new QSpinBox(w);
    m_batch->setRange(1, 4096);
    m_samplesPerEpoch = new QSpinBox(w);
    m_samplesPerEpoch->setRange(0, 100000000);
    m_samplesPerEpoch->setSpecialValueText(tr("one pass"));
    optim->addRow(tr("Optimizer"), m_optimizer);
    optim->addRow(tr("Learning rate"), m_lr);
    optim->addRow(tr("Weight decay"), m_weightDecay);
    optim->addRow(tr("Schedule"), m_schedule);
    optim->addRow(tr("Warm-up epochs"), m_warmup);
    optim->addRow(tr("Epochs"), m_epochs);
    optim->addRow(tr("Batch size"), m_batch);
    optim->addRow(tr("Clips per epoch"), m_samplesPerEpoch);
    auto* other = group(tr("Augmentation and run"));
    m_mixup = new QDoubleSpinBox(w);
    m_mixup->setRange(0, 10);
    m_specAugment = new QCheckBox(tr("SpecAugment"), w);
    m_seed = new QSpinBox(w);
    m_seed->setRange(0, 1 << 30);
    m_device = combo(w, {"auto", "cpu", "cuda"});
    m_name = new QLineEdit(w);
    m_name->setPlaceholderText(tr("generated"));
    m_tags = new QLineEdit(w);
    m_tags->setPlaceholderText(tr("comma-separated"));
    other->addRow(tr("Mixup alpha"), m_mixup);
    other->addRow(QString(), m_specAugment);
    other->addRow(tr("Seed"), m_seed);
    other->addRow(tr("Device"), m_device);
    other->addRow(tr("Run name"), m_name);
    other->addRow(tr("Tags"), m_tags);

    m_error = new QLabel(w);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_commandView = new QPlainTextEdit(w);
    m_commandView->setReadOnly(true);
    m_commandView->setMaximumHeight(90);
    m_commandView->setObjectName(QStringLiteral("trainCommand"));
    m_start = new QPushButton(tr("Start"), w);
    m_stop = new QPushButton(tr("Stop"), w);
    m_resume = new QPushButton(tr("Resume"), w);
    auto* save = new QPushButton(tr("Save TOML…"), w);
    auto* load = new QPushButton(tr("Load TOML…"), w);
    auto* defaults = new QPushButton(tr("Paper defaults"), w);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    m_cluster = new QPushButton(tr("Run on cluster…"), w);
    m_cluster->setObjectName(QStringLiteral("trainOnCluster"));
    m_cluster->setToolTip(tr("Submit the same run to Slurm: data-parallel over nodes × ranks"));
    buttons->addWidget(m_cluster);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_resume);
    auto* files = new QHBoxLayout;
    files->addWidget(save);
    files->addWidget(load);
    files->addWidget(defaults);
    layout->addWidget(m_error);
    layout->addWidget(new QLabel(tr("Equivalent command:"), w));
    layout->addWidget(m_commandView);
    layout->addLayout(buttons);
    layout->addLayout(files);
    layout->addStretch(1);

    connect(m_start, &QPushButton::clicked, this, &TrainPage::start);
    connect(m_cluster, &QPushButton::clicked, this, [this] {
        const QString error = validationError();
        if (!error.isEmpty()) {
            m_error->setText(error);
            return;
        }
        const QStringList args = ClusterRunDialog::ask(QStringLiteral("train"), trainArguments(), this);
        if (!args.isEmpty())
            Q_EMIT runCommand(args, QStringLiteral("slurm"), m_embeddings->currentText());
    });
    connect(m_stop, &QPushButton::clicked, this, &TrainPage::stop);
    connect(m_resume, &QPushButton::clicked, this, &TrainPage::resume);
    connect(save, &QPushButton::clicked, this, &TrainPage::saveToml);
    connect(load, &QPushButton::clicked, this, &TrainPage::loadToml);
    connect(defaults, &QPushButton::clicked, this, [this] {
        TrainConfig c;
        c.embeddings = m_embeddings->currentData().toLongLong();
        setConfig(c);
    });
    for (auto* c : w->findChildren<QComboBox*>())
        connect(c, &QComboBox::currentIndexChanged, this, &TrainPage::updateCommand);
    for (auto* s : w->findChildren<QSpinBox*>())
        connect(s, &QSpinBox::valueChanged, this, &TrainPage::updateCommand);
    for (auto* s : w->findChildren<QDoubleSpinBox*>())
        connect(s, &QDoubleSpinBox::valueChanged, this, &TrainPage::updateCommand);
    for (auto* e : w->findChildren<QLineEdit*>())
        connect(e, &QLineEdit::textChanged, this, &TrainPage::updateCommand);
    connect(m_specAugment, &QCheckBox::toggled, this, &TrainPage::updateCommand);
    connect(m_embeddings, &QComboBox::currentIndexChanged, this, &TrainPage::fillSources);
}

TrainConfig TrainPage::config() const
{
    TrainConfig c;
    c.embeddings = m_embeddings->currentData().toLongLong();
    c.clustering = m_clustering->currentData().toLongLong();
    c.clipSeconds = m_clipSeconds->value();
    c.arch = m_arch->currentText().toStdString();
    c.width = m_width->value();
    c.mChannels = m_mChannels->value();
    c.headHidden = m_headHidden->value();
    c.headDropout = m_headDropout->value();
    c.loss = m_loss->currentText().toStdString();
    c.temperature = m_temperature->value();
    c.sampler = m_sampler->currentText().toStdString();
    c.optimizer = m_optimizer->currentText().toStdString();
    c.set("optim.lr", m_lr->text().trimmed().toStdString());
    c.set("optim.weight_decay", m_weightDecay->text().trimmed().toStdString());
    c.schedule = m_schedule->currentText().toStdString();
    c.warmupEpochs = m_warmup->value();
    c.epochs = m_epochs->value();
    c.batchSize = m_batch->value();
    c.samplesPerEpoch = m_samplesPerEpoch->value();
    c.mixup = m_mixup->value();
    c.specAugment = m_specAugment->isChecked();
    c.seed = m_seed->value();
    c.device = m_device->currentText().toStdString();
    c.name = m_name->text().trimmed().toStdString();
    c.tags.clear();
    for (const QString& t : m_tags->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        c.tags.push_back(t.trimmed().toStdString());
    return c;
}

void TrainPage::setConfig(const TrainConfig& c)
{
    const QSignalBlocker b(this);
    auto setCombo = [](QComboBox* box, const std::string& v) {
        const int i = box->findText(QString::fromStdString(v));
        if (i >= 0)
            box->setCurrentIndex(i);
    };
    const int e = m_embeddings->findData(qlonglong(c.embeddings));
    if (e >= 0)
        m_embeddings->setCurrentIndex(e);
    const int k = m_clustering->findData(qlonglong(c.clustering));
    if (k >= 0)
        m_clustering->setCurrentIndex(k);
    m_clipSeconds->setValue(c.clipSeconds);
    setCombo(m_arch, c.arch);
    m_width->setValue(c.width);
    m_mChannels->setValue(int(c.mChannels));
    m_headHidden->setValue(int(c.headHidden));
    m_headDropout->setValue(c.headDropout);
    setCombo(m_loss, c.loss);
    m_temperature->setValue(c.temperature);
    setCombo(m_sampler, c.sampler);
    setCombo(m_optimizer, c.optimizer);
    m_lr->setText(QString::number(c.lr, 'g', 6));
    m_weightDecay->setText(QString::number(c.weightDecay, 'g', 6));
    setCombo(m_schedule, c.schedule);
    m_warmup->setValue(c.warmupEpochs);
    m_epochs->setValue(int(c.epochs));
    m_batch->setValue(int(c.batchSize));
    m_samplesPerEpoch->setValue(int(c.samplesPerEpoch));
    m_mixup->setValue(c.mixup);
    m_specAugment->setChecked(c.specAugment);
    m_seed->setValue(int(c.seed));
    setCombo(m_device, c.device);
    m_name->setText(QString::fromStdString(c.name));
    QStringList tags;
    for (const auto& t : c.tags)
        tags << QString::fromStdString(t);
    m_tags->setText(tags.join(QStringLiteral(", ")));
    updateCommand();
}

QString TrainPage::validationError() const
{
    try {
        const TrainConfig c = config();
        if (c.embeddings <= 0)
            return tr("Choose the teacher embeddings (extract them on the Teacher page first).");
        if ((c.sampler == "balanced" || c.loss == "cluster_contrastive") && c.clustering <= 0)
            return tr("The balanced sampler and the cluster-aware loss need a clustering (Clusters page).");
        c.validate();
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QStringList TrainPage::trainArguments() const
{
    QStringList a{QStringLiteral("train")};
    TrainConfig c;
    try {
        c = config();
    } catch (const std::exception&) {
        return a;
    }
    const TrainConfig defaults;
    for (const auto& key : c.differences(defaults)) {
        if (key == "name" || key == "tags")
            continue;
        a << QStringLiteral("--set") << QString::fromStdString(key + "=" + c.valueText(key, true));
    }
    if (!c.name.empty())
        a << QStringLiteral("--name") << QString::fromStdString(c.name);
    if (!c.tags.empty())
        a << QStringLiteral("--tags") << m_tags->text().remove(QLatin1Char(' '));
    return a;
}

void TrainPage::updateCommand()
{
    const QString error = validationError();
    m_error->setText(error);
    m_start->setEnabled(error.isEmpty() && controller()->isOpen());
    m_cluster->setEnabled(error.isEmpty() && controller()->isOpen());
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

void TrainPage::fillSources()
{
    Workspace* ws = controller()->workspace();
    if (!ws)
        return;
    const qlonglong keepSet = m_embeddings->currentData().toLongLong();
    const qlonglong keepClustering = m_clustering->currentData().toLongLong();
    {
        const QSignalBlocker b(m_embeddings);
        m_embeddings->clear();
        for (const auto& s : EmbeddingCatalog(ws->database()).list())
            if (s.teacherKind != "student" && s.usable())
                m_embeddings->addItem(
                    tr("set %1 · %2 · %3-d").arg(s.id).arg(QString::fromStdString(s.datasetName)).arg(s.dim),
                    qlonglong(s.id));
        const int i = m_embeddings->findData(keepSet);
        m_embeddings->setCurrentIndex(i >= 0 ? i : (m_embeddings->count() ? 0 : -1));
    }
    {
        const QSignalBlocker b(m_clustering);
        m_clustering->clear();
        m_clustering->addItem(tr("none"), qlonglong(0));
        for (const auto& c : ClusteringCatalog(ws->database()).list())
            if (c.embeddingSetId == m_embeddings->currentData().toLongLong())
                m_clustering->addItem(tr("#%1 · k %2").arg(c.id).arg(c.k), qlonglong(c.id));
        const int i = m_clustering->findData(keepClustering);
        m_clustering->setCurrentIndex(i >= 0 ? i : (m_clustering->count() > 1 ? 1 : 0));
    }
    updateCommand();
}

void TrainPage::saveToml()
{
    const QString file = QFileDialog::getSaveFileName(this, tr("Save run config"), QStringLiteral("run.toml"),
                                                      tr("TOML (*.toml)"));
    if (file.isEmpty())
        return;
    try {
        std::ofstream(file.toStdString()) << config().toToml(true);
    } catch (const std::exception& e) {
        m_error->setText(QString::fromUtf8(e.what()));
    }
}

void TrainPage::loadToml()
{
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Load run config"), QString(), tr("TOML (*.toml)"));
    if (file.isEmpty())
        return;
    try {
        setConfig(TrainConfig::fromFile(file.toStdString()));
    } catch (const std::exception& e) {
        m_error->setText(QString::fromUtf8(e.what()));
    }
}

} // namespace ssondo::ui

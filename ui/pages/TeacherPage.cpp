// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/TeacherPage.h"

#include "WorkspaceController.h"
#include "audio/ClipLoader.h"
#include "data/DatasetCatalog.h"
#include "data/EmbeddingCatalog.h"
#include "data/EmbeddingStore.h"
#include "experiments/RunLog.h"
#include "plots/HistogramPlot.h"
#include "plots/QCustomPlotInclude.h"
#include "teachers/Teacher.h"
#include "util/Hash.h"
#include "workspace/Workspace.h"

#include <ATen/ATen.h>

#include <QButtonGroup>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>

#include "jobs/ClusterRunDialog.h"
#include <QRadioButton>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QVBoxLayout>

#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace ssondo::ui {

namespace {

enum Kind { Demo = 0, TorchScript = 1, Precomputed = 2 };

/// Loads a teacher and embeds one clip with it; runs on a worker thread (a ViT teacher takes
/// seconds to load). Returns rich text.
QString inspectTeacher(const QString& source, const QString& clip, const QString& clipName, bool* ok)
{
    *ok = false;
    try {
        TeacherSpec spec;
        spec.source = source.toStdString();
        QElapsedTimer t;
        t.start();
        auto teacher = openTeacher(spec);
        const double loadMs = double(t.nsecsElapsed()) / 1e6;
        QString text = QObject::tr("<b>%1</b><br>kind %2 · identity <code>%3</code>")
                           .arg(QString::fromStdString(teacher->description()).toHtmlEscaped(),
                                QString::fromStdString(teacherKindName(teacher->kind())),
                                QString::fromStdString(teacher->identity()));
        if (teacher->kind() != TeacherKind::Precomputed)
            text +=
                QObject::tr("<br>%1 Hz · %2 s windows · %3-d embeddings · %4 parameters · loaded in %5 ms")
                    .arg(teacher->sampleRate())
                    .arg(teacher->windowSeconds())
                    .arg(teacher->embeddingDim())
                    .arg(QLocale().toString(qlonglong(teacher->parameterCount())))
                    .arg(loadMs, 0, 'f', 0);
        else
            text += QObject::tr("<br>%1-d precomputed embeddings").arg(teacher->embeddingDim());
        const QFileInfo fi(source);
        if (fi.isFile())
            text += QObject::tr("<br>file %1 MB · SHA-256 <code>%2</code>")
                        .arg(double(fi.size()) / 1e6, 0, 'f', 2)
                        .arg(QString::fromStdString(sha256File(source.toStdString())));
        if (clip.isEmpty()) {
            text += QObject::tr("<br>No clip to check it on: add a dataset first.");
            *ok = true;
            return text;
        }
        t.restart();
        at::Tensor e;
        if (teacher->kind() == TeacherKind::Precomputed) {
            auto found = teacher->lookup(clipName.toStdString());
            if (!found)
                return text + QObject::tr("<br><font color=#b00020>No precomputed embedding for %1.</font>")
                                  .arg(clipName.toHtmlEscaped());
            e = *found;
        } else {
            const at::Tensor segments =
                loadSegments(clip.toStdString(), teacher->sampleRate(), teacher->windowSeconds());
            e = teacher->embed(segments).mean(0);
        }
        const double ms = double(t.nsecsElapsed()) / 1e6;
        const bool finite = at::isfinite(e).all().item<bool>();
        text +=
            QObject::tr("<br>Live check on <i>%1</i>: %2-d output, norm %3, %4 in %5 ms")
                .arg(clipName.toHtmlEscaped())
                .arg(e.numel())
                .arg(e.norm().item<double>(), 0, 'f', 3)
                .arg(finite ? QObject::tr("finite") : QObject::tr("<font color=#b00020>NOT finite</font>"))
                .arg(ms, 0, 'f', 0);
        *ok = finite;
        return text;
    } catch (const std::exception& ex) {
        return QObject::tr("<font color=#b00020>%1</font>").arg(QString::fromUtf8(ex.what()).toHtmlEscaped());
    } catch (...) {
        return QObject::tr("<font color=#b00020>The teacher failed with an unknown error.</font>");
    }
}

QTableWidgetItem* cell(const QString& text, bool number = false)
{
    auto* item = new QTableWidgetItem(text);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

TeacherPage::TeacherPage(WorkspaceController* controller, QWidget* parent)
    : Page(controller, parent), m_kind(new QButtonGroup(this)), m_path(new QLineEdit(this)),
      m_browse(new QPushButton(tr("Browse…"), this)), m_inspect(new QPushButton(tr("Inspect"), this)),
      m_info(new QLabel(this)), m_dataset(new QComboBox(this)), m_dtype(new QComboBox(this)),
      m_extract(new QPushButton(tr("Extract embeddings"), this)), m_command(new QLabel(this)),
      m_sets(new QTableWidget(this)), m_stats(new QLabel(this)), m_norms(new HistogramPlot(this)),
      m_variance(new QCustomPlot(this))
{
    auto* demo = new QRadioButton(tr("Demo teacher"), this);
    auto* script = new QRadioButton(tr("TorchScript file (.pt)"), this);
    auto* pre = new QRadioButton(tr("Precomputed embeddings (folder of .npz, or .npy)"), this);
    m_kind->addButton(demo, Demo);
    m_kind->addButton(script, TorchScript);
    m_kind->addButton(pre, Precomputed);
    demo->setChecked(true);
    m_path->setPlaceholderText(tr("path of the teacher file or folder"));
    m_info->setTextFormat(Qt::RichText);
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setObjectName(QStringLiteral("teacherInfo"));

    auto* teacherBox = new QGroupBox(tr("Teacher"), this);
    auto* tl = new QVBoxLayout(teacherBox);
    auto* kinds = new QHBoxLayout;
    kinds->addWidget(demo);
    kinds->addWidget(script);
    kinds->addWidget(pre);
    kinds->addStretch(1);
    tl->addLayout(kinds);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    pathRow->addWidget(m_inspect);
    tl->addLayout(pathRow);
    tl->addWidget(m_info);

    m_dtype->addItem(QStringLiteral("float32"));
    m_dtype->addItem(QStringLiteral("float16"));
    m_dtype->setToolTip(tr("float16 halves the store on disk"));
    auto* extractBox = new QGroupBox(tr("Extract"), this);
    auto* el = new QVBoxLayout(extractBox);
    auto* er = new QHBoxLayout;
    er->addWidget(new QLabel(tr("Dataset:"), this));
    er->addWidget(m_dataset, 1);
    er->addWidget(m_dtype);
    er->addWidget(m_extract);
    m_cluster = new QPushButton(tr("Run on cluster…"), this);
    m_cluster->setObjectName(QStringLiteral("extractOnCluster"));
    m_cluster->setToolTip(tr("Submit the same extraction to Slurm as a job array of shards and a merge job"));
    er->addWidget(m_cluster);
    el->addLayout(er);
    m_command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    el->addWidget(m_command);

    const QStringList headers{tr("set"),   tr("dataset"), tr("teacher"), tr("kind"),  tr("dim"),
                              tr("dtype"), tr("clips"),   tr("failed"),  tr("state"), tr("on disk")};
    m_sets->setColumnCount(headers.size());
    m_sets->setHorizontalHeaderLabels(headers);
    m_sets->verticalHeader()->setVisible(false);
    m_sets->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sets->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_sets->setSelectionMode(QAbstractItemView::SingleSelection);
    m_sets->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_sets->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_sets->setObjectName(QStringLiteral("embeddingSets"));
    m_stats->setTextFormat(Qt::RichText);
    m_stats->setWordWrap(true);
    m_norms->setTitle(tr("Embedding norms"));
    m_norms->plot()->yAxis->setLabel(tr("clips"));
    m_norms->plot()->xAxis->setLabel(tr("L2 norm"));
    m_variance->xAxis->setLabel(tr("dimension (sorted by variance)"));
    m_variance->yAxis->setLabel(tr("variance"));
    m_variance->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_variance->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_variance->addGraph();
    m_variance->graph(0)->setPen(QPen(QColor(0x2c, 0x6f, 0xbb), 1.5));
    m_variance->setMinimumHeight(180);

    auto* statsRow = new QSplitter(Qt::Horizontal, this);
    statsRow->addWidget(m_norms);
    statsRow->addWidget(m_variance);
    auto* setsBox = new QGroupBox(tr("Embedding sets in this workspace"), this);
    auto* sl = new QVBoxLayout(setsBox);
    m_remove = new QPushButton(tr("Remove set…"), this);
    m_remove->setObjectName(QStringLiteral("removeSet"));
    m_remove->setToolTip(tr("Remove the selected embedding set with its clusterings, maps and files"));
    m_remove->setEnabled(false);
    auto* setsBar = new QHBoxLayout;
    setsBar->addStretch(1);
    setsBar->addWidget(m_remove);
    sl->addLayout(setsBar);
    auto* setsSplit = new QSplitter(Qt::Vertical, this);
    setsSplit->addWidget(m_sets);
    auto* statsWidget = new QWidget(this);
    auto* swl = new QVBoxLayout(statsWidget);
    swl->setContentsMargins(0, 0, 0, 0);
    swl->addWidget(m_stats);
    swl->addWidget(statsRow, 1);
    setsSplit->addWidget(statsWidget);
    sl->addWidget(setsSplit);
    rememberSplitter(setsSplit, QStringLiteral("setsAndStats"));
    rememberSplitter(statsRow, QStringLiteral("normsAndVariance"));

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(teacherBox);
    layout->addWidget(extractBox);
    layout->addWidget(setsBox, 1);

    connect(m_kind, &QButtonGroup::idToggled, this, [this](int, bool on) {
        if (!on)
            return;
        const bool needsPath = m_kind->checkedId() != Demo;
        m_path->setEnabled(needsPath);
        m_browse->setEnabled(needsPath);
        updateCommand();
    });
    connect(m_path, &QLineEdit::textChanged, this, &TeacherPage::updateCommand);
    connect(m_dataset, &QComboBox::currentTextChanged, this, &TeacherPage::updateCommand);
    connect(m_dtype, &QComboBox::currentTextChanged, this, &TeacherPage::updateCommand);
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString p =
            m_kind->checkedId() == TorchScript
                ? QFileDialog::getOpenFileName(this, tr("TorchScript teacher"), m_path->text(),
                                               tr("TorchScript (*.pt *.pth);;All files (*)"))
                : QFileDialog::getExistingDirectory(this, tr("Precomputed embeddings"), m_path->text());
        if (!p.isEmpty())
            m_path->setText(p);
    });
    connect(m_inspect, &QPushButton::clicked, this, &TeacherPage::inspect);
    connect(m_extract, &QPushButton::clicked, this, [this] {
        if (!m_dataset->currentText().isEmpty())
            Q_EMIT runCommand(extractCommand(), QStringLiteral("extract"), m_dataset->currentText());
    });
    connect(m_cluster, &QPushButton::clicked, this, [this] {
        if (m_dataset->currentText().isEmpty())
            return;
        const QStringList args = ClusterRunDialog::ask(QStringLiteral("extract"), extractCommand(), this);
        if (!args.isEmpty())
            Q_EMIT runCommand(args, QStringLiteral("slurm"), m_dataset->currentText());
    });
    connect(m_sets, &QTableWidget::itemSelectionChanged, this, &TeacherPage::showSetStats);
    connect(m_sets, &QTableWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_sets->selectionModel()->selectedRows().isEmpty()); });
    connect(m_remove, &QPushButton::clicked, this, &TeacherPage::removeSelectedSet);
    m_path->setEnabled(false);
    m_browse->setEnabled(false);
    m_info->setText(tr("Press <i>Inspect</i> to load the teacher and check it on one clip."));
    updateCommand();
}

QString TeacherPage::teacherSource() const
{
    return m_kind->checkedId() == Demo ? QStringLiteral("demo") : m_path->text().trimmed();
}

void TeacherPage::setTeacherSource(const QString& source)
{
    if (source == QStringLiteral("demo")) {
        m_kind->button(Demo)->setChecked(true);
        m_path->clear();
    } else {
        m_kind
            ->button(QFileInfo(source).isDir() || source.endsWith(QStringLiteral(".npy")) ? Precomputed
                                                                                          : TorchScript)
            ->setChecked(true);
        m_path->setText(source);
    }
}

QStringList TeacherPage::extractCommand() const
{
    QStringList a{QStringLiteral("extract"), QStringLiteral("--dataset"), m_dataset->currentText(),
                  QStringLiteral("--teacher"), teacherSource()};
    if (m_dtype->currentText() != QStringLiteral("float32"))
        a << QStringLiteral("--dtype") << m_dtype->currentText();
    return a;
}

void TeacherPage::updateCommand()
{
    const bool ok = !m_dataset->currentText().isEmpty() && !teacherSource().isEmpty();
    m_extract->setEnabled(ok);
    m_cluster->setEnabled(ok);
    m_inspect->setEnabled(!teacherSource().isEmpty());
    m_command->setText(ok ? QStringLiteral("<code>ssondo %1</code>")
                                .arg(extractCommand().join(QLatin1Char(' ')).toHtmlEscaped())
                          : tr("Choose a teacher and a dataset."));
}

void TeacherPage::inspect()
{
    const QString source = teacherSource();
    QString clip, clipName;
    if (Workspace* ws = controller()->workspace()) {
        try {
            DatasetCatalog datasets(ws->database());
            if (const auto ds = datasets.find(m_dataset->currentText().toStdString()))
                for (const auto& c : datasets.clips(ds->id))
                    if (c.readable()) {
                        clip =
                            QDir(QString::fromStdString(ds->root)).filePath(QString::fromStdString(c.path));
                        clipName = QString::fromStdString(c.path);
                        break;
                    }
        } catch (const std::exception&) {
        }
    }
    // A TorchScript file is a program: loading it runs its code. Say so for files from outside the workspace.
    QString warning;
    if (m_kind->checkedId() == TorchScript && controller()->workspace()) {
        const QString ws = QDir(QString::fromStdString(controller()->workspace()->dir())).canonicalPath();
        const QString file = QFileInfo(source).canonicalFilePath();
        if (!file.startsWith(ws + QLatin1Char('/')))
            warning =
                tr("<font color=#b26a00>%1 is outside the workspace. Loading a TorchScript file runs the code "
                   "inside it: load only files you trust.</font><br>")
                    .arg(source.toHtmlEscaped());
    }
    m_info->setText(warning + tr("Loading %1 …").arg(source.toHtmlEscaped()));
    m_inspect->setEnabled(false);
    const int generation = ++m_inspectGeneration;
    QPointer<TeacherPage> self(this);
    QThread* worker = QThread::create([self, source, clip, clipName, generation, warning] {
        bool ok = false;
        const QString text = warning + inspectTeacher(source, clip, clipName, &ok);
        QMetaObject::invokeMethod(
            qApp,
            [self, ok, text, generation] {
                if (!self || generation != self->m_inspectGeneration)
                    return; // the page is gone or a newer inspection runs
                self->m_info->setText(text);
                self->m_inspect->setEnabled(true);
                Q_EMIT self->inspected(ok, text);
            },
            Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void TeacherPage::refresh()
{
    fillDatasets();
    fillSets();
}

void TeacherPage::fillDatasets()
{
    Workspace* ws = controller()->workspace();
    const QString keep = m_dataset->currentText();
    const QSignalBlocker block(m_dataset);
    m_dataset->clear();
    if (ws) {
        try {
            for (const auto& d : DatasetCatalog(ws->database()).list())
                m_dataset->addItem(QString::fromStdString(d.name));
        } catch (const std::exception& e) {
            Q_EMIT statusMessage(QString::fromUtf8(e.what()));
        }
    }
    const int i = m_dataset->findText(keep);
    m_dataset->setCurrentIndex(i >= 0 ? i : (m_dataset->count() ? 0 : -1));
    updateCommand();
}

void TeacherPage::fillSets()
{
    Workspace* ws = controller()->workspace();
    const std::int64_t keep = m_shownSet;
    const QSignalBlocker block(m_sets);
    m_sets->setRowCount(0);
    if (!ws)
        return;
    std::vector<EmbeddingSetRecord> sets;
    try {
        sets = EmbeddingCatalog(ws->database()).list();
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromUtf8(e.what()));
        return;
    }
    m_sets->setRowCount(int(sets.size()));
    int keepRow = sets.empty() ? -1 : 0;
    for (int r = 0; r < int(sets.size()); ++r) {
        const auto& s = sets[size_t(r)];
        std::error_code ec;
        std::uintmax_t bytes = 0; // the set's folder on disk
        for (const auto& f : fs::directory_iterator(fs::path(ws->dir()) / s.path, ec))
            if (std::error_code fec; f.is_regular_file(fec))
                bytes += std::max<std::uintmax_t>(0, f.file_size(fec));
        auto* id = cell(QString::number(s.id), true);
        id->setData(Qt::UserRole, qlonglong(s.id));
        m_sets->setItem(r, 0, id);
        m_sets->setItem(r, 1, cell(QString::fromStdString(s.datasetName)));
        m_sets->setItem(r, 2, cell(QString::fromStdString(s.teacherDescription)));
        m_sets->item(r, 2)->setToolTip(QString::fromStdString(s.teacherSource + "\n" + s.teacherIdentity));
        m_sets->setItem(r, 3, cell(QString::fromStdString(s.teacherKind)));
        m_sets->setItem(r, 4, cell(QString::number(s.dim), true));
        m_sets->setItem(r, 5, cell(QString::fromStdString(s.dtype)));
        m_sets->setItem(r, 6, cell(QStringLiteral("%1 / %2").arg(s.done).arg(s.rows), true));
        m_sets->setItem(r, 7, cell(QString::number(s.failed), true));
        auto* state = cell(QString::fromStdString(embeddingSetStates().nameOf(s.state)));
        state->setToolTip(QString::fromStdString(
            s.reason.empty() ? std::string(embeddingSetStates().of(s.state).description) : s.reason));
        if (!s.usable())
            state->setForeground(QColor(0xb0, 0x00, 0x20));
        m_sets->setItem(r, 8, state);
        m_sets->setItem(
            r, 9,
            cell(ec ? QStringLiteral("-") : QStringLiteral("%1 MB").arg(double(bytes) / 1e6, 0, 'f', 1),
                 true));
        if (s.id == keep)
            keepRow = r;
    }
    if (keepRow >= 0)
        m_sets->selectRow(keepRow);
    m_remove->setEnabled(keepRow >= 0);
    m_shownSet = -1; // counts may have changed: recompute the statistics
    showSetStats();
}

void TeacherPage::removeSelectedSet()
{
    Workspace* ws = controller()->workspace();
    const auto rows = m_sets->selectionModel()->selectedRows();
    if (!ws || rows.isEmpty())
        return;
    const std::int64_t id = m_sets->item(rows.first().row(), 0)->data(Qt::UserRole).toLongLong();
    QStringList users;
    try {
        for (const auto& r : RunLog(ws->database()).list())
            if (r.embeddingSetId == id)
                users << QStringLiteral("%1 '%2'").arg(r.id).arg(QString::fromStdString(r.name));
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromUtf8(e.what()));
        return;
    }
    QString text = tr("Remove embedding set %1 with its clusterings, maps and files (%2)?")
                       .arg(id)
                       .arg(m_sets->item(rows.first().row(), 9)->text());
    if (!users.isEmpty())
        text += QStringLiteral("\n\n") +
                tr("Runs trained on it keep their curves and results but can no longer be resumed: %1.")
                    .arg(users.join(QStringLiteral(", ")));
    if (QMessageBox::question(this, tr("Remove embedding set"), text) != QMessageBox::Yes)
        return;
    QStringList args{QStringLiteral("embeddings"), QStringLiteral("remove"), QString::number(id)};
    if (!users.isEmpty())
        args << QStringLiteral("--force");
    Q_EMIT runCommand(args, QStringLiteral("remove"), tr("set %1").arg(id));
}

void TeacherPage::selectEmbeddingSet(std::int64_t id)
{
    for (int r = 0; r < m_sets->rowCount(); ++r)
        if (m_sets->item(r, 0)->data(Qt::UserRole).toLongLong() == id)
            m_sets->selectRow(r);
}

void TeacherPage::showSetStats()
{
    Workspace* ws = controller()->workspace();
    const auto rows = m_sets->selectionModel()->selectedRows();
    if (!ws || rows.isEmpty()) {
        m_stats->setText(tr("Select an embedding set to see its statistics."));
        return;
    }
    const std::int64_t id = m_sets->item(rows.first().row(), 0)->data(Qt::UserRole).toLongLong();
    if (id == m_shownSet)
        return;
    m_shownSet = id;
    try {
        const EmbeddingSetRecord es = EmbeddingCatalog(ws->database()).get(id);
        if (!es.usable()) {
            m_stats->setText(
                es.state == EmbeddingSetState::Extracting
                    ? tr("Set %1 has no embedded clip yet.").arg(id)
                    : tr("<font color=#b00020>Set %1 is %2: %3</font><br>It is not offered for clustering or "
                         "training; fix the teacher and extract again, or remove it.")
                          .arg(id)
                          .arg(QString::fromStdString(embeddingSetStates().nameOf(es.state)),
                               QString::fromStdString(es.reason).toHtmlEscaped()));
            m_norms->setData({}, {});
            m_variance->graph(0)->data()->clear();
            m_variance->replot(QCustomPlot::rpQueuedReplot);
            return;
        }
        const auto store = EmbeddingStore::open((fs::path(ws->dir()) / es.path).string());
        std::vector<std::int64_t> done = store->rowsIn(EmbeddingStore::RowState::Done);
        const std::size_t total = done.size();
        // Statistics on a seeded sample of at most 5000 clips (the set may not fit in memory).
        if (done.size() > 5000) {
            std::shuffle(done.begin(), done.end(), std::mt19937_64(42));
            done.resize(5000);
        }
        const at::Tensor x = store->rowsAt(done);
        const at::Tensor norms = x.norm(2, 1);
        const double lo = norms.min().item<double>(), hi = norms.max().item<double>();
        const int bins = 30;
        const double width = std::max(1e-9, (hi - lo) / bins);
        QVector<double> counts(bins, 0);
        const float* n = norms.contiguous().data_ptr<float>();
        for (std::int64_t i = 0; i < norms.numel(); ++i)
            counts[std::min(bins - 1, int((n[i] - lo) / width))] += 1;
        QStringList labels;
        for (int b = 0; b < bins; ++b)
            labels << (b % 5 == 0 ? QString::number(lo + b * width, 'g', 3) : QString());
        m_norms->setData(labels, counts);
        const at::Tensor var = std::get<0>(x.var(0).sort(0, /*descending=*/true)).contiguous();
        QVector<double> keys, values;
        const float* v = var.data_ptr<float>();
        for (std::int64_t d = 0; d < var.numel(); ++d) {
            keys << double(d);
            values << std::max(1e-12, double(v[d]));
        }
        m_variance->graph(0)->setData(keys, values, true);
        m_variance->rescaleAxes();
        m_variance->replot(QCustomPlot::rpQueuedReplot);
        // Effective dimensionality: (Σλ)² / Σλ² of the per-dimension variances.
        const double s1 = var.sum().item<double>(), s2 = var.square().sum().item<double>();
        m_stats->setText(
            tr("Set %1: %2 of %3 clips embedded, %4 failed · norm %5 ± %6 · mean per-dimension variance %7 "
               "· variance spread over ≈ %8 dimensions%9")
                .arg(id)
                .arg(es.done)
                .arg(es.rows)
                .arg(es.failed)
                .arg(norms.mean().item<double>(), 0, 'f', 3)
                .arg(norms.std().item<double>(), 0, 'f', 3)
                .arg(var.mean().item<double>(), 0, 'g', 3)
                .arg(s2 > 0 ? s1 * s1 / s2 : 0.0, 0, 'f', 1)
                .arg(total > done.size() ? tr(" (statistics on %1 sampled clips)").arg(done.size())
                                         : QString()));
    } catch (const std::exception& e) {
        m_stats->setText(
            tr("Cannot read set %1: %2").arg(id).arg(QString::fromUtf8(e.what()).toHtmlEscaped()));
    }
}

} // namespace ssondo::ui

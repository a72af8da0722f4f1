// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/ExperimentsPage.h"
#include "pages/AlignmentView.h"
#include "pages/LayerProfileView.h"
#include "pages/SweepView.h"

#include "WorkspaceController.h"
#include "data/EmbeddingCatalog.h"
#include "distill/TrainConfig.h"
#include "experiments/EvaluationLog.h"
#include "experiments/RunLog.h"
#include "pages/TableItems.h"
#include "plots/CurvePlot.h"
#include "plots/QCustomPlotInclude.h"
#include "plots/ScatterMap.h"
#include "workspace/Workspace.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextStream>
#include <QVBoxLayout>
#ifdef SSONDO_HAVE_SVG
#include <QSvgGenerator>
#endif

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace ssondo::ui {

namespace {

enum RunColumn {
    CId,
    CName,
    CStatus,
    CTeacher,
    CStudent,
    CParams,
    CLoss,
    CSampler,
    CBestCos,
    CDownstream,
    CPct,
    CTags,
    CNotes,
    CCount
};

QTableWidgetItem* item(const QString& text, const QVariant& sortKey = {})
{
    auto* i = new SortItem(text);
    if (sortKey.isValid()) {
        i->setData(Qt::UserRole, sortKey);
        i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    return i;
}

QString csvField(QString s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n')))
        s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return s;
}

} // namespace

ExperimentsPage::ExperimentsPage(WorkspaceController* controller, QWidget* parent)
    : Page(controller, parent), m_filter(new QLineEdit(this)), m_runs(new QTableWidget(this)),
      m_tabs(new QTabWidget(this)), m_metric(new QComboBox(this)), m_summary(new QComboBox(this)),
      m_groupSeeds(new QCheckBox(tr("group seeds"), this)), m_curves(new CurvePlot(this)),
      m_config(new QTableWidget(this)), m_scores(new QTableWidget(this)), m_suite(new QComboBox(this)),
      m_paretoX(new QComboBox(this)), m_pareto(new QCustomPlot(this)), m_matrix(new QTableWidget(this)),
      m_sweepView(new SweepView(controller, this)), m_alignmentView(new AlignmentView(controller, this)),
      m_layerView(new LayerProfileView(controller, this))
{
    m_filter->setPlaceholderText(tr("Filter runs (name, student, tags, notes…)"));
    m_filter->setClearButtonEnabled(true);
    auto* tag = new QPushButton(tr("Tag…"), this);
    auto* note = new QPushButton(tr("Note…"), this);
    auto* rename = new QPushButton(tr("Rename…"), this);
    auto* del = new QPushButton(tr("Delete…"), this);
    auto* csv = new QPushButton(tr("Export CSV…"), this);
    auto* png = new QPushButton(tr("Save plot…"), this);
    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    for (auto* b : {tag, note, rename, del, csv, png})
        top->addWidget(b);

    const QStringList headers{tr("#"),          tr("name"),         tr("status"),
                              tr("teacher"),    tr("student"),      tr("parameters"),
                              tr("loss"),       tr("sampler"),      tr("best val cosine"),
                              tr("downstream"), tr("% of teacher"), tr("tags"),
                              tr("notes")};
    m_runs->setColumnCount(CCount);
    m_runs->setHorizontalHeaderLabels(headers);
    m_runs->verticalHeader()->setVisible(false);
    m_runs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_runs->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runs->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runs->setSortingEnabled(true);
    m_runs->horizontalHeader()->setStretchLastSection(true);
    m_runs->setObjectName(QStringLiteral("runsTable"));

    m_curves->setSmoothing(0.0); // few points per run here; the Train page smooths live curves
    m_metric->addItems({QStringLiteral("val_cosine"), QStringLiteral("train_loss"),
                        QStringLiteral("val_loss"), QStringLiteral("lr")});
    m_summary->addItem(tr("best"), QStringLiteral("best"));
    m_summary->addItem(tr("last"), QStringLiteral("last"));
    auto* curvesTab = new QWidget(this);
    auto* cl = new QVBoxLayout(curvesTab);
    auto* cc = new QHBoxLayout;
    cc->addWidget(new QLabel(tr("metric"), this));
    cc->addWidget(m_metric);
    cc->addWidget(new QLabel(tr("table value"), this));
    cc->addWidget(m_summary);
    cc->addWidget(m_groupSeeds);
    cc->addStretch(1);
    cl->addLayout(cc);
    cl->addWidget(m_curves, 1);

    for (auto* t : {m_config, m_scores, m_matrix}) {
        t->verticalHeader()->setVisible(false);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    }
    m_paretoX->addItem(tr("backbone parameters"), QStringLiteral("params"));
    m_paretoX->addItem(tr("file size (bytes)"), QStringLiteral("bytes"));
    m_paretoX->addItem(tr("MACs per 10 s clip"), QStringLiteral("macs"));
    m_paretoX->addItem(tr("CPU latency per 10 s clip (ms)"), QStringLiteral("latency"));
    m_pareto->xAxis->setScaleType(QCPAxis::stLogarithmic);
    m_pareto->xAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_pareto->yAxis->setLabel(tr("% of teacher"));
    auto* paretoTab = new QWidget(this);
    auto* pl = new QVBoxLayout(paretoTab);
    auto* pc = new QHBoxLayout;
    pc->addWidget(new QLabel(tr("x"), this));
    pc->addWidget(m_paretoX);
    pc->addStretch(1);
    pl->addLayout(pc);
    pl->addWidget(m_pareto, 1);

    m_tabs->addTab(curvesTab, tr("Curves"));
    m_tabs->addTab(m_config, tr("Config differences"));
    auto* scoresTab = new QWidget(this);
    auto* sl = new QVBoxLayout(scoresTab);
    auto* sc = new QHBoxLayout;
    sc->addWidget(new QLabel(tr("tasks"), this));
    sc->addWidget(m_suite);
    auto* exportTable = new QPushButton(tr("Export table…"), this);
    exportTable->setToolTip(tr("CSV, Markdown or LaTeX, as `ssondo benchmark --out` writes it"));
    sc->addWidget(exportTable);
    sc->addStretch(1);
    sl->addLayout(sc);
    sl->addWidget(m_scores, 1);
    connect(m_suite, &QComboBox::activated, this, [this] { fillScores(); });
    connect(exportTable, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Export the table"), QString(),
                                                          tr("CSV (*.csv);;Markdown (*.md);;LaTeX (*.tex)"));
        if (!file.isEmpty() && exportScores(file))
            Q_EMIT statusMessage(tr("Wrote %1").arg(file));
    });
    m_tabs->addTab(scoresTab, tr("Students vs teachers"));
    m_tabs->addTab(paretoTab, tr("Pareto"));
    m_tabs->addTab(m_matrix, tr("Teacher × student"));
    m_tabs->addTab(m_sweepView, tr("Sweeps"));
    m_tabs->addTab(m_alignmentView, tr("Alignment"));
    connect(m_alignmentView, &AlignmentView::clipActivated, this, &ExperimentsPage::clipActivated);
    m_tabs->addTab(m_layerView, tr("Layers"));
    connect(
        m_layerView, &LayerProfileView::profileRequested, this, [this](const std::vector<std::int64_t>& ids) {
            for (std::int64_t id : ids)
                Q_EMIT runCommand({QStringLiteral("profile"), QStringLiteral("--run"), QString::number(id),
                                   QStringLiteral("--layers"), QStringLiteral("--no-agreement")},
                                  QStringLiteral("profile"), tr("run %1").arg(id));
        });
    connect(m_sweepView, &SweepView::selectRuns, this, [this](const std::vector<std::int64_t>& ids) {
        selectRuns(ids);
        m_tabs->setCurrentIndex(0); // their curves
    });

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_runs);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    rememberSplitter(split, QStringLiteral("tableAndViews"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        for (int r = 0; r < m_runs->rowCount(); ++r) {
            bool match = text.isEmpty();
            for (int c = 0; c < CCount && !match; ++c)
                match = m_runs->item(r, c) && m_runs->item(r, c)->text().contains(text, Qt::CaseInsensitive);
            m_runs->setRowHidden(r, !match);
        }
    });
    connect(m_runs, &QTableWidget::itemSelectionChanged, this, &ExperimentsPage::updateSelection);
    m_runs->setToolTip(tr("Double-click a run's number to choose the colour of its curves"));
    connect(m_runs, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
        if (column != CId)
            return;
        const std::int64_t id = m_runs->item(row, CId)->data(Qt::UserRole).toLongLong();
        const QColor c = QColorDialog::getColor(runColor(id), this, tr("Colour of run %1").arg(id));
        if (c.isValid()) {
            setRunColor(id, c);
            fillRuns();
        }
    });
    connect(m_metric, &QComboBox::currentIndexChanged, this, &ExperimentsPage::fillCurves);
    connect(m_groupSeeds, &QCheckBox::toggled, this, &ExperimentsPage::fillCurves);
    connect(m_summary, &QComboBox::currentIndexChanged, this, &ExperimentsPage::fillRuns);
    connect(m_paretoX, &QComboBox::currentIndexChanged, this, &ExperimentsPage::fillPareto);
    connect(tag, &QPushButton::clicked, this, [this] { editSelected(QStringLiteral("tag")); });
    connect(note, &QPushButton::clicked, this, [this] { editSelected(QStringLiteral("note")); });
    connect(rename, &QPushButton::clicked, this, [this] { editSelected(QStringLiteral("rename")); });
    connect(del, &QPushButton::clicked, this, [this] { editSelected(QStringLiteral("delete")); });
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export runs and curves to"));
        if (!dir.isEmpty())
            Q_EMIT statusMessage(tr("Wrote %1").arg(exportCsv(dir).join(QStringLiteral(", "))));
    });
    connect(png, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Save plot"), QStringLiteral("plot.png"),

#ifdef SSONDO_HAVE_SVG
                                                          tr("PNG (*.png);;PDF (*.pdf);;SVG (*.svg)"));
#else
                                                          tr("PNG (*.png);;PDF (*.pdf)"));
#endif
        if (!file.isEmpty() && !savePlot(file))
            Q_EMIT statusMessage(tr("Could not write %1").arg(file));
    });
    connect(m_pareto, &QCustomPlot::plottableClick, this,
            [this](QCPAbstractPlottable* p, int index, QMouseEvent*) {
                if (p && p->name() == QStringLiteral("runs") && index >= 0 &&
                    size_t(index) < m_paretoRuns.size())
                    selectRuns({m_paretoRuns[size_t(index)]});
            });
}

void ExperimentsPage::refresh()
{
    fillRuns();
    m_sweepView->refresh();
    m_alignmentView->refresh();
}

void ExperimentsPage::setCurrentTab(int index)
{
    m_tabs->setCurrentIndex(index);
}

std::vector<std::int64_t> ExperimentsPage::selectedRuns() const
{
    std::vector<std::int64_t> ids;
    for (const QModelIndex& i : m_runs->selectionModel()->selectedRows())
        ids.push_back(m_runs->item(i.row(), CId)->data(Qt::UserRole).toLongLong());
    std::sort(ids.begin(), ids.end());
    return ids;
}

void ExperimentsPage::selectRuns(const std::vector<std::int64_t>& ids)
{
    const QSignalBlocker b(m_runs);
    m_runs->clearSelection();
    for (int r = 0; r < m_runs->rowCount(); ++r)
        if (std::count(ids.begin(), ids.end(), m_runs->item(r, CId)->data(Qt::UserRole).toLongLong()))
            m_runs->selectionModel()->select(m_runs->model()->index(r, 0),
                                             QItemSelectionModel::Select | QItemSelectionModel::Rows);
    updateSelection();
}

void ExperimentsPage::fillRuns()
{
    Workspace* ws = controller()->workspace();
    const auto keep = selectedRuns();
    const QSignalBlocker b(m_runs);
    m_runs->setSortingEnabled(false);
    m_runs->setRowCount(0);
    if (!ws)
        return;
    try {
        RunLog log(ws->database());
        EvaluationLog evals(ws->database());
        const bool best = m_summary->currentData().toString() == QStringLiteral("best");
        const auto runs = log.list();
        m_runs->setRowCount(int(runs.size()));
        for (int r = 0; r < int(runs.size()); ++r) {
            const RunRecord& run = runs[size_t(r)];
            double cosine = std::nan("");
            for (const auto& s : log.summaries(run.id))
                if (s.name == "val_cosine")
                    cosine = best ? s.best : s.last;
            const RunScores scores = evals.runScores(run.id);
            double downstream = 0;
            for (const auto& t : scores.tasks)
                downstream += t.student.mean;
            if (!scores.tasks.empty())
                downstream /= double(scores.tasks.size());
            const QString teacher =
                QString::fromStdString(run.teacher).section(QLatin1Char(':'), 0, 0).left(40);
            m_runs->setItem(r, CId, item(QString::number(run.id), qlonglong(run.id)));
            m_runs->setItem(r, CName, item(QString::fromStdString(run.name)));
            m_runs->setItem(r, CStatus, item(QString::fromStdString(runStatuses().nameOf(run.status))));
            m_runs->setItem(r, CTeacher, item(teacher));
            m_runs->setItem(r, CStudent, item(QString::fromStdString(run.student)));
            m_runs->setItem(
                r, CParams,
                item(QLocale().toString(qlonglong(run.backboneParams)), qlonglong(run.backboneParams)));
            m_runs->setItem(r, CLoss, item(QString::fromStdString(run.loss)));
            m_runs->setItem(r, CSampler, item(QString::fromStdString(run.sampler)));
            m_runs->setItem(r, CBestCos,
                            item(std::isnan(cosine) ? QStringLiteral("-") : QString::number(cosine, 'f', 4),
                                 std::isnan(cosine) ? -1.0 : cosine));
            m_runs->setItem(
                r, CDownstream,
                item(scores.tasks.empty() ? QStringLiteral("-") : QString::number(downstream, 'f', 4),
                     scores.tasks.empty() ? -1.0 : downstream));
            m_runs->setItem(r, CPct,
                            item(scores.pctOfTeacher
                                     ? QStringLiteral("%1 %").arg(*scores.pctOfTeacher, 0, 'f', 1)
                                     : QStringLiteral("-"),
                                 scores.pctOfTeacher ? *scores.pctOfTeacher : -1.0));
            m_runs->setItem(r, CTags, item(QString::fromStdString(run.tags)));
            m_runs->setItem(r, CNotes, item(QString::fromStdString(run.notes)));
            m_runs->item(r, CId)->setIcon([&] {
                QPixmap p(10, 10);
                p.fill(runColor(run.id));
                return QIcon(p);
            }());
        }
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromUtf8(e.what()));
    }
    m_runs->setSortingEnabled(true);
    m_runs->resizeColumnsToContents();
    Q_EMIT m_filter->textChanged(m_filter->text());
    if (keep.empty() && m_runs->rowCount() > 0) {
        std::vector<std::int64_t> all;
        for (int r = 0; r < m_runs->rowCount(); ++r)
            all.push_back(m_runs->item(r, CId)->data(Qt::UserRole).toLongLong());
        selectRuns(all);
    } else {
        selectRuns(keep);
    }
}

void ExperimentsPage::updateSelection()
{
    fillCurves();
    fillConfig();
    fillScores();
    fillPareto();
    fillMatrix();
    m_layerView->showRuns(selectedRuns());
}

QColor ExperimentsPage::runColor(std::int64_t runId)
{
    const QVariant v = QSettings().value(QStringLiteral("runColors/%1").arg(runId));
    return v.isValid() ? v.value<QColor>() : ScatterMap::groupColor(int(runId));
}

void ExperimentsPage::setRunColor(std::int64_t runId, const QColor& color)
{
    QSettings().setValue(QStringLiteral("runColors/%1").arg(runId), color);
}

QStringList ExperimentsPage::exportCsv(const QString& dir) const
{
    QStringList written;
    Workspace* ws = controller()->workspace();
    if (!ws)
        return written;
    const QString runsPath = QDir(dir).filePath(QStringLiteral("runs.csv"));
    QFile runs(runsPath);
    if (runs.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        QTextStream out(&runs);
        QStringList header;
        for (int c = 0; c < m_runs->columnCount(); ++c)
            header << csvField(m_runs->horizontalHeaderItem(c)->text());
        out << header.join(QLatin1Char(',')) << '\n';
        for (int r = 0; r < m_runs->rowCount(); ++r) {
            QStringList row;
            for (int c = 0; c < m_runs->columnCount(); ++c)
                row << csvField(m_runs->item(r, c) ? m_runs->item(r, c)->text() : QString());
            out << row.join(QLatin1Char(',')) << '\n';
        }
        written << runsPath;
    }
    const QString curvesPath = QDir(dir).filePath(QStringLiteral("curves.csv"));
    QFile curves(curvesPath);
    if (curves.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        QTextStream out(&curves);
        out << "run,metric,step,epoch,wall_time,value\n";
        RunLog log(ws->database());
        for (const auto& run : log.list())
            for (const auto& p : log.metrics(run.id))
                out << run.id << ',' << csvField(QString::fromStdString(p.name)) << ',' << p.step << ','
                    << p.epoch << ',' << QString::number(p.wallTime, 'g', 10) << ','
                    << QString::number(p.value, 'g', 10) << '\n';
        written << curvesPath;
    }
    return written;
}

bool ExperimentsPage::savePlot(const QString& file) const
{
    QCustomPlot* plot = m_tabs->currentIndex() == 3              ? m_pareto
                        : m_tabs->currentWidget() == m_sweepView ? m_sweepView->parallelPlot()
                                                                 : m_curves->plot();
    if (file.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive))
        return plot->savePdf(file);
#ifdef SSONDO_HAVE_SVG
    if (file.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(plot->size());
        svg.setViewBox(QRect(QPoint(0, 0), plot->size()));
        svg.setTitle(QStringLiteral("S-SONDO Workbench"));
        QCPPainter painter;
        if (!painter.begin(&svg))
            return false;
        plot->toPainter(&painter, plot->width(), plot->height());
        return painter.end();
    }
#endif
    return plot->savePng(file);
}

void ExperimentsPage::editSelected(const QString& what)
{
    const auto ids = selectedRuns();
    if (ids.empty())
        return;
    const QString id = QString::number(ids.front());
    if (what == QStringLiteral("delete")) {
        if (QMessageBox::question(this, tr("Delete runs"),
                                  tr("Delete %n run(s), their metrics, evaluations and folders?", nullptr,
                                     int(ids.size()))) != QMessageBox::Yes)
            return;
        for (auto i : ids)
            Q_EMIT runCommand({QStringLiteral("runs"), QStringLiteral("delete"), QString::number(i),
                               QStringLiteral("--yes")},
                              QStringLiteral("runs"), QString::number(i));
        return;
    }
    bool ok = false;
    const QString label = what == QStringLiteral("tag")    ? tr("Tags (comma-separated):")
                          : what == QStringLiteral("note") ? tr("Note:")
                                                           : tr("Name:");
    const QString value =
        QInputDialog::getText(this, tr("Run %1").arg(id), label, QLineEdit::Normal,
                              m_runs
                                  ->item(m_runs->currentRow(), what == QStringLiteral("tag")    ? CTags
                                                               : what == QStringLiteral("note") ? CNotes
                                                                                                : CName)
                                  ->text(),
                              &ok);
    if (!ok)
        return;
    for (auto i : ids) {
        Q_EMIT runCommand({QStringLiteral("runs"), what, QString::number(i), value}, QStringLiteral("runs"),
                          QString::number(i));
        if (what == QStringLiteral("rename"))
            break; // one name per run
    }
}

} // namespace ssondo::ui

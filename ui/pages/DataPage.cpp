// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/DataPage.h"

#include "WorkspaceController.h"
#include "data/DatasetCatalog.h"
#include "models/ClipTableModel.h"
#include "pages/AddDatasetDialog.h"
#include "plots/ClipView.h"
#include "plots/HistogramPlot.h"
#include "workspace/Workspace.h"

#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ssondo::ui {

DataPage::DataPage(WorkspaceController* controller, QWidget* parent)
    : Page(controller, parent), m_datasets(new QComboBox(this)),
      m_add(new QPushButton(tr("Add dataset…"), this)), m_rescan(new QPushButton(tr("Rescan"), this)),
      m_summary(new QLabel(this)), m_problems(new QListWidget(this)), m_histogram(new HistogramPlot(this)),
      m_filter(new QLineEdit(this)), m_table(new QTableView(this)), m_clips(new ClipTableModel(this)),
      m_proxy(new QSortFilterProxyModel(this)), m_clipView(new ClipView(this))
{
    m_datasets->setObjectName(QStringLiteral("datasetCombo"));
    m_datasets->setMinimumWidth(220);
    m_add->setObjectName(QStringLiteral("addDatasetButton"));
    m_rescan->setToolTip(tr("Scan the dataset's folder again (new, removed or changed files)"));

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Dataset:"), this));
    top->addWidget(m_datasets);
    top->addWidget(m_rescan);
    top->addStretch(1);
    top->addWidget(m_add);

    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("datasetSummary"));
    auto* summaryBox = new QGroupBox(tr("Summary"), this);
    (new QVBoxLayout(summaryBox))->addWidget(m_summary);

    m_problems->setObjectName(QStringLiteral("problemList"));
    auto* problemBox = new QGroupBox(tr("Unreadable files and warnings"), this);
    (new QVBoxLayout(problemBox))->addWidget(m_problems);

    m_histogram->setTitle(tr("Clips per label"));

    // The summary keeps its natural height; the histogram and the problem list share the rest.
    auto* plots = new QSplitter(Qt::Vertical, this);
    plots->addWidget(m_histogram);
    plots->addWidget(problemBox);
    plots->setChildrenCollapsible(false);
    plots->setStretchFactor(0, 3);
    plots->setStretchFactor(1, 1);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(summaryBox, 0);
    leftLayout->addWidget(plots, 1);

    m_proxy->setSourceModel(m_clips);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(ClipTableModel::Path, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setObjectName(QStringLiteral("clipTable"));
    m_filter->setPlaceholderText(tr("Filter clips (path, label, format…)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_filter);
    auto* tableAndClip = new QSplitter(Qt::Vertical, this);
    tableAndClip->addWidget(m_table);
    tableAndClip->addWidget(m_clipView);
    tableAndClip->setStretchFactor(0, 3);
    tableAndClip->setStretchFactor(1, 2);
    rightLayout->addWidget(tableAndClip);
    rememberSplitter(tableAndClip, QStringLiteral("tableAndClip"));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid())
                    return;
                const ClipInfo& c = m_clips->clip(m_proxy->mapToSource(current).row());
                const QString abs = QDir(m_shownRoot).filePath(QString::fromStdString(c.path));
                if (abs != m_clipView->currentPath())
                    m_clipView->load(abs);
            });

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    rememberSplitter(split, QStringLiteral("summaryAndTable"));
    rememberSplitter(plots, QStringLiteral("histogramAndProblems"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_datasets, &QComboBox::currentTextChanged, this, &DataPage::showDataset);
    connect(m_add, &QPushButton::clicked, this, &DataPage::addDataset);
    connect(m_rescan, &QPushButton::clicked, this, &DataPage::rescan);
}

bool DataPage::selectClip(const QString& path, bool play)
{
    for (int r = 0; r < m_clips->rowCount(); ++r)
        if (QString::fromStdString(m_clips->clip(r).path) == path) {
            const QModelIndex idx = m_proxy->mapFromSource(m_clips->index(r, 0));
            if (!idx.isValid()) { // filtered out: clear the filter
                m_filter->clear();
                return selectClip(path, play);
            }
            m_table->setCurrentIndex(idx);
            m_table->scrollTo(idx, QAbstractItemView::PositionAtCenter);
            if (play)
                m_clipView->play();
            return true;
        }
    return false;
}

QString DataPage::currentDataset() const
{
    return m_datasets->currentText();
}

void DataPage::selectDataset(const QString& name)
{
    const int i = m_datasets->findText(name);
    if (i >= 0)
        m_datasets->setCurrentIndex(i);
}

void DataPage::refresh()
{
    Workspace* ws = controller()->workspace();
    const QString keep = m_datasets->currentText();
    QStringList names;
    if (ws) {
        try {
            for (const auto& d : DatasetCatalog(ws->database()).list())
                names << QString::fromStdString(d.name);
        } catch (const std::exception& e) {
            Q_EMIT statusMessage(QString::fromStdString(e.what()));
        }
    }
    {
        const QSignalBlocker block(m_datasets);
        m_datasets->clear();
        m_datasets->addItems(names);
        const int i = m_datasets->findText(keep);
        m_datasets->setCurrentIndex(i >= 0 ? i : (names.isEmpty() ? -1 : 0));
    }
    m_add->setEnabled(ws != nullptr);
    m_rescan->setEnabled(!names.isEmpty());
    m_shownVersion.clear(); // force a re-read: the dataset may have been rescanned
    showDataset(m_datasets->currentText());
}

static QString histogramLine(const std::map<int, std::int64_t>& m, const QString& unit)
{
    QStringList parts;
    for (const auto& [k, v] : m)
        parts << QStringLiteral("%1%2: %3").arg(k).arg(unit).arg(v);
    return parts.join(QStringLiteral(", "));
}

void DataPage::showDataset(const QString& name)
{
    Workspace* ws = controller()->workspace();
    if (!ws || name.isEmpty()) {
        m_clips->setClips({});
        m_problems->clear();
        m_histogram->setData({}, {});
        m_summary->setText(ws ? tr("No dataset yet. Use <b>Add dataset…</b> to scan a folder of audio.")
                              : tr("No workspace is open."));
        return;
    }
    try {
        DatasetCatalog catalog(ws->database());
        const auto rec = catalog.find(name.toStdString());
        if (!rec)
            return;
        const QString version = QString::fromStdString(rec->version + rec->updatedAt);
        if (version == m_shownVersion)
            return;
        m_shownVersion = version;
        m_shownRoot = QString::fromStdString(rec->root);
        m_clipView->clear();
        auto clips = catalog.clips(rec->id);
        const auto warnings = catalog.warnings(rec->id);
        const DatasetSummary s = DatasetSummary::of(clips);

        QStringList formats;
        for (const auto& [k, v] : s.formats)
            formats << QStringLiteral("%1: %2").arg(QString::fromStdString(k)).arg(v);
        m_summary->setText(
            tr("<table cellspacing=3><tr><td><b>Root</b></td><td>%1</td></tr>"
               "<tr><td><b>Clips</b></td><td>%2 readable, %3 unreadable</td></tr>"
               "<tr><td><b>Duration</b></td><td>%4 h (%5–%6 s per clip)</td></tr>"
               "<tr><td><b>Sample rates</b></td><td>%7</td></tr>"
               "<tr><td><b>Channels</b></td><td>%8</td></tr><tr><td><b>Formats</b></td><td>%9</td></tr>"
               "<tr><td><b>Labels</b></td><td>%10 from %11%12</td></tr>"
               "<tr><td><b>Version</b></td><td>%13 (scanned %14)</td></tr></table>")
                .arg(QString::fromStdString(rec->root).toHtmlEscaped())
                .arg(s.clips)
                .arg(s.unreadable)
                .arg(s.totalSeconds / 3600.0, 0, 'f', 2)
                .arg(s.minSeconds, 0, 'f', 1)
                .arg(s.maxSeconds, 0, 'f', 1)
                .arg(histogramLine(s.sampleRates, QStringLiteral(" Hz")))
                .arg(histogramLine(s.channelCounts, QString()))
                .arg(formats.join(QStringLiteral(", ")))
                .arg(s.labels.size())
                .arg(QString::fromStdString(labelSourceName(rec->labelSource)))
                .arg(s.multiLabel ? tr(" (multi-label)") : QString())
                .arg(QString::fromStdString(rec->version))
                .arg(QString::fromStdString(rec->updatedAt)));

        QStringList cats;
        QVector<double> counts;
        for (const auto& [k, v] : s.labels) {
            cats << QString::fromStdString(k);
            counts << double(v);
        }
        m_histogram->setData(cats, counts);

        m_problems->clear();
        for (const auto& c : clips)
            if (!c.readable())
                m_problems->addItem(QStringLiteral("%1 — %2").arg(QString::fromStdString(c.path),
                                                                  QString::fromStdString(c.error)));
        for (const auto& w : warnings)
            m_problems->addItem(QString::fromStdString(w));
        if (m_problems->count() == 0)
            m_problems->addItem(tr("None: every file decoded."));

        m_clips->setClips(std::move(clips));
        m_table->resizeColumnsToContents();
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromStdString(e.what()));
    }
}

void DataPage::addDataset()
{
    AddDatasetDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    Q_EMIT runCommand(dialog.arguments(), QStringLiteral("scan"), dialog.datasetName());
}

namespace {

/// The `dataset add` options that read a dataset the way it was read.
QStringList rescanArguments(const DatasetRecord& rec)
{
    auto q = [](const std::string& s) { return QString::fromStdString(s); };
    if (rec.labelSource == LabelSource::Layout)
        return {QStringLiteral("--format"), q(rec.layout)};
    if (rec.labelSource != LabelSource::Csv)
        return {QStringLiteral("--labels"), q(labelSourceName(rec.labelSource))};
    QStringList args{QStringLiteral("--csv"), q(rec.labelCsv)};
    if (const auto& c = rec.csvColumns) {
        args << QStringLiteral("--path-column") << q(c->path) << QStringLiteral("--label-column")
             << q(c->label) << QStringLiteral("--label-separator") << q(c->labelSeparator);
        if (!c->fold.empty())
            args << QStringLiteral("--fold-column") << q(c->fold);
        if (!c->split.empty())
            args << QStringLiteral("--split-column") << q(c->split);
    }
    return args;
}

} // namespace

void DataPage::rescan()
{
    Workspace* ws = controller()->workspace();
    if (!ws || m_datasets->currentText().isEmpty())
        return;
    try {
        const auto rec = DatasetCatalog(ws->database()).get(m_datasets->currentText().toStdString());
        QStringList args{QStringLiteral("dataset"), QStringLiteral("add"), QString::fromStdString(rec.root),
                         QStringLiteral("--name"), QString::fromStdString(rec.name)};
        args << rescanArguments(rec);
        Q_EMIT runCommand(args, QStringLiteral("scan"), QString::fromStdString(rec.name));
    } catch (const std::exception& e) {
        Q_EMIT statusMessage(QString::fromStdString(e.what()));
    }
}

} // namespace ssondo::ui

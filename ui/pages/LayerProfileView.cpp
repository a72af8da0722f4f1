// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/LayerProfileView.h"

#include "WorkspaceController.h"
#include "experiments/EvaluationLog.h"
#include "experiments/RunLog.h"
#include "pages/ExperimentsPage.h"
#include "plots/QCustomPlotInclude.h"
#include "workspace/Workspace.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ssondo::ui {

LayerProfileView::LayerProfileView(WorkspaceController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_measure(new QComboBox(this)),
      m_profile(new QPushButton(tr("Profile them"), this)), m_summary(new QLabel(this)),
      m_plot(new QCustomPlot(this)), m_table(new QTableWidget(this))
{
    m_measure->addItem(tr("time (ms per 10 s clip)"), QStringLiteral("ms"));
    m_measure->addItem(tr("MACs (millions)"), QStringLiteral("macs"));
    m_measure->addItem(tr("parameters"), QStringLiteral("params"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_profile->setToolTip(
        tr("ssondo profile --run ID --layers for the selected runs without a per-block profile"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_plot->yAxis->setLabel(m_measure->currentText());
    // The legend in a row of its own under the chart: bars fill the whole axis rect.
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_plot->plotLayout()->addElement(1, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactor(1, 0.001);
    m_plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    m_plot->legend->setWrap(3);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Chart:"), this));
    top->addWidget(m_measure);
    top->addWidget(m_summary, 1);
    top->addWidget(m_profile);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_plot);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_measure, &QComboBox::currentIndexChanged, this, &LayerProfileView::draw);
    connect(m_profile, &QPushButton::clicked, this, [this] {
        if (!m_missing.empty())
            Q_EMIT profileRequested(m_missing);
    });
}

void LayerProfileView::setMeasure(const QString& what)
{
    const int i = m_measure->findData(what);
    if (i >= 0)
        m_measure->setCurrentIndex(i);
}

void LayerProfileView::showRuns(const std::vector<std::int64_t>& runIds)
{
    m_profiles.clear();
    m_shown.clear();
    m_missing.clear();
    m_blocks.clear();
    Workspace* ws = m_controller->workspace();
    if (ws) {
        EvaluationLog evals(ws->database());
        RunLog runs(ws->database());
        for (std::int64_t id : runIds) {
            const auto p = evals.latestLayerProfile(id);
            if (!p) {
                m_missing.push_back(id);
                continue;
            }
            const QJsonObject j = QJsonDocument::fromJson(QByteArray::fromStdString(p->layersJson)).object();
            RunProfile rp;
            rp.runId = id;
            rp.title = QStringLiteral("#%1 %2").arg(id).arg(QString::fromStdString(runs.get(id).name));
            rp.wholeMs = p->latencyMs;
            rp.runs = int(p->latencyRuns);
            rp.threads = int(p->threads);
            for (const auto& b : j.value(QStringLiteral("blocks")).toArray()) {
                const QJsonObject o = b.toObject();
                Row r{o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("ms")).toDouble(),
                      o.value(QStringLiteral("macs")).toDouble(),
                      o.value(QStringLiteral("params")).toDouble()};
                rp.sumMs += r.ms;
                if (!m_blocks.contains(r.block))
                    m_blocks << r.block;
                rp.rows.push_back(r);
            }
            m_shown.push_back(id);
            m_profiles.push_back(std::move(rp));
        }
    }
    // What runs between the blocks is the last row for every run.
    const QString outside = QStringLiteral("(outside blocks)");
    if (m_blocks.removeAll(outside) > 0)
        m_blocks << outside;
    QStringList lines;
    for (const RunProfile& p : m_profiles)
        lines << tr("%1: blocks %2 ms, whole model %3 ms (%4%5 %), %6 calls, %7 threads")
                     .arg(p.title)
                     .arg(p.sumMs, 0, 'f', 1)
                     .arg(p.wholeMs, 0, 'f', 1)
                     .arg(p.sumMs >= p.wholeMs ? QStringLiteral("+") : QString())
                     .arg(p.wholeMs > 0 ? 100.0 * (p.sumMs - p.wholeMs) / p.wholeMs : 0.0, 0, 'f', 1)
                     .arg(p.runs)
                     .arg(p.threads);
    if (!m_missing.empty()) {
        QStringList ids;
        for (std::int64_t id : m_missing)
            ids << QStringLiteral("#%1").arg(id);
        lines << tr("No per-block profile yet for %1: ssondo profile --run ID --layers")
                     .arg(ids.join(QStringLiteral(", ")));
    }
    if (runIds.empty())
        lines << tr("Select runs above to compare their blocks.");
    m_summary->setText(lines.join(QLatin1Char('\n')));
    m_profile->setEnabled(!m_missing.empty());
    fillTable();
    draw();
}

double LayerProfileView::value(const Row& r) const
{
    const QString what = m_measure->currentData().toString();
    return what == QStringLiteral("ms") ? r.ms : what == QStringLiteral("macs") ? r.macs / 1e6 : r.params;
}

void LayerProfileView::fillTable()
{
    QStringList headers{tr("block")};
    for (const RunProfile& p : m_profiles)
        headers << tr("%1 ms").arg(p.title) << tr("MMACs") << tr("params");
    m_table->clear();
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(int(m_blocks.size()));
    for (int b = 0; b < m_blocks.size(); ++b) {
        m_table->setItem(b, 0, new QTableWidgetItem(m_blocks[b]));
        for (std::size_t p = 0; p < m_profiles.size(); ++p)
            for (const Row& r : m_profiles[p].rows)
                if (r.block == m_blocks[b]) {
                    const int c = 1 + 3 * int(p);
                    m_table->setItem(b, c, new QTableWidgetItem(QString::number(r.ms, 'f', 2)));
                    m_table->setItem(b, c + 1, new QTableWidgetItem(QString::number(r.macs / 1e6, 'f', 2)));
                    m_table->setItem(b, c + 2, new QTableWidgetItem(QString::number(qint64(r.params))));
                }
    }
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

void LayerProfileView::draw()
{
    m_plot->clearPlottables();
    m_plot->yAxis->setLabel(m_measure->currentText());
    auto* group = new QCPBarsGroup(m_plot);
    const double width = 0.8 / double(std::max<std::size_t>(1, m_profiles.size()));
    double top = 0;
    for (const RunProfile& p : m_profiles) {
        auto* bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(p.title);
        bars->setWidth(width);
        const QColor c = ExperimentsPage::runColor(p.runId);
        bars->setPen(QPen(c.darker(130)));
        bars->setBrush(c);
        QVector<double> keys, values;
        for (const Row& r : p.rows) {
            keys << double(m_blocks.indexOf(r.block));
            values << value(r);
            top = std::max(top, value(r));
        }
        bars->setData(keys, values, true);
        if (m_profiles.size() > 1)
            bars->setBarsGroup(group);
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int b = 0; b < m_blocks.size(); ++b)
        ticker->addTick(b, m_blocks[b]);
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setTickLabelRotation(60);
    m_plot->xAxis->setRange(-0.6, double(std::max<qsizetype>(1, m_blocks.size())) - 0.4);
    m_plot->yAxis->setRange(0, top > 0 ? top * 1.1 : 1);
    m_plot->legend->setVisible(!m_profiles.empty());
    m_plot->replot();
}

} // namespace ssondo::ui

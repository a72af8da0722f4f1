// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "pages/Page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace ssondo::ui {

class ClipTableModel;
class ClipView;
class HistogramPlot;

/// Datasets of the workspace: pick one, see its summary, label histogram, unreadable files and
/// a sortable, filterable table of its clips. "Add dataset…" runs `ssondo dataset add`.
class DataPage : public Page
{
    Q_OBJECT

public:
    explicit DataPage(WorkspaceController* controller, QWidget* parent = nullptr);

    QString title() const override { return tr("Data"); }
    QString pageId() const override { return QStringLiteral("data"); }
    void refresh() override;

    /// Shows the dataset with this name (if it exists).
    void selectDataset(const QString& name);
    QString currentDataset() const;
    ClipTableModel* clipModel() const { return m_clips; }
    QSortFilterProxyModel* clipProxy() const { return m_proxy; }
    HistogramPlot* labelHistogram() const { return m_histogram; }
    QListWidget* problemList() const { return m_problems; }
    ClipView* clipView() const { return m_clipView; }
    /// Selects the clip with this dataset-relative path in the table and shows it (and plays it).
    bool selectClip(const QString& path, bool play = false);

private:
    void showDataset(const QString& name);
    void addDataset();
    void rescan();

    QComboBox* m_datasets;
    QPushButton* m_add;
    QPushButton* m_rescan;
    QLabel* m_summary;
    QListWidget* m_problems;
    HistogramPlot* m_histogram;
    QLineEdit* m_filter;
    QTableView* m_table;
    ClipTableModel* m_clips;
    QSortFilterProxyModel* m_proxy;
    ClipView* m_clipView;
    QString m_shownVersion, m_shownRoot;
};

} // namespace ssondo::ui

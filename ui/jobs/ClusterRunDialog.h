// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>
#include <QStringList>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ssondo::ui {

/// "Run on cluster…": the Slurm resources for a job the page would run here, with the
/// `ssondo slurm …` command it makes. Values are remembered between uses.
class ClusterRunDialog : public QDialog
{
    Q_OBJECT

public:
    struct Options
    {
        QString partition, time = QStringLiteral("04:00:00"), mem, account;
        int gpus = 0, cpusPerTask = 0;
        int shards = 4;                  ///< extraction
        int nodes = 1, tasksPerNode = 1; ///< training
    };

    /// kind: "extract" or "train"; jobArgs: the command the page runs here ("extract --dataset …").
    ClusterRunDialog(const QString& kind, const QStringList& jobArgs, QWidget* parent = nullptr);

    Options options() const;
    void setOptions(const Options& o);
    /// `slurm <kind> [resources] <job arguments without the leading kind>`.
    QStringList arguments() const;
    static QStringList arguments(const QString& kind, const Options& o, const QStringList& jobArgs);

    /// Shows the dialog; the arguments to run, or empty when cancelled.
    static QStringList ask(const QString& kind, const QStringList& jobArgs, QWidget* parent);

private:
    void updatePreview();

    QString m_kind;
    QStringList m_jobArgs;
    QLineEdit *m_partition, *m_time, *m_mem, *m_account;
    QSpinBox *m_gpus, *m_cpus, *m_shards, *m_nodes, *m_tasks;
    QLabel* m_preview;
};

} // namespace ssondo::ui

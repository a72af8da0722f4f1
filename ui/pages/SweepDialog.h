// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/TrainConfig.h"

#include <QDialog>
#include <QStringList>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QTableWidget;

namespace ssondo::ui {

/// "Sweep…" on the Train page: the form's config as the base of a sweep; tick the keys to vary
/// and type their values (a list, a range, or a distribution for random search), the seeds, the
/// metric and how many runs at a time; the dialog shows the sweep file it writes and every run it
/// will start, checked as `ssondo sweep` checks them, before anything starts.
class SweepDialog : public QDialog
{
    Q_OBJECT

public:
    /// metrics: "val_cosine" and "probe:DATASET" for the labelled datasets of the workspace.
    SweepDialog(const TrainConfig& base, const QStringList& metrics, QWidget* parent = nullptr);

    /// Ticks `key` and sets the values to try, as typed in the table.
    void setVaried(const QString& key, const QString& values);
    void setSeeds(const QString& seeds);
    void setName(const QString& name);
    void setParallel(int runs);
    void setMethod(const QString& method, int trials = 0);

    /// The sweep file the dialog describes.
    QString sweepToml() const;
    /// Runs it expands to (-1 when the file is wrong; error() says why).
    int runCount() const { return m_runCount; }
    QString error() const;
    QString name() const;
    int parallel() const;
    QTableWidget* keysTable() const { return m_keys; }
    QPlainTextEdit* preview() const { return m_preview; }

    /// "a, b, c", "min:max:step", "log_uniform(a, b)" (also uniform, int_uniform) → the TOML of a
    /// [vary] value for `key`; "" and `why` when the text is not one of those.
    static QString valuesToml(const ConfigKey& key, const QString& text, QString* why);

    /// Shows the dialog; writes the sweep file into `sweepsDir` and returns the `sweep` command to
    /// run, or an empty list when cancelled.
    static QStringList ask(const TrainConfig& base, const QStringList& metrics, const QString& sweepsDir,
                           QWidget* parent);

private:
    void updatePreview();

    TrainConfig m_base;
    QTableWidget* m_keys;
    QLineEdit* m_name;
    QLineEdit* m_seeds;
    QComboBox* m_method;
    QSpinBox* m_trials;
    QComboBox* m_metric;
    QSpinBox* m_parallel;
    QDoubleSpinBox* m_stopIfBelow;
    QLabel* m_error;
    QPlainTextEdit* m_preview;
    int m_runCount = -1;
};

} // namespace ssondo::ui

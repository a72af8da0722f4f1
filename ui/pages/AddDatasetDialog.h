// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace ssondo::ui {

/// Asks for a folder, a name and where labels come from; shows the `ssondo dataset add` command
/// it will run, which the user may copy.
class AddDatasetDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AddDatasetDialog(QWidget* parent = nullptr);

    void setFolder(const QString& folder);
    /// Arguments after `ssondo -w WS`.
    QStringList arguments() const;
    QString datasetName() const;

private:
    void updateCommand();

    QLineEdit* m_folder;
    QLineEdit* m_name;
    QComboBox* m_labels;
    QLineEdit* m_csv;
    QCheckBox* m_verify;
    QLabel* m_command;
};

} // namespace ssondo::ui

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QComboBox;

namespace ssondo::ui {

/// Preferences: the interface language (follow the system, English, French), stored in QSettings
/// ("language") and applied at the next start (the workbench reads it before building its windows).
class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    explicit PreferencesDialog(QWidget* parent = nullptr);
    QComboBox* languageCombo() const { return m_language; }
    /// Stores the choices (called on OK).
    void save();

private:
    QComboBox* m_language;
};

} // namespace ssondo::ui

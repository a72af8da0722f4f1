// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "distill/TrainConfig.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <utility>
#include <vector>

class QCheckBox;
class QGroupBox;
class QLabel;

namespace ssondo::ui {

/// The run config as a form made from its schema (TrainConfig::schema()): one row per key,
/// grouped by section, its documentation as the tooltip, advanced keys folded under a toggle.
/// The form holds a TrainConfig and every edit goes through TrainConfig::set(), so whatever it
/// is given — defaults, a loaded TOML, a run's config — comes back exactly as it was, widget or
/// not, unless the user changed it.
///
/// Keys that name workspace objects (the embedding set, the clustering) become combo boxes over
/// what setChoices() gives; a value the list lacks is kept and shown as such.
class ConfigForm : public QWidget
{
    Q_OBJECT

public:
    explicit ConfigForm(QWidget* parent = nullptr);

    const TrainConfig& config() const { return m_config; }
    void setConfig(const TrainConfig& config);
    /// Sets one key from text as --set would take it; returns "" or why the value was refused.
    QString setValue(const QString& key, const QString& value);
    /// The value of a key as --set takes it (strings unquoted).
    QString value(const QString& key) const;

    /// Offers `choices` (label, value) for an integer key (data.embeddings, sampler.clustering).
    void setChoices(const QString& key, const std::vector<std::pair<QString, qlonglong>>& choices);
    /// The widget editing `key` (tests, and the page's own layout of a few keys).
    QWidget* editor(const QString& key) const { return m_editors.value(key); }
    /// Shows or folds the advanced keys.
    void setAdvancedShown(bool shown);

Q_SIGNALS:
    /// A key changed (from the user or setValue()).
    void changed(const QString& key);

private:
    QWidget* makeEditor(const ConfigKey& key);
    void showValue(const ConfigKey& key);
    void edited(const QString& key, const QString& text);

    TrainConfig m_config;
    QHash<QString, QWidget*> m_editors;
    QHash<QString, QLabel*> m_labels;
    std::vector<std::pair<QGroupBox*, QStringList>> m_sections;
    QCheckBox* m_advanced;
    bool m_updating = false;
};

} // namespace ssondo::ui

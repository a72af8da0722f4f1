// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/ConfigForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace ssondo::ui {

namespace {

/// Section titles as the form shows them.
QString sectionTitle(const std::string& section)
{
    if (section.empty())
        return ConfigForm::tr("Run");
    if (section == "data")
        return ConfigForm::tr("Teacher embeddings and clips");
    if (section == "student")
        return ConfigForm::tr("Student");
    if (section == "head")
        return ConfigForm::tr("Mapping head");
    if (section == "loss")
        return ConfigForm::tr("Loss");
    if (section == "sampler")
        return ConfigForm::tr("Sampling");
    if (section == "optim")
        return ConfigForm::tr("Optimisation");
    if (section == "train")
        return ConfigForm::tr("Training");
    return QString::fromStdString(section);
}

QString tooltip(const ConfigKey& k)
{
    QString t = QString::fromStdString(k.help()).toHtmlEscaped();
    for (const auto& c : k.choices())
        t += QStringLiteral("<br><b>%1</b>: %2")
                 .arg(QString::fromStdString(c.name).toHtmlEscaped(),
                      QString::fromStdString(c.description).toHtmlEscaped());
    return QStringLiteral("<p>%1</p><p><code>%2</code></p>").arg(t, QString::fromStdString(k.key));
}

} // namespace

ConfigForm::ConfigForm(QWidget* parent)
    : QWidget(parent), m_advanced(new QCheckBox(tr("Show advanced settings"), this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_advanced);
    std::string section = "-";
    QFormLayout* form = nullptr;
    for (const ConfigKey& k : TrainConfig::schema()) {
        if (k.section != section) {
            section = k.section;
            auto* box = new QGroupBox(sectionTitle(section), this);
            box->setObjectName(QStringLiteral("section_") +
                               QString::fromStdString(section.empty() ? "run" : section));
            form = new QFormLayout(box);
            layout->addWidget(box);
            m_sections.push_back({box, {}});
        }
        m_sections.back().second << QString::fromStdString(k.key);
        QWidget* editor = makeEditor(k);
        auto* label = new QLabel(QString::fromStdString(k.leaf), this);
        label->setToolTip(tooltip(k));
        editor->setToolTip(tooltip(k));
        editor->setObjectName(QString::fromStdString(k.key));
        form->addRow(label, editor);
        m_editors.insert(QString::fromStdString(k.key), editor);
        m_labels.insert(QString::fromStdString(k.key), label);
    }
    connect(m_advanced, &QCheckBox::toggled, this, &ConfigForm::setAdvancedShown);
    setConfig(TrainConfig{});
    setAdvancedShown(false);
}

QWidget* ConfigForm::makeEditor(const ConfigKey& k)
{
    const QString key = QString::fromStdString(k.key);
    if (k.type == ConfigKey::Type::Flag) {
        auto* box = new QCheckBox(this);
        connect(box, &QCheckBox::toggled, this,
                [this, key](bool on) { edited(key, on ? QStringLiteral("true") : QStringLiteral("false")); });
        return box;
    }
    const auto choices = k.choices();
    if (!choices.empty()) {
        auto* combo = new QComboBox(this);
        for (const auto& c : choices) {
            combo->addItem(QString::fromStdString(c.name), QString::fromStdString(c.name));
            combo->setItemData(combo->count() - 1, QString::fromStdString(c.description), Qt::ToolTipRole);
        }
        connect(combo, &QComboBox::currentIndexChanged, this,
                [this, key, combo](int) { edited(key, combo->currentData().toString()); });
        return combo;
    }
    auto* line = new QLineEdit(this);
    if (k.type == ConfigKey::Type::List)
        line->setPlaceholderText(tr("comma-separated"));
    connect(line, &QLineEdit::editingFinished, this,
            [this, key, line] { edited(key, line->text().trimmed()); });
    connect(line, &QLineEdit::textEdited, this, [this, key, line] { edited(key, line->text().trimmed()); });
    return line;
}

void ConfigForm::setAdvancedShown(bool shown)
{
    if (m_advanced->isChecked() != shown)
        m_advanced->setChecked(shown);
    for (const ConfigKey& k : TrainConfig::schema()) {
        const QString key = QString::fromStdString(k.key);
        const bool visible = shown || !k.advanced;
        m_editors.value(key)->setVisible(visible);
        m_labels.value(key)->setVisible(visible);
    }
    // A section with nothing shown is folded away too.
    for (const auto& [box, keys] : m_sections)
        box->setVisible(std::any_of(keys.begin(), keys.end(), [&](const QString& key) {
            return shown || !TrainConfig::keyInfo(key.toStdString())->advanced;
        }));
}

void ConfigForm::edited(const QString& key, const QString& text)
{
    if (m_updating)
        return;
    const QString why = setValue(key, text);
    if (auto* line = qobject_cast<QLineEdit*>(m_editors.value(key)))
        line->setStyleSheet(why.isEmpty() ? QString() : QStringLiteral("background: #fde7e9"));
    m_editors.value(key)->setProperty("problem", why);
}

QString ConfigForm::setValue(const QString& key, const QString& value)
{
    try {
        TrainConfig c = m_config;
        c.set(key.toStdString(), value.toStdString());
        if (const ConfigKey* k = TrainConfig::keyInfo(key.toStdString()))
            if (const std::string why = k->check(c.valueText(k->key, true)); !why.empty())
                return QString::fromStdString(why);
        m_config = c;
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    if (const ConfigKey* k = TrainConfig::keyInfo(key.toStdString()); k && !m_updating) {
        m_updating = true;
        showValue(*k);
        m_updating = false;
    }
    Q_EMIT changed(key);
    return {};
}

QString ConfigForm::value(const QString& key) const
{
    return QString::fromStdString(m_config.valueText(key.toStdString(), true));
}

void ConfigForm::setConfig(const TrainConfig& config)
{
    m_config = config;
    m_updating = true;
    for (const ConfigKey& k : TrainConfig::schema())
        showValue(k);
    m_updating = false;
    Q_EMIT changed(QString());
}

void ConfigForm::showValue(const ConfigKey& k)
{
    const QString key = QString::fromStdString(k.key);
    QWidget* w = m_editors.value(key);
    const QString v = value(key);
    const QSignalBlocker block(w);
    if (auto* box = qobject_cast<QCheckBox*>(w)) {
        box->setChecked(v == QStringLiteral("true"));
    } else if (auto* combo = qobject_cast<QComboBox*>(w)) {
        // Choices by name, or workspace objects by id; a value the list lacks is kept, shown as such.
        const bool byId = k.type == ConfigKey::Type::Integer;
        int i = byId ? combo->findData(v.toLongLong()) : combo->findData(v);
        if (i < 0) {
            combo->addItem(byId ? tr("%1 (not in this workspace)").arg(v) : v,
                           byId ? QVariant(v.toLongLong()) : QVariant(v));
            i = combo->count() - 1;
        }
        combo->setCurrentIndex(i);
    } else if (auto* line = qobject_cast<QLineEdit*>(w)) {
        QString text = v;
        if (k.type == ConfigKey::Type::List)
            text = text.remove(QLatin1Char('['))
                       .remove(QLatin1Char(']'))
                       .remove(QLatin1Char('"'))
                       .remove(QLatin1Char('\''));
        if (line->text() != text)
            line->setText(text);
        line->setStyleSheet(QString());
    }
}

void ConfigForm::setChoices(const QString& key, const std::vector<std::pair<QString, qlonglong>>& choices)
{
    QWidget* old = m_editors.value(key);
    const ConfigKey* k = TrainConfig::keyInfo(key.toStdString());
    if (!old || !k)
        return;
    auto* combo = qobject_cast<QComboBox*>(old);
    if (!combo) {
        combo = new QComboBox(this);
        combo->setObjectName(old->objectName());
        combo->setToolTip(old->toolTip());
        auto* form = qobject_cast<QFormLayout*>(old->parentWidget()->layout());
        form->replaceWidget(old, combo);
        old->deleteLater();
        m_editors.insert(key, combo);
        connect(combo, &QComboBox::currentIndexChanged, this,
                [this, key, combo](int) { edited(key, QString::number(combo->currentData().toLongLong())); });
    }
    {
        const QSignalBlocker block(combo);
        combo->clear();
        for (const auto& [label, id] : choices)
            combo->addItem(label, id);
    }
    m_updating = true;
    showValue(*k);
    m_updating = false;
}

} // namespace ssondo::ui

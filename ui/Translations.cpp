// SPDX-License-Identifier: GPL-3.0-or-later
#include "Translations.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>

namespace ssondo::ui {

QString installTranslations(const QString& language)
{
    static QTranslator* installed = nullptr;
    if (installed) {
        QCoreApplication::removeTranslator(installed);
        delete installed;
        installed = nullptr;
    }
    const QLocale locale =
        (language.isEmpty() || language == QLatin1String("system")) ? QLocale::system() : QLocale(language);
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return QStringLiteral("en");
    auto* t = new QTranslator(QCoreApplication::instance());
    // qt_add_translations embeds the catalogues under :/i18n.
    if (!t->load(locale, QStringLiteral("ssondo"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete t;
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(t);
    installed = t;
    return locale.name().left(2);
}

} // namespace ssondo::ui

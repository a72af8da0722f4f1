// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliLocator.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

namespace ssondo::ui {

QString cliPath()
{
    const QString env = qEnvironmentVariable("SSONDO_CLI");
    if (!env.isEmpty() && QFileInfo(env).isExecutable())
        return env;
    const QString local = QCoreApplication::applicationDirPath() + QStringLiteral("/ssondo");
    if (QFileInfo(local).isExecutable())
        return local;
    return QStandardPaths::findExecutable(QStringLiteral("ssondo"));
}

QString shellQuote(const QStringList& argv)
{
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9_./:=@%+,-]+$"));
    QStringList out;
    for (const QString& a : argv) {
        if (safe.match(a).hasMatch())
            out << a;
        else
            out << QLatin1Char('\'') + QString(a).replace(QLatin1String("'"), QLatin1String("'\\''")) +
                       QLatin1Char('\'');
    }
    return out.join(QLatin1Char(' '));
}

} // namespace ssondo::ui

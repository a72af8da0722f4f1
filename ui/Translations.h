// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QCoreApplication;

namespace ssondo::ui {

/// Installs the translator for `language` ("" or "system": follow the system locale; "en": none;
/// "fr": French). Returns the language actually installed ("en" when none matched).
QString installTranslations(const QString& language = {});

} // namespace ssondo::ui

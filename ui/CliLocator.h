// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace ssondo::ui {

/// Finds the `ssondo` executable the GUI runs its jobs with: $SSONDO_CLI, then next to the
/// workbench binary, then PATH. Returns an empty string when none is found.
QString cliPath();

/// Quotes arguments for display so that a user can paste the command into a shell.
QString shellQuote(const QStringList& argv);

} // namespace ssondo::ui

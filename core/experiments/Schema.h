// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace ssondo {

/// The workspace database schema, as an ordered list of migrations. Version N's SQL turns a
/// version N-1 database into version N; `PRAGMA user_version` records where a file stands.
/// Never edit a released migration: add the next one.
class Schema
{
public:
    static int currentVersion();
    /// SQL of the migration from version-1 to version (1 <= version <= currentVersion()).
    static std::string migrationTo(int version);
};

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <vector>

namespace ssondo {

/// Minimal RFC 4180 reader: `separator`-separated (comma by default; MagnaTagATune's file uses
/// TAB), double-quoted fields with "" escapes, CRLF or LF. Enough for label files; throws
/// InputError naming the file and line on an unterminated quote.
class CsvReader
{
public:
    static std::vector<std::vector<std::string>> readFile(const std::string& path, char separator = ',');
    static std::vector<std::vector<std::string>> parse(const std::string& text, const std::string& name,
                                                       char separator = ',');
};

} // namespace ssondo

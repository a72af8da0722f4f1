// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the layout readers share: reading their metadata files. Internal to core/data/layouts.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ssondo::layouts {

/// A table read from a delimited file with a header row: the column index of each header name.
struct Table
{
    std::string file; ///< for messages
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows; ///< without the header; blank lines dropped

    /// Index of the column named `name`; InputError naming the file and its columns when absent.
    std::size_t column(const std::string& name) const;
    /// Index of the first of `names` present, or npos.
    std::size_t findColumn(const std::vector<std::string>& names) const;
    /// Field `c` of data row `r`, trimmed; InputError naming the line when the row is short.
    std::string at(std::size_t r, std::size_t c) const;
    /// "file:line" of data row `r` (the header is line 1).
    std::string where(std::size_t r) const;
};

/// Reads `path` as a table with a header row. Throws InputError when it cannot be read or is empty.
Table readTable(const std::filesystem::path& path, char separator = ',');
/// Rows of a headerless delimited file.
std::vector<std::vector<std::string>> readRows(const std::filesystem::path& path, char separator = ',');
/// Non-blank lines of a text file, '\r' and surrounding blanks stripped.
std::vector<std::string> readLines(const std::filesystem::path& path);
/// The whole file; InputError naming it when it cannot be read.
std::string readText(const std::filesystem::path& path);

/// `s` split at `sep`, each part trimmed, empty parts dropped.
std::vector<std::string> splitList(const std::string& s, const std::string& sep);
std::string trim(const std::string& s);
/// An integer field; InputError "<where>: <what> '<s>' is not an integer" otherwise.
int toInt(const std::string& s, const std::string& where, const std::string& what);

/// True when every label is a small integer with few distinct values, as fold numbers are.
bool looksLikeFoldNumbers(const std::vector<std::string>& labels);
/// "train", "valid" or "test" for the names datasets give their splits, "" otherwise.
std::string canonicalSplit(const std::string& name);
/// The sorted distinct labels of the clips.
template <typename Clips> std::vector<std::string> labelsOf(const Clips& clips)
{
    std::map<std::string, int> seen;
    for (const auto& c : clips)
        for (const auto& l : c.labels)
            seen[l] = 1;
    std::vector<std::string> out;
    for (const auto& [l, _] : seen)
        out.push_back(l);
    return out;
}

} // namespace ssondo::layouts

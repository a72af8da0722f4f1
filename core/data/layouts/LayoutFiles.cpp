// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/layouts/LayoutFiles.h"

#include "data/CsvReader.h"
#include "util/Error.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace ssondo::layouts {

namespace {

bool blank(const std::vector<std::string>& row)
{
    return std::all_of(row.begin(), row.end(), [](const std::string& f) { return trim(f).empty(); });
}

} // namespace

std::size_t Table::column(const std::string& name) const
{
    const std::size_t c = findColumn({name});
    if (c != std::string::npos)
        return c;
    std::string have;
    for (const auto& h : header)
        have += (have.empty() ? "" : ", ") + h;
    throw InputError(file + ": no column '" + name + "' (its header has " + have + ")");
}

std::size_t Table::findColumn(const std::vector<std::string>& names) const
{
    for (const auto& n : names)
        for (std::size_t c = 0; c < header.size(); ++c)
            if (trim(header[c]) == n)
                return c;
    return std::string::npos;
}

std::string Table::at(std::size_t r, std::size_t c) const
{
    const auto& row = rows.at(r);
    if (c >= row.size())
        throw InputError(where(r) + ": " + std::to_string(row.size()) + " fields, column '" +
                         (c < header.size() ? header[c] : std::to_string(c + 1)) + "' missing");
    return trim(row[c]);
}

std::string Table::where(std::size_t r) const
{
    return file + ":" + std::to_string(r + 2);
}

std::vector<std::vector<std::string>> readRows(const fs::path& path, char separator)
{
    if (!fs::is_regular_file(path))
        throw InputError(path.string() + ": missing");
    auto rows = CsvReader::readFile(path.string(), separator);
    rows.erase(std::remove_if(rows.begin(), rows.end(), blank), rows.end());
    return rows;
}

Table readTable(const fs::path& path, char separator)
{
    Table t;
    t.file = path.string();
    t.rows = readRows(path, separator);
    if (t.rows.empty())
        throw InputError(t.file + ": empty (a header row was expected)");
    t.header = t.rows.front();
    t.rows.erase(t.rows.begin());
    return t;
}

std::string readText(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path.string() + ": cannot be read");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> readLines(const fs::path& path)
{
    std::vector<std::string> out;
    std::stringstream ss(readText(path));
    std::string line;
    while (std::getline(ss, line))
        if (!trim(line).empty())
            out.push_back(trim(line));
    return out;
}

std::string trim(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string> splitList(const std::string& s, const std::string& sep)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        const std::size_t end = sep.empty() ? std::string::npos : s.find(sep, start);
        const std::string part =
            trim(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!part.empty())
            out.push_back(part);
        if (end == std::string::npos)
            break;
        start = end + sep.size();
    }
    return out;
}

int toInt(const std::string& s, const std::string& where, const std::string& what)
{
    const std::string t = trim(s);
    std::size_t used = 0;
    try {
        const int v = std::stoi(t, &used);
        if (used == t.size())
            return v;
    } catch (const std::logic_error&) {
    }
    throw InputError(where + ": " + what + " '" + s + "' is not an integer");
}

bool looksLikeFoldNumbers(const std::vector<std::string>& labels)
{
    std::vector<std::string> values;
    for (const auto& l : labels) {
        if (l.empty() || l.size() > 2 || !std::all_of(l.begin(), l.end(), ::isdigit))
            return false;
        if (std::find(values.begin(), values.end(), l) == values.end())
            values.push_back(l);
    }
    return !values.empty() && values.size() <= 10 && labels.size() > values.size();
}

std::string canonicalSplit(const std::string& name)
{
    std::string n = trim(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (n == "train" || n == "training")
        return "train";
    if (n == "valid" || n == "validation" || n == "val" || n == "dev")
        return "valid";
    if (n == "test" || n == "eval" || n == "evaluation")
        return "test";
    return {};
}

} // namespace ssondo::layouts

// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/CsvReader.h"

#include "util/Error.h"

#include <fstream>
#include <sstream>

namespace ssondo {

std::vector<std::vector<std::string>> CsvReader::readFile(const std::string& path, char separator)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path + ": cannot open label file");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), path, separator);
}

std::vector<std::vector<std::string>> CsvReader::parse(const std::string& text, const std::string& name,
                                                       char separator)
{
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, fieldStarted = false;
    int line = 1;
    size_t i = 0;
    // Skip a UTF-8 byte-order mark written by spreadsheet programs.
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0)
        i = 3;
    auto endRow = [&]() {
        if (fieldStarted || !row.empty()) {
            row.push_back(field);
            rows.push_back(std::move(row));
        }
        row.clear();
        field.clear();
        fieldStarted = false;
    };
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field.push_back('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n')
                    ++line;
                field.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
            fieldStarted = true;
        } else if (c == separator) {
            row.push_back(field);
            field.clear();
            fieldStarted = true;
        } else if (c == '\n') {
            endRow();
            ++line;
        } else if (c != '\r') {
            field.push_back(c);
            fieldStarted = true;
        }
    }
    if (quoted)
        throw InputError(name + ":" + std::to_string(line) + ": unterminated quoted field");
    endRow();
    return rows;
}

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "util/Error.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ssondo {

/// A value of a choice as users see it: what the config schema, the CLI help, the TOML comments
/// and the GUI's combo boxes show.
struct ChoiceInfo
{
    std::string name;
    std::string description;
};

/// An entry of a table of named values of an enum: the value, the name users type and the
/// database stores, and one sentence saying what it means.
template <typename E> struct Named
{
    E value;
    std::string_view name;
    std::string_view description;
};

/// The one list of the values of one kind of choice (a loss, a sampler, a job state...). Every
/// place that validates, documents or offers such a value reads this table: the config schema,
/// the CLI's help and its checks, the TOML comments, the man page, the GUI's combo boxes and the
/// database's states. Adding a value is adding an entry.
///
/// `Entry` has at least `name` and `description` (std::string_view); tables of enum values use
/// Named<E>, richer ones (a loss and its function) their own struct. Entries are kept in the
/// order given, which is the order shown to users.
template <typename Entry> class ChoiceTable
{
public:
    ChoiceTable(std::string kind, std::vector<Entry> entries)
        : m_kind(std::move(kind)), m_entries(std::move(entries))
    {
    }

    /// What the values are called in messages: "loss", "sampler", "job state".
    const std::string& kind() const { return m_kind; }
    const std::vector<Entry>& entries() const { return m_entries; }
    auto begin() const { return m_entries.begin(); }
    auto end() const { return m_entries.end(); }

    /// The entry named `name`, or nullptr.
    const Entry* find(std::string_view name) const
    {
        auto it =
            std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.name == name; });
        return it == m_entries.end() ? nullptr : &*it;
    }
    /// The entry named `name`; InputError "<where>: unknown <kind> 'x' (one of a, b, c)" otherwise.
    const Entry& get(std::string_view name, const std::string& where) const
    {
        if (const Entry* e = find(name))
            return *e;
        throw InputError((where.empty() ? std::string() : where + ": ") + "unknown " + m_kind + " '" +
                         std::string(name) + "' (one of " + names(", ") + ")");
    }
    bool contains(std::string_view name) const { return find(name) != nullptr; }

    /// The entry whose `value` is `v` (tables of Named<E>). A value without an entry is a bug.
    template <typename V> const Entry& of(V v) const
    {
        auto it =
            std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.value == v; });
        if (it == m_entries.end())
            throw std::logic_error("a " + m_kind + " value has no entry in its table");
        return *it;
    }
    template <typename V> std::string nameOf(V v) const { return std::string(of(v).name); }

    /// The names joined by `separator`: "cosine | mse | l1".
    std::string names(std::string_view separator = " | ") const
    {
        std::string out;
        for (const Entry& e : m_entries)
            out += (out.empty() ? "" : std::string(separator)) + std::string(e.name);
        return out;
    }
    /// Names and descriptions, in order.
    std::vector<ChoiceInfo> infos() const
    {
        std::vector<ChoiceInfo> out;
        for (const Entry& e : m_entries)
            out.push_back({std::string(e.name), std::string(e.description)});
        return out;
    }
    /// One line per value, "name: description", each prefixed by `indent`.
    std::string help(std::string_view indent = "  ") const
    {
        std::string out;
        for (const Entry& e : m_entries)
            out += std::string(indent) + std::string(e.name) + ": " + std::string(e.description) + "\n";
        return out;
    }

private:
    std::string m_kind;
    std::vector<Entry> m_entries;
};

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <stdexcept>
#include <string>

namespace ssondo {

/// Base of every error the core throws. what() is a complete, user-facing sentence that names the
/// offending file or value; callers print it as is.
class Error : public std::runtime_error
{
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// A bad user input (config value, file content, a missing prerequisite): `ssondo` exits 1.
class InputError : public Error
{
public:
    using Error::Error;
};

/// A bad command line: a value given on it that is refused, a flag that is missing or malformed.
/// `ssondo` exits 2, as for the parse errors CLI11 reports itself.
class UsageError : public InputError
{
public:
    using InputError::InputError;
};

/// An audio file that cannot be decoded; path() names it.
class AudioError : public Error
{
public:
    AudioError(std::string path, const std::string& reason)
        : Error(path + ": " + reason), m_path(std::move(path)), m_reason(reason)
    {
    }
    const std::string& path() const { return m_path; }
    const std::string& reason() const { return m_reason; }

private:
    std::string m_path;
    std::string m_reason;
};

/// A database that is locked, read-only, damaged or from a newer schema.
class DatabaseError : public Error
{
public:
    using Error::Error;
};

} // namespace ssondo

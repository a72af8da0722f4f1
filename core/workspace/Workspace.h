// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <string>

namespace ssondo {

class Database;

/// A workspace folder: workspace.db (the single source of truth), embeddings/, runs/.
/// Not thread-safe: one Workspace per thread (open a second one to read from another thread).
class Workspace
{
public:
    /// Creates the folder layout and the database; opening an existing workspace is not an error.
    static std::unique_ptr<Workspace> create(const std::string& dir);
    /// Opens an existing workspace. Throws InputError when `dir` has no workspace.db,
    /// DatabaseError when the database cannot be used. busyTimeoutMs: how long to wait for a lock
    /// held by another process before reporting it.
    static std::unique_ptr<Workspace> open(const std::string& dir, bool readOnly = false,
                                           int busyTimeoutMs = 10000);
    static bool isWorkspace(const std::string& dir);

    ~Workspace();

    const std::string& dir() const { return m_dir; } ///< absolute
    std::string databasePath() const;
    std::string embeddingsDir() const;
    std::string runsDir() const;
    std::string name() const; ///< folder name
    Database& database() { return *m_db; }

private:
    Workspace(std::string dir, std::unique_ptr<Database> db);
    std::string m_dir;
    std::unique_ptr<Database> m_db;
};

} // namespace ssondo

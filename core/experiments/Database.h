// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace ssondo {

/// A prepared statement. Bind indices are 1-based, column indices 0-based (SQLite's convention).
/// Not thread-safe; owned by one thread with its Database.
class Statement
{
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt, std::string dbPath);
    Statement(Statement&&) noexcept;
    Statement& operator=(Statement&&) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, const std::string& value);
    Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
    Statement& bindBlob(int index, const void* data, std::size_t size);
    Statement& bindNull(int index);
    template <typename T> Statement& bind(int index, const std::optional<T>& v)
    {
        return v ? bind(index, *v) : bindNull(index);
    }

    /// Runs one step: true when a row is available, false when done. Throws DatabaseError.
    bool step();
    /// Steps until done (for INSERT/UPDATE/DELETE), then resets for reuse.
    void run();
    void reset();

    bool isNull(int column) const;
    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::optional<double> columnOptDouble(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_path;
};

/// RAII connection to a workspace database: WAL journal, foreign keys on, a busy timeout so a reader
/// and a writer in two processes wait for each other instead of failing. Errors become
/// DatabaseError messages that say what is wrong (locked, read-only, damaged, newer schema) and where.
class Database
{
public:
    enum class Mode { ReadWrite, ReadOnly, Create };

    /// Opens (or creates, for Mode::Create) the file and migrates its schema to the current version
    /// (not in ReadOnly mode). Throws DatabaseError.
    static std::unique_ptr<Database> open(const std::string& path, Mode mode = Mode::ReadWrite,
                                          int busyTimeoutMs = 10000);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return m_path; }
    bool readOnly() const { return m_readOnly; }

    void exec(const std::string& sql);
    Statement prepare(const std::string& sql);
    std::int64_t lastInsertId() const;
    int changes() const;

    /// PRAGMA user_version of the open file.
    int schemaVersion();

    /// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed without commit() (exception unwinding).
    class Transaction
    {
    public:
        explicit Transaction(Database& db);
        ~Transaction();
        void commit();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;

    private:
        Database& m_db;
        bool m_done = false;
    };

    /// Throws DatabaseError for SQLite result code `rc` with `what` as context.
    [[noreturn]] void fail(int rc, const std::string& what) const;

private:
    Database(sqlite3* db, std::string path, bool readOnly);
    void migrate();

    sqlite3* m_db = nullptr;
    std::string m_path;
    bool m_readOnly = false;
};

/// Current UTC time as ISO-8601 "YYYY-MM-DDTHH:MM:SSZ".
std::string utcNow();

} // namespace ssondo

// SPDX-License-Identifier: GPL-3.0-or-later
#include "experiments/Database.h"

#include "experiments/Schema.h"
#include "util/Error.h"

#include <sqlite3.h>

#include <ctime>

namespace ssondo {

namespace {

std::string describe(int rc, sqlite3* db, const std::string& path)
{
    const int primary = rc & 0xff;
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return path + ": the database is locked by another process (" + detail +
               "); try again when the other job has finished";
    case SQLITE_READONLY:
        return path + ": the database is read-only (" + detail + "); check the file's permissions";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return path + ": the database is damaged or is not a workspace database (" + detail + ")";
    case SQLITE_FULL:
        return path + ": the disk is full (" + detail + "); nothing was written";
    case SQLITE_CANTOPEN:
        return path + ": cannot open the database (" + detail + ")";
    default:
        return path + ": database error: " + detail;
    }
}

} // namespace

std::string utcNow()
{
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// ---------------------------------------------------------------------------------------------
Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string dbPath)
    : m_db(db), m_stmt(stmt), m_path(std::move(dbPath))
{
}

Statement::Statement(Statement&& o) noexcept : m_db(o.m_db), m_stmt(o.m_stmt), m_path(std::move(o.m_path))
{
    o.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& o) noexcept
{
    if (this != &o) {
        sqlite3_finalize(m_stmt);
        m_db = o.m_db;
        m_stmt = o.m_stmt;
        m_path = std::move(o.m_path);
        o.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

static void check(int rc, sqlite3* db, const std::string& path)
{
    if (rc != SQLITE_OK)
        throw DatabaseError(describe(rc, db, path));
}

Statement& Statement::bind(int i, std::int64_t v)
{
    check(sqlite3_bind_int64(m_stmt, i, v), m_db, m_path);
    return *this;
}
Statement& Statement::bind(int i, double v)
{
    check(sqlite3_bind_double(m_stmt, i, v), m_db, m_path);
    return *this;
}
Statement& Statement::bind(int i, const std::string& v)
{
    check(sqlite3_bind_text(m_stmt, i, v.data(), int(v.size()), SQLITE_TRANSIENT), m_db, m_path);
    return *this;
}
Statement& Statement::bindBlob(int i, const void* data, std::size_t size)
{
    check(sqlite3_bind_blob(m_stmt, i, data, int(size), SQLITE_TRANSIENT), m_db, m_path);
    return *this;
}
Statement& Statement::bindNull(int i)
{
    check(sqlite3_bind_null(m_stmt, i), m_db, m_path);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string msg = describe(rc, m_db, m_path);
    sqlite3_reset(m_stmt);
    throw DatabaseError(msg);
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int c) const
{
    return sqlite3_column_type(m_stmt, c) == SQLITE_NULL;
}
std::int64_t Statement::columnInt(int c) const
{
    return sqlite3_column_int64(m_stmt, c);
}
double Statement::columnDouble(int c) const
{
    return sqlite3_column_double(m_stmt, c);
}
std::string Statement::columnText(int c) const
{
    const auto* p = sqlite3_column_text(m_stmt, c);
    return p ? std::string(reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(m_stmt, c)))
             : std::string();
}
std::optional<double> Statement::columnOptDouble(int c) const
{
    if (isNull(c))
        return std::nullopt;
    return columnDouble(c);
}

// ---------------------------------------------------------------------------------------------
Database::Database(sqlite3* db, std::string path, bool readOnly)
    : m_db(db), m_path(std::move(path)), m_readOnly(readOnly)
{
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

std::unique_ptr<Database> Database::open(const std::string& path, Mode mode, int busyTimeoutMs)
{
    int flags = SQLITE_OPEN_FULLMUTEX;
    flags |= mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (mode == Mode::Create)
        flags |= SQLITE_OPEN_CREATE;
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = describe(rc, raw, path);
        sqlite3_close_v2(raw);
        throw DatabaseError(msg);
    }
    std::unique_ptr<Database> db(new Database(raw, path, mode == Mode::ReadOnly));
    sqlite3_busy_timeout(raw, busyTimeoutMs);
    sqlite3_extended_result_codes(raw, 1);
    // Touch the file so that "not a database" surfaces here, with the path, not later.
    const int version = db->schemaVersion();
    if (version > Schema::currentVersion())
        throw DatabaseError(path + ": this workspace was written by a newer S-SONDO Workbench (schema " +
                            std::to_string(version) + ", this build reads up to " +
                            std::to_string(Schema::currentVersion()) + "); upgrade the workbench to open it");
    db->exec("PRAGMA foreign_keys = ON");
    if (mode != Mode::ReadOnly) {
        db->exec("PRAGMA journal_mode = WAL");
        db->exec("PRAGMA synchronous = NORMAL");
        db->migrate();
    }
    return db;
}

void Database::fail(int rc, const std::string& what) const
{
    throw DatabaseError(describe(rc, m_db, m_path) + (what.empty() ? "" : " [" + what + "]"));
}

void Database::exec(const std::string& sql)
{
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK)
        fail(rc, sql.substr(0, 60));
}

Statement Database::prepare(const std::string& sql)
{
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db, sql.c_str(), int(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK)
        fail(rc, sql.substr(0, 60));
    return Statement(m_db, stmt, m_path);
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const
{
    return sqlite3_changes(m_db);
}

int Database::schemaVersion()
{
    Statement s = prepare("PRAGMA user_version");
    s.step();
    return int(s.columnInt(0));
}

void Database::migrate()
{
    const int from = schemaVersion();
    const int to = Schema::currentVersion();
    if (from == to)
        return;
    // Each step in its own transaction: a crash between two steps leaves a valid older schema.
    for (int v = from + 1; v <= to; ++v) {
        Transaction tx(*this);
        exec(Schema::migrationTo(v));
        exec("PRAGMA user_version = " + std::to_string(v));
        tx.commit();
    }
}

Database::Transaction::Transaction(Database& db) : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Database::Transaction::~Transaction()
{
    if (!m_done) {
        char* err = nullptr;
        sqlite3_exec(m_db.m_db, "ROLLBACK", nullptr, nullptr, &err);
        sqlite3_free(err);
    }
}

void Database::Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace ssondo

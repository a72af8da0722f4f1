// SPDX-License-Identifier: GPL-3.0-or-later
#include "workspace/Workspace.h"

#include "experiments/Database.h"
#include "util/Error.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace ssondo {

namespace {
constexpr const char* kDbName = "workspace.db";
}

Workspace::Workspace(std::string dir, std::unique_ptr<Database> db)
    : m_dir(std::move(dir)), m_db(std::move(db))
{
}
Workspace::~Workspace() = default;

bool Workspace::isWorkspace(const std::string& dir)
{
    std::error_code ec;
    return fs::is_regular_file(fs::path(dir) / kDbName, ec);
}

std::unique_ptr<Workspace> Workspace::create(const std::string& dirIn)
{
    std::error_code ec;
    const fs::path dir = fs::absolute(dirIn);
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw InputError(dir.string() + ": exists and is not a folder");
    fs::create_directories(dir / "embeddings", ec);
    if (!ec)
        fs::create_directories(dir / "runs", ec);
    if (ec)
        throw Error(dir.string() + ": cannot create the workspace folders: " + ec.message());
    auto db = Database::open((dir / kDbName).string(), Database::Mode::Create);
    auto st = db->prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?1)");
    st.bind(1, utcNow()).run();
    return std::unique_ptr<Workspace>(new Workspace(fs::weakly_canonical(dir).string(), std::move(db)));
}

std::unique_ptr<Workspace> Workspace::open(const std::string& dirIn, bool readOnly, int busyTimeoutMs)
{
    const fs::path dir = fs::absolute(dirIn);
    if (!isWorkspace(dir.string()))
        throw InputError(dir.string() + ": not a workspace (no " + kDbName +
                         "); create one with `ssondo workspace init " + dirIn + "`");
    auto db = Database::open((dir / kDbName).string(),
                             readOnly ? Database::Mode::ReadOnly : Database::Mode::ReadWrite, busyTimeoutMs);
    return std::unique_ptr<Workspace>(new Workspace(fs::weakly_canonical(dir).string(), std::move(db)));
}

std::string Workspace::databasePath() const
{
    return (fs::path(m_dir) / kDbName).string();
}
std::string Workspace::embeddingsDir() const
{
    return (fs::path(m_dir) / "embeddings").string();
}
std::string Workspace::runsDir() const
{
    return (fs::path(m_dir) / "runs").string();
}
std::string Workspace::name() const
{
    return fs::path(m_dir).filename().string();
}

} // namespace ssondo

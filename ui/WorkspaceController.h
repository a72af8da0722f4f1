// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace ssondo {
class Workspace;
}

namespace ssondo::ui {

/// The open workspace as the GUI sees it. Owns a read-only connection (GUI thread only) that the
/// pages read from, and watches the database: any commit by any process (a job, a terminal)
/// bumps SQLite's data_version, and changed() fires so the pages re-read the truth.
class WorkspaceController : public QObject
{
    Q_OBJECT

public:
    explicit WorkspaceController(QObject* parent = nullptr);
    ~WorkspaceController() override;

    /// Opens (create = true: creates) a workspace; on failure emits error() and keeps the old one.
    bool open(const QString& dir, bool create = false);
    void close();

    bool isOpen() const { return bool(m_ws); }
    QString dir() const;
    /// Read-only view of the workspace; null when none is open. GUI thread only.
    Workspace* workspace() const { return m_ws.get(); }

    /// How often the database is polled for changes, in ms (default 500).
    void setPollInterval(int ms) { m_timer.setInterval(ms); }
    /// Checks the database now (tests call this instead of waiting for the timer).
    void poll();

Q_SIGNALS:
    void opened(const QString& dir);
    void closed();
    /// Another connection committed something: pages should refresh.
    void changed();
    void error(const QString& message);

private:
    std::unique_ptr<Workspace> m_ws;
    QTimer m_timer;
    qint64 m_dataVersion = -1;
};

} // namespace ssondo::ui

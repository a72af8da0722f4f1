// SPDX-License-Identifier: GPL-3.0-or-later
#include "WorkspaceController.h"

#include "experiments/Database.h"
#include "workspace/Workspace.h"

namespace ssondo::ui {

WorkspaceController::WorkspaceController(QObject* parent) : QObject(parent)
{
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &WorkspaceController::poll);
}

WorkspaceController::~WorkspaceController() = default;

QString WorkspaceController::dir() const
{
    return m_ws ? QString::fromStdString(m_ws->dir()) : QString();
}

bool WorkspaceController::open(const QString& dir, bool create)
{
    try {
        if (create)
            Workspace::create(dir.toStdString()); // creates the layout, then reopen read-only below
        auto ws = Workspace::open(dir.toStdString(), /*readOnly=*/true);
        m_ws = std::move(ws);
    } catch (const std::exception& e) {
        Q_EMIT error(QString::fromStdString(e.what()));
        return false;
    }
    m_dataVersion = -1;
    poll();
    m_timer.start();
    Q_EMIT opened(this->dir());
    return true;
}

void WorkspaceController::close()
{
    m_timer.stop();
    m_ws.reset();
    Q_EMIT closed();
}

void WorkspaceController::poll()
{
    if (!m_ws)
        return;
    try {
        auto s = m_ws->database().prepare("PRAGMA data_version");
        s.step();
        const qint64 v = s.columnInt(0);
        if (m_dataVersion >= 0 && v != m_dataVersion) {
            m_dataVersion = v;
            Q_EMIT changed();
        }
        m_dataVersion = v;
    } catch (const std::exception& e) {
        Q_EMIT error(QString::fromStdString(e.what()));
    }
}

} // namespace ssondo::ui

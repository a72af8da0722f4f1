// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QSplitter;

namespace ssondo::ui {

class WorkspaceController;
class JobRunner;

/// Base of the five workbench pages. A page reads what it shows from the workspace database
/// (through the controller) and re-reads it in refresh(); it never keeps state that only lives
/// in memory. GUI thread only.
class Page : public QWidget
{
    Q_OBJECT

public:
    Page(WorkspaceController* controller, QWidget* parent = nullptr);

    /// Title shown in the navigation (translated).
    virtual QString title() const = 0;
    /// Stable identifier used by --page, settings and tests ("data", "teacher", ...).
    virtual QString pageId() const = 0;

    /// Re-reads the workspace. Called when the workspace opens or changes, and when shown.
    virtual void refresh() = 0;

Q_SIGNALS:
    /// The page wants a `ssondo` command run as a job (args without the program and -w).
    void runCommand(const QStringList& args, const QString& kind, const QString& target);
    void statusMessage(const QString& message);

protected:
    WorkspaceController* controller() const { return m_controller; }
    /// Restores a splitter's sizes from QSettings ("pages/<id>/<key>") and saves them when moved.
    /// Call from the derived constructor (pageId() is then the derived one).
    void rememberSplitter(QSplitter* splitter, const QString& key);

private:
    WorkspaceController* m_controller;
};

} // namespace ssondo::ui

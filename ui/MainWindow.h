// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;

namespace ssondo::ui {

class JobsDock;
class Page;
class WorkspaceController;

/// The workbench window. It only assembles: navigation, the five pages, the jobs dock, menus and
/// status bar; each page is its own class. Window layout and recent workspaces live in QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens (or with create, creates) a workspace; shows an error and keeps the current one on failure.
    bool openWorkspace(const QString& dir, bool create = false);

    WorkspaceController* controller() const { return m_controller; }
    JobsDock* jobsDock() const { return m_jobs; }
    QList<Page*> pages() const { return m_pages; }
    Page* page(const QString& id) const;
    /// Shows a page by id ("data", "teacher", "clusters", "train", "experiments").
    bool setCurrentPage(const QString& id);
    Page* currentPage() const;
    QStringList recentWorkspaces() const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    QWidget* buildWelcome();
    void updateRecentMenu();
    void updateStatus();
    void onOpened(const QString& dir);
    void newWorkspace();
    void openWorkspaceDialog();
    void createDemoWorkspace();
    void runPageCommand(const QStringList& args);

    WorkspaceController* m_controller;
    QListWidget* m_nav;
    QStackedWidget* m_stack;
    QWidget* m_welcome;
    QListWidget* m_welcomeRecent;
    JobsDock* m_jobs;
    QList<Page*> m_pages;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_wsLabel;
    QLabel* m_jobsLabel;
};

} // namespace ssondo::ui

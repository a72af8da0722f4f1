// SPDX-License-Identifier: GPL-3.0-or-later
#include "MainWindow.h"

#include "PreferencesDialog.h"

#include "WorkspaceController.h"
#include "data/DatasetCatalog.h"
#include "jobs/JobsDock.h"
#include "pages/ClustersPage.h"
#include "pages/DataPage.h"
#include "pages/ExperimentsPage.h"
#include "pages/TeacherPage.h"
#include "pages/TrainPage.h"
#include "workspace/Workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace ssondo::ui {

namespace {
constexpr int kMaxRecent = 8;
const char* kRecentKey = "recentWorkspaces";
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_controller(new WorkspaceController(this)), m_nav(new QListWidget(this)),
      m_stack(new QStackedWidget(this)), m_wsLabel(new QLabel(this)), m_jobsLabel(new QLabel(this))
{
    setWindowTitle(tr("S-SONDO Workbench"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/ssondo.svg")));

    m_pages << new DataPage(m_controller, this) << new TeacherPage(m_controller, this)
            << new ClustersPage(m_controller, this) << new TrainPage(m_controller, this)
            << new ExperimentsPage(m_controller, this);

    const auto openClip = [this](const QString& dataset, const QString& clip) {
        auto* data = qobject_cast<DataPage*>(page(QStringLiteral("data")));
        if (!data)
            return;
        setCurrentPage(QStringLiteral("data"));
        data->selectDataset(dataset);
        data->selectClip(clip, true);
    };
    if (auto* clusters = qobject_cast<ClustersPage*>(page(QStringLiteral("clusters"))))
        connect(clusters, &ClustersPage::clipActivated, this, openClip);
    if (auto* experiments = qobject_cast<ExperimentsPage*>(page(QStringLiteral("experiments"))))
        connect(experiments, &ExperimentsPage::clipActivated, this, openClip);

    m_welcome = buildWelcome();
    m_stack->addWidget(m_welcome);
    for (Page* p : m_pages) {
        m_stack->addWidget(p);
        m_nav->addItem(p->title());
        connect(p, &Page::runCommand, this, [this](const QStringList& args) { runPageCommand(args); });
        connect(p, &Page::statusMessage, this,
                [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    }
    m_nav->setObjectName(QStringLiteral("pageNavigation"));
    m_nav->setFixedWidth(150);
    m_nav->setSpacing(2);
    QFont navFont = m_nav->font();
    navFont.setPointSizeF(navFont.pointSizeF() * 1.15);
    m_nav->setFont(navFont);
    connect(m_nav, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || !m_controller->isOpen())
            return;
        m_stack->setCurrentWidget(m_pages[row]);
        m_pages[row]->refresh();
    });

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_nav);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    m_jobs = new JobsDock(m_controller, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobs);
    connect(m_jobs, &JobsDock::statusMessage, this,
            [this](const QString& m) { statusBar()->showMessage(m, 10000); });
    if (auto* train = qobject_cast<TrainPage*>(page(QStringLiteral("train"))))
        connect(train, &TrainPage::stopJob, m_jobs, &JobsDock::stopJob);

    m_wsLabel->setObjectName(QStringLiteral("workspaceLabel"));
    statusBar()->addPermanentWidget(m_jobsLabel);
    statusBar()->addPermanentWidget(m_wsLabel);

    connect(m_controller, &WorkspaceController::opened, this, &MainWindow::onOpened);
    connect(m_controller, &WorkspaceController::changed, this, [this]() {
        if (Page* p = currentPage())
            p->refresh();
        updateStatus();
    });
    connect(m_controller, &WorkspaceController::error, this,
            [this](const QString& message) { QMessageBox::warning(this, tr("Workspace"), message); });

    buildMenus();
    m_nav->setEnabled(false);
    m_stack->setCurrentWidget(m_welcome);
    updateStatus();

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 820);
    if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray()))
        resizeDocks({m_jobs}, {190}, Qt::Vertical);
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildWelcome()
{
    auto* w = new QWidget(this);
    auto* title =
        new QLabel(tr("<h1>S-SONDO Workbench</h1>"
                      "<p>Distil a large audio foundation model into a small student from the teacher's "
                      "embeddings alone.</p><p>Open a workspace, or create one to start.</p>"),
                   w);
    title->setWordWrap(true);
    auto* newButton = new QPushButton(tr("New workspace…"), w);
    auto* openButton = new QPushButton(tr("Open workspace…"), w);
    auto* demoButton = new QPushButton(tr("Create the demo workspace…"), w);
    demoButton->setToolTip(
        tr("A workspace with a synthetic labelled dataset of 325 clips; nothing is downloaded"));
    m_welcomeRecent = new QListWidget(w);
    m_welcomeRecent->setObjectName(QStringLiteral("welcomeRecent"));
    connect(newButton, &QPushButton::clicked, this, &MainWindow::newWorkspace);
    connect(openButton, &QPushButton::clicked, this, &MainWindow::openWorkspaceDialog);
    connect(demoButton, &QPushButton::clicked, this, &MainWindow::createDemoWorkspace);
    connect(m_welcomeRecent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { openWorkspace(item->text()); });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(newButton);
    buttons->addWidget(openButton);
    buttons->addWidget(demoButton);
    buttons->addStretch(1);
    auto* layout = new QVBoxLayout(w);
    layout->setContentsMargins(40, 30, 40, 30);
    layout->addWidget(title);
    layout->addLayout(buttons);
    layout->addSpacing(16);
    layout->addWidget(new QLabel(tr("Recent workspaces:"), w));
    layout->addWidget(m_welcomeRecent, 1);
    return w;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New workspace…"), QKeySequence::New, this, &MainWindow::newWorkspace);
    file->addAction(tr("&Open workspace…"), QKeySequence::Open, this, &MainWindow::openWorkspaceDialog);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    file->addAction(tr("Create the &demo workspace…"), this, &MainWindow::createDemoWorkspace);
    file->addSeparator();
    file->addAction(tr("&Close workspace"), this, [this]() {
        m_controller->close();
        m_nav->setEnabled(false);
        m_stack->setCurrentWidget(m_welcome);
        setWindowTitle(tr("S-SONDO Workbench"));
        updateStatus();
    });
    file->addSeparator();
    file->addAction(tr("&Preferences…"), QKeySequence::Preferences, this, [this]() {
        PreferencesDialog dialog(this);
        dialog.exec();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_pages.size(); ++i) {
        QAction* a = view->addAction(m_pages[i]->title(), this, [this, i]() { m_nav->setCurrentRow(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    view->addAction(m_jobs->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About S-SONDO Workbench"), this, [this]() {
        QMessageBox::about(
            this, tr("About S-SONDO Workbench"),
            tr("<b>S-SONDO Workbench</b> %1<p>Self-supervised knowledge distillation of general audio "
               "foundation models from their output embeddings (S-SONDO, ICASSP 2026).</p>"
               "<p>Every action here is a <tt>ssondo</tt> command you can also run in a terminal or on a cluster.</p>"
               "<p>Copyright © 2026 S-SONDO Workbench developers. This program is free software: you can "
               "redistribute it and/or modify it under the terms of the GNU General Public License as "
               "published by the Free Software Foundation, either version 3 of the License, or (at your "
               "option) any later version. It comes with ABSOLUTELY NO WARRANTY; see the "
               "<a href=\"https://www.gnu.org/licenses/gpl-3.0.html\">GNU General Public License</a> "
               "(SPDX: GPL-3.0-or-later).</p>"
               "<p>It uses Qt (LGPL-3.0), QCustomPlot (GPL-3.0), LibTorch (BSD-3-Clause) and FAISS (MIT).</p>")
                .arg(QApplication::applicationVersion()));
    });
    updateRecentMenu();
}

QStringList MainWindow::recentWorkspaces() const
{
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void MainWindow::updateRecentMenu()
{
    const QStringList recent = recentWorkspaces();
    m_recentMenu->clear();
    m_welcomeRecent->clear();
    for (const QString& dir : recent) {
        m_recentMenu->addAction(dir, this, [this, dir]() { openWorkspace(dir); });
        m_welcomeRecent->addItem(dir);
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

bool MainWindow::openWorkspace(const QString& dir, bool create)
{
    return m_controller->open(dir, create);
}

void MainWindow::onOpened(const QString& dir)
{
    QSettings settings;
    QStringList recent = recentWorkspaces();
    recent.removeAll(dir);
    recent.prepend(dir);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue(QLatin1String(kRecentKey), recent);
    updateRecentMenu();

    setWindowTitle(tr("%1 — S-SONDO Workbench").arg(QFileInfo(dir).fileName()));
    m_nav->setEnabled(true);
    const QString last = settings.value(QStringLiteral("window/page"), QStringLiteral("data")).toString();
    if (!setCurrentPage(last))
        setCurrentPage(QStringLiteral("data"));
    for (Page* p : m_pages)
        p->refresh();
    updateStatus();
}

Page* MainWindow::page(const QString& id) const
{
    for (Page* p : m_pages)
        if (p->pageId() == id)
            return p;
    return nullptr;
}

Page* MainWindow::currentPage() const
{
    return qobject_cast<Page*>(m_stack->currentWidget());
}

bool MainWindow::setCurrentPage(const QString& id)
{
    Page* p = page(id);
    if (!p || !m_controller->isOpen())
        return false;
    m_nav->setCurrentRow(int(m_pages.indexOf(p)));
    m_stack->setCurrentWidget(p);
    return true;
}

void MainWindow::updateStatus()
{
    if (!m_controller->isOpen()) {
        m_wsLabel->setText(tr("No workspace"));
        m_jobsLabel->clear();
        return;
    }
    int datasets = 0;
    try {
        datasets = int(DatasetCatalog(m_controller->workspace()->database()).list().size());
    } catch (const std::exception&) {
    }
    m_wsLabel->setText(tr("Workspace: %1 · %n dataset(s)", nullptr, datasets).arg(m_controller->dir()));
    const int running = m_jobs->runningCount();
    m_jobsLabel->setText(running ? tr("%n job(s) running", nullptr, running) : tr("No job running"));
}

void MainWindow::newWorkspace()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the new workspace"));
    if (!dir.isEmpty())
        openWorkspace(dir, true);
}

void MainWindow::openWorkspaceDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a workspace folder"));
    if (!dir.isEmpty())
        openWorkspace(dir);
}

void MainWindow::createDemoWorkspace()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the demo workspace"));
    if (dir.isEmpty() || !openWorkspace(dir, true))
        return;
    runPageCommand({QStringLiteral("demo")});
}

void MainWindow::runPageCommand(const QStringList& args)
{
    if (!m_controller->isOpen())
        return;
    m_jobs->show();
    m_jobs->showSlurm(args.value(0) == QLatin1String("slurm")); // a submission is followed there
    m_jobs->runCommand(args);
    statusBar()->showMessage(tr("Started: ssondo %1").arg(args.join(QLatin1Char(' '))), 5000);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    if (Page* p = currentPage())
        settings.setValue(QStringLiteral("window/page"), p->pageId());
    event->accept();
}

} // namespace ssondo::ui

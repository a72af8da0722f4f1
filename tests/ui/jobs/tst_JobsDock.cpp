// SPDX-License-Identifier: GPL-3.0-or-later
// The jobs dock: elapsed time and ETA from the job records, re-run arguments built from a recorded
// command, and Resume running a stopped job's command again through the real CLI.

#include "WorkspaceController.h"
#include "experiments/Database.h"
#include "experiments/JobLog.h"
#include "jobs/JobsDock.h"
#include "models/JobTableModel.h"
#include "workspace/Workspace.h"

#include "jobs/JobRunner.h"
#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>
#include <csignal>

using namespace ssondo;
using namespace ssondo::ui;

class tst_JobsDock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void durations_data();
    void durations();
    void rerunArguments();
    void elapsedEtaAndResume();
    void survivesAJobCrash();
};

void tst_JobsDock::durations_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("seconds") << 42.4 << "42 s";
    QTest::newRow("minutes") << 185.0 << "3 min 05 s";
    QTest::newRow("hours") << 3725.0 << "1 h 02 min";
    QTest::newRow("unknown") << -1.0 << "";
}

void tst_JobsDock::durations()
{
    QFETCH(double, seconds);
    QFETCH(QString, text);
    QCOMPARE(JobTableModel::duration(seconds), text);
}

void tst_JobsDock::rerunArguments()
{
    QCOMPARE(JobsDock::rerunArguments(
                 QStringLiteral("ssondo -w /tmp/ws --json train --dataset demo --name 'my run'")),
             (QStringList{"train", "--dataset", "demo", "--name", "my run"}));
    QCOMPARE(JobsDock::rerunArguments(QStringLiteral("/usr/bin/ssondo --workspace=/x extract --dataset d")),
             (QStringList{"extract", "--dataset", "d"}));
    QCOMPARE(JobsDock::rerunArguments(QStringLiteral("ssondo runs note 3 'it'\\''s \"fine\"' \"a b\" c\\ d")),
             (QStringList{"runs", "note", "3", "it's \"fine\"", "a b", "c d"}));
    QVERIFY(JobsDock::rerunArguments(QStringLiteral("ssondo")).isEmpty());
}

void tst_JobsDock::elapsedEtaAndResume()
{
    QTemporaryDir dir;
    const QString wsDir = dir.path() + QStringLiteral("/ws");
    {
        auto ws = Workspace::create(wsDir.toStdString());
        JobLog jobs(ws->database());
        // A running job half-way at 2 items/s: 50 left → 25 s.
        const auto running =
            jobs.start("extract", "demo", "ssondo -w " + wsDir.toStdString() + " extract --dataset demo");
        jobs.progress(running, 50, 100, 2.0);
        // A stopped job whose command is cheap to run again.
        const auto stopped =
            jobs.start("scan", "none", "ssondo -w " + wsDir.toStdString() + " --json dataset list");
        jobs.finish(stopped, JobState::Stopped, "stopped by the user");
    }
    WorkspaceController c;
    QVERIFY(c.open(wsDir));
    JobsDock dock(&c);
    dock.refresh();
    JobTableModel* m = dock.model();
    QCOMPARE(m->rowCount(), 2);
    const int runningRow = m->job(0)->state == JobState::Running ? 0 : 1;
    QCOMPARE(m->data(m->index(runningRow, JobTableModel::Eta)).toString(), QStringLiteral("25 s"));
    QVERIFY(!m->data(m->index(runningRow, JobTableModel::Elapsed)).toString().isEmpty());
    const int stoppedRow = 1 - runningRow;
    QVERIFY(m->data(m->index(stoppedRow, JobTableModel::Eta)).toString().isEmpty());

    dock.view()->selectRow(stoppedRow);
    QPushButton* resume = nullptr;
    for (QPushButton* b : dock.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Resume"))
            resume = b;
    QVERIFY(resume && resume->isEnabled());
    QSignalSpy finished(&dock, &JobsDock::jobFinished);
    resume->click();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    dock.view()->selectRow(runningRow);
    QVERIFY(!resume->isEnabled()); // a running job is stopped, not resumed
}

void tst_JobsDock::survivesAJobCrash()
{
    // A job that crashes (SIGSEGV) mid-run: the window goes on, the runner reports the crash, and
    // the job's row, left "running" by the dead process, is shown failed.
    QTemporaryDir dir;
    const QString data = dir.path() + QStringLiteral("/data"), wsDir = dir.path() + QStringLiteral("/ws");
    QProcess synth;
    synth.start(QString::fromLocal8Bit(qgetenv("SSONDO_CLI")),
                {"-q", "dataset", "synth", data, "--clips-per-class", "30", "--min-seconds", "4",
                 "--max-seconds", "6"});
    QVERIFY(synth.waitForFinished(120000));
    QCOMPARE(synth.exitCode(), 0);
    Workspace::create(wsDir.toStdString());
    WorkspaceController c;
    QVERIFY(c.open(wsDir));
    JobsDock dock(&c);
    dock.show();
    QSignalSpy finished(&dock, &JobsDock::jobFinished);
    JobRunner* runner = dock.runCommand({"dataset", "add", data, "--name", "big", "--verify"});
    qint64 pid = 0;
    connect(runner, &JobRunner::started, this, [&pid](qint64 p) { pid = p; });
    QTRY_VERIFY_WITH_TIMEOUT(pid > 0, 30000);
    // Wait until the job has recorded itself, then crash it.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            dock.refresh();
            for (int r = 0; r < dock.model()->rowCount(); ++r)
                if (dock.model()->job(r)->pid == pid && dock.model()->job(r)->state == JobState::Running)
                    return true;
            return false;
        }(),
        60000);
    ::kill(pid_t(pid), SIGSEGV);
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY2(finished.at(0).at(1).toString().contains("crashed"),
             qPrintable(finished.at(0).at(1).toString()));
    dock.refresh();
    const JobRecord* row = nullptr;
    for (int r = 0; r < dock.model()->rowCount(); ++r)
        if (dock.model()->job(r)->pid == pid)
            row = dock.model()->job(r);
    QVERIFY(row);
    QCOMPARE(QString::fromStdString(jobStates().nameOf(row->state)), QString("failed"));
    QVERIFY(QString::fromStdString(row->message).contains("without reporting"));
    QVERIFY(dock.isVisible()); // and the window is still here
}

QTEST_MAIN(tst_JobsDock)
#include "tst_JobsDock.moc"

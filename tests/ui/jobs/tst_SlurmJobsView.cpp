// SPDX-License-Identifier: GPL-3.0-or-later
// The Slurm side of the jobs dock: submissions recorded by `ssondo slurm` with their progress read
// from the workspace (the shards' progress files; the training job row that rank 0 writes with its
// Slurm job id), the tab's count, and the "Run on cluster…" arguments. Slurm itself is exercised by
// tests/slurm/tst_slurm.sh; here nothing answers for the job ids, so the recorded states stay.

#include "WorkspaceController.h"
#include "experiments/Database.h"
#include "experiments/JobLog.h"
#include "jobs/ClusterRunDialog.h"
#include "jobs/JobsDock.h"
#include "jobs/SlurmJobsView.h"
#include "slurm/Slurm.h"
#include "util/AtomicFile.h"
#include "workspace/Workspace.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

#include <filesystem>

using namespace ssondo;
using namespace ssondo::ui;

class tst_SlurmJobsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clusterArguments();
    void progressFromTheWorkspace();
};

void tst_SlurmJobsView::clusterArguments()
{
    ClusterRunDialog::Options o;
    o.partition = "gpu";
    o.time = "01:00:00";
    o.gpus = 1;
    o.shards = 8;
    QCOMPARE(
        ClusterRunDialog::arguments("extract", o, {"extract", "--dataset", "as2m", "--teacher", "m2d.pt"}),
        (QStringList{"slurm", "extract", "--shards", "8", "--partition", "gpu", "--time", "01:00:00",
                     "--gpus", "1", "--dataset", "as2m", "--teacher", "m2d.pt"}));
    o.partition.clear();
    o.nodes = 2;
    o.tasksPerNode = 4;
    o.gpus = 4;
    o.mem = "64G";
    QCOMPARE(ClusterRunDialog::arguments("train", o, {"train", "--embeddings", "3", "--name", "big run"}),
             (QStringList{"slurm", "train", "--nodes", "2", "--tasks-per-node", "4", "--time", "01:00:00",
                          "--gpus", "4", "--mem", "64G", "--embeddings", "3", "--name", "big run"}));
    // The dialog shows the command it will run.
    ClusterRunDialog d("train", {"train", "--embeddings", "3"});
    d.setOptions(o);
    QCOMPARE(d.arguments().mid(0, 2), (QStringList{"slurm", "train"}));
    QVERIFY(d.findChild<QLabel*>() != nullptr);
}

void tst_SlurmJobsView::progressFromTheWorkspace()
{
    QTemporaryDir dir;
    const std::string ws = dir.path().toStdString() + "/ws";
    {
        auto w = Workspace::create(ws);
        SlurmCatalog catalog(w->database());
        SlurmJobRecord ex;
        ex.slurmJobId = "9001";
        ex.mergeJobId = "9002";
        ex.kind = "extract";
        ex.target = "as2m";
        ex.command = "ssondo slurm extract --shards 2 --dataset as2m";
        ex.jobCommand = "ssondo extract --dataset as2m --shard I/2";
        ex.scriptPath = "slurm/extract-as2m/extract.sbatch";
        ex.tasks = 2;
        ex.state = "RUNNING";
        catalog.add(ex);
        SlurmJobRecord tr = ex;
        tr.slurmJobId = "9003";
        tr.mergeJobId.clear();
        tr.kind = "train";
        tr.target = "big";
        tr.tasks = 8;
        catalog.add(tr);
        // Shard progress files, as `extract --shard I/2` writes them.
        const std::string parts = ws + "/embeddings/as2m-v1__teacher.parts";
        std::filesystem::create_directories(parts + "/shard-0-of-2");
        std::filesystem::create_directories(parts + "/shard-1-of-2");
        writeFileAtomic(parts + "/shard-0-of-2/progress.json",
                        R"({"state":"running","rows":20,"done":9,"failed":1,"clips_per_s":3.5})");
        writeFileAtomic(parts + "/shard-1-of-2/progress.json",
                        R"({"state":"done","rows":19,"done":19,"failed":0,"clips_per_s":0})");
        // Rank 0 of the training job records its row with the Slurm job id.
        qputenv("SLURM_JOB_ID", "9003");
        JobLog jobs(w->database());
        const auto id = jobs.start("train", "big", "ssondo train --name big");
        qunsetenv("SLURM_JOB_ID");
        jobs.progress(id, 4, 8, 0.5);
    }
    WorkspaceController controller;
    QVERIFY(controller.open(QString::fromStdString(ws)));
    JobsDock dock(&controller);
    dock.resize(1200, 300);
    dock.show();
    dock.showSlurm(true);
    SlurmJobsView* view = dock.slurmView();
    view->refresh(false);
    QTableWidget* t = view->table();
    QCOMPARE(t->rowCount(), 2);
    // Newest first: the training job, then the extraction.
    QCOMPARE(t->item(0, 1)->text(), QString("train"));
    QCOMPARE(t->item(0, 5)->text(), QString("4 / 8"));
    QCOMPARE(t->item(0, 5)->data(Qt::UserRole).toDouble(), 0.5);
    QCOMPARE(t->item(1, 2)->text(), QString("9001 + 9002"));
    QCOMPARE(t->item(1, 5)->text(), QString("29 / 39"));
    QCOMPARE(t->item(1, 6)->text(), QString("3.50/s"));
    QCOMPARE(t->item(1, 7)->text(), QString("2 of 2 shards started, 1 finished"));
    QCOMPARE(view->activeCount(), 2);
    auto* tabs = dock.findChild<QTabWidget*>();
    QVERIFY(tabs);
    QCOMPARE(tabs->tabText(1), QString("Slurm (2 active)"));
    QCOMPARE(tabs->currentIndex(), 1);
    // The newest active submission is followed: its command is in the log pane.
    QVERIFY(dock.findChild<QPlainTextEdit*>("", Qt::FindChildrenRecursively) != nullptr);
    QCOMPARE(t->currentRow(), 0);
}

QTEST_MAIN(tst_SlurmJobsView)
#include "tst_SlurmJobsView.moc"

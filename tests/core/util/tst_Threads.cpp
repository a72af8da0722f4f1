// SPDX-License-Identifier: GPL-3.0-or-later
// Intra-op threads as our own code sees them: at::parallel_for in a file of this project spreads
// over the threads asked for (it silently ran on the calling thread alone while the project was
// compiled without OpenMP), a worker's useOneIntraOpThread leaves the pinned thread's count alone,
// and OMP_NUM_THREADS decides computeThreads.

#include "util/Threads.h"

#include <ATen/Parallel.h>
#include <QtTest/QtTest>

#include <mutex>
#include <set>
#include <thread>

using namespace ssondo;

class tst_Threads : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parallelForSpreadsOverThePinnedThreads();
    void workerSettingLeavesThePinnedCount();
    void ompNumThreadsDecides();
};

void tst_Threads::parallelForSpreadsOverThePinnedThreads()
{
    pinIntraOpThreads(2);
    QCOMPARE(at::get_num_threads(), 2);
    std::mutex m;
    std::set<std::thread::id> seen;
    std::set<int> ids;
    // Two chunks of one item each: with two threads, each chunk runs on its own thread.
    at::parallel_for(0, 2, 1, [&](std::int64_t, std::int64_t) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // both must be running at once
        const std::lock_guard<std::mutex> lock(m);
        seen.insert(std::this_thread::get_id());
        ids.insert(at::get_thread_num());
    });
    QCOMPARE(int(seen.size()), 2);
    QCOMPARE(ids, (std::set<int>{0, 1}));
}

void tst_Threads::workerSettingLeavesThePinnedCount()
{
    pinIntraOpThreads(2);
    std::thread worker([] { useOneIntraOpThread(); });
    worker.join();
    QCOMPARE(at::get_num_threads(), 2);
}

void tst_Threads::ompNumThreadsDecides()
{
    const QByteArray saved = qgetenv("OMP_NUM_THREADS");
    qputenv("OMP_NUM_THREADS", "3");
    QCOMPARE(computeThreads(), 3);
    QCOMPARE(computeThreads(4), 3); // a launcher's choice is not shared out again
    qputenv("OMP_NUM_THREADS", "junk");
    QCOMPARE(computeThreads(), std::max(1, logicalCores()));
    if (saved.isNull())
        qunsetenv("OMP_NUM_THREADS");
    else
        qputenv("OMP_NUM_THREADS", saved);
}

QTEST_GUILESS_MAIN(tst_Threads)
#include "tst_Threads.moc"

// SPDX-License-Identifier: GPL-3.0-or-later
// ThreadGroup: a worker's exception reaches the owner's thread, the other workers are released
// from their waits, and destroying a group with blocked workers joins them instead of aborting.

#include "util/BoundedQueue.h"
#include "util/ThreadGroup.h"

#include <QtTest/QtTest>

#include <atomic>
#include <stdexcept>

using namespace ssondo;

class tst_ThreadGroup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joinsAndRunsEveryWorker();
    void rethrowsTheFirstFailureAndReleasesTheOthers();
    void destructorReleasesBlockedWorkers();
    void consumerSeesTheEndWhenAProducerFails();
};

void tst_ThreadGroup::joinsAndRunsEveryWorker()
{
    std::atomic<int> ran{0};
    ThreadGroup g;
    for (int i = 0; i < 4; ++i)
        g.spawn([&] { ++ran; });
    g.join();
    QCOMPARE(ran.load(), 4);
    QVERIFY(!g.failed());
}

void tst_ThreadGroup::rethrowsTheFirstFailureAndReleasesTheOthers()
{
    BoundedQueue<int> queue(1);
    ThreadGroup g([&] { queue.close(); });
    // Three workers wait on a queue that nobody fills; the fourth fails. Without the release the
    // three would wait for ever and join() would never return.
    for (int i = 0; i < 3; ++i)
        g.spawn([&] {
            while (queue.pop()) {
            }
        });
    g.spawn([] { throw std::runtime_error("decoder failed"); });
    bool caught = false;
    try {
        g.join();
    } catch (const std::runtime_error& e) {
        caught = QByteArray(e.what()) == "decoder failed";
    }
    QVERIFY(caught);
    QVERIFY(g.failed());
}

void tst_ThreadGroup::destructorReleasesBlockedWorkers()
{
    BoundedQueue<int> queue(1);
    std::atomic<int> ended{0};
    {
        ThreadGroup g([&] { queue.close(); });
        for (int i = 0; i < 2; ++i)
            g.spawn([&] {
                while (queue.push(1)) {
                }
                ++ended;
            });
        // Leaving the scope as if the owner threw: the producers are blocked on a full queue.
    }
    QCOMPARE(ended.load(), 2);
}

void tst_ThreadGroup::consumerSeesTheEndWhenAProducerFails()
{
    BoundedQueue<int> queue(2);
    ThreadGroup g([&] { queue.close(); });
    g.spawn([&] {
        queue.push(1);
        throw std::runtime_error("disk full");
    });
    int got = 0;
    while (auto v = queue.pop())
        got += *v;
    QCOMPARE(got, 1); // what was queued before the failure is still delivered
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, g.join());
}

QTEST_GUILESS_MAIN(tst_ThreadGroup)
#include "tst_ThreadGroup.moc"

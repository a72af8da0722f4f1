// SPDX-License-Identifier: GPL-3.0-or-later
// Where a process sits in a data-parallel job, from torchrun-style, Slurm and Open MPI variables.

#include "distributed/DistEnv.h"
#include "util/Error.h"

#include <QtTest/QtTest>

#include <map>

using namespace ssondo;

namespace {
DistEnv::Getenv env(std::map<std::string, std::string> vars)
{
    auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
    return [shared](const char* name) -> const char* {
        const auto it = shared->find(name);
        return it == shared->end() ? nullptr : it->second.c_str();
    };
}
} // namespace

class tst_DistEnv : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstHost_data()
    {
        QTest::addColumn<QString>("list");
        QTest::addColumn<QString>("first");
        QTest::newRow("plain") << "node7"
                               << "node7";
        QTest::newRow("list") << "a01,b02"
                              << "a01";
        QTest::newRow("range") << "node[03-05,9]"
                               << "node03";
        QTest::newRow("single in brackets") << "gpu[12]"
                                            << "gpu12";
        QTest::newRow("range then more") << "cpu[1-2],gpu[0-3]"
                                         << "cpu1";
        QTest::newRow("suffix") << "r[08-09]n1"
                                << "r08n1";
        QTest::newRow("fqdn") << "n1.cluster.org,n2.cluster.org"
                              << "n1.cluster.org";
    }
    void firstHost()
    {
        QFETCH(QString, list);
        QFETCH(QString, first);
        QCOMPARE(QString::fromStdString(firstSlurmHost(list.toStdString())), first);
    }

    void single()
    {
        const DistEnv e = DistEnv::fromEnvironment(env({}));
        QVERIFY(!e.distributed());
        QCOMPARE(e.rank, 0);
        QCOMPARE(e.worldSize, 1);
        QCOMPARE(QString::fromStdString(e.source), QString("single"));
    }

    void torchrun()
    {
        const DistEnv e = DistEnv::fromEnvironment(env({{"RANK", "3"},
                                                        {"WORLD_SIZE", "4"},
                                                        {"LOCAL_RANK", "1"},
                                                        {"LOCAL_WORLD_SIZE", "2"},
                                                        {"MASTER_ADDR", "10.0.0.1"},
                                                        {"MASTER_PORT", "29400"},
                                                        // torchrun's variables win over Slurm's
                                                        {"SLURM_PROCID", "0"},
                                                        {"SLURM_NTASKS", "1"}}));
        QCOMPARE(e.rank, 3);
        QCOMPARE(e.worldSize, 4);
        QCOMPARE(e.localRank, 1);
        QCOMPARE(e.localWorldSize, 2);
        QCOMPARE(QString::fromStdString(e.masterAddr), QString("10.0.0.1"));
        QCOMPARE(e.masterPort, 29400);
        QCOMPARE(QString::fromStdString(e.source), QString("env"));
        QVERIFY(e.distributed());
    }

    void slurm()
    {
        const DistEnv e = DistEnv::fromEnvironment(env({{"SLURM_PROCID", "5"},
                                                        {"SLURM_NTASKS", "8"},
                                                        {"SLURM_LOCALID", "1"},
                                                        {"SLURM_NTASKS_PER_NODE", "4(x2)"},
                                                        {"SLURM_JOB_ID", "123456"},
                                                        {"SLURM_JOB_NODELIST", "gpu[07-08]"}}));
        QCOMPARE(e.rank, 5);
        QCOMPARE(e.worldSize, 8);
        QCOMPARE(e.localRank, 1);
        QCOMPARE(e.localWorldSize, 4);
        QCOMPARE(QString::fromStdString(e.masterAddr), QString("gpu07"));
        QCOMPARE(e.masterPort, 20000 + 123456 % 20000); // the same on every node of the job
        QCOMPARE(QString::fromStdString(e.source), QString("slurm"));
        // MASTER_PORT / MASTER_ADDR set by the user win.
        const DistEnv f = DistEnv::fromEnvironment(env({{"SLURM_PROCID", "0"},
                                                        {"SLURM_NTASKS", "2"},
                                                        {"SLURM_JOB_NODELIST", "a,b"},
                                                        {"MASTER_PORT", "31000"},
                                                        {"MASTER_ADDR", "head"}}));
        QCOMPARE(f.masterPort, 31000);
        QCOMPARE(QString::fromStdString(f.masterAddr), QString("head"));
    }

    void openMpi()
    {
        DistEnv e = DistEnv::fromEnvironment(env({{"OMPI_COMM_WORLD_RANK", "1"},
                                                  {"OMPI_COMM_WORLD_SIZE", "2"},
                                                  {"OMPI_COMM_WORLD_LOCAL_RANK", "1"},
                                                  {"OMPI_COMM_WORLD_LOCAL_SIZE", "2"}}));
        QCOMPARE(e.rank, 1);
        QCOMPARE(e.worldSize, 2);
        QCOMPARE(QString::fromStdString(e.source), QString("openmpi"));
        QVERIFY(e.masterAddr.empty()); // rendezvous through a file on the workspace
        e.storeFile = "/ws/tmp/rendezvous-x";
        QVERIFY(QString::fromStdString(e.describe()).contains("file store /ws/tmp/rendezvous-x"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("rank outside") << "RANK"
                                      << "4"
                                      << "rank 4 is outside a world of 4";
        QTest::newRow("not a number") << "RANK"
                                      << "one"
                                      << "RANK='one' is not a whole number";
        QTest::newRow("bad port") << "MASTER_PORT"
                                  << "70000"
                                  << "MASTER_PORT='70000'";
        QTest::newRow("world zero") << "WORLD_SIZE"
                                    << "0"
                                    << "WORLD_SIZE='0'";
    }
    void errors()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, message);
        std::map<std::string, std::string> vars{{"RANK", "0"}, {"WORLD_SIZE", "4"}, {"MASTER_ADDR", "h"}};
        vars[name.toStdString()] = value.toStdString();
        try {
            DistEnv::fromEnvironment(env(vars));
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
        try {
            DistEnv::fromEnvironment(env({{"WORLD_SIZE", "2"}}));
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("RANK and WORLD_SIZE must be set together"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(tst_DistEnv)
#include "tst_DistEnv.moc"

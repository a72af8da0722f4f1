// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace database: migrations, and a clear message for every way a database can be unusable.

#include "data/EmbeddingCatalog.h"
#include "experiments/Database.h"
#include "experiments/JobLog.h"
#include "experiments/RunLog.h"
#include "experiments/Schema.h"
#include "util/Error.h"
#include "workspace/Workspace.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace ssondo;

class tst_Database : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsCurrentSchema();
    void unusableDatabases_data();
    void unusableDatabases();
    void transactionRollsBack();
    void readerSeesWriterCommits();
    void jobLogLifecycle();
    void everyStateOfTheTablesIsStorable();
};

void tst_Database::createsCurrentSchema()
{
    QTemporaryDir dir;
    auto ws = Workspace::create(dir.path().toStdString());
    QCOMPARE(ws->database().schemaVersion(), Schema::currentVersion());
    auto s = ws->database().prepare("PRAGMA journal_mode");
    QVERIFY(s.step());
    QCOMPARE(s.columnText(0), std::string("wal"));
    auto fk = ws->database().prepare("PRAGMA foreign_keys");
    QVERIFY(fk.step());
    QCOMPARE(fk.columnInt(0), std::int64_t(1));
    QVERIFY(std::filesystem::is_directory(ws->embeddingsDir()));
    QVERIFY(std::filesystem::is_directory(ws->runsDir()));
}

void tst_Database::unusableDatabases_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("not a database") << "garbage"
                                    << "damaged or is not a workspace database";
    QTest::newRow("newer schema") << "newer"
                                  << "newer S-SONDO Workbench";
    QTest::newRow("locked") << "locked"
                            << "locked by another process";
    QTest::newRow("no workspace") << "missing"
                                  << "not a workspace";
    QTest::newRow("read-only file") << "readonly"
                                    << "read-only";
}

void tst_Database::unusableDatabases()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const std::string d = dir.path().toStdString();
    const std::string db = d + "/workspace.db";
    sqlite3* holder = nullptr;
    if (kind == "garbage") {
        std::ofstream(db) << std::string(4096, 'x');
    } else if (kind == "newer") {
        Workspace::create(d);
        sqlite3_open(db.c_str(), &holder);
        sqlite3_exec(holder, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
        sqlite3_close(holder);
        holder = nullptr;
    } else if (kind == "locked") {
        Workspace::create(d);
        sqlite3_open(db.c_str(), &holder);
        sqlite3_exec(holder, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE t(x);", nullptr,
                     nullptr, nullptr);
    } else if (kind == "readonly") {
        if (geteuid() == 0)
            QSKIP(
                "root ignores file permissions; the read-only case is covered by SQLITE_OPEN_READONLY below");
        Workspace::create(d);
        chmod(db.c_str(), 0444);
    }
    try {
        auto ws = Workspace::open(d, false, 300);
        if (kind == "readonly") {
            JobLog(ws->database()).start("x", "y", "z"); // the write is what fails
        }
        QFAIL("opened an unusable workspace");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
        QVERIFY2(QString(e.what()).contains(dir.path()), "the message must name the file");
    }
    if (holder)
        sqlite3_close(holder);
}

void tst_Database::transactionRollsBack()
{
    QTemporaryDir dir;
    auto ws = Workspace::create(dir.path().toStdString());
    Database& db = ws->database();
    try {
        Database::Transaction tx(db);
        db.exec("INSERT INTO meta(key, value) VALUES ('a', '1')");
        throw std::runtime_error("crash in the middle");
    } catch (const std::runtime_error&) {
    }
    auto s = db.prepare("SELECT COUNT(*) FROM meta WHERE key = 'a'");
    QVERIFY(s.step());
    QCOMPARE(s.columnInt(0), std::int64_t(0));
}

void tst_Database::readerSeesWriterCommits()
{
    QTemporaryDir dir;
    auto writer = Workspace::create(dir.path().toStdString());
    auto reader = Workspace::open(dir.path().toStdString(), true);
    JobLog w(writer->database()), r(reader->database());
    Database::Transaction tx(writer->database());
    const auto id = w.start("train", "run 1", "ssondo train");
    QVERIFY(!r.get(id)); // not committed yet: the reader is not blocked, it sees the old state
    tx.commit();
    QVERIFY(r.get(id));
    QCOMPARE(jobStates().nameOf(r.get(id)->state), std::string("running"));
}

void tst_Database::jobLogLifecycle()
{
    QTemporaryDir dir;
    auto ws = Workspace::create(dir.path().toStdString());
    JobLog jobs(ws->database());
    const auto id = jobs.start("extract", "demo", "ssondo extract --dataset demo");
    jobs.progress(id, 5, 10, 2.5);
    auto j = jobs.get(id);
    QCOMPARE(j->done, std::int64_t(5));
    QCOMPARE(j->total, std::int64_t(10));
    QCOMPARE(*j->rate, 2.5);
    QCOMPARE(j->pid, std::int64_t(getpid()));
    jobs.finish(id, JobState::Failed, "boom");
    j = jobs.get(id);
    QCOMPARE(jobStates().nameOf(j->state), std::string("failed"));
    QCOMPARE(j->message, std::string("boom"));
    QVERIFY(!j->finishedAt.empty());
    // A "running" job whose process is gone is reaped as failed.
    const auto ghost = jobs.start("train", "x", "y");
    ws->database().prepare("UPDATE jobs SET pid = 999999 WHERE id = ?1").bind(1, ghost).run();
    QCOMPARE(jobs.reapDead(), 1);
    QCOMPARE(jobStates().nameOf(jobs.get(ghost)->state), std::string("failed"));
    // The schema's CHECK constraints refuse a state the table does not have...
    QVERIFY_THROWS_EXCEPTION(
        std::exception,
        ws->database().prepare("UPDATE jobs SET state = 'exploded' WHERE id = ?1").bind(1, id).run());
}

void tst_Database::everyStateOfTheTablesIsStorable()
{
    // ... and accept every state the tables name: the migrations (history, written once) agree
    // with the one list of each kind of state.
    QTemporaryDir dir;
    auto ws = Workspace::create(dir.path().toStdString());
    Database& db = ws->database();
    const auto job = JobLog(db).start("scan", "x", "y");
    for (const auto& s : jobStates())
        db.prepare("UPDATE jobs SET state = ?2 WHERE id = ?1")
            .bind(1, job)
            .bind(2, std::string(s.name))
            .run();
    RunRecord run;
    run.name = "r";
    const auto id = RunLog(db).create(run);
    for (const auto& s : runStatuses()) {
        RunLog(db).setStatus(id, s.value);
        QVERIFY(RunLog(db).get(id).status == s.value);
    }
    db.exec("INSERT INTO datasets(name, root, label_source, version, created_at, updated_at) "
            "VALUES ('d', '/', 'none', 'v', 'now', 'now')");
    for (const auto& s : embeddingSetStates())
        db.prepare(
              "INSERT INTO embedding_sets(dataset_id, dataset_version, teacher_identity, teacher_kind, "
              "teacher_source, teacher_description, dim, dtype, rows, path, created_at, updated_at, state) "
              "VALUES (1, 'v', ?1, 'demo', 'demo', 'demo', 4, 'float32', 0, 'p', 'now', 'now', ?1)")
            .bind(1, std::string(s.name))
            .run();
    QCOMPARE(int(EmbeddingCatalog(db).list().size()), int(embeddingSetStates().entries().size()));
    for (const char* method : {"pca", "tsne", "umap"}) // every `ssondo map --method`
        db.prepare("INSERT INTO maps(embedding_set_id, method, params_json, rows, path, created_at) "
                   "VALUES (1, ?1, '{}', 0, 'p', 'now')")
            .bind(1, std::string(method))
            .run();
    QVERIFY_THROWS_EXCEPTION(std::exception,
                             db.exec("INSERT INTO maps(embedding_set_id, method, params_json, "
                                     "rows, path, created_at) VALUES (1, 'isomap', '{}', 0, 'p', 'now')"));
}

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_Database.moc"

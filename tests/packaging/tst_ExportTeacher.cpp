// SPDX-License-Identifier: GPL-3.0-or-later
// packaging/export_teacher.py, run as a user would (Debian's python3-torch), on a small model;
// the exported file must load as a TorchScript teacher with its attributes.

#include "teachers/TorchScriptTeacher.h"

#include <ATen/ATen.h>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_ExportTeacher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exportsLoadableTeacher();
    void reportsMissingEntry();
};

void tst_ExportTeacher::exportsLoadableTeacher()
{
    QTemporaryDir dir;
    const QString out = dir.path() + "/teacher.pt";
    QProcess p;
    p.start("/usr/bin/python3",
            {SSONDO_SOURCE_DIR "/packaging/export_teacher.py", "--tiny", "--window", "2", "--out", out});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QVERIFY(p.readAllStandardOutput().contains("64-d embeddings"));
    TorchScriptTeacher t(out.toStdString());
    QCOMPARE(t.sampleRate(), 16000);
    QCOMPARE(t.windowSeconds(), 2.0);
    QCOMPARE(t.embeddingDim(), std::int64_t(64));
    QCOMPARE(t.embed(at::zeros({2, 32000})).size(0), std::int64_t(2));
}

void tst_ExportTeacher::reportsMissingEntry()
{
    QProcess p;
    p.start("/usr/bin/python3", {SSONDO_SOURCE_DIR "/packaging/export_teacher.py", "--out", "/tmp/x.pt"});
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("--entry"));
}

QTEST_GUILESS_MAIN(tst_ExportTeacher)
#include "tst_ExportTeacher.moc"

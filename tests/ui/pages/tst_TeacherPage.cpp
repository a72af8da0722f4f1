// SPDX-License-Identifier: GPL-3.0-or-later
// The Teacher page on a real workspace: embedding sets listed with their statistics, the extract
// command built from the choices, the demo teacher inspected off the GUI thread with a live check
// on one clip, and a file that is not a teacher reported without taking the window down.

#include "WorkspaceController.h"
#include "data/EmbeddingCatalog.h"
#include "pages/TeacherPage.h"
#include "plots/HistogramPlot.h"
#include "plots/QCustomPlotInclude.h"
#include "support/DemoWorkspace.h"

#include <QtTest/QtTest>
#include <QtWidgets/QtWidgets>

#include <filesystem>
#include <fstream>

using namespace ssondo;
using namespace ssondo::ui;

class tst_TeacherPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void listsSetsWithStatistics();
    void extractCommandFollowsChoices();
    void inspectsDemoTeacher();
    void badTeacherFileIsReported();
    void emptySetIsMarkedAndRemovable();

private:
    QTemporaryDir m_dir;
    testing::DemoWorkspace m_demo;
};

void tst_TeacherPage::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ssondo-tests"));
    m_demo = testing::makeDemoWorkspace(m_dir.path().toStdString(), 2);
}

void tst_TeacherPage::listsSetsWithStatistics()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TeacherPage page(&c);
    page.refresh();
    QTableWidget* t = page.setsTable();
    QCOMPARE(t->rowCount(), 1);
    QCOMPARE(t->item(0, 1)->text(), QStringLiteral("demo"));
    QCOMPARE(t->item(0, 4)->text(), QStringLiteral("3840"));
    QCOMPARE(t->item(0, 6)->text(), QStringLiteral("26 / 26"));
    QVERIFY(t->item(0, 2)->text().contains(QStringLiteral("demo teacher")));
    // The first set is selected and its statistics shown.
    QVERIFY(page.setStats()->text().contains(QStringLiteral("26 of 26 clips embedded")));
    QCOMPARE(page.normHistogram()->barCount(), 30);
    QCOMPARE(page.variancePlot()->graph(0)->dataCount(), 3840);
    double counted = 0;
    for (auto it = page.normHistogram()->plot()->plottable(0)->interface1D(); it;) {
        for (int i = 0; i < it->dataCount(); ++i)
            counted += it->dataMainValue(i);
        break;
    }
    QCOMPARE(counted, 26.0); // every clip counted once
}

void tst_TeacherPage::extractCommandFollowsChoices()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TeacherPage page(&c);
    page.refresh();
    QCOMPARE(page.extractCommand(), (QStringList{"extract", "--dataset", "demo", "--teacher", "demo"}));
    page.setTeacherSource(QStringLiteral("/models/m2d.pt"));
    QCOMPARE(page.teacherSource(), QStringLiteral("/models/m2d.pt"));
    QCOMPARE(page.extractCommand().mid(3), (QStringList{"--teacher", "/models/m2d.pt"}));
    QSignalSpy run(&page, &Page::runCommand);
    for (QPushButton* b : page.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Extract embeddings"))
            b->click();
    QCOMPARE(run.count(), 1);
    QCOMPARE(run.at(0).at(0).toStringList(), page.extractCommand());
}

void tst_TeacherPage::inspectsDemoTeacher()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TeacherPage page(&c);
    page.refresh();
    page.setTeacherSource(QStringLiteral("demo"));
    QSignalSpy done(&page, &TeacherPage::inspected);
    page.inspect();
    QVERIFY(page.teacherInfo()->text().contains(QStringLiteral("Loading")));
    QVERIFY(done.wait(60000));
    QCOMPARE(done.at(0).at(0).toBool(), true);
    const QString text = done.at(0).at(1).toString();
    QVERIFY2(text.contains(QStringLiteral("3840-d embeddings")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("Live check")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("finite")));
    QCOMPARE(page.teacherInfo()->text(), text);
}

void tst_TeacherPage::badTeacherFileIsReported()
{
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TeacherPage page(&c);
    page.refresh();
    const QString bad = m_dir.path() + QStringLiteral("/not_a_model.pt");
    std::ofstream(bad.toStdString()) << "this is not TorchScript";
    page.setTeacherSource(bad);
    QSignalSpy done(&page, &TeacherPage::inspected);
    page.inspect();
    QVERIFY(done.wait(60000));
    QCOMPARE(done.at(0).at(0).toBool(), false);
    const QString text = done.at(0).at(1).toString();
    QVERIFY2(text.contains(QStringLiteral("not_a_model.pt")), qPrintable(text));
    // The file is outside the workspace: the page says that loading it would run its code.
    QVERIFY2(text.contains(QStringLiteral("runs the code")), qPrintable(text));
}

void tst_TeacherPage::emptySetIsMarkedAndRemovable()
{
    // An extraction whose every clip failed, as `ssondo extract` records it.
    std::int64_t emptyId = 0;
    {
        auto ws = Workspace::open(m_demo.dir);
        EmbeddingCatalog catalog(ws->database());
        EmbeddingSetRecord r = catalog.list().front();
        r.teacherIdentity = "torchscript-broken";
        r.teacherDescription = "TorchScript teacher broken.pt";
        r.done = 0;
        r.failed = r.rows;
        r.path = "embeddings/broken";
        r.state = EmbeddingSetState::Empty;
        emptyId = catalog.upsert(r);
        catalog.setState(emptyId, EmbeddingSetState::Empty,
                         "none of the 26 clips could be embedded; the first: ...");
        std::filesystem::create_directories(m_demo.dir + "/embeddings/broken");
    }
    WorkspaceController c;
    QVERIFY(c.open(QString::fromStdString(m_demo.dir)));
    TeacherPage page(&c);
    page.resize(1400, 900);
    page.refresh();
    QTableWidget* t = page.setsTable();
    QCOMPARE(t->rowCount(), 2);
    QCOMPARE(t->item(0, 8)->text(), QStringLiteral("ready"));
    QCOMPARE(t->item(1, 8)->text(), QStringLiteral("empty"));
    QVERIFY(t->item(1, 8)->toolTip().contains(QStringLiteral("none of the 26 clips")));
    QVERIFY(t->item(1, 8)->foreground().color() != t->item(0, 8)->foreground().color());

    // Remove: confirmed in the dialog, it runs `ssondo embeddings remove ID` as a job.
    auto* remove = page.findChild<QPushButton*>(QStringLiteral("removeSet"));
    QVERIFY(remove);
    t->selectRow(1);
    QVERIFY(remove->isEnabled());
    QVERIFY2(page.setStats()->text().contains(QStringLiteral("is empty")),
             qPrintable(page.setStats()->text()));
    if (qEnvironmentVariableIsSet("SSONDO_SCREENSHOTS")) // docs: the page as a user sees it
        page.grab().save(qEnvironmentVariable("SSONDO_SCREENSHOTS") +
                         QStringLiteral("/teacher-empty-set.png"));
    QSignalSpy run(&page, &Page::runCommand);
    QTimer::singleShot(0, [] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        QVERIFY(box->text().contains(QStringLiteral("Remove embedding set")));
        box->button(QMessageBox::Yes)->click();
    });
    remove->click();
    QCOMPARE(run.count(), 1);
    const QStringList args = run.at(0).at(0).toStringList();
    QCOMPARE(args, (QStringList{"embeddings", "remove", QString::number(emptyId)}));
    // What the jobs dock would run, run here: the set and its folder are gone.
    QProcess p;
    p.start(QStringLiteral(SSONDO_CLI_PATH), QStringList{"-w", QString::fromStdString(m_demo.dir)} + args);
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 0);
    page.refresh();
    QCOMPARE(t->rowCount(), 1);
    QVERIFY(!std::filesystem::exists(m_demo.dir + "/embeddings/broken"));
}

QTEST_MAIN(tst_TeacherPage)
#include "tst_TeacherPage.moc"

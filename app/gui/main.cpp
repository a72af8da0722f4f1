// SPDX-License-Identifier: GPL-3.0-or-later
// ssondo-workbench: the desktop workbench. Usage:
//   ssondo-workbench [WORKSPACE] [--page ID] [--clip PATH] [--size WxH] [--language system|en|fr]
//                    [--jobs jobs|slurm] [--screenshot FILE.png]
// --screenshot renders the window once the page has loaded, saves it and exits (for docs and CI).

#include "MainWindow.h"
#include "Translations.h"
#include "jobs/JobsDock.h"
#include "pages/DataPage.h"
#include "pages/ExperimentsPage.h"
#include "pages/Page.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QTimer>

namespace {

struct Options
{
    QCommandLineOption page, language, screenshot, clip, size, tab, jobs;
};

Options configure(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QStringLiteral("S-SONDO Workbench: distil audio foundation models"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("workspace"), QStringLiteral("Workspace folder to open"));
    QCommandLineOption page(QStringLiteral("page"),
                            QStringLiteral("Page to show (data, teacher, clusters, train, experiments)"),
                            QStringLiteral("id"));
    QCommandLineOption language(QStringLiteral("language"),
                                QStringLiteral("Interface language: system, en, fr"), QStringLiteral("lang"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a screenshot to FILE and exit"),
                                  QStringLiteral("file"));
    QCommandLineOption clip(QStringLiteral("clip"),
                            QStringLiteral("Open this clip (path inside its dataset) on the Data page"),
                            QStringLiteral("path"));
    QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size WIDTHxHEIGHT"),
                            QStringLiteral("size"));
    QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("Tab of the Experiments page to show (0-3)"),
                           QStringLiteral("index"));
    QCommandLineOption jobs(QStringLiteral("jobs"),
                            QStringLiteral("Show the jobs dock on this tab: jobs or slurm"),
                            QStringLiteral("tab"));
    parser.addOptions({page, language, screenshot, clip, size, tab, jobs});
    return {page, language, screenshot, clip, size, tab, jobs};
}

} // namespace

int main(int argc, char** argv)
{
    // --help and --version need no display: answer them before a QApplication wants one.
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version") {
            QCoreApplication core(argc, argv);
            QCoreApplication::setApplicationName(QStringLiteral("ssondo-workbench"));
            QCoreApplication::setApplicationVersion(QStringLiteral(SSONDO_VERSION));
            QCommandLineParser parser;
            configure(parser);
            parser.process(core); // prints and exits
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("S-SONDO"));
    QApplication::setApplicationName(QStringLiteral("ssondo-workbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("S-SONDO Workbench"));
    QApplication::setApplicationVersion(QStringLiteral(SSONDO_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.ssondo_workbench.Workbench"));

    QCommandLineParser parser;
    const Options o = configure(parser);
    const QCommandLineOption &page = o.page, &language = o.language, &screenshot = o.screenshot,
                             &clip = o.clip, &size = o.size, &tab = o.tab, &jobs = o.jobs;
    parser.process(app);

    const QString lang =
        parser.isSet(language)
            ? parser.value(language)
            : QSettings().value(QStringLiteral("language"), QStringLiteral("system")).toString();
    ssondo::ui::installTranslations(lang);

    ssondo::ui::MainWindow window;
    window.show();
    QString ws = parser.positionalArguments().value(0);
    if (ws.isEmpty() && !parser.isSet(screenshot))
        ws = window.recentWorkspaces().value(0);
    if (!ws.isEmpty() && QDir(ws).exists())
        window.openWorkspace(QDir(ws).absolutePath());
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        if (wh.size() == 2)
            window.resize(wh[0].toInt(), wh[1].toInt());
    }
    if (parser.isSet(clip))
        if (auto* data = qobject_cast<ssondo::ui::DataPage*>(window.page(QStringLiteral("data")))) {
            window.setCurrentPage(QStringLiteral("data"));
            data->selectClip(parser.value(clip));
        }
    if (parser.isSet(page))
        window.setCurrentPage(parser.value(page));
    if (parser.isSet(tab))
        if (auto* exp =
                qobject_cast<ssondo::ui::ExperimentsPage*>(window.page(QStringLiteral("experiments"))))
            exp->setCurrentTab(parser.value(tab).toInt());

    if (parser.isSet(jobs)) {
        window.jobsDock()->show();
        window.jobsDock()->showSlurm(parser.value(jobs) == QLatin1String("slurm"));
    }

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(1500, &window, [&window, file]() {
            const bool ok = window.grab().save(file);
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}

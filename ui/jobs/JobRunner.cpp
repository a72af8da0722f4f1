// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs/JobRunner.h"

#include "CliLocator.h"

#include <QJsonDocument>

namespace ssondo::ui {

JobRunner::JobRunner(QObject* parent) : QObject(parent)
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &JobRunner::readStdout);
    connect(&m_process, &QProcess::readyReadStandardError, this, &JobRunner::readStderr);
    connect(&m_process, &QProcess::finished, this, &JobRunner::onFinished);
    connect(&m_process, &QProcess::started, this, [this]() { Q_EMIT started(m_process.processId()); });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            Q_EMIT finished(false,
                            tr("could not start %1: %2").arg(m_argv.value(0), m_process.errorString()));
    });
}

JobRunner::~JobRunner()
{
    // A job outlives nothing it was not asked to: ask it to stop cleanly, then wait briefly.
    if (isRunning()) {
        m_process.terminate();
        m_process.waitForFinished(3000);
    }
}

bool JobRunner::start(const QString& workspace, const QStringList& args)
{
    const QString program = cliPath();
    m_argv = QStringList{program.isEmpty() ? QStringLiteral("ssondo") : program, QStringLiteral("-w"),
                         workspace, QStringLiteral("--json")} +
             args;
    if (program.isEmpty()) {
        Q_EMIT finished(false, tr("the ssondo command line was not found next to the workbench or on PATH"));
        return false;
    }
    m_log.clear();
    m_stderrTail.clear();
    m_outBuffer.clear();
    m_process.start(program, m_argv.mid(1));
    return true;
}

void JobRunner::stop()
{
    if (isRunning())
        m_process.terminate();
}

void JobRunner::readStdout()
{
    m_outBuffer += m_process.readAllStandardOutput();
    int nl;
    while ((nl = m_outBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_outBuffer.left(nl);
        m_outBuffer.remove(0, nl + 1);
        if (!line.trimmed().isEmpty())
            handleLine(line);
    }
}

void JobRunner::readStderr()
{
    const QString text = QString::fromUtf8(m_process.readAllStandardError());
    for (const QString& l : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        m_log << l;
        m_stderrTail << l;
        if (m_stderrTail.size() > 20)
            m_stderrTail.removeFirst();
        Q_EMIT logLine(l);
    }
}

void JobRunner::handleLine(const QByteArray& line)
{
    QJsonParseError err;
    const QJsonObject o = QJsonDocument::fromJson(line, &err).object();
    if (err.error != QJsonParseError::NoError) {
        m_log << QString::fromUtf8(line);
        Q_EMIT logLine(QString::fromUtf8(line));
        return;
    }
    const QString type = o.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("progress")) {
        Q_EMIT progress(o[QStringLiteral("stage")].toString(), o[QStringLiteral("done")].toInteger(),
                        o[QStringLiteral("total")].toInteger(), o[QStringLiteral("rate")].toDouble(),
                        o[QStringLiteral("eta_s")].isNull() ? -1.0 : o[QStringLiteral("eta_s")].toDouble());
    } else if (type == QLatin1String("metric")) {
        Q_EMIT metric(o[QStringLiteral("name")].toString(), o[QStringLiteral("value")].toDouble(),
                      o[QStringLiteral("step")].toInteger(), o[QStringLiteral("epoch")].toInteger());
    } else if (type == QLatin1String("warning")) {
        const QString msg = o[QStringLiteral("message")].toString(),
                      where = o[QStringLiteral("where")].toString();
        m_log << tr("warning: %1%2").arg(where.isEmpty() ? QString() : where + QStringLiteral(": "), msg);
        Q_EMIT warning(msg, where);
    } else if (type == QLatin1String("info")) {
        m_log << o[QStringLiteral("message")].toString();
        Q_EMIT logLine(o[QStringLiteral("message")].toString());
    } else if (type == QLatin1String("result")) {
        Q_EMIT result(o);
    }
}

void JobRunner::onFinished(int code, QProcess::ExitStatus status)
{
    readStdout();
    readStderr();
    if (status == QProcess::CrashExit)
        Q_EMIT finished(false, tr("the job crashed (%1)")
                                   .arg(m_stderrTail.isEmpty() ? m_process.errorString()
                                                               : m_stderrTail.join(QLatin1Char('\n'))));
    else if (code != 0)
        Q_EMIT finished(false, m_stderrTail.isEmpty() ? tr("exit code %1").arg(code)
                                                      : m_stderrTail.join(QLatin1Char('\n')));
    else
        Q_EMIT finished(true, QString());
}

} // namespace ssondo::ui

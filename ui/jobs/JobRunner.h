// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QStringList>

namespace ssondo::ui {

/// Runs one `ssondo` command as a child process and follows its JSON-lines stream
/// (progress, metric, warning, info, result). The GUI never blocks on it: everything arrives
/// through signals on the GUI thread. A crash of the child is reported, never propagated.
class JobRunner : public QObject
{
    Q_OBJECT

public:
    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override;

    /// Starts `ssondo -w workspace --json args...`. Returns false (and emits finished) when the
    /// executable cannot be found or started.
    bool start(const QString& workspace, const QStringList& args);
    /// SIGTERM: the job saves what it has and exits cleanly.
    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    QStringList commandLine() const { return m_argv; }
    QString log() const { return m_log.join(QLatin1Char('\n')); }

Q_SIGNALS:
    /// The process is running with this pid (the pid its row in the jobs table carries).
    void started(qint64 pid);
    void progress(const QString& stage, qint64 done, qint64 total, double rate, double etaSeconds);
    void metric(const QString& name, double value, qint64 step, qint64 epoch);
    void warning(const QString& message, const QString& where);
    void logLine(const QString& line);
    void result(const QJsonObject& result);
    /// ok: exit code 0. message: the error (last stderr lines) when not ok.
    void finished(bool ok, const QString& message);

private:
    void readStdout();
    void readStderr();
    void onFinished(int code, QProcess::ExitStatus status);
    void handleLine(const QByteArray& line);

    QProcess m_process;
    QStringList m_argv;
    QByteArray m_outBuffer;
    QStringList m_log;
    QStringList m_stderrTail;
};

} // namespace ssondo::ui

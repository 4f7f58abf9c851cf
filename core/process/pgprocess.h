#pragma once

#include "core/db/connectparams.h"
#include "core/error.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

namespace dbops
{
    class CancelToken;

    /// One run of a PostgreSQL client tool (pg_dump, pg_restore) (STYLE C4).
    struct PgProcessSpec
    {
        QString program;
        QStringList args;                                  ///< never a password: the connection goes in as --dbname=<keywords>
        ConnectParams connection;                          ///< keywords become --dbname; the password a 0600 PGPASSFILE
        QString dbnameOption = QStringLiteral("--dbname"); ///< empty: no connection (e.g. --list of a file)
        int timeoutMs = 0;                                 ///< 0: none
        std::function<void(const QString &)> onStderrLine;
        /// When set, stdout is read as it arrives (e.g. pg_dump -Fc to stdout, hashed as it goes).
        std::function<void(const char *, qint64)> onStdout;
    };

    /// Runs the tool as an async QProcess driven by a local event loop on the calling (job)
    /// thread: stderr is split into lines with carry-over, stdout streamed to onStdout, a QTimer
    /// enforces the timeout, and a cancelled token kills the process within 100 ms.
    /// The password, if any, is in an anonymous in-memory file (memfd, 0600) that only the child
    /// inherits, named by PGPASSFILE=/dev/fd/N; it never appears in argv, the environment or on
    /// disk. The child gets childEnvironment(), --no-password, its own process group, umask 077,
    /// and dies with dbops (PR_SET_PDEATHSIG).
    /// Throws: Cancelled, Io (cannot start, timeout), OperationFailed (non-zero exit, with the
    /// last stderr lines). Returns the stderr lines.
    QStringList runPgProcess(const PgProcessSpec &spec, CancelToken *token);

    /// The environment a tool is started with: `from` without PGPASSWORD, DATABASE_URL, any
    /// variable whose name says PASSWORD, SECRET, TOKEN or CREDENTIAL, any value that is a URL
    /// with a password, PGPASSFILE when `connection` has a password (ours replaces it), and the PG*
    /// variables of keywords `connection` sets. The other PG* variables stay: they fill in what
    /// the keywords leave open exactly as they did for dbops' own connection.
    QProcessEnvironment childEnvironment(const QProcessEnvironment &from, const ConnectParams &connection);

    /// The connection keywords as a libpq keyword string (no password), for --dbname.
    QString keywordString(const ConnectParams &params);
}

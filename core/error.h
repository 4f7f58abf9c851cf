#pragma once

// Throw or return: how a core call reports failure (issue 11). Both carry the same dbops::Error.
//
// A core call THROWS dbops::Exception when it is a step of an operation: blocking database,
// process or file work meant to run in a job body or a CLI command, where the first failure ends
// the operation. PgConnection::open/exec/execPipeline, the history adapters (core/migrate),
// MigrationLock, Migrator, BackupService/RestoreService, LockQueries, backupqueries, Connector,
// sqlResource, Store::exec/transaction. Its `///` comment names the codes it throws. Callers do not
// catch it step by step: the job boundary (Job::run through catchErrors) turns it into the job's
// Error, the CLI's driver into the exit code; a step catches it only to add context or to decide
// (as MigrationLock::release does) that the failure changes nothing.
//
// A core call RETURNS Expected<T> when failing is an ordinary answer its caller branches on, or
// when a face calls it directly rather than through a job:
//   - parsing and validating input: ConnectParams::parse, parseEnvironment,
//     ConnectionProfile::fromUrl/toConnectParams/validate, MigrationSettings::fromEnvironment,
//     splitStatements, loadMigrations;
//   - lookups and lifecycles whose absence the caller handles: locatePgTools, SecretStore,
//     Store::open, ProfileStore, AuditLog::recent, Sandbox and LocalSandbox start/stop;
//   - the `try` twin of a throwing call (PgConnection::tryOpen/tryExec: catchErrors() around it),
//     and JobManager::run, which hands back the Error the job body threw.
// An Expected-returning call does not let a dbops::Exception out (its body is catchErrors() or
// returns fail(...)); a throwing call returns its value plainly. Inside a job body, unwrap an
// Expected with `if (!r) throw Exception(r.error());` so that the job fails with that Error.

#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <exception>
#include <expected>

namespace dbops
{
    /// What kind of failure an Error is. The CLI maps it to an exit code (DESIGN.md, Contracts).
    enum class ErrorCode
    {
        Internal,        ///< a bug or an unexpected state
        Usage,           ///< bad command-line usage
        BadInput,        ///< a bad file, URL, archive or option
        Connect,         ///< cannot connect (network, server down)
        Auth,            ///< authentication failed
        LockTimeout,     ///< the migration lock was not acquired within the maximum wait
        OperationFailed, ///< a database operation failed and was rolled back
        Cancelled,       ///< the user cancelled
        NotFound,        ///< a named thing does not exist
        Io,              ///< a file system or process failure
        ProblemsFound    ///< a check found problems (validate, diff)
    };

    /// The stable name of a code in JSON ("bad_input", "lock_timeout", ...).
    QString errorCodeName(ErrorCode code);

    /// One error value for the whole project (STYLE E1). SQL errors carry the server's fields.
    struct Error
    {
        ErrorCode code = ErrorCode::Internal;
        QString message;
        QString sqlstate;
        QString detail;
        QString hint;
        int position = 0; ///< 1-based character position in the statement, 0 when unknown
        QString context;  ///< where it happened: a file, a migration, a step

        static Error make(ErrorCode code, const QString &message, const QString &context = {});

        /// "message (SQLSTATE 42P01)\nDETAIL: ...\nHINT: ..." for logs and the CLI.
        QString toString() const;
        /// The CLI exit code: 1 problems, 2 usage/input, 3 connect, 4 lock, 5 failed.
        int exitCode() const;
        /// {"code": "bad_input", "exit_code": 2, "message", "sqlstate", "detail", "hint", "position",
        /// "context"}: what `--json` prints under "error" (empty fields are left out).
        QJsonObject toJson() const;
        bool isCancelled() const { return code == ErrorCode::Cancelled; }
    };

    /// Thrown inside jobs and services; caught at the job/service boundary (STYLE E2).
    class Exception final : public std::exception
    {
    public:
        explicit Exception(Error error);
        Exception(ErrorCode code, const QString &message, const QString &context = {});
        const Error &error() const noexcept { return m_error; }
        const char *what() const noexcept override;

    private:
        Error m_error;
        QByteArray m_what;
    };

    template <typename T>
    using Expected = std::expected<T, Error>;

    /// Shorthand for returning an error from a function returning Expected<T>.
    inline std::unexpected<Error> fail(ErrorCode code, const QString &message, const QString &context = {})
    {
        return std::unexpected(Error::make(code, message, context));
    }

    /// Runs fn, turning a thrown dbops::Exception (or std::exception) into an Expected error.
    template <typename Fn>
    auto catchErrors(Fn &&fn) -> Expected<decltype(fn())>
    {
        try
        {
            if constexpr (std::is_void_v<decltype(fn())>)
            {
                fn();
                return {};
            }
            else
                return fn();
        }
        catch (const Exception &e)
        {
            return std::unexpected(e.error());
        }
        catch (const std::exception &e)
        {
            return std::unexpected(Error::make(ErrorCode::Internal, QString::fromUtf8(e.what())));
        }
    }
}

Q_DECLARE_METATYPE(dbops::Error)

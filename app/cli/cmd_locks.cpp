#include "app/cli/common.h"

#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/locks/lockqueries.h"
#include "core/store/auditlog.h"

#include <QElapsedTimer>
#include <QThread>


using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {

        Expected<ConnectionProfile> postgresTarget(const QCommandLineParser &parser, Context &ctx)
        {
            auto profile = resolveTarget(parser, ctx);
            if (profile && profile->isSqlite())
                return fail(ErrorCode::BadInput, u"locks are a PostgreSQL matter; '%1' is a SQLite file"_s.arg(profile->targetDescription()));
            return profile;
        }

        int signalCommand(Context &ctx, BackendSignal signal)
        {
            const bool cancel = signal == BackendSignal::Cancel;
            QCommandLineParser parser;
            addTargetOptions(parser);
            parser.addOptions({
                {u"yes"_s, u"Do not ask for confirmation (scripts)."_s},
                {u"confirm"_s, u"Production: the pid again, instead of typing it."_s, u"pid"_s},
                {u"json"_s, u"Print one JSON document on stdout."_s},
            });
            parser.addPositionalArgument(u"pid"_s, u"The server process id."_s);
            int code = 0;
            if (!parse(parser, ctx,
                       cancel ? u"Cancels the running query of a backend (pg_cancel_backend). Exit 1 when the pid no longer exists."_s
                              : u"Terminates a backend's session (pg_terminate_backend). Exit 1 when the pid no longer exists."_s,
                       &code, 1))
                return code;
            bool ok = false;
            const int pid = parser.positionalArguments().value(0).toInt(&ok);
            if (parser.positionalArguments().size() != 1 || !ok || pid <= 0)
                return report(Error::make(ErrorCode::Usage, u"give exactly one pid, a positive whole number"_s));
            auto profile = postgresTarget(parser, ctx);
            if (!profile)
                return report(profile.error());

            auto found = withConnection(ctx, *profile, u"session %1"_s.arg(pid), [pid](PgConnection &conn, JobContext &jc) {
                const auto s = LockQueries::session(conn, pid, jc.token());
                if (!s)
                    throw Exception(ErrorCode::NotFound, u"no server process with pid %1 (it may have ended)"_s.arg(pid));
                return QVariant::fromValue(s->toJson());
            });
            if (!found)
            {
                report(found.error());
                return found.error().code == ErrorCode::NotFound ? 1 : found.error().exitCode();
            }
            const QJsonObject s = found->toJsonObject();
            const QString who = u"pid %1: %2@%3 (%4), %5\n  query: %6"_s.arg(pid)
                                    .arg(s.value(u"user"_s).toString(), s.value(u"database"_s).toString(),
                                         s.value(u"application"_s).toString(), s.value(u"state"_s).toString(),
                                         s.value(u"query"_s).toString().simplified().left(300));
            const QString verb = cancel ? u"Cancel the query of"_s : u"Terminate the session of"_s;
            if (profile->isProduction())
            {
                bool confirmed = false;
                if (parser.isSet(u"confirm"_s))
                    confirmed = parser.value(u"confirm"_s) == QString::number(pid);
                else
                {
                    err() << "PRODUCTION: " << verb << ' ' << who << Qt::endl;
                    confirmed = confirmTyped(u"This is production."_s, QString::number(pid));
                }
                if (!confirmed)
                    return report(Error::make(ErrorCode::Usage, u"not confirmed (production needs --confirm PID or the typed pid); nothing was sent"_s));
            }
            else if (!parser.isSet(u"yes"_s))
            {
                err() << verb << ' ' << who << Qt::endl;
                if (!confirm(u"Send it?"_s))
                    return report(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); nothing was sent"_s));
            }

            auto sent = withConnection(ctx, *profile, toString(signal) + u' ' + QString::number(pid), [pid, signal](PgConnection &conn, JobContext &jc) {
                return QVariant::fromValue(LockQueries::signal(conn, pid, signal, jc.token()).toJson());
            });
            const QString details = u"%1@%2 (%3): %4"_s.arg(s.value(u"user"_s).toString(), s.value(u"database"_s).toString(),
                                                             s.value(u"application"_s).toString(), s.value(u"query"_s).toString().left(500));
            QString outcome = u"ok"_s;
            if (!sent)
                outcome = sent.error().toString();
            else if (!sent->toJsonObject().value(u"sent"_s).toBool())
                outcome = u"not sent: the server refused"_s;
            AuditLog(*ctx.store).record({0, {}, {}, {}, profile->name, toString(profile->environment), toString(signal),
                                         u"pid %1 on %2"_s.arg(pid).arg(profile->targetDescription()), details, outcome});
            if (!sent)
            {
                report(sent.error());
                return sent.error().code == ErrorCode::NotFound ? 1 : sent.error().exitCode();
            }
            const QJsonObject r = sent->toJsonObject();
            if (parser.isSet(u"json"_s))
                printJson(QJsonDocument(r));
            else if (r.value(u"sent"_s).toBool())
                out() << (cancel ? "cancel request sent to pid " : "terminate request sent to pid ") << pid << "\n";
            else
                out() << "the server refused to signal pid " << pid << "\n";
            out().flush();
            return r.value(u"sent"_s).toBool() ? 0 : 5;
        }
    }

    int cmdLocks(Context &ctx)
    {
        QCommandLineParser parser;
        addTargetOptions(parser);
        parser.addOptions({
            {u"json"_s, u"Print one JSON document on stdout (sessions, locks, edges, roots)."_s},
            {u"watch"_s, u"Refresh every S seconds until interrupted."_s, u"s"_s},
            {u"locks-per-session"_s, u"Lock entries detailed per interesting session (200)."_s, u"n"_s},
        });
        int code = 0;
        if (!parse(parser, ctx,
                   u"Sessions, locks and blocking chains: root blockers first, then whom they block (pg_blocking_pids), "
                   u"with wait durations, idle-in-transaction blockers and named migration locks."_s,
                   &code))
            return code;
        int watch = 0;
        if (parser.isSet(u"watch"_s))
        {
            bool ok = false;
            watch = parser.value(u"watch"_s).toInt(&ok);
            if (!ok || watch <= 0)
                return report(Error::make(ErrorCode::Usage, u"--watch takes a number of seconds > 0"_s));
        }
        SnapshotOptions options;
        if (parser.isSet(u"locks-per-session"_s))
        {
            bool ok = false;
            options.locksPerSession = parser.value(u"locks-per-session"_s).toInt(&ok);
            if (!ok || options.locksPerSession <= 0)
                return report(Error::make(ErrorCode::Usage, u"--locks-per-session takes a number > 0"_s));
        }
        auto profile = postgresTarget(parser, ctx);
        if (!profile)
            return report(profile.error());
        const bool json = parser.isSet(u"json"_s);
        const auto body = [options, json, watch](PgConnection &conn, JobContext &jc) {
            for (bool first = true;; first = false)
            {
                const LockSnapshot s = LockQueries::snapshot(conn, jc.token(), options);
                if (json)
                    printJson(QJsonDocument(s.toJson()));
                else
                {
                    if (watch && !first)
                        out() << "\n";
                    if (watch)
                        out() << "== " << s.capturedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) << " ==\n";
                    out() << s.treeText();
                    out().flush();
                }
                if (!watch)
                    return QVariant();
                QElapsedTimer t;
                t.start();
                while (t.elapsed() < watch * 1000)
                {
                    jc.throwIfCancelled();
                    QThread::msleep(100);
                }
            }
        };
        auto result = withConnection(ctx, *profile, u"locks"_s, body);
        if (!result)
            return result.error().isCancelled() && watch ? 0 : report(result.error());
        return 0;
    }

    int cmdCancel(Context &ctx)
    {
        return signalCommand(ctx, BackendSignal::Cancel);
    }

    int cmdTerminate(Context &ctx)
    {
        return signalCommand(ctx, BackendSignal::Terminate);
    }
}

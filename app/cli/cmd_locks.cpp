#include "app/cli/commands.h"

#include "core/connect/connector.h"
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/locks/lockqueries.h"
#include "core/ops/lockops.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        Expected<ConnectionProfile> postgresTarget(const Values &values, Context &ctx)
        {
            auto profile = resolveTarget(values, ctx);
            if (profile && profile->isSqlite())
                return fail(ErrorCode::BadInput,
                            u"locks are a PostgreSQL matter; '%1' is a SQLite file"_s.arg(profile->targetDescription()));
            return profile;
        }

        /// One snapshot printed (a JSON document each, with --watch one per refresh).
        void printSnapshot(const LockSnapshot &s, bool json, bool watch, bool first)
        {
            if (json)
            {
                printJson(QJsonDocument(s.toJson()));
                return;
            }
            if (watch && !first)
                out() << "\n";
            if (watch)
                out() << "== " << s.capturedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) << " ==\n";
            out() << s.treeText();
            out().flush();
        }

        Output locks(Invocation &in)
        {
            auto profile = postgresTarget(in.values, in.ctx);
            if (!profile)
                return Output::failure(profile.error());
            SnapshotOptions options;
            options.locksPerSession = int(in.values.integer(u"locks-per-session"_s, options.locksPerSession));
            const qint64 watch = in.values.integer(u"watch"_s, 0);
            const bool json = in.json;
            Context &ctx = in.ctx;
            const ConnectionProfile target = *profile;
            auto result = runWithPassword<bool>(
                ctx, target, u"locks"_s, [&ctx, target, options, json, watch](const QString &password, JobContext &jc) {
                    jc.progress(0, 0, u"connecting to "_s + target.targetDescription());
                    auto conn = Connector(ctx.profiles).open(target, password, jc.token());
                    for (bool first = true;; first = false)
                    {
                        printSnapshot(LockQueries::snapshot(*conn, jc.token(), options), json, watch > 0, first);
                        if (!watch)
                            return true;
                        QElapsedTimer t;
                        t.start();
                        while (t.elapsed() < watch * 1000)
                        {
                            jc.throwIfCancelled();
                            QThread::msleep(100);
                        }
                    }
                });
            if (!result.ok() && !(result.error->isCancelled() && watch))
                return Output::failure(*result.error);
            Output o;
            o.printed = true;
            return o;
        }

        /// The session the signal is for, shown before asking (NotFound is exit 1: it is gone).
        Expected<BackendSession> lookUpSession(Context &ctx, const ops::Target &target, int pid)
        {
            auto found = runWithPassword<BackendSession>(ctx, target.profile, u"session %1"_s.arg(pid),
                                                         [target, pid](const QString &password, JobContext &jc) {
                                                             ops::Target t = target;
                                                             t.password = password;
                                                             return ops::session(t, pid, jc);
                                                         });
            if (!found.ok())
                return std::unexpected(*found.error);
            return *found.value;
        }

        /// What the person confirmed: on production the typed pid (--confirm or the prompt; the
        /// operation checks it), elsewhere a yes (--yes or the prompt). Nullopt: not confirmed.
        std::optional<ops::Confirmation> askSignal(const Values &values, const ConnectionProfile &profile, int pid, const QString &verb,
                                                   const QString &who)
        {
            if (ops::needsTypedConfirmation(profile))
            {
                if (values.isSet(u"confirm"_s))
                    return ops::Confirmation{values.text(u"confirm"_s)};
                err() << "PRODUCTION: " << verb << ' ' << who << Qt::endl;
                const QString word = ops::signalConfirmationWord(pid);
                return ops::Confirmation{confirmTyped(u"This is production."_s, word) ? word : QString()};
            }
            if (values.isSet(u"yes"_s))
                return ops::Confirmation{};
            err() << verb << ' ' << who << Qt::endl;
            if (!confirm(u"Send it?"_s))
                return std::nullopt;
            return ops::Confirmation{};
        }

        Output signal(Invocation &in, BackendSignal signal)
        {
            const bool cancel = signal == BackendSignal::Cancel;
            const int pid = int(in.values.argInteger(u"pid"_s));
            auto profile = postgresTarget(in.values, in.ctx);
            if (!profile)
                return Output::failure(profile.error());
            ops::Target target{*profile, {}, in.ctx.store, in.ctx.profiles};
            const auto gone = [](const Error &e) {
                return Output::failure(e, e.code == ErrorCode::NotFound ? std::optional(1) : std::nullopt);
            };
            auto s = lookUpSession(in.ctx, target, pid);
            if (!s)
                return gone(s.error());
            const QString who = u"pid %1: %2@%3 (%4), %5\n  query: %6"_s.arg(pid).arg(s->user, s->database, s->application, s->state,
                                                                                      s->query.simplified().left(300));
            const auto confirmation =
                askSignal(in.values, *profile, pid, cancel ? u"Cancel the query of"_s : u"Terminate the session of"_s, who);
            if (!confirmation)
                return Output::failure(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); nothing was sent"_s));
            auto sent = runWithPassword<SignalResult>(in.ctx, *profile, toString(signal) + u' ' + QString::number(pid),
                                                      [target, pid, signal, c = *confirmation](const QString &password, JobContext &jc) {
                                                          ops::Target t = target;
                                                          t.password = password;
                                                          return ops::signalBackend(t, pid, signal, c, jc);
                                                      });
            if (!sent.value)
                return gone(*sent.error);
            const QString text = sent.value->sent
                                     ? (cancel ? u"cancel request sent to pid %1\n"_s : u"terminate request sent to pid %1\n"_s).arg(pid)
                                     : u"the server refused to signal pid %1\n"_s.arg(pid);
            return Output::document(sent.value->toJson(), text, sent.value->sent ? 0 : 5);
        }

        CommandSpec signalSpec(BackendSignal kind)
        {
            const bool cancel = kind == BackendSignal::Cancel;
            ArgumentSpec pid{u"pid"_s, ValueType::Integer, u"The server process id."_s};
            pid.min = 1;
            return {cancel ? u"cancel"_s : u"terminate"_s,
                    cancel ? u"Cancel a backend's running query: cancel PID [--yes]"_s : u"Terminate a backend's session: terminate PID [--yes]"_s,
                    cancel ? u"Cancels the running query of a backend (pg_cancel_backend). Exit 1 when the pid no longer exists."_s
                           : u"Terminates a backend's session (pg_terminate_backend). Exit 1 when the pid no longer exists."_s,
                    {pid},
                    targetOptions() + QList<OptionSpec>{
                                          {u"yes"_s, ValueType::Flag, {}, u"Do not ask for confirmation (scripts)."_s},
                                          {u"confirm"_s, ValueType::String, u"pid"_s, u"Production: the pid again, instead of typing it."_s},
                                          jsonOption(),
                                      },
                    {targetExclusion()},
                    {},
                    {},
                    [kind](Invocation &in) { return signal(in, kind); }};
        }
    }

    QList<CommandSpec> lockCommands()
    {
        OptionSpec watch{u"watch"_s, ValueType::Seconds, u"s"_s, u"Refresh every S seconds until interrupted."_s};
        watch.min = 1;
        OptionSpec perSession{u"locks-per-session"_s, ValueType::Integer, u"n"_s,
                              u"Lock entries detailed per interesting session (200)."_s};
        perSession.min = 1;
        CommandSpec locksSpec{
            u"locks"_s,
            u"Sessions, locks and blocking chains [--json] [--watch S]"_s,
            u"Sessions, locks and blocking chains: root blockers first, then whom they block (pg_blocking_pids), with wait "
            u"durations, idle-in-transaction blockers and named migration locks."_s,
            {},
            targetOptions() + QList{jsonOption(u"Print one JSON document on stdout (sessions, locks, edges, roots)."_s), watch, perSession},
            {targetExclusion()},
            {},
            {},
            &locks};
        return {locksSpec, signalSpec(BackendSignal::Cancel), signalSpec(BackendSignal::Terminate)};
    }
}

#include "core/ops/lockops.h"

#include "core/connect/connector.h"
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/locks/lockmonitor.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    std::optional<Error> jobFailure(const SignalResult &result)
    {
        if (result.sent)
            return std::nullopt;
        return Error::make(ErrorCode::OperationFailed, u"not sent: the server refused"_s);
    }
} // namespace dbops

namespace dbops::ops
{
    namespace
    {
        std::unique_ptr<PgConnection> open(const Target &target, JobContext &jc)
        {
            if (target.profile.isSqlite())
                throw Exception(ErrorCode::BadInput,
                                u"locks are a PostgreSQL matter; '%1' is a SQLite file"_s.arg(target.profile.targetDescription()));
            return Connector(target.profiles).open(target.profile, target.password, jc.token(), LockMonitor::connectOptions());
        }

        BackendSession lookUp(PgConnection &conn, int pid, JobContext &jc)
        {
            const auto s = LockQueries::session(conn, pid, jc.token());
            if (!s)
                throw Exception(ErrorCode::NotFound, u"no server process with pid %1 (it may have ended)"_s.arg(pid));
            return *s;
        }

        void requirePid(int pid)
        {
            if (pid <= 0)
                throw Exception(ErrorCode::Usage, u"'%1' is not a pid: give a positive whole number"_s.arg(pid));
        }
    } // namespace

    QString sessionDetails(const BackendSession &s)
    {
        QString q = s.query.simplified();
        if (q.size() > 500)
            q = q.left(499) + u'…';
        return u"%1@%2 (%3): %4"_s.arg(s.user, s.database, s.application, q);
    }

    QString signalConfirmationWord(int pid)
    {
        return QString::number(pid);
    }

    BackendSession session(const Target &target, int pid, JobContext &jc)
    {
        requirePid(pid);
        auto conn = open(target, jc);
        return lookUp(*conn, pid, jc);
    }

    SignalResult signalBackend(const Target &target, int pid, BackendSignal signal, const Confirmation &confirmation, JobContext &jc)
    {
        requirePid(pid);
        const QString on = u"pid %1 on %2"_s.arg(pid).arg(target.profile.targetDescription());
        QString details = u"pid %1"_s.arg(pid); // until the session is known
        return audited<SignalResult>(
            target, toString(signal), [&](const SignalResult *) { return details; },
            [&] {
                auto conn = open(target, jc);
                const BackendSession s = lookUp(*conn, pid, jc);
                details = sessionDetails(s);
                const QString what = signal == BackendSignal::Cancel ? u"cancelling the query of pid %1"_s.arg(pid)
                                                                     : u"terminating the session of pid %1"_s.arg(pid);
                requireConfirmed(target.profile, confirmation, what, signalConfirmationWord(pid));
                jc.throwIfCancelled();
                return LockQueries::signal(*conn, pid, signal, jc.token());
            },
            on);
    }
} // namespace dbops::ops

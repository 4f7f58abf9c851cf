#include "core/migrate/migrator.h"
#include "core/migrate/migratorsession.h"

#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/store/auditlog.h"

using namespace Qt::Literals::StringLiterals;

// repair --mark-applied: a migration the DBA ran by hand, recorded as what it is (seed 001).
namespace dbops
{
    namespace
    {
        bool markable(const TimelineEntry &e)
        {
            return !e.repeatable && e.migrationIndex >= 0 && (e.state == MigrationState::Pending || e.state == MigrationState::OutOfOrder)
                   && e.resumeFrom == 0;
        }

        /// Up to two versions on each side of `version`, with their states: what the DBA may have meant.
        QString nearby(const Timeline &t, const QString &version)
        {
            QList<const TimelineEntry *> versioned;
            for (const TimelineEntry &e : t.entries)
                if (!e.repeatable)
                    versioned << &e;
            qsizetype at = 0;
            while (at < versioned.size() && Version(versioned[at]->version) < Version(version))
                ++at;
            QStringList out;
            for (qsizetype i = std::max<qsizetype>(0, at - 2); i < std::min<qsizetype>(versioned.size(), at + 3); ++i)
                out << u"%1 (%2)"_s.arg(versioned[i]->version, toString(versioned[i]->state));
            return out.isEmpty() ? u"there are no migrations"_s : u"nearby: "_s + out.join(u", "_s);
        }

        const TimelineEntry &checkMarkable(const Timeline &t, const QString &version, const HistoryAdapter &history)
        {
            const TimelineEntry *found = nullptr;
            for (const TimelineEntry &e : t.entries)
                if (!e.repeatable && !version.isEmpty() && Version(e.version) == Version(version))
                    found = &e;
            if (!found)
            {
                Error e = Error::make(ErrorCode::BadInput, u"--mark-applied %1: no such migration; nothing was changed"_s.arg(version));
                e.detail = nearby(t, version);
                throw Exception(e);
            }
            if (!markable(*found))
            {
                Error e = Error::make(ErrorCode::BadInput, u"--mark-applied %1: %2 is %3, not pending; nothing was changed"_s.arg(
                                                               version, found->script, toString(found->state)));
                e.detail = nearby(t, version);
                throw Exception(e);
            }
            // golang-migrate keeps only the current version: recording V says every version below it ran.
            if (history.format() == u"golang-migrate"_s)
                for (const TimelineEntry &e : t.entries)
                    if (!e.repeatable && Version(e.version) < Version(found->version) && markable(e))
                        throw Exception(ErrorCode::BadInput,
                                        u"--mark-applied %1: the golang-migrate history keeps only the current version, so "
                                        u"recording %1 would also say that %2 (pending) ran; mark them in order. Nothing was "
                                        u"changed."_s.arg(version, e.version));
            return *found;
        }
    }

    MarkAppliedPlan Migrator::planMarkApplied(const QString &version, const QString &reason, JobContext &ctx)
    {
        load();
        beginOperation();
        ctx.progress(0, 0, u"reading the history"_s);
        auto conn = openConnection(m_params, ctx);
        const Timeline t = readTimeline(*conn, ctx);
        const TimelineEntry &e = checkMarkable(t, version, history());
        MarkAppliedPlan p;
        p.version = e.version;
        p.description = e.description;
        p.script = e.script;
        p.reason = reason.trimmed();
        p.osUser = currentOsUser();
        p.clientHost = currentHostName();
        p.dbRole = conn->exec(u"SELECT current_user"_s, {}, ctx.token()).value(0, 0).toString();
        p.historyFormat = history().format();
        p.historyTable = history().table();
        p.notedInHistory = history().notesMarkedApplied();
        return p;
    }

    MarkAppliedPlan Migrator::markApplied(const MarkAppliedPlan &shown, JobContext &ctx)
    {
        load();
        if (shown.reason.trimmed().isEmpty())
            throw Exception(ErrorCode::Usage, u"--mark-applied needs --reason TEXT: why it was run by hand (it is recorded)"_s);
        MarkAppliedPlan done = shown;
        beginOperation();
        {
            auto session = lockedSession(ctx);
            PgConnection &work = *session->work;
            const Timeline t = readTimeline(work, ctx);
            const TimelineEntry *e = nullptr;
            try
            {
                e = &checkMarkable(t, shown.version, history());
            }
            catch (const Exception &ex)
            {
                Error err = ex.error();
                err.code = ErrorCode::OperationFailed;
                err.context = u"the history changed since it was shown"_s;
                throw Exception(err);
            }
            if (history().format() != shown.historyFormat || history().table() != shown.historyTable)
                throw Exception(ErrorCode::OperationFailed, u"the history changed since it was shown; nothing was changed"_s);
            callBeforeChange(u"mark %1 (%2) as applied by hand"_s.arg(shown.version, shown.script), ctx);
            ensureHistory(*session, ctx);
            done.backupId = m_options.backupId;
            const Migration &m = m_set.migrations[e->migrationIndex];
            ApplyRecord record{&m, e->state == MigrationState::OutOfOrder, m_options.approvalId, m_options.backupId, 0};
            QList<PipelineStep> steps{{u"BEGIN"_s, {}}};
            steps << history().recordMarkedApplied(record, shown.reason);
            steps.append({u"SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"_s, {}});
            steps.append({u"COMMIT"_s, {}});
            const QList<QueryResult> results = execInTransaction(work, steps, ctx.token(), [&](int, const Error &) {
                return u"repair --mark-applied %1 (rolled back; nothing was changed)"_s.arg(shown.version);
            });
            done.recordedAt = QDateTime::fromString(results.value(results.size() - 2).value(0, 0).toString(), Qt::ISODateWithMs);
        }
        ctx.log(u"marked %1 (%2) as applied by hand in %3: %4"_s.arg(shown.version, shown.script, history().table(), shown.reason));
        return done;
    }
}

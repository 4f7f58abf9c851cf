#include "core/migrate/migrator.h"
#include "core/migrate/migratorsession.h"

#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/migrate/dbopshistory.h"
#include "core/migrate/historyformats.h"
#include "core/migrate/sqldiff.h"
#include "core/sql/sqlanalysis.h"

using namespace Qt::Literals::StringLiterals;

// The engine's operations on the history itself: down (and its plan), baseline, repair (and its
// plan), adopt. migrate, info and validate are in migrator.cpp.
namespace dbops
{
    std::optional<Error> downRefusal(const QList<TimelineEntry> &entries, const QString &baselineVersion, const QString &target)
    {
        const Version limit(target);
        QStringList missing;
        for (auto it = entries.crbegin(); it != entries.crend(); ++it)
        {
            const TimelineEntry &e = *it;
            if (e.repeatable || !e.isApplied() || !(limit < Version(e.version)))
                continue;
            if (e.state == MigrationState::Baseline)
                return Error::make(ErrorCode::BadInput,
                                   u"cannot go down to %1: %2 is covered by the baseline at %3, which has no down scripts"_s.arg(
                                       target, e.version, baselineVersion));
            if (e.migrationIndex < 0 || !e.hasDown)
                missing << u"%1 (%2)"_s.arg(e.version, e.script);
        }
        if (missing.isEmpty())
            return std::nullopt;
        Error e = Error::make(
            ErrorCode::BadInput,
            u"cannot go down to %1: no down/undo file for %2 migration(s); nothing was reverted"_s.arg(target).arg(missing.size()));
        e.detail = missing.join(u'\n');
        return e;
    }

    QList<const TimelineEntry *> Migrator::downVictims(const Timeline &t, const QString &target) const
    {
        if (const std::optional<Error> refused = downRefusal(t.entries, t.baselineVersion, target))
            throw Exception(*refused);
        const Version limit(target);
        QList<const TimelineEntry *> victims;
        for (auto it = t.entries.crbegin(); it != t.entries.crend(); ++it)
        {
            const TimelineEntry &e = *it;
            if (e.repeatable || !e.isApplied() || !(limit < Version(e.version)))
                continue;
            if (e.migrationIndex < 0 || !m_set.migrations[e.migrationIndex].down)
                throw Exception(ErrorCode::Internal, u"down %1: no down file although the timeline had one"_s.arg(e.version));
            victims << &e;
        }
        return victims;
    }

    DownPlan Migrator::planDown(const QString &target, JobContext &ctx)
    {
        load();
        beginOperation();
        requireKnownVersion(target, true, ctx);
        auto conn = openConnection(m_params, ctx);
        const Timeline t = readTimeline(*conn, ctx);
        DownPlan plan;
        plan.target = target;
        plan.currentVersion = t.currentVersion;
        for (const TimelineEntry *e : downVictims(t, target))
        {
            const MigrationScript &down = *m_set.migrations[e->migrationIndex].down;
            plan.steps.append({e->version, e->description, down.fileName, int(down.statements.size()), findDataLoss(down.statements)});
        }
        return plan;
    }

    DownResult Migrator::down(const QString &target, JobContext &ctx)
    {
        load();
        beginOperation();
        requireKnownVersion(target, true, ctx);
        auto session = lockedSession(ctx);
        const Timeline t = readTimeline(*session->work, ctx);
        const QList<const TimelineEntry *> victims = downVictims(t, target);
        // The version the database is at once each victim is reverted: the next applied one below it.
        QStringList appliedVersions;
        for (const TimelineEntry &e : t.entries)
            if (!e.repeatable && e.isApplied())
                appliedVersions << e.version;
        const auto previousOf = [&](const QString &v) {
            QString prev;
            for (const QString &a : appliedVersions)
                if (Version(a) < Version(v))
                    prev = a;
            return prev;
        };
        DownResult result;
        result.currentVersion = t.currentVersion;
        if (!victims.isEmpty())
            callBeforeChange(u"revert %1 migration(s): %2..%3"_s.arg(victims.size()).arg(victims.first()->version, victims.last()->version),
                             ctx);
        for (int i = 0; i < victims.size(); ++i)
        {
            ctx.throwIfCancelled();
            const TimelineEntry &e = *victims[i];
            const Migration &m = m_set.migrations[e.migrationIndex];
            ctx.progress(i, victims.size(), u"reverting %1 %2"_s.arg(e.version, e.description));
            QList<PipelineStep> steps{{u"BEGIN"_s, {}}};
            steps << sessionSettings(m_options.settings, true);
            const int first = int(steps.size());
            for (const SqlStatement &s : m.down->statements)
                steps.append({s.text, {}});
            const int historyStep = int(steps.size());
            steps << history().recordUndo(m, previousOf(e.version));
            steps.append({u"COMMIT"_s, {}});
            QElapsedTimer timer;
            timer.start();
            execInTransaction(*session->work, steps, ctx.token(), [&](int failed, const Error &error) {
                // Name the statement: one of the down file's, or dbops' own history record.
                QString where;
                if (failed >= first && failed < historyStep)
                    where =
                        u" at statement %1, line %2"_s.arg(failed - first + 1).arg(errorLine(m.down->statements[failed - first], error));
                else if (failed >= historyStep)
                    where = u" recording the undo in %1 (%2)"_s.arg(history().table(), steps[failed].sql.section(u' ', 0, 2));
                QString context = u"down %1 (%2)%3, rolled back; it is still applied"_s.arg(e.version, m.down->fileName, where);
                if (i > 0)
                    context += u" (the %1 newer migration(s) before it were reverted)"_s.arg(i);
                return context;
            });
            result.reverted << AppliedMigration{e.version, e.description, m.down->fileName, timer.elapsed(), int(m.down->statements.size()),
                                                false,     false};
        }
        const Timeline after = readTimeline(*session->work, ctx);
        result.currentVersion = after.currentVersion;
        return result;
    }

    void Migrator::baseline(const QString &version, const QString &description, JobContext &ctx)
    {
        if (Version(version).isEmpty())
            throw Exception(ErrorCode::Usage, u"baseline needs --version V"_s);
        beginOperation();
        auto session = lockedSession(ctx);
        const QList<HistoryRow> rows = session->historyExisted ? history().read(*session->work, ctx.token()) : QList<HistoryRow>();
        qsizetype used = 0;
        for (const HistoryRow &r : rows)
            if (r.type == HistoryRow::Type::Migration || r.type == HistoryRow::Type::Baseline)
                ++used;
        if (used > 0)
            throw Exception(ErrorCode::BadInput, u"the history in %1 already has %2 migration row(s); baseline is for a database "
                                                 u"that dbops has not migrated yet. Nothing was changed."_s.arg(history().table())
                                                     .arg(used));
        callBeforeChange(u"baseline the history at %1"_s.arg(version), ctx);
        ensureHistory(*session, ctx);
        QList<PipelineStep> steps{{u"BEGIN"_s, {}}};
        steps << history().recordBaseline(Version(version), description.isEmpty() ? u"<< Baseline >>"_s : description);
        steps.append({u"COMMIT"_s, {}});
        execInTransaction(*session->work, steps, ctx.token(), [&](int, const Error &) {
            return u"baseline: recording the baseline row in %1 (INSERT INTO %1), rolled back; nothing was changed"_s.arg(
                history().table());
        });
        ctx.log(u"baselined at version %1"_s.arg(version));
    }

    RepairPlan Migrator::computeRepair(const Timeline &t, const RepairOptions &options) const
    {
        const bool acceptChanged = options.acceptChanged;
        QString lastApplied; // entries are in version order

        RepairPlan plan;
        plan.historyFormat = m_history->format();
        plan.historyTable = m_history->table();
        // The adapter knows: a format that keeps no record of repairs writes nothing for one.
        plan.recordedInHistory = !m_history->recordRepair(u"probe"_s).isEmpty();
        for (const TimelineEntry &e : t.entries)
        {
            if (!e.row && e.invalidIndexes.isEmpty())
                continue;
            const QString name = e.repeatable ? e.description : e.version;
            switch (e.state)
            {
            case MigrationState::ChecksumMismatch:
                if (isCosmetic(e.mismatch) || acceptChanged)
                {
                    const MigrationScript &up = m_set.migrations[e.migrationIndex].up;
                    const QByteArray sum = m_history->checksum(up);
                    RepairAction a{RepairAction::Kind::RealignChecksum, name,
                                   u"realign the checksum of %1 (%2) to its file: %3"_s.arg(name, e.script, toString(e.mismatch)), *e.row,
                                   sum};
                    if (!isCosmetic(e.mismatch) && !e.row->appliedSql.isEmpty())
                        a.diff = unifiedDiff(e.row->appliedSql, up.sql, u"recorded in %1"_s.arg(m_history->table()), up.fileName);
                    plan.actions.append(a);
                }
                else
                    plan.refused << u"%1 (%2): %3 — not re-stamped without --accept-changed; a change to an applied migration "
                                    u"belongs in a new migration"_s.arg(name, e.script, toString(e.mismatch));
                break;
            case MigrationState::Failed:
                plan.actions.append({RepairAction::Kind::RemoveFailed,
                                     name,
                                     u"remove the failed row of %1 (%2); it will run again"_s.arg(name, e.script),
                                     *e.row,
                                     {}});
                break;
            case MigrationState::Dirty:
                if (options.dirty != RepairOptions::Dirty::Ask)
                {
                    const bool complete = options.dirty == RepairOptions::Dirty::Complete;
                    RepairAction a{RepairAction::Kind::ClearDirty,
                                   name,
                                   complete ? u"clear the dirty flag of %1: its effects are complete, it counts as applied"_s.arg(name)
                                            : u"clear the dirty flag of %1: its effects were reverted, the database is back at %2"_s.arg(
                                                name, lastApplied.isEmpty() ? u"no version"_s : lastApplied),
                                   *e.row,
                                   {}};
                    a.effectsComplete = complete;
                    a.previousVersion = lastApplied;
                    plan.actions.append(a);
                }
                else if (m_history->supportsResume() && e.row->statementsTotal >= 0)
                    plan.actions.append({RepairAction::Kind::MarkResumable,
                                         name,
                                         u"mark %1 (%2) to resume at statement %3 of %4 (statements 1-%5 ran; check their effects first)"_s
                                             .arg(name, e.script)
                                             .arg(e.row->statementsDone + 1)
                                             .arg(e.row->statementsTotal)
                                             .arg(e.row->statementsDone),
                                         *e.row,
                                         {}});
                else
                    plan.refused << u"%1 is dirty: check whether its effects are complete or reverted, then run repair with "
                                    u"--dirty=complete or --dirty=reverted"_s.arg(name);
                break;
            case MigrationState::MissingFile:
                if (e.acknowledgedMissing)
                    break;
                if (m_history->canMarkMissing())
                    plan.actions.append({RepairAction::Kind::MarkMissing,
                                         name,
                                         u"mark %1 (%2) as applied with its file deleted"_s.arg(name, e.script),
                                         *e.row,
                                         {}});
                else
                    plan.refused << u"%1 (%2): its file is missing and the %3 history cannot record that; restore the file"_s.arg(
                        name, e.script, m_history->format());
                break;
            default:
                break;
            }
            if (!e.invalidIndexes.isEmpty())
            {
                RepairAction drop{
                    RepairAction::Kind::DropInvalidIndexes,
                    name,
                    u"drop the INVALID index(es) %1 that an interrupted CREATE INDEX CONCURRENTLY of %2 (%3) left "
                    u"(DROP INDEX CONCURRENTLY IF EXISTS, outside a transaction)"_s.arg(e.invalidIndexes.join(u", "_s), name, e.script),
                    e.row.value_or(HistoryRow{}),
                    {}};
                drop.indexes = e.invalidIndexes;
                plan.actions.append(drop);
                // With IF NOT EXISTS a re-run "succeeded" over the invalid index: the row says applied
                // although the index was never built. It must run again to build it.
                if (e.isApplied() && e.state != MigrationState::Baseline)
                {
                    if (m_history->canRerun())
                        plan.actions.append({RepairAction::Kind::Rerun,
                                             name,
                                             u"mark %1 (%2) to run again: its history row says applied, but its index was never "
                                             u"built (the next migrate builds it)"_s.arg(name, e.script),
                                             *e.row,
                                             {}});
                    else
                        plan.refused << u"%1 (%2): the %3 history says it is applied, but its index %4 was never built, and dbops "
                                        u"cannot mark it to run again in that history; after the drop, run its CREATE INDEX "
                                        u"CONCURRENTLY by hand"_s.arg(name, e.script, m_history->format(), e.invalidIndexes.join(u", "_s));
                }
            }
            if (!e.repeatable && e.isApplied())
                lastApplied = e.version;
        }
        return plan;
    }

    RepairPlan Migrator::planRepair(const RepairOptions &options, JobContext &ctx)
    {
        return computeRepair(info(ctx), options);
    }

    RepairPlan Migrator::repair(const RepairPlan &shown, const RepairOptions &options, JobContext &ctx)
    {
        load();
        beginOperation();
        auto session = lockedSession(ctx);
        const RepairPlan plan = computeRepair(readTimeline(*session->work, ctx), options);
        if (!plan.sameAs(shown))
            throw Exception(ErrorCode::OperationFailed,
                            u"the history changed since the repair plan was shown; nothing was changed. Review the new plan."_s);
        if (plan.isEmpty())
            return plan;
        callBeforeChange(u"repair the history: %1 change(s)"_s.arg(plan.actions.size()), ctx);
        // DROP INDEX CONCURRENTLY cannot run in a transaction: the invalid indexes go first, one by
        // one, then the history changes (and the record of the drops) in one transaction.
        QStringList dropped;
        for (const RepairAction &a : plan.actions)
        {
            if (a.kind != RepairAction::Kind::DropInvalidIndexes)
                continue;
            for (const QString &index : a.indexes)
            {
                try
                {
                    // `index` is regclass output from the catalog: already a quoted, qualified name.
                    session->work->exec(u"DROP INDEX CONCURRENTLY IF EXISTS "_s + index, {}, ctx.token());
                }
                catch (const Exception &e)
                {
                    Error err = e.error();
                    err.code = err.isCancelled() ? err.code : ErrorCode::OperationFailed;
                    err.context = u"repair: DROP INDEX CONCURRENTLY IF EXISTS %1 (%2; the history was not changed)"_s.arg(
                        index, dropped.isEmpty() ? u"nothing was dropped before it"_s : u"already dropped: "_s + dropped.join(u", "_s));
                    throw Exception(err);
                }
                dropped << index;
                ctx.log(u"dropped the invalid index "_s + index);
            }
        }
        QList<PipelineStep> steps{{u"BEGIN"_s, {}}};
        QStringList summary;
        for (const RepairAction &a : plan.actions)
        {
            switch (a.kind)
            {
            case RepairAction::Kind::DropInvalidIndexes:
                break; // done above
            case RepairAction::Kind::Rerun:
                steps << history().markRerun(a.row, u"marked to run again by repair: its index %1 was left INVALID by an "
                                                    u"interrupted CREATE INDEX CONCURRENTLY and was dropped"_s.arg(dropped.join(u", "_s)));
                break;
            case RepairAction::Kind::RealignChecksum:
                steps << history().realignChecksum(a.row, a.checksum);
                break;
            case RepairAction::Kind::RemoveFailed:
                steps << history().removeFailed(a.row);
                break;
            case RepairAction::Kind::MarkResumable:
                steps << history().markResumable(a.row);
                break;
            case RepairAction::Kind::MarkMissing:
                steps << history().markMissing(a.row);
                break;
            case RepairAction::Kind::ClearDirty:
                steps << history().clearDirty(a.row, a.effectsComplete, a.previousVersion);
                break;
            }
            summary << a.text;
        }
        steps << history().recordRepair(u"repair: "_s + summary.join(u"; "_s));
        steps.append({u"COMMIT"_s, {}});
        execInTransaction(*session->work, steps, ctx.token(), [&](int, const Error &) {
            return dropped.isEmpty() ? u"repair (rolled back; nothing was changed)"_s
                                     : u"repair (the history changes were rolled back; the invalid index(es) %1 were "
                                       u"already dropped)"_s.arg(dropped.join(u", "_s));
        });
        ctx.log(u"repair applied: %1 change(s)"_s.arg(plan.actions.size()));
        return plan;
    }

    namespace
    {
        /// A file that no longer matches the old tool's checksum is a decision for the DBA, not
        /// something to carry over silently (its mismatch would vanish with the old checksum).
        void refuseChangedFiles(HistoryAdapter &source, const QList<HistoryRow> &rows, const MigrationSet &set)
        {
            QStringList changed;
            for (const HistoryRow &row : rows)
                if (row.type == HistoryRow::Type::Migration && row.success && !row.dirty && source.keepsChecksums()
                    && !row.checksum.isEmpty())
                    if (const Migration *m = set.find(Version(row.version)); m && source.checksum(m->up) != row.checksum)
                        changed << m->version.text() + u" ("_s + m->up.fileName + u')';
            if (changed.isEmpty())
                return;
            Error e = Error::make(ErrorCode::BadInput,
                                  u"%1 migration file(s) no longer match the %2 history's checksums: %3; adopting would lose "
                                  u"that mismatch, so nothing was changed"_s.arg(changed.size())
                                      .arg(source.format(), changed.join(u", "_s)));
            e.hint = u"restore the files, or realign the old history first (dbops validate shows how they differ; dbops repair)"_s;
            throw Exception(e);
        }

        /// The dbops history type of an old row; empty for rows that are not carried over.
        QString adoptedType(HistoryRow::Type type)
        {
            switch (type)
            {
            case HistoryRow::Type::Migration:
                return u"SQL"_s;
            case HistoryRow::Type::Repeatable:
                return u"REPEATABLE"_s;
            case HistoryRow::Type::Baseline:
            case HistoryRow::Type::UpTo: // golang-migrate: "everything up to V" is a baseline at V
                return u"BASELINE"_s;
            case HistoryRow::Type::Undo:
                return u"UNDO"_s;
            case HistoryRow::Type::Deleted:
                return u"DELETE"_s;
            default:
                return {};
            }
        }

        /// The INSERT of one old row into the dbops history (nullopt: not carried over), counting
        /// in `result` which rows keep a checksum. Rows the old history keeps no checksum for get
        /// the file's as it is now with recordChecksums, named so on the row (`adoptedNote`).
        std::optional<PipelineStep> adoptRow(const HistoryRow &row, HistoryAdapter &source, const MigrationSet &set,
                                             const AdoptOptions &options, const QString &insert, const QString &adoptedNote,
                                             AdoptResult &result)
        {
            const QString type = adoptedType(row.type);
            if (type.isEmpty())
                return std::nullopt;
            const bool dirty = !row.success || row.dirty;
            // Where the file still matches the old tool's checksum, keep validating it from now on.
            QVariant checksum, appliedSql, note;
            const Migration *m = row.type == HistoryRow::Type::Repeatable ? nullptr : set.find(Version(row.version));
            if (m && source.keepsChecksums() && !row.checksum.isEmpty() && source.checksum(m->up) == row.checksum)
            {
                checksum = m->up.checksum;
                appliedSql = m->up.sql;
                ++result.withChecksum;
            }
            else if (row.type == HistoryRow::Type::Migration && !dirty)
            {
                if (m && options.recordChecksums)
                {
                    // Not the applied SQL (nobody kept it): only the checksum, and the row says so.
                    checksum = m->up.checksum;
                    note = adoptedNote;
                    ++result.recordedChecksums;
                }
                else
                    result.withoutChecksum << row.version;
            }
            ++result.rows;
            // Who, from where and how long are the old tool's to tell; unknown stays NULL (shown "—").
            return PipelineStep{insert,
                                {row.version.isEmpty() ? QVariant() : QVariant(row.version),
                                 row.description.isEmpty() ? (m ? m->description : row.script) : row.description, type,
                                 row.script.isEmpty() ? (m ? m->up.fileName : row.version) : row.script, checksum, appliedSql,
                                 row.installedBy.isEmpty() ? QVariant() : QVariant(row.installedBy),
                                 row.installedOn.isValid() ? QVariant(row.installedOn) : QVariant(),
                                 row.executionMs < 0 ? QVariant() : QVariant(row.executionMs), !dirty, QStringLiteral(DBOPS_VERSION),
                                 note}};
        }

        /// The REPAIR row's text: what was adopted from where.
        QString adoptSummary(const HistoryAdapter &source, const AdoptResult &result)
        {
            QString summary = u"adopted from %1 %2: %3 row(s)"_s.arg(source.format(), result.fromTable).arg(result.rows);
            if (result.recordedChecksums > 0)
                summary +=
                    u"; %1 %2"_s.arg(result.recordedChecksums).arg(u"checksum(s) adopted from the files as they were, not verified"_s);
            if (!result.withoutChecksum.isEmpty())
                summary += u"; %1 without checksum"_s.arg(result.withoutChecksum.size());
            return summary;
        }

        /// The new table and every row in one transaction: nothing half-done. Adopted rows may
        /// not know who ran them or how long they took, and may carry a note.
        void commitAdoption(PgConnection &work, DbopsHistory &target, const QList<PipelineStep> &steps, JobContext &ctx)
        {
            try
            {
                work.exec(u"BEGIN"_s, {}, ctx.token());
                target.create(work, ctx.token());
                work.exec(
                    u"ALTER TABLE "_s + target.table()
                        + u" ADD COLUMN IF NOT EXISTS note text, ALTER COLUMN execution_ms DROP NOT NULL, ALTER COLUMN installed_by DROP NOT NULL"_s,
                    {}, ctx.token());
                work.execPipeline(steps, ctx.token());
            }
            catch (const Exception &e)
            {
                rollbackQuietly(work);
                Error err = e.error();
                err.context = u"adopt (rolled back; nothing was changed)"_s;
                throw Exception(err);
            }
        }

        void logAdopted(const HistoryAdapter &source, const AdoptResult &result, const QString &adoptedNote, JobContext &ctx)
        {
            ctx.log(u"adopted %1 row(s) from the %2 history %3"_s.arg(result.rows).arg(source.format(), source.table()));
            if (result.recordedChecksums > 0)
                ctx.log(u"%1 checksum(s) recorded from the files as they are now (%2)"_s.arg(result.recordedChecksums).arg(adoptedNote));
            if (!result.withoutChecksum.isEmpty())
                ctx.log(
                    u"%1 adopted migration(s) have no checksum: edits to their files cannot be detected (dbops adopt --record-checksums "
                    u"would have recorded them)"_s.arg(result.withoutChecksum.size()));
        }
    }

    AdoptResult Migrator::adopt(JobContext &ctx, const AdoptOptions &options)
    {
        load();
        beginOperation();
        // Lock out both the other tool and other dbops instances, on one session.
        auto work = openConnection(withApplicationName(m_params, u"dbops adopt"_s), ctx);
        HistoryAdapter &source = resolveHistory(*work, ctx);
        if (source.format() == u"dbops"_s)
            throw Exception(ErrorCode::BadInput,
                            u"this database already keeps the dbops history (%1); nothing to adopt"_s.arg(source.table()));
        if (!source.exists(*work, ctx.token()))
            throw Exception(ErrorCode::BadInput, u"no %1 history table %2 to adopt"_s.arg(source.format(), source.table()));
        DbopsHistory target(m_options.settings.historyTable.isEmpty() ? defaultHistoryTable() : m_options.settings.historyTable);
        MigrationLock sourceLock(*work, source.lockKey(*work, ctx.token()), m_options.settings, ctx.token());
        MigrationLock targetLock(*work, target.lockKey(*work, ctx.token()), m_options.settings, ctx.token());
        if (target.exists(*work, ctx.token()) && !target.read(*work, ctx.token()).isEmpty())
            throw Exception(ErrorCode::BadInput, u"the dbops history %1 already has rows; nothing was changed"_s.arg(target.table()));

        QList<HistoryRow> rows = source.read(*work, ctx.token());
        const QStringList notUnderstood = source.interpret(m_set, rows);
        for (const QString &w : notUnderstood)
            ctx.log(u"warning: "_s + w);
        AdoptResult result;
        result.fromFormat = source.format();
        result.fromTable = source.schemaName() + u'.' + source.tableName();
        result.recordChecksums = options.recordChecksums;
        refuseChangedFiles(source, rows, m_set);
        const QString adoptedNote =
            u"checksum adopted from the file on %1, not verified"_s.arg(QDateTime::currentDateTimeUtc().toString(u"yyyy-MM-dd"_s));
        const QString insert =
            u"INSERT INTO "_s + target.table()
            + u" (version, description, type, script, checksum, applied_sql, installed_by, os_user, client_host, "
              u"installed_on, execution_ms, success, out_of_order, dbops_version, note) "
              u"VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, COALESCE($8::timestamptz, now()), $9, $10, false, $11, $12)"_s;
        QList<PipelineStep> steps;
        for (const HistoryRow &row : rows)
            if (auto step = adoptRow(row, source, m_set, options, insert, adoptedNote, result))
                steps << *step;
        if (result.recordedChecksums > 0)
            result.checksumNote = adoptedNote;
        steps << target.recordRepair(adoptSummary(source, result));
        steps.append({u"COMMIT"_s, {}});
        callBeforeChange(u"adopt %1 row(s) of the %2 history %3"_s.arg(result.rows).arg(source.format(), source.table()), ctx);
        ctx.progress(0, 1, u"adopting %1 row(s) from %2"_s.arg(result.rows).arg(source.table()));
        commitAdoption(*work, target, steps, ctx);
        logAdopted(source, result, adoptedNote, ctx);
        return result;
    }
}

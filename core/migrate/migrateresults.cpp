#include "core/migrate/migrator.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

// The migrator's plain result values: their text and JSON faces (the CLI's --json, reports).
namespace dbops
{
    QJsonObject AppliedMigration::toJson() const
    {
        return QJsonObject{{u"version"_s, version},
                           {u"description"_s, description},
                           {u"script"_s, script},
                           {u"duration_ms"_s, ms},
                           {u"statements"_s, statements},
                           {u"out_of_order"_s, outOfOrder},
                           {u"no_transaction"_s, noTransaction}};
    }

    QString MigrationFailure::toText() const
    {
        QString text = u"migration %1 (%2) %3"_s.arg(version, script, error.isCancelled() ? u"was cancelled"_s : u"failed"_s);
        if (statement > 0)
            text += u" at statement %1, line %2"_s.arg(statement).arg(line);
        text += u":\n  "_s + error.message;
        if (!error.sqlstate.isEmpty())
            text += u"\n  SQLSTATE "_s + error.sqlstate;
        if (!error.detail.isEmpty())
            text += u"\n  DETAIL: "_s + error.detail;
        if (!error.hint.isEmpty())
            text += u"\n  HINT: "_s + error.hint;
        if (outcomeUnknown)
            text += u"\n  Whether it committed could not be checked (the history could not be read): see 'dbops info'."_s;
        else
            text += rolledBack ? u"\n  The migration was rolled back; nothing of it remains."_s
                               : u"\n  It runs outside a transaction: %1 statement(s) before it stay applied; the history marks it "
                                 u"so. Check its effects, then run: dbops repair"_s.arg(statementsDone);
        return text;
    }

    QJsonObject MigrationFailure::toJson() const
    {
        return QJsonObject{{u"version"_s, version},
                           {u"description"_s, description},
                           {u"script"_s, script},
                           {u"statement"_s, statement},
                           {u"line"_s, line},
                           {u"sqlstate"_s, error.sqlstate},
                           {u"message"_s, error.message},
                           {u"detail"_s, error.detail},
                           {u"hint"_s, error.hint},
                           {u"rolled_back"_s, rolledBack},
                           {u"statements_done"_s, statementsDone},
                           {u"cancelled"_s, error.isCancelled()},
                           {u"outcome_unknown"_s, outcomeUnknown}};
    }

    QStringList MigrateResult::stillPending() const
    {
        QStringList out;
        // A non-transactional migration stopped part-way is not pending: it is dirty (failure says so).
        const qsizetype from = applied.size() + (failure && !failure->rolledBack && !failure->outcomeUnknown ? 1 : 0);
        for (qsizetype i = from; i < plan.size(); ++i)
            out << (plan[i].repeatable ? plan[i].description : plan[i].version);
        return out;
    }

    QString MigrateResult::cancelText() const
    {
        QStringList done;
        for (const AppliedMigration &a : applied)
            done << (a.version.isEmpty() ? a.description : a.version);
        QString text = u"cancelled: %1 migration(s) applied in this run%2"_s.arg(applied.size())
                           .arg(done.isEmpty() ? QString() : u" ("_s + done.join(u", "_s) + u')');
        if (failure)
        {
            const QString name = u"%1 (%2)"_s.arg(failure->version, failure->script);
            if (failure->outcomeUnknown)
                text += u"; %1 was in flight, and whether it committed could not be checked: see 'dbops info'"_s.arg(name);
            else if (failure->rolledBack)
                text += u"; %1 was in flight and was rolled back, nothing of it remains"_s.arg(name);
            else
                text += u"; %1 runs outside a transaction and stopped after %2 statement(s), which stay applied (the history "
                        u"marks it so; check its effects, then run: dbops repair)"_s.arg(name)
                            .arg(failure->statementsDone);
        }
        const QStringList pending = stillPending();
        text +=
            pending.isEmpty() ? u"; nothing stays pending"_s : u"; %1 stay pending: %2"_s.arg(pending.size()).arg(pending.join(u", "_s));
        return text + u'.';
    }

    std::optional<Error> jobFailure(const MigrateResult &result)
    {
        if (result.cancelled)
            return Error::make(ErrorCode::Cancelled, result.cancelText());
        if (result.failure)
            return Error::make(ErrorCode::OperationFailed, result.failure->toText());
        return std::nullopt;
    }

    QJsonObject MigrateResult::toJson() const
    {
        QJsonArray planned, done;
        for (const PlannedMigration &p : plan)
            planned.append(QJsonObject{{u"version"_s, p.version},
                                       {u"description"_s, p.description},
                                       {u"script"_s, p.script},
                                       {u"no_transaction"_s, p.noTransaction},
                                       {u"out_of_order"_s, p.outOfOrder},
                                       {u"statements"_s, int(p.statements.size())}});
        for (const AppliedMigration &a : applied)
            done.append(a.toJson());
        QJsonObject o{{u"dry_run"_s, dryRun},
                      {u"plan"_s, planned},
                      {u"applied"_s, done},
                      {u"current_version"_s, currentVersion.isEmpty() ? QJsonValue() : QJsonValue(currentVersion)},
                      {u"lock_wait_ms"_s, lockWaitMs}};
        o[u"history"_s] = report.historyJson();
        o[u"lock"_s] = report.lockTaken ? QJsonValue(report.lockJson()) : QJsonValue();
        if (failure)
            o[u"failure"_s] = failure->toJson();
        if (cancelled)
        {
            o[u"cancelled"_s] = true;
            o[u"pending"_s] = QJsonArray::fromStringList(stillPending());
            o[u"message"_s] = cancelText();
        }
        if (waitedFor)
            o[u"waited_for"_s] = waitedFor->toJson();
        if (!skipped.isEmpty())
        {
            o[u"skipped"_s] = true;
            o[u"reason"_s] = skipped;
        }
        if (!warnings.isEmpty())
            o[u"warnings"_s] = QJsonArray::fromStringList(warnings);
        return o;
    }

    QJsonObject MigrateReport::historyJson() const
    {
        return QJsonObject{{u"format"_s, historyFormat},
                           {u"table"_s, historyTable},
                           {u"exists"_s, historyExisted},
                           {u"applied"_s, appliedCount},
                           {u"pending"_s, pendingCount}};
    }

    QJsonObject MigrateReport::lockJson() const
    {
        return QJsonObject{{u"key"_s, QString::number(lockKey)},
                           {u"mode"_s, lockShared ? u"shared"_s : u"exclusive"_s},
                           {u"waited_ms"_s, lockWaitedMs},
                           {u"released"_s, lockReleased}};
    }

    QString MigrateResult::planSql() const
    {
        QString out;
        for (const PlannedMigration &p : plan)
        {
            out += u"-- %1 %2 (%3)%4\n"_s.arg(p.version, p.description, p.script,
                                              p.noTransaction ? u", outside a transaction"_s
                                              : p.outOfOrder  ? u", out of order"_s
                                                              : QString());
            if (!p.noTransaction)
                out += u"BEGIN;\n"_s;
            for (qsizetype i = p.resumeFrom; i < p.statements.size(); ++i)
                out += p.statements[i] + u";\n"_s;
            if (!p.noTransaction)
                out += u"COMMIT;\n"_s;
            out += u'\n';
        }
        return out;
    }

    QJsonObject ValidateResult::toJson() const
    {
        QJsonArray arr;
        for (const TimelineProblem &p : problems)
        {
            QJsonObject o{{u"version"_s, p.version}, {u"state"_s, toString(p.state)}, {u"message"_s, p.message}};
            if (p.mismatch != MismatchKind::None)
                o[u"mismatch"_s] = toString(p.mismatch);
            if (diffs.contains(p.version))
                o[u"diff"_s] = diffs.value(p.version);
            arr.append(o);
        }
        return QJsonObject{{u"valid"_s, problems.isEmpty()}, {u"problems"_s, arr}, {u"timeline"_s, timeline.toJson()}};
    }

    QString RepairPlan::toText() const
    {
        QString out;
        for (const RepairAction &a : actions)
            out += u"  - "_s + a.text + u'\n';
        for (const QString &r : refused)
            out += u"  ! "_s + r + u'\n';
        return out;
    }

    QString RepairPlan::recordedIn() const
    {
        return recordedInHistory ? u"recorded in the %1 history %2 and in dbops' audit log"_s.arg(historyFormat, historyTable)
                                 : u"the %1 history %2 keeps no record of repairs: recorded only in dbops' audit log (dbops audit)"_s.arg(
                                     historyFormat, historyTable);
    }

    QString MarkAppliedPlan::recordedIn() const
    {
        return notedInHistory ? u"the %1 history %2, as a row that says it was marked by hand (never \"applied by dbops\"), with who, when "
                                u"and why; and dbops' audit log"_s.arg(historyFormat, historyTable)
                              : u"the %1 history %2, as an applied row (the format cannot say it was marked by hand); who, when and why "
                                u"are recorded only in dbops' audit log"_s.arg(historyFormat, historyTable);
    }

    QString MarkAppliedPlan::toText() const
    {
        return u"Mark %1 (%2) as applied by hand, without running it:\n"
               u"  recorded in: %3\n"
               u"  by: OS user %4 on %5, database role %6\n"
               u"  when: %7\n"
               u"  why: %8\n"_s.arg(version, script, recordedIn(), osUser, clientHost, dbRole,
                                    recordedAt.isValid() ? recordedAt.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s)
                                                         : u"now (the server's clock)"_s,
                                    reason);
    }

    QJsonObject MarkAppliedPlan::toJson() const
    {
        QJsonObject o{{u"version"_s, version},
                      {u"description"_s, description},
                      {u"script"_s, script},
                      {u"reason"_s, reason},
                      {u"os_user"_s, osUser},
                      {u"db_role"_s, dbRole},
                      {u"client_host"_s, clientHost},
                      {u"history_format"_s, historyFormat},
                      {u"history_table"_s, historyTable},
                      {u"noted_in_history"_s, notedInHistory},
                      {u"recorded_in"_s, recordedIn()}};
        if (recordedAt.isValid())
            o[u"recorded_at"_s] = recordedAt.toUTC().toString(Qt::ISODateWithMs);
        if (!backupId.isEmpty())
            o[u"backup_id"_s] = backupId;
        return o;
    }

    QJsonObject RepairPlan::toJson() const
    {
        QJsonArray arr;
        for (const RepairAction &a : actions)
        {
            static const char *const kinds[] = {"realign_checksum", "remove_failed",        "mark_resumable", "mark_missing",
                                                "clear_dirty",      "drop_invalid_indexes", "rerun"};
            QJsonObject o{{u"action"_s, QString::fromLatin1(kinds[int(a.kind)])}, {u"version"_s, a.version}, {u"text"_s, a.text}};
            if (!a.indexes.isEmpty())
                o[u"indexes"_s] = QJsonArray::fromStringList(a.indexes);
            arr.append(o);
        }
        return QJsonObject{{u"actions"_s, arr},
                           {u"refused"_s, QJsonArray::fromStringList(refused)},
                           {u"history_format"_s, historyFormat},
                           {u"history_table"_s, historyTable},
                           {u"recorded_in_history"_s, recordedInHistory},
                           {u"recorded_in"_s, recordedIn()}};
    }

    bool RepairPlan::sameAs(const RepairPlan &other) const
    {
        if (actions.size() != other.actions.size())
            return false;
        for (qsizetype i = 0; i < actions.size(); ++i)
        {
            const RepairAction &a = actions[i], &b = other.actions[i];
            if (a.kind != b.kind || a.version != b.version || a.row.rank != b.row.rank || a.checksum != b.checksum
                || a.effectsComplete != b.effectsComplete || a.previousVersion != b.previousVersion || a.indexes != b.indexes)
                return false;
        }
        return true;
    }

    QJsonObject DownResult::toJson() const
    {
        QJsonArray arr;
        for (const AppliedMigration &a : reverted)
            arr.append(a.toJson());
        return QJsonObject{{u"reverted"_s, arr},
                           {u"current_version"_s, currentVersion.isEmpty() ? QJsonValue() : QJsonValue(currentVersion)}};
    }

    QJsonObject AdoptResult::toJson() const
    {
        return QJsonObject{{u"from_format"_s, fromFormat},
                           {u"from_table"_s, fromTable},
                           {u"rows"_s, rows},
                           {u"with_checksum"_s, withChecksum},
                           {u"record_checksums"_s, recordChecksums},
                           {u"checksums_recorded_from_files"_s, recordedChecksums},
                           {u"checksum_note"_s, checksumNote.isEmpty() ? QJsonValue() : QJsonValue(checksumNote)},
                           {u"without_checksum"_s, QJsonArray::fromStringList(withoutChecksum)}};
    }

    bool DownPlan::hasDataLoss() const
    {
        for (const DownStep &s : steps)
            if (!s.dataLoss.isEmpty())
                return true;
        return false;
    }

    QStringList DownPlan::dataLossLines() const
    {
        QStringList out;
        for (const DownStep &s : steps)
            for (const DataLossFinding &f : s.dataLoss)
                out << u"data loss: %1 in %2 (reverting %3)"_s.arg(f.toText(), s.script, s.version);
        return out;
    }

    QString DownPlan::toText() const
    {
        QString out;
        for (const DownStep &s : steps)
        {
            out += u"  - %1 %2 (%3, %4 statement(s))\n"_s.arg(s.version, s.description, s.script).arg(s.statements);
            for (const DataLossFinding &f : s.dataLoss)
                out += u"      data loss: "_s + f.toText() + u'\n';
        }
        return out;
    }

    QJsonObject DownPlan::toJson() const
    {
        QJsonArray arr;
        for (const DownStep &s : steps)
        {
            QJsonArray loss;
            for (const DataLossFinding &f : s.dataLoss)
                loss.append(f.toJson());
            arr.append(QJsonObject{{u"version"_s, s.version},
                                   {u"description"_s, s.description},
                                   {u"script"_s, s.script},
                                   {u"statements"_s, s.statements},
                                   {u"data_loss"_s, loss}});
        }
        return QJsonObject{{u"target"_s, target},
                           {u"current_version"_s, currentVersion.isEmpty() ? QJsonValue() : QJsonValue(currentVersion)},
                           {u"revert"_s, arr},
                           {u"data_loss"_s, hasDataLoss()}};
    }
}

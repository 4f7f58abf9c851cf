#include "core/migrate/migrator.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

// The migrator's plain result values: their text and JSON faces (the CLI's --json, reports).
namespace dbops
{
    QJsonObject AppliedMigration::toJson() const
    {
        return QJsonObject{{u"version"_s, version}, {u"description"_s, description}, {u"script"_s, script},
                           {u"duration_ms"_s, ms}, {u"statements"_s, statements}, {u"out_of_order"_s, outOfOrder},
                           {u"no_transaction"_s, noTransaction}};
    }

    QString MigrationFailure::toText() const
    {
        QString text = u"migration %1 (%2) failed"_s.arg(version, script);
        if (statement > 0)
            text += u" at statement %1, line %2"_s.arg(statement).arg(line);
        text += u":\n  "_s + error.message;
        if (!error.sqlstate.isEmpty())
            text += u"\n  SQLSTATE "_s + error.sqlstate;
        if (!error.detail.isEmpty())
            text += u"\n  DETAIL: "_s + error.detail;
        if (!error.hint.isEmpty())
            text += u"\n  HINT: "_s + error.hint;
        text += rolledBack ? u"\n  The migration was rolled back; nothing of it remains."_s
                           : u"\n  It runs outside a transaction: %1 statement(s) before it stay applied; the history marks it "
                             u"so. Check its effects, then run: dbops repair"_s.arg(statementsDone);
        return text;
    }

    QJsonObject MigrationFailure::toJson() const
    {
        return QJsonObject{{u"version"_s, version},       {u"description"_s, description}, {u"script"_s, script},
                           {u"statement"_s, statement},   {u"line"_s, line},               {u"sqlstate"_s, error.sqlstate},
                           {u"message"_s, error.message}, {u"detail"_s, error.detail},     {u"hint"_s, error.hint},
                           {u"rolled_back"_s, rolledBack}, {u"statements_done"_s, statementsDone}};
    }

    QJsonObject MigrateResult::toJson() const
    {
        QJsonArray planned, done;
        for (const PlannedMigration &p : plan)
            planned.append(QJsonObject{{u"version"_s, p.version}, {u"description"_s, p.description}, {u"script"_s, p.script},
                                       {u"no_transaction"_s, p.noTransaction}, {u"out_of_order"_s, p.outOfOrder},
                                       {u"statements"_s, int(p.statements.size())}});
        for (const AppliedMigration &a : applied)
            done.append(a.toJson());
        QJsonObject o{{u"dry_run"_s, dryRun}, {u"plan"_s, planned}, {u"applied"_s, done},
                      {u"current_version"_s, currentVersion.isEmpty() ? QJsonValue() : QJsonValue(currentVersion)},
                      {u"lock_wait_ms"_s, lockWaitMs}};
        o[u"history"_s] = report.historyJson();
        o[u"lock"_s] = report.lockTaken ? QJsonValue(report.lockJson()) : QJsonValue();
        if (failure)
            o[u"failure"_s] = failure->toJson();
        if (waitedFor)
            o[u"waited_for"_s] = waitedFor->toJson();
        if (!warnings.isEmpty())
            o[u"warnings"_s] = QJsonArray::fromStringList(warnings);
        return o;
    }

    QJsonObject MigrateReport::historyJson() const
    {
        return QJsonObject{{u"format"_s, historyFormat}, {u"table"_s, historyTable}, {u"exists"_s, historyExisted},
                           {u"applied"_s, appliedCount}, {u"pending"_s, pendingCount}};
    }

    QJsonObject MigrateReport::lockJson() const
    {
        return QJsonObject{{u"key"_s, QString::number(lockKey)}, {u"mode"_s, lockShared ? u"shared"_s : u"exclusive"_s},
                           {u"waited_ms"_s, lockWaitedMs}, {u"released"_s, lockReleased}};
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

    QJsonObject RepairPlan::toJson() const
    {
        QJsonArray arr;
        for (const RepairAction &a : actions)
        {
            static const char *const kinds[] = {"realign_checksum", "remove_failed", "mark_resumable", "mark_missing", "clear_dirty"};
            arr.append(QJsonObject{{u"action"_s, QString::fromLatin1(kinds[int(a.kind)])},
                                   {u"version"_s, a.version},
                                   {u"text"_s, a.text}});
        }
        return QJsonObject{{u"actions"_s, arr}, {u"refused"_s, QJsonArray::fromStringList(refused)}};
    }

    bool RepairPlan::sameAs(const RepairPlan &other) const
    {
        if (actions.size() != other.actions.size())
            return false;
        for (qsizetype i = 0; i < actions.size(); ++i)
        {
            const RepairAction &a = actions[i], &b = other.actions[i];
            if (a.kind != b.kind || a.version != b.version || a.row.rank != b.row.rank || a.checksum != b.checksum
                || a.effectsComplete != b.effectsComplete || a.previousVersion != b.previousVersion)
                return false;
        }
        return true;
    }

    QJsonObject DownResult::toJson() const
    {
        QJsonArray arr;
        for (const AppliedMigration &a : reverted)
            arr.append(a.toJson());
        return QJsonObject{{u"reverted"_s, arr}, {u"current_version"_s, currentVersion.isEmpty() ? QJsonValue() : QJsonValue(currentVersion)}};
    }

    QJsonObject AdoptResult::toJson() const
    {
        return QJsonObject{{u"from_format"_s, fromFormat}, {u"from_table"_s, fromTable}, {u"rows"_s, rows}, {u"with_checksum"_s, withChecksum}};
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
            arr.append(QJsonObject{{u"version"_s, s.version}, {u"description"_s, s.description}, {u"script"_s, s.script},
                                   {u"statements"_s, s.statements}, {u"data_loss"_s, loss}});
        }
        return QJsonObject{{u"target"_s, target},
                           {u"current_version"_s, currentVersion.isEmpty() ? QJsonValue() : QJsonValue(currentVersion)},
                           {u"revert"_s, arr},
                           {u"data_loss"_s, hasDataLoss()}};
    }
}

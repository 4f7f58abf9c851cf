#include "core/ops/schemaapply.h"

#include "core/db/pgconnection.h"
#include "core/jobs/canceltoken.h"
#include "core/jobs/job.h"
#include "core/sql/sqlsplitter.h"
#include "core/sql/statementinfo.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace dbops::ops
{
    namespace
    {
        struct Statement
        {
            QString sql;
            int line = 0; ///< in the script (0: unknown)
        };
        struct Step
        {
            QList<Statement> statements;
            bool inTransaction = true;
            QString reason;
        };

        /// The first line of a statement, shortened, for messages.
        QString headOf(const QString &sql)
        {
            QString head = sql.trimmed().section(u'\n', 0, 0);
            if (head.size() > 120)
                head = head.left(117) + u"..."_s;
            return head;
        }

        /// The steps to run: an online plan's own, else the script's statements as the parser
        /// splits them, consecutive ones together, a CREATE INDEX CONCURRENTLY alone.
        QList<Step> stepsOf(const SchemaApplyRequest &request)
        {
            QList<Step> steps;
            const auto add = [&](const Statement &s, bool outside, const QString &reason) {
                if (outside)
                {
                    steps << Step{{s}, false, reason};
                    return;
                }
                if (steps.isEmpty() || !steps.last().inTransaction)
                    steps << Step{{}, true, reason};
                steps.last().statements << s;
            };
            if (request.plan && !request.edited)
            {
                for (const schema::PlanStep &step : request.plan->steps)
                {
                    steps << Step{{}, true, step.reason};
                    for (const schema::PlanStatement &s : step.statements)
                        add(Statement{s.sql, 0}, s.outsideTransaction, step.reason);
                }
                steps.removeIf([](const Step &s) { return s.statements.isEmpty(); });
                return steps;
            }
            auto split = splitStatements(request.script, u"the script"_s);
            if (!split)
                throw Exception(split.error());
            for (const SqlStatement &s : *split)
            {
                const StatementInfo info = analyzeStatement(s.text);
                if (!info.transactionControl.isEmpty())
                {
                    Error e = Error::make(ErrorCode::BadInput,
                                          u"the script controls its own transaction (%1 at line %2); dbops runs it in one transaction "
                                          "and commits only when every statement succeeded: remove it"_s.arg(info.transactionControl)
                                              .arg(s.line));
                    e.context = u"the script, line %1"_s.arg(s.line);
                    throw Exception(e);
                }
                const bool outside = info.createdIndex && info.createdIndex->concurrently;
                add(Statement{s.text + u';', s.line}, outside,
                    outside ? u"CREATE INDEX CONCURRENTLY cannot run in a transaction block"_s : QString());
            }
            return steps;
        }
    }

    int SchemaApplyResult::committedSteps() const
    {
        return int(std::count_if(steps.cbegin(), steps.cend(), [](const AppliedStep &s) { return s.committed; }));
    }

    QString SchemaApplyResult::text() const
    {
        const QString how = steps.size() == 1 && steps.first().inTransaction ? u"in one transaction"_s : u"in %1 steps"_s.arg(steps.size());
        QString text;
        if (!failure)
            text = u"applied %1 statement(s) %2 to %3"_s.arg(statementsRun).arg(how, target);
        else
            text = failure->message;
        if (edited)
            text += u" (the script was edited)"_s;
        if (!backupId.isEmpty())
            text += u"; pre-change backup #%1"_s.arg(backupId);
        return text;
    }

    QJsonObject SchemaApplyResult::toJson() const
    {
        QJsonArray s;
        for (const AppliedStep &step : steps)
            s.append(QJsonObject{{u"statements"_s, step.statements},
                                 {u"committed"_s, step.committed},
                                 {u"in_transaction"_s, step.inTransaction},
                                 {u"reason"_s, step.reason}});
        QJsonObject o{{u"target"_s, target},
                      {u"statements_run"_s, statementsRun},
                      {u"statements_total"_s, statementsTotal},
                      {u"committed_steps"_s, committedSteps()},
                      {u"steps"_s, s},
                      {u"backup_id"_s, backupId},
                      {u"edited"_s, edited},
                      {u"cancelled"_s, cancelled},
                      {u"ok"_s, !failure.has_value()},
                      {u"text"_s, text()}};
        if (failure)
            o.insert(u"error"_s, failure->toJson());
        return o;
    }

    std::optional<Error> jobFailure(const SchemaApplyResult &result)
    {
        return result.failure;
    }

    QString schemaApplyAuditDetails(const SchemaApplyRequest &request, const SchemaApplyResult *result)
    {
        QString details =
            u"apply the SQL that makes it match %1"_s.arg(request.comparedWith.isEmpty() ? u"the other side"_s : request.comparedWith);
        if (request.edited)
            details += u" (edited by the person)"_s;
        if (result && !result->backupId.isEmpty())
            details += u"; pre-change backup #%1"_s.arg(result->backupId);
        else if (!request.preChange->path.isEmpty() || request.preChange->backupId)
            details += u"; pre-change backup #%1"_s.arg(request.preChange->backupId);
        if (result)
            details += u"; %1 of %2 statement(s) ran, %3 of %4 step(s) committed"_s.arg(result->statementsRun)
                           .arg(result->statementsTotal)
                           .arg(result->committedSteps())
                           .arg(result->steps.size());
        details += u"\n"_s + request.script;
        return details;
    }

    SchemaApplyResult applySchemaScript(const SchemaApplyRequest &request, JobContext &jc)
    {
        const ConnectionProfile &profile = request.target.profile;
        if (!request.target.store)
            throw Exception(ErrorCode::Internal, u"diff apply: no store for the audit log and the pre-change backup rule"_s);
        if (profile.isSqlite())
            throw Exception(ErrorCode::BadInput,
                            u"%1 is a SQLite file: dbops writes and applies PostgreSQL SQL only; nothing was changed"_s.arg(profile.name));
        // Bad input fails before anything connects, and is not audited (nothing was attempted).
        const QList<Step> steps = stepsOf(request);
        int total = 0;
        for (const Step &s : steps)
            total += int(s.statements.size());
        if (total == 0)
            throw Exception(ErrorCode::BadInput, u"the script holds no statement: nothing to apply to %1"_s.arg(profile.name));

        return audited<SchemaApplyResult>(
            request.target, u"diff-apply"_s, [&](const SchemaApplyResult *r) { return schemaApplyAuditDetails(request, r); },
            [&]() -> SchemaApplyResult {
                SchemaApplyResult result;
                result.target = request.targetLabel.isEmpty() ? profile.name : request.targetLabel;
                result.edited = request.edited;
                result.statementsTotal = total;
                const ConnectParams params = resolve(request.target, jc.token());
                requireConfirmed(profile, request.confirmation, u"applying the diff SQL"_s);
                ConnectOptions options;
                options.applicationName = u"dbops diff --apply"_s;
                auto conn = PgConnection::open(params, options, jc.token());
                // Production (or a profile whose policy says so): a verified backup first; a backup
                // that fails or does not verify throws, and nothing changed.
                const auto hook = preChangeBackupHook(*request.target.store, profile, params, {{}, {}, {}, request.preChange});
                result.backupId = hook(u"applying the diff SQL"_s, jc);
                int committedStatements = 0; ///< in the steps committed so far
                for (int k = 0; k < steps.size(); ++k)
                {
                    const Step &step = steps[k];
                    AppliedStep applied{int(step.statements.size()), false, step.inTransaction, step.reason};
                    const auto stopped = [&](const Error &cause, int i) {
                        const Statement &s = step.statements.value(i);
                        const QString where = u"statement %1 of %2%3 (%4)"_s.arg(committedStatements + i + 1)
                                                  .arg(total)
                                                  .arg(s.line > 0 ? u", line %1"_s.arg(s.line) : QString(), headOf(s.sql));
                        const QString kept = committedStatements == 0
                                                 ? u"nothing was changed"_s
                                                 : u"%1 statement(s) in %2 earlier step(s) stay committed"_s.arg(committedStatements)
                                                       .arg(result.committedSteps());
                        const QString undone = step.inTransaction ? u"its step was rolled back"_s : u"it ran alone"_s;
                        Error e = cause;
                        e.message = cause.code == ErrorCode::Cancelled
                                        ? u"cancelled at %1 on %2; %3, %4"_s.arg(where, result.target, undone, kept)
                                        : u"failed at %1 on %2: %3; %4, %5"_s.arg(where, result.target, cause.message, undone, kept);
                        e.context = s.sql.trimmed();
                        result.failure = e;
                        result.cancelled = cause.code == ErrorCode::Cancelled;
                        result.steps << applied;
                    };
                    if (jc.token() && jc.token()->isCancelled())
                    {
                        stopped(Error::make(ErrorCode::Cancelled, u"cancelled"_s), 0);
                        break;
                    }
                    int i = 0;
                    try
                    {
                        if (step.inTransaction)
                            conn->exec(u"BEGIN"_s);
                        for (; i < step.statements.size(); ++i)
                        {
                            const int n = committedStatements + i;
                            jc.progress(n, total, u"statement %1 of %2: %3"_s.arg(n + 1).arg(total).arg(headOf(step.statements[i].sql)));
                            conn->exec(step.statements[i].sql, {}, jc.token());
                            ++result.statementsRun;
                        }
                        if (step.inTransaction)
                            conn->exec(u"COMMIT"_s);
                    }
                    catch (const Exception &e)
                    {
                        if (step.inTransaction && conn->isOk())
                            conn->tryExec(u"ROLLBACK"_s);
                        stopped(e.error(), i);
                        break;
                    }
                    applied.committed = true;
                    committedStatements += int(step.statements.size());
                    result.steps << applied;
                }
                jc.progress(total, total, result.text());
                jc.setSummary(result.text());
                return result;
            });
    }
}

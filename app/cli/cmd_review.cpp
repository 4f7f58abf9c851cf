#include "app/cli/commands.h"

#include "core/jobs/job.h"
#include "core/ops/migrateops.h"
#include "core/review/lintrun.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        Output rules()
        {
            QJsonArray list;
            QString text;
            for (const LintRule &r : lintRules())
            {
                list << QJsonObject{{u"rule"_s, r.id},
                                    {u"severity"_s, toString(r.severity)},
                                    {u"summary"_s, r.summary},
                                    {u"graded_by"_s, r.grade == LintRule::Grade::BySize   ? u"size"_s
                                                     : r.grade == LintRule::Grade::ByRows ? u"rows"_s
                                                                                          : u"nothing"_s}};
                text += u"%1 %2 %3\n"_s.arg(r.id.leftJustified(46), toString(r.severity).leftJustified(8), r.summary);
            }
            return Output::document(QJsonObject{{u"rules"_s, list}}, text);
        }

        Output lint(Invocation &in)
        {
            if (in.values.flag(u"rules"_s))
                return rules();
            review::LintRequest request;
            request.paths = in.values.args(u"PATH"_s);
            std::optional<ConnectionProfile> profile;
            // Only a target given on the command line: a lint in CI never connects because DATABASE_URL is set.
            if (in.values.given(u"profile"_s) || in.values.given(u"db"_s))
            {
                auto resolved = resolveTarget(in.values, in.ctx);
                if (!resolved)
                    return Output::failure(resolved.error());
                profile = *resolved;
            }
            if (request.paths.isEmpty())
                request.paths << ops::resolveMigrationsDir(in.values.text(u"migrations"_s), profile.value_or(ConnectionProfile{}));
            // The run's own timeouts (dbops migrate --sql-lock-timeout / --statement-timeout) count as set.
            request.runSetsLockTimeout = in.values.integer(u"sql-lock-timeout"_s) > 0;
            request.runSetsStatementTimeout = in.values.integer(u"statement-timeout"_s) > 0;
            JobOutcome<review::LintReport> outcome;
            if (profile)
                outcome = runWithPassword<review::LintReport>(in.ctx, *profile, u"lint"_s,
                                                              [request, profile, &in](const QString &password, JobContext &jc) {
                                                                  review::LintRequest r = request;
                                                                  r.target = ops::Target{*profile, password, in.ctx.store, in.ctx.profiles};
                                                                  return review::lintFiles(r, jc);
                                                              });
            else
                outcome = runTyped(
                    in.ctx, makeJob<review::LintReport>(u"lint"_s, [request](JobContext &jc) { return review::lintFiles(request, jc); }));
            if (!outcome.ok())
                return Output::failure(*outcome.error);
            const review::LintReport &report = *outcome.value;
            const QString failOn = in.values.text(u"fail-on"_s, u"error"_s);
            const bool failed = (failOn != u"never"_s && report.count(LintSeverity::Error) > 0)
                                || (failOn == u"warning"_s && report.count(LintSeverity::Warning) > 0);
            return Output::document(report.toJson(), report.toText(), failed ? 1 : 0);
        }
    }

    CommandSpec lintCommand()
    {
        ArgumentSpec paths{u"PATH"_s, ValueType::Path, u"Files or folders to lint (default: the migrations folder)."_s, Arity::Repeatable};
        paths.what = u"path"_s;
        OptionSpec dir{u"migrations"_s, ValueType::Path, u"dir"_s, u"The migrations folder when no PATH is given."_s};
        dir.env = u"MIGRATIONS_DIR"_s;
        OptionSpec failOn{u"fail-on"_s, ValueType::Choice, u"level"_s,
                          u"Exit 1 when a finding of this severity is left unignored: error (default), warning or never."_s};
        failOn.choices = {u"error"_s, u"warning"_s, u"never"_s};
        QList<OptionSpec> options = targetOptions();
        OptionSpec lockTimeout{u"sql-lock-timeout"_s, ValueType::Millis, u"ms"_s,
                               u"The lock_timeout the migrate run will set (its --sql-lock-timeout): locking DDL then has one."_s};
        OptionSpec statementTimeout{u"statement-timeout"_s, ValueType::Millis, u"ms"_s,
                                    u"The statement_timeout the migrate run will set."_s};
        options << dir << failOn << lockTimeout << statementTimeout
                << OptionSpec{u"rules"_s, ValueType::Flag, {}, u"List the rules and exit."_s} << jsonOption();
        return {u"lint"_s,
                u"Lint migrations with PostgreSQL's parser (with a target: graded by live table sizes)"_s,
                u"Reads each file with libpg_query and reports, per statement, what can lock, rewrite, lose data or fail: the "
                u"file, statement and line, the risk and the safe rewrite. With --profile or --db the target's table sizes grade "
                u"the findings (a rewrite of an empty table is info, of a 50 GB table an error). `-- dbops:lint-ignore RULE "
                u"reason` above a statement (or `-- dbops:lint-ignore-file RULE reason`) suppresses a rule and records why. Exit "
                u"1 when an error is left (see --fail-on)."_s,
                {paths},
                options,
                {targetExclusion()},
                {},
                {},
                &lint};
    }
}

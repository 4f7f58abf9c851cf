#include "app/cli/commands.h"

#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/migrate/historyformats.h"
#include "core/migrate/migrator.h"
#include "core/ops/migrateops.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        // ---- the declarations ----

        OptionSpec number(const QString &name, ValueType type, const QString &value, const QString &help, const QString &env = {})
        {
            OptionSpec o{name, type, value, help};
            o.env = env;
            return o;
        }

        /// What every migration command takes: the target, the folder, the history, the lock budget.
        QList<OptionSpec> migrationOptions()
        {
            OptionSpec dir{u"migrations"_s, ValueType::Path, u"dir"_s,
                           u"The migrations folder (default: $MIGRATIONS_DIR, the profile's folder, ./migrations)."_s};
            dir.env = u"MIGRATIONS_DIR"_s;
            OptionSpec format{u"history-format"_s, ValueType::Choice, u"format"_s,
                              u"The history to use: dbops, sqlx, flyway, golang-migrate, plain or node-pg-migrate (default: detect; a new "
                              u"database gets dbops)."_s};
            format.choices = historyFormats();
            OptionSpec table{u"history-table"_s, ValueType::String, u"table"_s,
                             u"The history table (default: the format's own; schema.name allowed)."_s};
            table.allowEmpty = true;
            return targetOptions()
                   + QList<OptionSpec>{
                       dir,
                       format,
                       table,
                       number(u"max-retries"_s, ValueType::Integer, u"n"_s, u"Retries of transient failures (MIGRATION_MAX_RETRIES, 3)."_s,
                              u"MIGRATION_MAX_RETRIES"_s),
                       number(u"lock-timeout"_s, ValueType::Seconds, u"s"_s,
                              u"Seconds each attempt waits for the migration lock (MIGRATION_LOCK_TIMEOUT, 30)."_s,
                              u"MIGRATION_LOCK_TIMEOUT"_s),
                       number(u"max-wait"_s, ValueType::Seconds, u"s"_s,
                              u"Seconds to wait for the migration lock in all (MIGRATION_MAX_WAIT_TIME, 60)."_s,
                              u"MIGRATION_MAX_WAIT_TIME"_s),
                       number(u"retry-backoff"_s, ValueType::Millis, u"ms"_s,
                              u"First retry delay in ms, doubled each retry (MIGRATION_RETRY_BACKOFF, 1000)."_s,
                              u"MIGRATION_RETRY_BACKOFF"_s),
                       jsonOption(),
                   };
        }

        QList<OptionSpec> statementTimeouts(const QString &whose)
        {
            return {
                number(u"sql-lock-timeout"_s, ValueType::Millis, u"ms"_s, u"lock_timeout for %1, in ms (0 = server default)."_s.arg(whose)),
                number(u"statement-timeout"_s, ValueType::Millis, u"ms"_s, u"statement_timeout for %1, in ms."_s.arg(whose))};
        }

        OptionSpec yesOption()
        {
            return {u"yes"_s, ValueType::Flag, {}, u"Do it without asking (scripts)."_s};
        }

        OptionSpec confirmOption()
        {
            return {u"confirm"_s, ValueType::String, u"dbname"_s, u"Production: the database name, instead of typing it."_s};
        }

        OptionSpec versionOption(const QString &name, const QString &help, Arity arity = Arity::Optional)
        {
            OptionSpec o{name, ValueType::Version, u"version"_s, help};
            o.arity = arity;
            return o;
        }

        // ---- gathering the input ----

        /// The settings: the defaults, RUN_MIGRATIONS, then each option that is set. The MIGRATION_*
        /// variables are the options' declared environment defaults, read and typed by the driver
        /// (a malformed one is exit 2 naming it; an option typed on the command line wins).
        Expected<MigrationSettings> settingsFrom(const Values &v)
        {
            Expected<MigrationSettings> settings = MigrationSettings();
            if (qEnvironmentVariableIsSet("RUN_MIGRATIONS"))
            {
                auto runMigrations = MigrationSettings::parseRunMigrations(qEnvironmentVariable("RUN_MIGRATIONS"));
                if (!runMigrations)
                    return std::unexpected(runMigrations.error());
                settings->runMigrations = *runMigrations;
            }
            for (auto [name, field] :
                 {std::pair{u"max-retries"_s, &settings->maxRetries}, std::pair{u"lock-timeout"_s, &settings->lockTimeoutSec},
                  std::pair{u"max-wait"_s, &settings->maxWaitSec}, std::pair{u"retry-backoff"_s, &settings->retryBackoffMs},
                  std::pair{u"sql-lock-timeout"_s, &settings->sqlLockTimeoutMs},
                  std::pair{u"statement-timeout"_s, &settings->sqlStatementTimeoutMs}})
                if (v.isSet(name))
                    *field = int(v.integer(name));
            settings->historyTable = v.text(u"history-table"_s);
            return settings;
        }

        /// The request every migration operation takes: the target, the folder, the settings.
        Expected<ops::MigrationRequest> request(const Values &v, Context &ctx)
        {
            auto profile = resolveTarget(v, ctx);
            if (!profile)
                return std::unexpected(profile.error());
            if (profile->isSqlite())
                return fail(ErrorCode::BadInput,
                            u"migrations run against PostgreSQL; '%1' is a SQLite file"_s.arg(profile->targetDescription()));
            auto settings = settingsFrom(v);
            if (!settings)
                return std::unexpected(settings.error());
            ops::MigrationRequest r;
            r.target = {*profile, {}, ctx.store, ctx.profiles};
            r.options.migrationsDir = ops::resolveMigrationsDir(v.text(u"migrations"_s), *profile);
            r.options.settings = *settings;
            r.options.historyFormat = v.text(u"history-format"_s);
            return r;
        }

        ops::Confirmation typedConfirmation(const Values &v, const ConnectionProfile &profile, const QString &what)
        {
            return cli::typedConfirmation(profile, what, v.isSet(u"confirm"_s) ? std::optional(v.text(u"confirm"_s)) : std::nullopt);
        }

        /// A yes on the terminal, unless --yes was given.
        bool askedYes(const Values &v, const QString &question)
        {
            return v.isSet(u"yes"_s) || confirm(question);
        }

        Output notConfirmed(const QString &what = u"nothing was changed"_s)
        {
            return Output::failure(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); "_s + what));
        }

        // ---- running ----

        /// Runs the operation op(request, job) as a typed job; the password is asked for (once)
        /// when the server wants one. Says which verified backup the pre-change rule took.
        template <class T>
        JobOutcome<T> run(Context &ctx, const ops::MigrationRequest &request, const QString &title,
                          std::function<T(const ops::MigrationRequest &, JobContext &)> op)
        {
            auto result = runWithPassword<T>(ctx, request.target.profile, title, [request, op](const QString &password, JobContext &jc) {
                ops::MigrationRequest r = request;
                r.target.password = password;
                return op(r, jc);
            });
            const PreChangeOutcome &pre = *request.preChange;
            if (pre.backupId > 0)
                err() << "verified backup " << pre.backupId << (pre.reused ? " reused" : " taken") << " before the change: " << pre.path
                      << " (" << pre.why << ")" << Qt::endl;
            return result;
        }

        // ---- presenting ----

        QString pad(const QString &s, int width)
        {
            return s.size() > width ? s.left(width - 1) + u"…"_s : s.leftJustified(width);
        }

        QString stateText(const TimelineEntry &e)
        {
            QString s = toString(e.state);
            if (e.mismatch != MismatchKind::None)
                s += u" ("_s + toString(e.mismatch) + u')';
            return s;
        }

        QString entryLine(const TimelineEntry &e)
        {
            QString line = pad(e.repeatable ? u"R"_s : e.version, 16) + u' ' + pad(e.description, 34) + u' ' + pad(stateText(e), 44) + u' ';
            // What the history does not know is "—", never a made-up value such as "-1 ms".
            if (e.row)
                line += pad(e.row->installedOn.isValid() ? e.row->installedOn.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : u"—"_s, 20)
                        + u' ' + pad(e.row->installedBy.isEmpty() ? u"—"_s : e.row->installedBy, 14) + u' '
                        + (e.row->executionMs < 0 ? u"—"_s : QString::number(e.row->executionMs) + u" ms"_s);
            if (!e.note.isEmpty())
                line += u"  ("_s + e.note + u')';
            if (!e.invalidIndexes.isEmpty())
                line += u"  (INVALID index "_s + e.invalidIndexes.join(u", "_s)
                        + u": an interrupted CREATE INDEX CONCURRENTLY; see dbops repair)"_s;
            return line + u'\n';
        }

        QString timelineText(const Timeline &t)
        {
            QString text = u"History format: "_s + t.historyFormat + u" ("_s + t.historyTable
                           + (t.historyExists ? QString() : u", not created yet"_s) + u")\n"_s
                           + u"Current version: %1\n\n"_s.arg(t.currentVersion.isEmpty() ? u"none"_s : t.currentVersion)
                           + pad(u"VERSION"_s, 16) + u' ' + pad(u"DESCRIPTION"_s, 34) + u' ' + pad(u"STATE"_s, 44) + u' '
                           + pad(u"APPLIED AT"_s, 20) + u' ' + pad(u"BY"_s, 14) + u" DURATION\n"_s;
            for (const TimelineEntry &e : t.entries)
                text += entryLine(e);
            for (const QString &w : t.warnings)
                text += u"warning: "_s + w + u'\n';
            return text;
        }

        QString validateText(const ValidateResult &v)
        {
            if (v.problems.isEmpty())
            {
                QString text = u"Valid: %1 migration(s) agree with the history (current version %2).\n"_s.arg(v.timeline.entries.size())
                                   .arg(v.timeline.currentVersion.isEmpty() ? u"none"_s : v.timeline.currentVersion);
                // Not "valid" for what cannot be checked: say which rows have no checksum.
                if (!v.timeline.unchecked.isEmpty())
                    text += u"Not checked: %1 of them have no checksum in the history, so edits to their files cannot be detected: "_s.arg(
                                v.timeline.unchecked.size())
                            + v.timeline.unchecked.join(u", "_s) + u'\n';
                return text;
            }
            QString text = u"%1 problem(s):\n"_s.arg(v.problems.size());
            for (const TimelineProblem &p : v.problems)
            {
                text += u"  - "_s + p.message + u'\n';
                if (v.diffs.contains(p.version) && p.mismatch != MismatchKind::LineEndings && p.mismatch != MismatchKind::Bom)
                    for (const QString &line : v.diffs.value(p.version).split(u'\n'))
                        text += u"      "_s + line + u'\n';
            }
            return text + u"Repair what can be repaired with: dbops repair\n"_s;
        }

        QString migrateText(const MigrateResult &r)
        {
            if (r.dryRun)
            {
                QString text = u"-- dry run: %1 migration(s) would be applied; nothing was changed.\n"_s.arg(r.plan.size());
                for (const QString &w : r.warnings)
                    text += u"-- warning: "_s + w + u'\n';
                if (r.refusal) // said before anyone runs it: the real run refuses
                    text += u"-- the run would be refused: %1 (%2)\n"_s.arg(r.refusal->message, r.refusal->hint);
                return text + r.planSql();
            }
            QString text;
            for (const AppliedMigration &a : r.applied)
                text += u"applied "_s + a.version + u' ' + a.description + u" ("_s + QString::number(a.statements) + u" statements, "_s
                        + QString::number(a.ms) + u" ms"_s + (a.noTransaction ? u", no transaction"_s : QString())
                        + (a.outOfOrder ? u", out of order"_s : QString()) + u")\n"_s;
            text += r.applied.isEmpty() && !r.failure ? u"Nothing to apply: the database is up to date"_s
                                                      : u"%1 migration(s) applied"_s.arg(r.applied.size());
            return text + u" (current version %1).\n"_s.arg(r.currentVersion.isEmpty() ? u"none"_s : r.currentVersion);
        }

        /// What migrate says on stderr: warnings and the lock wait before, the failure after.
        std::pair<QString, QString> migrateStderr(const MigrateResult &r)
        {
            QString before;
            if (!r.dryRun)
            {
                for (const QString &w : r.warnings)
                    before += u"warning: "_s + w + u'\n';
                if (r.waitedFor)
                    before += u"waited %1 ms for the migration lock held by "_s.arg(r.lockWaitMs) + r.waitedFor->toText() + u'\n';
            }
            QString after;
            if (r.failure)
                after += u"dbops: "_s + r.failure->toText() + u'\n';
            if (r.cancelled)
                after += u"dbops: "_s + r.cancelText() + u'\n';
            else if (r.failure)
            {
                const int pendingAfter = int(r.plan.size() - r.applied.size() - 1);
                if (pendingAfter > 0)
                    after += u"%1 later migration(s) stay pending.\n"_s.arg(pendingAfter);
            }
            return {before, after};
        }

        QString adoptText(const AdoptResult &r)
        {
            QString text = u"Adopted "_s + QString::number(r.rows) + u" row(s) from the "_s + r.fromFormat + u" history "_s + r.fromTable
                           + u" into dbops_schema_history ("_s + QString::number(r.withChecksum)
                           + u" with checksums of files that still match).\n"_s;
            if (r.recordedChecksums > 0)
                text += QString::number(r.recordedChecksums) + u" checksum(s) recorded from the files as they are now ("_s + r.checksumNote
                        + u"): later edits show as mismatches.\n"_s;
            if (!r.withoutChecksum.isEmpty())
                text += u"%1 migration(s) adopted without a checksum: edits to their files cannot be detected (adopting with "
                        u"--record-checksums would have recorded them).\n"_s.arg(r.withoutChecksum.size());
            return text;
        }

        QString downText(const DownResult &r)
        {
            QString text;
            for (const AppliedMigration &a : r.reverted)
                text +=
                    u"reverted "_s + a.version + u' ' + a.description + u" ("_s + a.script + u", "_s + QString::number(a.ms) + u" ms)\n"_s;
            return text
                   + u"%1 migration(s) reverted (current version %2).\n"_s.arg(r.reverted.size())
                         .arg(r.currentVersion.isEmpty() ? u"none"_s : r.currentVersion);
        }

        // ---- the commands ----

        Output info(Invocation &in)
        {
            auto r = request(in.values, in.ctx);
            if (!r)
                return Output::failure(r.error());
            auto t = run<Timeline>(in.ctx, *r, u"info"_s, &ops::info);
            if (!t.ok())
                return Output::failure(*t.error);
            return Output::document(t.value->toJson(), timelineText(*t.value));
        }

        Output validate(Invocation &in)
        {
            auto r = request(in.values, in.ctx);
            if (!r)
                return Output::failure(r.error());
            auto v = run<ValidateResult>(in.ctx, *r, u"validate"_s, &ops::validate);
            if (!v.ok())
                return Output::failure(*v.error);
            return Output::document(v.value->toJson(), validateText(*v.value), v.value->problems.isEmpty() ? 0 : 1);
        }

        Output migrateOutput(const ops::MigrationRequest &request, const JobOutcome<MigrateResult> &outcome)
        {
            if (!outcome.value)
                return Output::failure(*outcome.error);
            const MigrateResult &r = *outcome.value;
            if (!r.skipped.isEmpty())
                return Output::document(r.toJson(), {}); // said on stderr by the operation's log
            const auto [before, after] = migrateStderr(r);
            err() << before << Qt::flush;
            QJsonObject json = r.toJson();
            if (request.preChange->backupId > 0)
                json.insert(u"pre_change_backup"_s, request.preChange->toJson());
            Output o = Output::document(json, migrateText(r),
                                        r.cancelled ? Error::make(ErrorCode::Cancelled, {}).exitCode()
                                        : r.failure ? 5
                                                    : 0);
            o.stderrAfter = after;
            return o;
        }

        Output migrate(Invocation &in)
        {
            // What migrate found and did (the history, the counts, the lock taken and released) is
            // logged at info through the job's log: show it.
            if (!qEnvironmentVariableIsSet("DBOPS_DEBUG"))
                logging::setStderrLevel(spdlog::level::info);
            const Values &v = in.values;
            auto r = request(v, in.ctx);
            if (!r)
                return Output::failure(r.error());
            r->options.target = v.text(u"target"_s);
            r->options.targetGiven = v.isSet(u"target"_s); // --target '' is bad input, not "everything"
            r->options.dryRun = v.isSet(u"dry-run"_s);
            r->options.allowOutOfOrder = v.isSet(u"allow-out-of-order"_s);
            r->options.approvalId = v.text(u"approval"_s);
            if (!r->options.dryRun && r->options.settings.runMigrations)
                r->confirmation = typedConfirmation(v, r->target.profile, u"apply pending migrations"_s);
            return migrateOutput(*r, run<MigrateResult>(in.ctx, *r, u"migrate"_s, &ops::migrate));
        }

        /// repair --mark-applied V --reason TEXT: show what will be recorded, ask, record.
        Output markApplied(Invocation &in, ops::MigrationRequest &request)
        {
            const Values &v = in.values;
            const QString version = v.text(u"mark-applied"_s), reason = v.text(u"reason"_s);
            if (reason.trimmed().isEmpty())
                return Output::failure(
                    Error::make(ErrorCode::Usage, u"--mark-applied needs --reason TEXT: why it was run by hand (it is recorded)"_s));
            auto planned =
                run<MarkAppliedPlan>(in.ctx, request, u"repair"_s, [version, reason](const ops::MigrationRequest &r, JobContext &jc) {
                    return ops::planMarkApplied(r, version, reason, jc);
                });
            if (!planned.ok())
                return Output::failure(*planned.error);
            const MarkAppliedPlan plan = *planned.value;
            err() << plan.toText() << Qt::flush;
            if (!askedYes(v, u"Record %1 as applied by hand?"_s.arg(plan.version)))
                return notConfirmed();
            request.confirmation = typedConfirmation(v, request.target.profile, u"mark %1 as applied by hand"_s.arg(plan.version));
            auto done = run<MarkAppliedPlan>(in.ctx, request, u"repair"_s, [plan](const ops::MigrationRequest &r, JobContext &jc) {
                return ops::markApplied(r, plan, jc);
            });
            if (!done.ok())
                return Output::failure(*done.error);
            const MarkAppliedPlan &m = *done.value;
            return Output::document(QJsonObject{{u"mark_applied"_s, m.toJson()}, {u"applied"_s, true}},
                                    u"Marked "_s + m.version + u" ("_s + m.script + u") as applied by hand; recorded in "_s + m.recordedIn()
                                        + u".\n"_s);
        }

        RepairOptions repairOptions(const Values &v)
        {
            RepairOptions options;
            options.acceptChanged = v.isSet(u"accept-changed"_s);
            if (v.isSet(u"dirty"_s))
                options.dirty = v.text(u"dirty"_s) == u"complete"_s ? RepairOptions::Dirty::Complete : RepairOptions::Dirty::Reverted;
            return options;
        }

        Output nothingToRepair(const RepairPlan &plan)
        {
            QString text = u"Nothing to repair.\n"_s;
            if (!plan.refused.isEmpty())
                text += u"Left alone:\n"_s + plan.toText();
            return Output::document(QJsonObject{{u"plan"_s, plan.toJson()}, {u"applied"_s, false}}, text, plan.refused.isEmpty() ? 0 : 1);
        }

        Output repair(Invocation &in)
        {
            const Values &v = in.values;
            auto r = request(v, in.ctx);
            if (!r)
                return Output::failure(r.error());
            if (v.isSet(u"mark-applied"_s))
                return markApplied(in, *r);
            const RepairOptions options = repairOptions(v);
            auto planned = run<RepairPlan>(in.ctx, *r, u"repair"_s, [options](const ops::MigrationRequest &q, JobContext &jc) {
                return ops::planRepair(q, options, jc);
            });
            if (!planned.ok())
                return Output::failure(*planned.error);
            const RepairPlan plan = *planned.value;
            if (plan.isEmpty())
                return nothingToRepair(plan);
            err() << "Repair will:\n" << plan.toText() << Qt::flush;
            if (!askedYes(v, u"Apply these changes to the history?"_s))
                return notConfirmed();
            r->confirmation = typedConfirmation(v, r->target.profile, u"repair the migration history"_s);
            auto done = run<RepairPlan>(in.ctx, *r, u"repair"_s, [plan, options](const ops::MigrationRequest &q, JobContext &jc) {
                return ops::repair(q, plan, options, jc);
            });
            if (!done.ok())
                return Output::failure(*done.error);
            const RepairPlan &applied = *done.value;
            return Output::document(QJsonObject{{u"plan"_s, applied.toJson()}, {u"applied"_s, true}},
                                    u"Repaired: %1 change(s) applied; "_s.arg(applied.actions.size()) + applied.recordedIn() + u".\n"_s,
                                    plan.refused.isEmpty() ? 0 : 1);
        }

        /// At a terminal, and only when the old history has rows without a checksum, ask.
        Expected<bool> askRecordChecksums(Invocation &in, const ops::MigrationRequest &request)
        {
            const Values &v = in.values;
            if (v.isSet(u"record-checksums"_s))
                return true;
            if (v.isSet(u"no-record-checksums"_s) || v.isSet(u"yes"_s) || ::isatty(STDIN_FILENO) != 1)
                return false;
            auto info = run<Timeline>(in.ctx, request, u"info"_s, &ops::info);
            if (!info.ok())
                return std::unexpected(*info.error);
            const Timeline &t = *info.value;
            if (t.unchecked.isEmpty())
                return false;
            const QString some = t.unchecked.size() > 6 ? t.unchecked.mid(0, 6).join(u", "_s) + u", …"_s : t.unchecked.join(u", "_s);
            return confirm(
                u"The "_s + t.historyFormat + u" history keeps no checksum for %1 applied migration(s) ("_s.arg(t.unchecked.size()) + some
                + u"), so edits to their files cannot be detected. Record the files' checksums as they are now (noted on each row "
                  u"as adopted from the file, not verified)?"_s);
        }

        Output adopt(Invocation &in)
        {
            const Values &v = in.values;
            auto r = request(v, in.ctx);
            if (!r)
                return Output::failure(r.error());
            AdoptOptions options;
            auto record = askRecordChecksums(in, *r);
            if (!record)
                return Output::failure(record.error());
            options.recordChecksums = *record;
            if (!askedYes(v, u"Adopt the migration history of %1 into dbops_schema_history?"_s.arg(r->target.profile.targetDescription())))
                return notConfirmed();
            r->confirmation = typedConfirmation(v, r->target.profile, u"adopt the migration history"_s);
            auto done = run<AdoptResult>(in.ctx, *r, u"adopt"_s,
                                         [options](const ops::MigrationRequest &q, JobContext &jc) { return ops::adopt(q, options, jc); });
            if (!done.ok())
                return Output::failure(*done.error);
            return Output::document(done.value->toJson(), adoptText(*done.value));
        }

        Output baseline(Invocation &in)
        {
            const Values &v = in.values;
            auto r = request(v, in.ctx);
            if (!r)
                return Output::failure(r.error());
            const QString version = v.text(u"version"_s), description = v.text(u"description"_s);
            r->confirmation = typedConfirmation(v, r->target.profile, u"baseline the migration history at "_s + version);
            auto done = run<QString>(in.ctx, *r, u"baseline"_s, [version, description](const ops::MigrationRequest &q, JobContext &jc) {
                return ops::baseline(q, version, description, jc);
            });
            if (!done.ok())
                return Output::failure(*done.error);
            return Output::document(QJsonObject{{u"baseline_version"_s, *done.value}}, u"Baselined at version "_s + *done.value + u".\n"_s);
        }

        /// The plan on stderr, the data-loss lines always (with --yes too), then the question.
        bool confirmDown(const Values &v, const DownPlan &plan, const ConnectionProfile &profile)
        {
            err() << "Down will revert, newest first:\n" << plan.toText() << Qt::flush;
            for (const QString &line : plan.dataLossLines())
                err() << line << "\n";
            if (plan.hasDataLoss())
                err() << "WARNING: these down files destroy data; take a backup first if you may need it." << Qt::endl;
            const QString question = plan.hasDataLoss() ? u"Revert %1 migration(s) on %2, DESTROYING the data listed above?"_s
                                                        : u"Revert %1 migration(s) on %2?"_s;
            return askedYes(v, question.arg(plan.steps.size()).arg(profile.targetDescription()));
        }

        Output nothingToRevert(const DownPlan &plan, const QString &target)
        {
            const QString current = plan.currentVersion.isEmpty() ? u"none"_s : plan.currentVersion;
            return Output::document(
                QJsonObject{{u"plan"_s, plan.toJson()},
                            {u"reverted"_s, QJsonArray()},
                            {u"current_version"_s, plan.currentVersion.isEmpty() ? QJsonValue() : QJsonValue(plan.currentVersion)}},
                u"Nothing to revert: no applied migration above "_s + target + u" (current version "_s + current + u").\n"_s);
        }

        Output down(Invocation &in)
        {
            const Values &v = in.values;
            auto r = request(v, in.ctx);
            if (!r)
                return Output::failure(r.error());
            const QString target = v.text(u"target"_s);
            // The plan first: what will be reverted and what its down files destroy.
            auto planned = run<DownPlan>(in.ctx, *r, u"down"_s,
                                         [target](const ops::MigrationRequest &q, JobContext &jc) { return ops::planDown(q, target, jc); });
            if (!planned.ok())
                return Output::failure(*planned.error);
            const DownPlan plan = *planned.value;
            if (plan.isEmpty())
                return nothingToRevert(plan, target);
            if (!confirmDown(v, plan, r->target.profile))
                return notConfirmed(u"nothing was reverted"_s);
            r->confirmation = typedConfirmation(v, r->target.profile, u"revert migrations above "_s + target);
            auto done = run<DownResult>(in.ctx, *r, u"down"_s,
                                        [target](const ops::MigrationRequest &q, JobContext &jc) { return ops::down(q, target, jc); });
            if (!done.ok())
                return Output::failure(*done.error);
            QJsonObject json = done.value->toJson();
            json[u"plan"_s] = plan.toJson();
            return Output::document(json, downText(*done.value));
        }
    }

    QList<CommandSpec> migrationCommands()
    {
        const QList<OptionSpec> common = migrationOptions();
        const QList<QStringList> exclusive{targetExclusion()};
        CommandSpec infoSpec{u"info"_s,
                             u"The migration timeline: every migration with its state"_s,
                             u"The timeline: every migration with its state (applied, pending, failed, checksum_mismatch, missing_file, "
                             u"out_of_order, baseline, dirty), when, by whom and how long."_s,
                             {},
                             common,
                             exclusive,
                             {},
                             {},
                             &info};
        CommandSpec validateSpec{
            u"validate"_s,
            u"Check the history against the files; exit 1 listing problems"_s,
            u"Check the history against the files. Exit 1 with every problem listed; checksum problems show a diff of the "
            u"applied SQL against the file."_s,
            {},
            common,
            exclusive,
            {},
            {},
            &validate};
        CommandSpec migrateSpec{
            u"migrate"_s,
            u"Apply pending migrations under the migration lock [--target V] [--dry-run]"_s,
            u"Apply pending migrations under the migration lock, each in its own transaction with its history row (files "
            u"marked '-- dbops:no-transaction' run statement by statement). Logs the history found, the applied and pending "
            u"counts and the lock taken and released. RUN_MIGRATIONS=false (0, no) switches it off: it says so and exits 0 "
            u"without connecting."_s,
            {},
            common
                + QList<
                    OptionSpec>{versionOption(
                                    u"target"_s,
                                    u"Stop at this version (inclusive): a migration file's version or one in the history, else exit 2."_s),
                                {u"dry-run"_s, ValueType::Flag, {}, u"Print the plan and its SQL in order; change nothing."_s},
                                {u"allow-out-of-order"_s,
                                 ValueType::Flag,
                                 {},
                                 u"Apply pending migrations below the current version, and mark them."_s}}
                + statementTimeouts(u"migration statements"_s)
                + QList<OptionSpec>{confirmOption(),
                                    {u"approval"_s, ValueType::String, u"id"_s, u"An approval id to record with each history row."_s}},
            exclusive,
            {},
            {},
            &migrate};
        OptionSpec dirty{u"dirty"_s, ValueType::Choice, u"complete|reverted"_s,
                         u"Resolve a dirty version once you checked its effects: complete or reverted."_s};
        dirty.choices = {u"complete"_s, u"reverted"_s};
        CommandSpec repairSpec{
            u"repair"_s,
            u"Show, then fix the history: checksums, failed rows, missing files"_s,
            u"Show exactly what repair will change (realign checksums to the files, remove failed rows, mark partly applied "
            u"migrations to resume, mark missing files, drop indexes an interrupted CREATE INDEX CONCURRENTLY left invalid), "
            u"then do it; recorded in the history where its format keeps such records, and always in dbops' audit log."_s,
            {},
            common
                + QList<OptionSpec>{yesOption(),
                                    {u"accept-changed"_s,
                                     ValueType::Flag,
                                     {},
                                     u"Also re-stamp checksums of migrations whose SQL really changed."_s},
                                    dirty,
                                    confirmOption(),
                                    versionOption(u"mark-applied"_s,
                                                  u"Record migration VERSION, which was run by hand, as applied without running "
                                                  u"it (needs --reason): the row says it was marked by hand, by whom, when and why."_s),
                                    {u"reason"_s, ValueType::String, u"text"_s,
                                     u"Why VERSION was run by hand (recorded with --mark-applied)."_s}},
            exclusive + QList<QStringList>{{u"mark-applied"_s, u"dirty"_s}, {u"mark-applied"_s, u"accept-changed"_s}},
            {{u"reason"_s, u"mark-applied"_s}},
            {},
            &repair};
        OptionSpec description{u"description"_s, ValueType::String, u"text"_s, u"A note for the history row."_s};
        description.allowEmpty = true;
        CommandSpec baselineSpec{
            u"baseline"_s,
            u"Mark an existing database as being at --version V"_s,
            u"Take over an existing database that is already at VERSION, without running anything: migrations up to it "
            u"count as baseline."_s,
            {},
            common
                + QList<OptionSpec>{versionOption(u"version"_s, u"The version the database is already at."_s, Arity::Required), description,
                                    confirmOption()},
            exclusive,
            {},
            {},
            &baseline};
        CommandSpec downSpec{
            u"down"_s,
            u"Run down/undo migrations back to --target V"_s,
            u"Run the down/undo files of the applied migrations above VERSION, newest first, each in a transaction. Shows the "
            u"plan first, with every statement that destroys data (DROP TABLE, DROP COLUMN, TRUNCATE, DELETE without WHERE) as a "
            u"'data loss:' line on stderr, with --yes too. Refuses, listing them, when any needed down file is missing."_s,
            {},
            common
                + QList<OptionSpec>{versionOption(u"target"_s,
                                                  u"Revert every applied migration above this version: a known version (a file's or the "
                                                  u"history's), or 0 to revert everything; anything else is exit 2."_s,
                                                  Arity::Required)}
                + statementTimeouts(u"the down statements"_s) + QList<OptionSpec>{yesOption(), confirmOption()},
            exclusive,
            {},
            {},
            &down};
        CommandSpec adoptSpec{
            u"adopt"_s,
            u"Take over another tool's history (sqlx, Flyway, golang-migrate, plain) into dbops'"_s,
            u"Take a database migrated by another tool (a plain schema_migrations table, sqlx, Flyway, golang-migrate, "
            u"node-pg-migrate) over into the dbops history, keeping every old row, in one transaction. The old table stays "
            u"for the application that still reads it."_s,
            {},
            common
                + QList<OptionSpec>{yesOption(),
                                    confirmOption(),
                                    {u"record-checksums"_s,
                                     ValueType::Flag,
                                     {},
                                     u"For rows the old history keeps no checksum for (a plain table), record the files' checksums "
                                     u"as they are now, noted on each row as 'checksum adopted from the file on DATE, not verified': "
                                     u"later edits then show as mismatches."_s},
                                    {u"no-record-checksums"_s,
                                     ValueType::Flag,
                                     {},
                                     u"Adopt rows without a checksum as they are (validate lists them as not checked); do not ask."_s}},
            exclusive + QList<QStringList>{{u"record-checksums"_s, u"no-record-checksums"_s}},
            {},
            {},
            &adopt};
        return {infoSpec, migrateSpec, validateSpec, repairSpec, baselineSpec, downSpec, adoptSpec};
    }
}

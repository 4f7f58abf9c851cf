#include "app/cli/common.h"

#include "core/backup/premigrationbackup.h"
#include "core/connect/connector.h"
#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/migrate/historyformats.h"
#include "core/migrate/migrator.h"
#include "core/store/auditlog.h"
#include "core/store/profilestore.h"

#include <QDir>
#include <QJsonArray>

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        void addMigrationOptions(QCommandLineParser &parser)
        {
            addTargetOptions(parser);
            parser.addOptions({
                {u"migrations"_s, u"The migrations folder (default: $MIGRATIONS_DIR, the profile's folder, ./migrations)."_s, u"dir"_s},
                {u"history-format"_s, u"The history to use: dbops, sqlx, flyway, golang-migrate, plain or node-pg-migrate "
                                      u"(default: detect; a new database gets dbops)."_s, u"format"_s},
                {u"history-table"_s, u"The history table (default: the format's own; schema.name allowed)."_s, u"table"_s},
                {u"max-retries"_s, u"Retries of transient failures (MIGRATION_MAX_RETRIES, 3)."_s, u"n"_s},
                {u"lock-timeout"_s, u"Seconds each attempt waits for the migration lock (MIGRATION_LOCK_TIMEOUT, 30)."_s, u"s"_s},
                {u"max-wait"_s, u"Seconds to wait for the migration lock in all (MIGRATION_MAX_WAIT_TIME, 60)."_s, u"s"_s},
                {u"retry-backoff"_s, u"First retry delay in ms, doubled each retry (MIGRATION_RETRY_BACKOFF, 1000)."_s, u"ms"_s},
                {u"json"_s, u"Print one JSON document on stdout."_s},
            });
        }

        struct Setup
        {
            ConnectionProfile profile;
            MigrateOptions options;
            /// What the pre-change backup rule did (set by the hook runMigrator installs).
            std::shared_ptr<PreChangeOutcome> preChange = std::make_shared<PreChangeOutcome>();
        };

        Expected<int> intOption(const QCommandLineParser &parser, const QString &name, int current)
        {
            if (!parser.isSet(name))
                return current;
            bool ok = false;
            const int v = parser.value(name).toInt(&ok);
            if (!ok || v < 0)
                return fail(ErrorCode::Usage, u"--%1 '%2' is not a whole number >= 0"_s.arg(name, parser.value(name)));
            return v;
        }

        Expected<Setup> setup(const QCommandLineParser &parser, Context &ctx)
        {
            auto profile = resolveTarget(parser, ctx);
            if (!profile)
                return std::unexpected(profile.error());
            if (profile->isSqlite())
                return fail(ErrorCode::BadInput, u"migrations run against PostgreSQL; '%1' is a SQLite file"_s.arg(profile->targetDescription()));
            auto settings = MigrationSettings::fromEnvironment();
            if (!settings)
                return std::unexpected(settings.error());
            for (auto [name, field] : {std::pair{u"max-retries"_s, &settings->maxRetries}, std::pair{u"lock-timeout"_s, &settings->lockTimeoutSec},
                                       std::pair{u"max-wait"_s, &settings->maxWaitSec}, std::pair{u"retry-backoff"_s, &settings->retryBackoffMs}})
            {
                auto v = intOption(parser, name, *field);
                if (!v)
                    return std::unexpected(v.error());
                *field = *v;
            }
            // Options only some commands declare: each is read on its own when it was typed
            // (optionNames() lists the typed ones; isSet() on an undeclared option only warns).
            for (auto [name, field] : {std::pair{u"sql-lock-timeout"_s, &settings->sqlLockTimeoutMs},
                                       std::pair{u"statement-timeout"_s, &settings->sqlStatementTimeoutMs}})
            {
                if (!parser.optionNames().contains(name))
                    continue;
                auto v = intOption(parser, name, *field);
                if (!v)
                    return std::unexpected(v.error());
                *field = *v;
            }
            settings->historyTable = parser.value(u"history-table"_s);

            QString dir = parser.value(u"migrations"_s);
            if (dir.isEmpty())
                dir = qEnvironmentVariable("MIGRATIONS_DIR");
            if (dir.isEmpty())
                dir = profile->migrationsDir;
            if (dir.isEmpty())
                dir = u"migrations"_s;
            Setup s;
            s.profile = *profile;
            s.options.migrationsDir = QDir(dir).absolutePath();
            s.options.settings = *settings;
            s.options.historyFormat = parser.value(u"history-format"_s);
            if (!s.options.historyFormat.isEmpty() && !historyFormats().contains(s.options.historyFormat))
                return fail(ErrorCode::Usage, u"--history-format '%1' is not one of %2"_s.arg(s.options.historyFormat, historyFormats().join(u", "_s)));
            return s;
        }

        /// Runs body(migrator, jc) in a job on the target; the password is resolved in the job.
        Expected<QVariant> runMigrator(Context &ctx, const Setup &s, const QString &title,
                                       std::function<QVariant(Migrator &, JobContext &)> body)
        {
            auto result = runWithPassword(ctx, s.profile, title, [&](const QString &password, JobContext &jc) {
                Connector connector(ctx.profiles);
                const ConnectParams params = connector.resolve(s.profile, password, jc.token());
                // The pre-change backup rule, for every mutating operation: the migrator calls it
                // under the lock only when something will change; it uses these parameters (the
                // password already given), so it never prompts again.
                MigrateOptions options = s.options;
                if (!options.dryRun && !options.beforeChange && ctx.store)
                    options.beforeChange = preChangeBackupHook(*ctx.store, s.profile, params,
                                                               {options.historyFormat, options.settings.historyTable, {}, s.preChange});
                Migrator migrator(params, options);
                migrator.load(); // bad files fail before anything connects
                return body(migrator, jc);
            });
            if (s.preChange->backupId > 0)
                err() << "verified backup " << s.preChange->backupId << (s.preChange->reused ? " reused" : " taken") << " before the change: "
                      << s.preChange->path << " (" << s.preChange->why << ")" << Qt::endl;
            return result;
        }

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

        void printTimeline(const Timeline &t)
        {
            out() << "History format: " << t.historyFormat << " (" << t.historyTable << (t.historyExists ? "" : ", not created yet") << ")\n";
            out() << "Current version: " << (t.currentVersion.isEmpty() ? u"none"_s : t.currentVersion) << "\n\n";
            out() << pad(u"VERSION"_s, 16) << " " << pad(u"DESCRIPTION"_s, 34) << " " << pad(u"STATE"_s, 44) << " "
                  << pad(u"APPLIED AT"_s, 20) << " " << pad(u"BY"_s, 14) << " DURATION\n";
            for (const TimelineEntry &e : t.entries)
            {
                out() << pad(e.repeatable ? u"R"_s : e.version, 16) << " " << pad(e.description, 34) << " " << pad(stateText(e), 44) << " ";
                // What the history does not know is "—", never a made-up value such as "-1 ms".
                if (e.row)
                    out() << pad(e.row->installedOn.isValid() ? e.row->installedOn.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : u"—"_s, 20)
                          << " " << pad(e.row->installedBy.isEmpty() ? u"—"_s : e.row->installedBy, 14) << " "
                          << (e.row->executionMs < 0 ? u"—"_s : QString::number(e.row->executionMs) + u" ms"_s);
                if (!e.note.isEmpty())
                    out() << "  (" << e.note << ")";
                if (!e.invalidIndexes.isEmpty())
                    out() << "  (INVALID index " << e.invalidIndexes.join(u", "_s) << ": an interrupted CREATE INDEX CONCURRENTLY; "
                          << "see dbops repair)";
                out() << "\n";
            }
            for (const QString &w : t.warnings)
                out() << "warning: " << w << "\n";
            out().flush();
        }

        bool productionConfirmed(const QCommandLineParser &parser, const ConnectionProfile &profile, const QString &what)
        {
            if (!profile.isProduction())
                return true;
            const QString db = profile.database.isEmpty() ? profile.name : profile.database;
            if (parser.isSet(u"confirm"_s))
                return parser.value(u"confirm"_s) == db;
            err() << "PRODUCTION: " << what << " on '" << profile.name << "' (" << profile.targetDescription() << ")." << Qt::endl;
            return confirmTyped(u"This is production."_s, db);
        }

        void audit(Context &ctx, const ConnectionProfile &profile, const QString &action, const QString &details, const QString &outcome)
        {
            AuditLog(*ctx.store).record({0, {}, {}, {}, profile.name, toString(profile.environment), action,
                                         profile.targetDescription(), details, outcome});
        }
    }

    int cmdInfo(Context &ctx)
    {
        QCommandLineParser parser;
        addMigrationOptions(parser);
        int code = 0;
        if (!parse(parser, ctx, u"The timeline: every migration with its state (applied, pending, failed, checksum_mismatch, "
                                u"missing_file, out_of_order, baseline, dirty), when, by whom and how long."_s,
                   &code))
            return code;
        auto s = setup(parser, ctx);
        if (!s)
            return report(s.error());
        auto result = runMigrator(ctx, *s, u"info"_s, [](Migrator &m, JobContext &jc) { return QVariant::fromValue(m.info(jc)); });
        if (!result)
            return report(result.error());
        const Timeline t = result->value<Timeline>();
        if (parser.isSet(u"json"_s))
            printJson(QJsonDocument(t.toJson()));
        else
            printTimeline(t);
        return 0;
    }

    int cmdValidate(Context &ctx)
    {
        QCommandLineParser parser;
        addMigrationOptions(parser);
        int code = 0;
        if (!parse(parser, ctx, u"Check the history against the files. Exit 1 with every problem listed; checksum problems show "
                                u"a diff of the applied SQL against the file."_s,
                   &code))
            return code;
        auto s = setup(parser, ctx);
        if (!s)
            return report(s.error());
        auto result = runMigrator(ctx, *s, u"validate"_s, [](Migrator &m, JobContext &jc) { return QVariant::fromValue(m.validate(jc)); });
        if (!result)
            return report(result.error());
        const ValidateResult v = result->value<ValidateResult>();
        if (parser.isSet(u"json"_s))
            printJson(QJsonDocument(v.toJson()));
        else if (v.problems.isEmpty())
        {
            out() << "Valid: " << v.timeline.entries.size() << " migration(s) agree with the history (current version "
                  << (v.timeline.currentVersion.isEmpty() ? u"none"_s : v.timeline.currentVersion) << ")." << Qt::endl;
            // Not "valid" for what cannot be checked: say which rows have no checksum.
            if (!v.timeline.unchecked.isEmpty())
                out() << "Not checked: " << v.timeline.unchecked.size() << " of them have no checksum in the history, so edits to their "
                      << "files cannot be detected: " << v.timeline.unchecked.join(u", "_s) << Qt::endl;
        }
        else
        {
            out() << v.problems.size() << " problem(s):\n";
            for (const TimelineProblem &p : v.problems)
            {
                out() << "  - " << p.message << "\n";
                if (v.diffs.contains(p.version) && p.mismatch != MismatchKind::LineEndings && p.mismatch != MismatchKind::Bom)
                    for (const QString &line : v.diffs.value(p.version).split(u'\n'))
                        out() << "      " << line << "\n";
            }
            out() << "Repair what can be repaired with: dbops repair" << Qt::endl;
        }
        return v.problems.isEmpty() ? 0 : 1;
    }

    int cmdMigrate(Context &ctx)
    {
        QCommandLineParser parser;
        addMigrationOptions(parser);
        parser.addOptions({
            {u"target"_s, u"Stop at this version (inclusive): a migration file's version or one in the history, else exit 2."_s, u"version"_s},
            {u"dry-run"_s, u"Print the plan and its SQL in order; change nothing."_s},
            {u"allow-out-of-order"_s, u"Apply pending migrations below the current version, and mark them."_s},
            {u"sql-lock-timeout"_s, u"lock_timeout for migration statements, in ms (0 = server default)."_s, u"ms"_s},
            {u"statement-timeout"_s, u"statement_timeout for migration statements, in ms."_s, u"ms"_s},
            {u"confirm"_s, u"Production: the database name, instead of typing it."_s, u"dbname"_s},
            {u"approval"_s, u"An approval id to record with each history row."_s, u"id"_s},
        });
        int code = 0;
        if (!parse(parser, ctx, u"Apply pending migrations under the migration lock, each in its own transaction with its "
                                u"history row (files marked '-- dbops:no-transaction' run statement by statement). Logs the "
                                u"history found, the applied and pending counts and the lock taken and released. "
                                u"RUN_MIGRATIONS=false (0, no) switches it off: it says so and exits 0 without connecting."_s,
                   &code))
            return code;
        // What migrate found and did (the history, the counts, the lock taken and released) is
        // logged at info through the job's log: show it, as the seed's migrator does.
        if (!qEnvironmentVariableIsSet("DBOPS_DEBUG"))
            logging::setStderrLevel(spdlog::level::info);
        auto s = setup(parser, ctx);
        if (!s)
            return report(s.error());
        if (!s->options.settings.runMigrations)
        {
            // Seed 000: the deployment switched migrations off. Nothing connects, nothing changes.
            const QString text = u"migrations are switched off by RUN_MIGRATIONS=%1; nothing was applied and no connection was made"_s.arg(
                qEnvironmentVariable("RUN_MIGRATIONS"));
            spdlog::info("{}", text);
            if (parser.isSet(u"json"_s))
                printJson(QJsonDocument(QJsonObject{{u"skipped"_s, true}, {u"reason"_s, text}, {u"applied"_s, QJsonArray()}}));
            return 0;
        }
        s->options.target = parser.value(u"target"_s);
        s->options.targetGiven = parser.isSet(u"target"_s); // --target '' is bad input, not "everything"
        s->options.dryRun = parser.isSet(u"dry-run"_s);
        s->options.allowOutOfOrder = parser.isSet(u"allow-out-of-order"_s);
        s->options.approvalId = parser.value(u"approval"_s);
        if (!s->options.dryRun && !productionConfirmed(parser, s->profile, u"apply pending migrations"_s))
            return report(Error::make(ErrorCode::Usage, u"not confirmed; nothing was applied"_s));
        auto result = runMigrator(ctx, *s, u"migrate"_s, [](Migrator &m, JobContext &jc) { return QVariant::fromValue(m.migrate(jc)); });
        if (!result)
        {
            if (!s->options.dryRun)
                audit(ctx, s->profile, u"migrate"_s, s->options.migrationsDir, result.error().toString());
            return report(result.error());
        }
        const MigrateResult r = result->value<MigrateResult>();
        // The audit log records what changed a database; a run that found nothing to do changed nothing.
        if (!r.dryRun && (!r.applied.isEmpty() || r.failure))
            audit(ctx, s->profile, u"migrate"_s, u"%1 applied from %2"_s.arg(r.applied.size()).arg(s->options.migrationsDir),
                  r.cancelled ? r.cancelText() : r.failure ? r.failure->toText() : u"ok"_s);
        if (parser.isSet(u"json"_s))
        {
            QJsonObject o = r.toJson();
            if (s->preChange->backupId > 0)
                o.insert(u"pre_change_backup"_s, s->preChange->toJson());
            printJson(QJsonDocument(o));
        }
        else if (r.dryRun)
        {
            out() << "-- dry run: " << r.plan.size() << " migration(s) would be applied; nothing was changed.\n";
            for (const QString &w : r.warnings)
                out() << "-- warning: " << w << "\n";
            out() << r.planSql();
            out().flush();
        }
        else
        {
            for (const QString &w : r.warnings)
                err() << "warning: " << w << "\n";
            if (r.waitedFor)
                err() << "waited " << r.lockWaitMs << " ms for the migration lock held by " << r.waitedFor->toText() << "\n";
            for (const AppliedMigration &a : r.applied)
                out() << "applied " << a.version << " " << a.description << " (" << a.statements << " statements, " << a.ms << " ms"
                      << (a.noTransaction ? ", no transaction" : "") << (a.outOfOrder ? ", out of order" : "") << ")\n";
            if (r.applied.isEmpty() && !r.failure)
                out() << "Nothing to apply: the database is up to date";
            else
                out() << r.applied.size() << " migration(s) applied";
            out() << " (current version " << (r.currentVersion.isEmpty() ? u"none"_s : r.currentVersion) << ")." << Qt::endl;
        }
        if (r.cancelled)
        {
            // What this run applied, what was in flight and how it ended, what stays pending.
            if (r.failure)
                err() << "dbops: " << r.failure->toText() << Qt::endl;
            err() << "dbops: " << r.cancelText() << Qt::endl;
            return Error::make(ErrorCode::Cancelled, u"cancelled"_s).exitCode();
        }
        if (r.failure)
        {
            err() << "dbops: " << r.failure->toText() << Qt::endl;
            const int pendingAfter = int(r.plan.size() - r.applied.size() - 1);
            if (pendingAfter > 0)
                err() << pendingAfter << " later migration(s) stay pending." << Qt::endl;
            return 5;
        }
        return 0;
    }

    namespace
    {
        /// repair --mark-applied V --reason TEXT: show what will be recorded, ask, record, audit.
        int markApplied(Context &ctx, const QCommandLineParser &parser, const Setup &s)
        {
            const QString version = parser.value(u"mark-applied"_s), reason = parser.value(u"reason"_s);
            if (reason.trimmed().isEmpty())
                return report(Error::make(ErrorCode::Usage, u"--mark-applied needs --reason TEXT: why it was run by hand (it is recorded)"_s));
            auto planned = runMigrator(ctx, s, u"repair"_s, [&](Migrator &m, JobContext &jc) {
                return QVariant::fromValue(m.planMarkApplied(version, reason, jc));
            });
            if (!planned)
                return report(planned.error());
            const MarkAppliedPlan plan = planned->value<MarkAppliedPlan>();
            err() << plan.toText() << Qt::flush;
            if (!parser.isSet(u"yes"_s) && !confirm(u"Record %1 as applied by hand?"_s.arg(plan.version)))
                return report(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); nothing was changed"_s));
            if (!productionConfirmed(parser, s.profile, u"mark %1 as applied by hand"_s.arg(plan.version)))
                return report(Error::make(ErrorCode::Usage, u"not confirmed; nothing was changed"_s));
            auto done = runMigrator(ctx, s, u"repair"_s, [&](Migrator &m, JobContext &jc) {
                return QVariant::fromValue(m.markApplied(plan, jc));
            });
            audit(ctx, s.profile, u"mark-applied"_s, plan.toText(), done ? u"ok"_s : done.error().toString());
            if (!done)
                return report(done.error());
            const MarkAppliedPlan r = done->value<MarkAppliedPlan>();
            if (parser.isSet(u"json"_s))
                printJson(QJsonDocument(QJsonObject{{u"mark_applied"_s, r.toJson()}, {u"applied"_s, true}}));
            else
                out() << "Marked " << r.version << " (" << r.script << ") as applied by hand; recorded in " << r.recordedIn() << "."
                      << Qt::endl;
            return 0;
        }
    }

    int cmdRepair(Context &ctx)
    {
        QCommandLineParser parser;
        addMigrationOptions(parser);
        parser.addOptions({
            {u"yes"_s, u"Do it without asking (scripts)."_s},
            {u"accept-changed"_s, u"Also re-stamp checksums of migrations whose SQL really changed."_s},
            {u"dirty"_s, u"Resolve a dirty version once you checked its effects: complete or reverted."_s, u"complete|reverted"_s},
            {u"confirm"_s, u"Production: the database name, instead of typing it."_s, u"dbname"_s},
            {u"mark-applied"_s, u"Record migration VERSION, which was run by hand, as applied without running it (needs --reason): "
                                u"the row says it was marked by hand, by whom, when and why."_s, u"version"_s},
            {u"reason"_s, u"Why VERSION was run by hand (recorded with --mark-applied)."_s, u"text"_s},
        });
        int code = 0;
        if (!parse(parser, ctx, u"Show exactly what repair will change (realign checksums to the files, remove failed rows, mark "
                                u"partly applied migrations to resume, mark missing files, drop indexes an interrupted CREATE "
                                u"INDEX CONCURRENTLY left invalid), then do it; recorded in the history where its format keeps "
                                u"such records, and always in dbops' audit log."_s,
                   &code))
            return code;
        if (parser.isSet(u"reason"_s) && !parser.isSet(u"mark-applied"_s))
            return report(Error::make(ErrorCode::Usage, u"--reason goes with --mark-applied VERSION"_s));
        auto s = setup(parser, ctx);
        if (!s)
            return report(s.error());
        if (parser.isSet(u"mark-applied"_s))
            return markApplied(ctx, parser, *s);
        RepairOptions options;
        options.acceptChanged = parser.isSet(u"accept-changed"_s);
        if (parser.isSet(u"dirty"_s))
        {
            const QString d = parser.value(u"dirty"_s);
            if (d != u"complete"_s && d != u"reverted"_s)
                return report(Error::make(ErrorCode::Usage, u"--dirty takes 'complete' or 'reverted', not '%1'"_s.arg(d)));
            options.dirty = d == u"complete"_s ? RepairOptions::Dirty::Complete : RepairOptions::Dirty::Reverted;
        }
        auto planned = runMigrator(ctx, *s, u"repair"_s, [options](Migrator &m, JobContext &jc) { return QVariant::fromValue(m.planRepair(options, jc)); });
        if (!planned)
            return report(planned.error());
        const RepairPlan plan = planned->value<RepairPlan>();
        if (plan.isEmpty())
        {
            if (parser.isSet(u"json"_s))
                printJson(QJsonDocument(QJsonObject{{u"plan"_s, plan.toJson()}, {u"applied"_s, false}}));
            else
            {
                out() << "Nothing to repair." << Qt::endl;
                if (!plan.refused.isEmpty())
                    out() << "Left alone:\n" << plan.toText() << Qt::flush;
            }
            return plan.refused.isEmpty() ? 0 : 1;
        }
        err() << "Repair will:\n" << plan.toText() << Qt::flush;
        if (!parser.isSet(u"yes"_s))
        {
            if (!confirm(u"Apply these changes to the history?"_s))
                return report(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); nothing was changed"_s));
        }
        if (!productionConfirmed(parser, s->profile, u"repair the migration history"_s))
            return report(Error::make(ErrorCode::Usage, u"not confirmed; nothing was changed"_s));
        auto done = runMigrator(ctx, *s, u"repair"_s, [plan, options](Migrator &m, JobContext &jc) {
            return QVariant::fromValue(m.repair(plan, options, jc));
        });
        audit(ctx, s->profile, u"repair"_s, plan.toText(), done ? u"ok"_s : done.error().toString());
        if (!done)
            return report(done.error());
        const RepairPlan applied = done->value<RepairPlan>();
        if (parser.isSet(u"json"_s))
            printJson(QJsonDocument(QJsonObject{{u"plan"_s, applied.toJson()}, {u"applied"_s, true}}));
        else
            out() << "Repaired: " << applied.actions.size() << " change(s) applied; " << applied.recordedIn() << "." << Qt::endl;
        return plan.refused.isEmpty() ? 0 : 1;
    }

    int cmdAdopt(Context &ctx)
    {
        QCommandLineParser parser;
        addMigrationOptions(parser);
        parser.addOptions({
            {u"yes"_s, u"Do it without asking (scripts)."_s},
            {u"confirm"_s, u"Production: the database name, instead of typing it."_s, u"dbname"_s},
            {u"record-checksums"_s, u"For rows the old history keeps no checksum for (a plain table), record the files' checksums as "
                                    u"they are now, noted on each row as 'checksum adopted from the file on DATE, not verified': "
                                    u"later edits then show as mismatches."_s},
            {u"no-record-checksums"_s, u"Adopt rows without a checksum as they are (validate lists them as not checked); do not ask."_s},
        });
        int code = 0;
        if (!parse(parser, ctx, u"Take a database migrated by another tool (a plain schema_migrations table, sqlx, Flyway, "
                                u"golang-migrate, node-pg-migrate) over into the dbops history, keeping every old row, in one "
                                u"transaction. The old table stays for the application that still reads it."_s,
                   &code))
            return code;
        auto s = setup(parser, ctx);
        if (!s)
            return report(s.error());
        if (parser.isSet(u"record-checksums"_s) && parser.isSet(u"no-record-checksums"_s))
            return report(Error::make(ErrorCode::Usage, u"--record-checksums and --no-record-checksums exclude each other"_s));
        AdoptOptions adoptOptions;
        adoptOptions.recordChecksums = parser.isSet(u"record-checksums"_s);
        // At a terminal, and only when the old history has rows without a checksum, ask.
        if (!adoptOptions.recordChecksums && !parser.isSet(u"no-record-checksums"_s) && !parser.isSet(u"yes"_s) && ::isatty(STDIN_FILENO) == 1)
        {
            auto info = runMigrator(ctx, *s, u"info"_s, [](Migrator &m, JobContext &jc) { return QVariant::fromValue(m.info(jc)); });
            if (!info)
                return report(info.error());
            const Timeline t = info->value<Timeline>();
            if (!t.unchecked.isEmpty())
                adoptOptions.recordChecksums = confirm(
                    u"The %1 history keeps no checksum for %2 applied migration(s) (%3), so edits to their files cannot be detected. "
                    u"Record the files' checksums as they are now (noted on each row as adopted from the file, not verified)?"_s
                        .arg(t.historyFormat)
                        .arg(t.unchecked.size())
                        .arg(t.unchecked.size() > 6 ? t.unchecked.mid(0, 6).join(u", "_s) + u", …"_s : t.unchecked.join(u", "_s)));
        }
        if (!parser.isSet(u"yes"_s) && !confirm(u"Adopt the migration history of %1 into dbops_schema_history?"_s.arg(s->profile.targetDescription())))
            return report(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); nothing was changed"_s));
        if (!productionConfirmed(parser, s->profile, u"adopt the migration history"_s))
            return report(Error::make(ErrorCode::Usage, u"not confirmed; nothing was changed"_s));
        auto done = runMigrator(ctx, *s, u"adopt"_s, [adoptOptions](Migrator &m, JobContext &jc) {
            return QVariant::fromValue(m.adopt(jc, adoptOptions));
        });
        audit(ctx, s->profile, u"adopt"_s,
              s->options.migrationsDir + (adoptOptions.recordChecksums ? u" (checksums recorded from the files)"_s : QString()),
              done ? u"ok"_s : done.error().toString());
        if (!done)
            return report(done.error());
        const AdoptResult r = done->value<AdoptResult>();
        if (parser.isSet(u"json"_s))
            printJson(QJsonDocument(r.toJson()));
        else
        {
            out() << "Adopted " << r.rows << " row(s) from the " << r.fromFormat << " history " << r.fromTable << " into dbops_schema_history ("
                  << r.withChecksum << " with checksums of files that still match)." << Qt::endl;
            if (r.recordedChecksums > 0)
                out() << r.recordedChecksums << " checksum(s) recorded from the files as they are now (" << r.checksumNote
                      << "): later edits show as mismatches." << Qt::endl;
            if (!r.withoutChecksum.isEmpty())
                out() << r.withoutChecksum.size() << " migration(s) adopted without a checksum: edits to their files cannot be detected "
                      << "(adopting with --record-checksums would have recorded them)." << Qt::endl;
        }
        return 0;
    }

    int cmdBaseline(Context &ctx)
    {
        QCommandLineParser parser;
        addMigrationOptions(parser);
        parser.addOptions({
            {u"version"_s, u"The version the database is already at."_s, u"version"_s},
            {u"description"_s, u"A note for the history row."_s, u"text"_s},
            {u"confirm"_s, u"Production: the database name, instead of typing it."_s, u"dbname"_s},
        });
        int code = 0;
        if (!parse(parser, ctx, u"Take over an existing database that is already at VERSION, without running anything: "
                                u"migrations up to it count as baseline."_s,
                   &code))
            return code;
        if (!parser.isSet(u"version"_s))
            return report(Error::make(ErrorCode::Usage, u"baseline needs --version V"_s));
        auto s = setup(parser, ctx);
        if (!s)
            return report(s.error());
        if (!productionConfirmed(parser, s->profile, u"baseline the migration history at "_s + parser.value(u"version"_s)))
            return report(Error::make(ErrorCode::Usage, u"not confirmed; nothing was changed"_s));
        const QString version = parser.value(u"version"_s), description = parser.value(u"description"_s);
        auto done = runMigrator(ctx, *s, u"baseline"_s, [&](Migrator &m, JobContext &jc) {
            m.baseline(version, description, jc);
            return QVariant();
        });
        audit(ctx, s->profile, u"baseline"_s, version, done ? u"ok"_s : done.error().toString());
        if (!done)
            return report(done.error());
        if (parser.isSet(u"json"_s))
            printJson(QJsonDocument(QJsonObject{{u"baseline_version"_s, version}}));
        else
            out() << "Baselined at version " << version << "." << Qt::endl;
        return 0;
    }

    int cmdDown(Context &ctx)
    {
        QCommandLineParser parser;
        addMigrationOptions(parser);
        parser.addOptions({
            {u"target"_s, u"Revert every applied migration above this version: a known version (a file's or the history's), "
                          u"or 0 to revert everything; anything else is exit 2."_s, u"version"_s},
            {u"sql-lock-timeout"_s, u"lock_timeout for the down statements, in ms (0 = server default)."_s, u"ms"_s},
            {u"statement-timeout"_s, u"statement_timeout for the down statements, in ms."_s, u"ms"_s},
            {u"yes"_s, u"Do it without asking (scripts)."_s},
            {u"confirm"_s, u"Production: the database name, instead of typing it."_s, u"dbname"_s},
        });
        int code = 0;
        if (!parse(parser, ctx, u"Run the down/undo files of the applied migrations above VERSION, newest first, each in a "
                                u"transaction. Shows the plan first, with every statement that destroys data (DROP TABLE, DROP "
                                u"COLUMN, TRUNCATE, DELETE without WHERE) as a 'data loss:' line on stderr, with --yes too. "
                                u"Refuses, listing them, when any needed down file is missing."_s,
                   &code))
            return code;
        if (!parser.isSet(u"target"_s))
            return report(Error::make(ErrorCode::Usage, u"down needs --target V (use 0 to revert everything)"_s));
        auto s = setup(parser, ctx);
        if (!s)
            return report(s.error());
        const QString target = parser.value(u"target"_s);
        // The plan first: what will be reverted and what its down files destroy, before any
        // confirmation (and with --yes too: the data-loss lines always reach stderr).
        auto planned = runMigrator(ctx, *s, u"down"_s, [&](Migrator &m, JobContext &jc) { return QVariant::fromValue(m.planDown(target, jc)); });
        if (!planned)
            return report(planned.error());
        const DownPlan plan = planned->value<DownPlan>();
        if (plan.isEmpty())
        {
            if (parser.isSet(u"json"_s))
                printJson(QJsonDocument(QJsonObject{{u"plan"_s, plan.toJson()}, {u"reverted"_s, QJsonArray()},
                                                    {u"current_version"_s, plan.currentVersion.isEmpty() ? QJsonValue() : QJsonValue(plan.currentVersion)}}));
            else
                out() << "Nothing to revert: no applied migration above " << target << " (current version "
                      << (plan.currentVersion.isEmpty() ? u"none"_s : plan.currentVersion) << ")." << Qt::endl;
            return 0;
        }
        err() << "Down will revert, newest first:\n" << plan.toText() << Qt::flush;
        for (const QString &line : plan.dataLossLines())
            err() << line << "\n";
        if (plan.hasDataLoss())
            err() << "WARNING: these down files destroy data; take a backup first if you may need it." << Qt::endl;
        const QString question = plan.hasDataLoss() ? u"Revert %1 migration(s) on %2, DESTROYING the data listed above?"_s
                                                    : u"Revert %1 migration(s) on %2?"_s;
        if (!parser.isSet(u"yes"_s) && !confirm(question.arg(plan.steps.size()).arg(s->profile.targetDescription())))
            return report(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); nothing was reverted"_s));
        if (!productionConfirmed(parser, s->profile, u"revert migrations above "_s + target))
            return report(Error::make(ErrorCode::Usage, u"not confirmed; nothing was reverted"_s));
        auto done = runMigrator(ctx, *s, u"down"_s, [&](Migrator &m, JobContext &jc) { return QVariant::fromValue(m.down(target, jc)); });
        audit(ctx, s->profile, u"down"_s, u"to "_s + target, done ? u"ok"_s : done.error().toString());
        if (!done)
            return report(done.error());
        const DownResult r = done->value<DownResult>();
        if (parser.isSet(u"json"_s))
        {
            QJsonObject o = r.toJson();
            o[u"plan"_s] = plan.toJson();
            printJson(QJsonDocument(o));
        }
        else
        {
            for (const AppliedMigration &a : r.reverted)
                out() << "reverted " << a.version << " " << a.description << " (" << a.script << ", " << a.ms << " ms)\n";
            out() << r.reverted.size() << " migration(s) reverted (current version "
                  << (r.currentVersion.isEmpty() ? u"none"_s : r.currentVersion) << ")." << Qt::endl;
        }
        return 0;
    }
}

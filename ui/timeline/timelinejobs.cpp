#include "ui/timeline/timelinejobs.h"

#include "core/backup/premigrationbackup.h"
#include "core/connect/connector.h"
#include "core/db/pgconnection.h"
#include "core/migrate/historyformats.h"
#include "core/store/auditlog.h"
#include "core/store/store.h"
#include "ui/timeline/timelinesnapshot.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops::timelinejobs
{
    namespace
    {
        std::unique_ptr<Migrator> makeMigrator(const TimelineTarget &t, JobContext &ctx, const QString &upTo = {}, bool dryRun = false)
        {
            auto settings = MigrationSettings::fromEnvironment();
            if (!settings)
                throw Exception(settings.error());
            MigrateOptions options;
            options.migrationsDir = t.migrationsDir;
            options.settings = *settings;
            options.target = upTo;
            options.dryRun = dryRun;
            Connector connector(t.profiles);
            const ConnectParams params = connector.resolve(t.profile, t.password, ctx.token());
            // The pre-change backup rule (production, or a policy that says on), for every
            // mutating operation: the migrator calls it under the lock only when something will
            // change; a verified backup taken after the last change and still fresh is reused. Its
            // id goes on the history rows; a failed backup throws and nothing is changed.
            if (!dryRun && t.store)
                options.beforeChange = preChangeBackupHook(*t.store, t.profile, params, {{}, settings->historyTable, {}, {}});
            auto m = std::make_unique<Migrator>(params, options);
            m->load(); // bad files fail before anything connects
            return m;
        }

        void audit(const TimelineTarget &t, const QString &action, const QString &details, const QString &outcome)
        {
            if (!t.store)
                return;
            AuditLog(*t.store).record({0, {}, {}, {}, t.profile.name, toString(t.profile.environment), action,
                                       t.profile.targetDescription(), details, outcome});
        }

        /// Runs a mutating body, auditing its outcome (and its failure) like the CLI does.
        QVariant audited(const TimelineTarget &t, const QString &action, const QString &details,
                         const std::function<QVariant(QString *outcome)> &body)
        {
            try
            {
                QString outcome = u"ok"_s;
                QVariant v = body(&outcome);
                audit(t, action, details, outcome);
                return v;
            }
            catch (const Exception &e)
            {
                audit(t, action, details, e.error().toString());
                throw;
            }
        }
    }

    QString ourBackendMarker()
    {
        return u"migration lock taken by backend pid "_s;
    }

    int parseOurBackend(const QString &logLine)
    {
        const int at = logLine.indexOf(ourBackendMarker());
        if (at < 0)
            return 0;
        static const QRegularExpression digits(u"^\\d+"_s);
        const auto m = digits.match(logLine.mid(at + ourBackendMarker().size()));
        return m.hasMatch() ? m.captured(0).toInt() : 0;
    }

    Job::Body load(TimelineTarget target)
    {
        return [target](JobContext &ctx) {
            auto m = makeMigrator(target, ctx);
            const Timeline timeline = m->info(ctx);
            TimelineSnapshot s = TimelineSnapshot::from(timeline, m->migrations());
            s.profileName = target.profile.name;
            return QVariant::fromValue(s);
        };
    }

    Job::Body info(TimelineTarget target)
    {
        return [target](JobContext &ctx) {
            auto m = makeMigrator(target, ctx);
            return QVariant::fromValue(m->info(ctx));
        };
    }

    Job::Body validate(TimelineTarget target)
    {
        return [target](JobContext &ctx) {
            auto m = makeMigrator(target, ctx);
            return QVariant::fromValue(m->validate(ctx));
        };
    }

    Job::Body migrate(TimelineTarget target, QString upTo, bool dryRun)
    {
        return [target, upTo, dryRun](JobContext &ctx) {
            auto run = [&](QString *outcome) {
                const MigrateResult r = makeMigrator(target, ctx, upTo, dryRun)->migrate(ctx);
                if (outcome && r.cancelled)
                    *outcome = r.cancelText();
                else if (outcome && r.failure)
                    *outcome = r.failure->toText();
                return QVariant::fromValue(r);
            };
            if (dryRun)
                return run(nullptr);
            const QString details = upTo.isEmpty() ? u"apply pending from %1"_s.arg(target.migrationsDir)
                                                   : u"apply up to %1 from %2"_s.arg(upTo, target.migrationsDir);
            return audited(target, u"migrate"_s, details, run);
        };
    }

    Job::Body planRepair(TimelineTarget target, RepairOptions options)
    {
        return [target, options](JobContext &ctx) {
            auto m = makeMigrator(target, ctx);
            return QVariant::fromValue(m->planRepair(options, ctx));
        };
    }

    Job::Body repair(TimelineTarget target, RepairPlan shown, RepairOptions options)
    {
        return [target, shown, options](JobContext &ctx) {
            return audited(target, u"repair"_s, shown.toText(), [&](QString *) {
                auto m = makeMigrator(target, ctx);
                return QVariant::fromValue(m->repair(shown, options, ctx));
            });
        };
    }

    Job::Body baseline(TimelineTarget target, QString version, QString description)
    {
        return [target, version, description](JobContext &ctx) {
            return audited(target, u"baseline"_s, version, [&](QString *) {
                auto m = makeMigrator(target, ctx);
                m->baseline(version, description, ctx);
                return QVariant(version);
            });
        };
    }

    Job::Body planMarkApplied(TimelineTarget target, QString version)
    {
        return [target, version](JobContext &ctx) {
            auto m = makeMigrator(target, ctx);
            return QVariant::fromValue(m->planMarkApplied(version, {}, ctx));
        };
    }

    Job::Body markApplied(TimelineTarget target, MarkAppliedPlan shown)
    {
        return [target, shown](JobContext &ctx) {
            return audited(target, u"mark-applied"_s, shown.toText(), [&](QString *) {
                auto m = makeMigrator(target, ctx);
                return QVariant::fromValue(m->markApplied(shown, ctx));
            });
        };
    }

    Job::Body down(TimelineTarget target, QString toVersion)
    {
        return [target, toVersion](JobContext &ctx) {
            return audited(target, u"down"_s, u"to "_s + toVersion, [&](QString *) {
                auto m = makeMigrator(target, ctx);
                return QVariant::fromValue(m->down(toVersion, ctx));
            });
        };
    }

    Job::Body lockStatus(TimelineTarget target)
    {
        return [target](JobContext &ctx) {
            Connector connector(target.profiles);
            ConnectParams params = connector.resolve(target.profile, target.password, ctx.token());
            params.set(u"application_name"_s, u"dbops lock monitor"_s);
            ConnectOptions options;
            options.connectTimeoutSec = 5;
            options.retry.maxRetries = 0;
            auto conn = PgConnection::open(params, options, ctx.token());
            auto settings = MigrationSettings::fromEnvironment();
            auto history = resolveHistory(*conn, {}, settings ? settings->historyTable : QString(), ctx.token());
            LockStatus status;
            status.key = history->lockKey(*conn, ctx.token());
            status.historyTable = history->table();
            status.holder = MigrationLock::holder(*conn, status.key, ctx.token());
            status.checkedAt = QDateTime::currentDateTimeUtc();
            return QVariant::fromValue(status);
        };
    }
}

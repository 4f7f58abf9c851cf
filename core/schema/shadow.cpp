// The migrations:DIR[@VERSION] side: the folder replayed into a sandbox's scratch database.
#include "core/schema/shadow.h"

#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/migrate/migrator.h"
#include "core/sandbox/pgbinaries.h"
#include "core/sandbox/sandbox.h"

#include <QDir>
#include <QSet>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    QStringList historyTableNames()
    {
        return {u"dbops_schema_history"_s, u"flyway_schema_history"_s, u"_sqlx_migrations"_s,
                u"schema_migrations"_s,    u"pgmigrations"_s,          u"alembic_version"_s};
    }

    void removeHistoryTables(Snapshot &snapshot, const QStringList &qualified)
    {
        QSet<QString> tables(qualified.cbegin(), qualified.cend());
        if (qualified.isEmpty())
            for (const SchemaObject &o : snapshot.objects)
                if (o.kind == ObjectKind::Table && historyTableNames().contains(o.name))
                    tables.insert(o.schema + u'.' + o.name);
        if (tables.isEmpty())
            return;
        QSet<QString> removedIds;
        QList<SchemaObject> kept;
        for (const SchemaObject &o : snapshot.objects)
        {
            const bool isTable = o.kind == ObjectKind::Table && tables.contains(o.schema + u'.' + o.name);
            const bool onTable = !o.table.isEmpty() && tables.contains(o.schema + u'.' + o.table);
            bool ownedSequence = false;
            if (o.kind == ObjectKind::Sequence && !o.attr(u"owned_by"_s).isEmpty())
                for (const QString &t : tables)
                {
                    const qsizetype dot = t.indexOf(u'.');
                    const QString prefix = quoteIdent(t.left(dot)) + u'.' + quoteIdent(t.mid(dot + 1)) + u'.';
                    if (o.attr(u"owned_by"_s).startsWith(prefix))
                        ownedSequence = true;
                }
            if (isTable || onTable || ownedSequence)
                removedIds.insert(o.id());
            else
                kept << o;
        }
        for (SchemaObject &o : kept)
            o.dependsOn.removeIf([&](const QString &id) { return removedIds.contains(id); });
        snapshot.objects = kept;
        snapshot.finish();
    }

    Expected<std::unique_ptr<Sandbox>> startScratchSandbox(int major, JobContext &jc, QString *note)
    {
        SandboxOptions options;
        options.fast = true;
        if (major > 0)
        {
            bool installed = false;
            QList<int> found;
            for (const PgInstallation &i : findPgInstallations(u"initdb"_s))
            {
                found << i.major;
                installed = installed || i.major == major;
            }
            if (installed)
                options.major = major;
            else if (note)
            {
                QStringList names;
                for (int m : found)
                    names << QString::number(m);
                *note = u"PostgreSQL %1 is not installed here (found: %2): the sandbox runs the highest installed"_s.arg(major).arg(
                    names.isEmpty() ? u"none"_s : names.join(u", "_s));
            }
        }
        auto sandbox = std::make_unique<Sandbox>(options);
        if (auto started = sandbox->start(jc.token()); !started)
        {
            Error e = started.error();
            e.context = u"starting a sandbox PostgreSQL for the schema diff"_s;
            return std::unexpected(e);
        }
        return sandbox;
    }

    ShadowDatabase::ShadowDatabase() = default;
    ShadowDatabase::~ShadowDatabase() = default;

    int ShadowDatabase::majorVersion() const
    {
        return m_sandbox ? m_sandbox->majorVersion() : 0;
    }

    Expected<void> ShadowDatabase::build(const QString &dir, const QString &version, int major, JobContext &jc)
    {
        m_dir = dir;
        m_version = version;
        jc.progress(0, 0, u"starting the shadow database for migrations:%1"_s.arg(QDir::toNativeSeparators(dir)));
        auto sandbox = startScratchSandbox(major, jc, &m_note);
        if (!sandbox)
            return std::unexpected(sandbox.error());
        m_sandbox = std::move(*sandbox);
        auto params = m_sandbox->createDatabase(u"dbops_shadow"_s);
        if (!params)
            return std::unexpected(params.error());
        m_params = *params;

        MigrateOptions options;
        options.migrationsDir = dir;
        options.target = version;
        options.targetGiven = !version.isEmpty();
        options.historyFormat = u"dbops"_s;
        options.settings.lockTimeoutSec = 5;
        options.settings.maxWaitSec = 10;
        try
        {
            Migrator migrator(m_params, options);
            migrator.load();
            jc.progress(0, 0,
                        u"replaying migrations:%1%2 into the shadow database"_s.arg(QDir::toNativeSeparators(dir),
                                                                                    version.isEmpty() ? QString() : u'@' + version));
            const MigrateResult result = migrator.migrate(jc);
            if (result.failure)
            {
                Error e = result.failure->error;
                e.code = ErrorCode::OperationFailed;
                e.message = u"the migrations of %1 do not replay on a fresh PostgreSQL %2: %3"_s.arg(QDir::toNativeSeparators(dir))
                                .arg(m_sandbox->majorVersion())
                                .arg(result.failure->toText());
                return std::unexpected(e);
            }
            if (result.cancelled)
                return fail(ErrorCode::Cancelled, u"cancelled while replaying the migrations"_s);
            m_appliedVersion = result.currentVersion;
        }
        catch (const Exception &e)
        {
            Error err = e.error();
            if (err.context.isEmpty())
                err.context = u"replaying migrations:%1 into the shadow database"_s.arg(QDir::toNativeSeparators(dir));
            return std::unexpected(err);
        }
        return {};
    }

    Expected<Snapshot> ShadowDatabase::snapshot(const IntrospectOptions &options, JobContext &jc)
    {
        auto conn = PgConnection::tryOpen(m_params, {}, jc.token());
        if (!conn)
            return std::unexpected(conn.error());
        auto snap = snapshotPostgres(**conn, options, jc.token());
        if (!snap)
            return snap;
        removeHistoryTables(*snap, {u"public.dbops_schema_history"_s});
        snap->source = u"migrations:"_s + QDir::toNativeSeparators(m_dir) + (m_version.isEmpty() ? QString() : u'@' + m_version);
        return snap;
    }

    Expected<ConnectParams> ShadowDatabase::createDatabase(const QString &name)
    {
        if (!m_sandbox)
            return fail(ErrorCode::Internal, u"the shadow sandbox is not started"_s);
        return m_sandbox->createDatabase(name);
    }
}

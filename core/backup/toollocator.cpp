#include "core/backup/toollocator.h"

#include "core/sandbox/pgbinaries.h"
#include "core/store/store.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString configuredToolDir(Store *store)
    {
        if (const QString env = qEnvironmentVariable("DBOPS_PG_TOOLS_DIR"); !env.isEmpty())
            return env;
        if (!store)
            return {};
        QSqlQuery q(store->database());
        q.prepare(u"SELECT value FROM settings WHERE key = 'backup.pg_bindir'"_s);
        if (q.exec() && q.next())
            return q.value(0).toString();
        return {};
    }

    void setConfiguredToolDir(Store &store, const QString &dir)
    {
        if (dir.isEmpty())
            store.exec(u"DELETE FROM settings WHERE key = 'backup.pg_bindir'"_s);
        else
            store.exec(u"INSERT INTO settings(key, value) VALUES('backup.pg_bindir', ?) "
                       u"ON CONFLICT(key) DO UPDATE SET value = excluded.value"_s,
                       {dir});
    }

    Expected<PgTools> locatePgTools(int serverMajor, const QString &pinnedDir)
    {
        QList<PgInstallation> found;
        if (!pinnedDir.isEmpty())
        {
            const QString dir = QDir(pinnedDir).absolutePath();
            const QString exe = dir + u"/pg_dump"_s;
            if (QFileInfo(exe).isExecutable())
                found.append({programMajorVersion(exe), dir});
        }
        else
            found = findPgInstallations(u"pg_dump"_s);

        QStringList seen;
        const PgInstallation *best = nullptr;
        for (const PgInstallation &inst : std::as_const(found))
        {
            seen << u"%1 (%2)"_s.arg(inst.major > 0 ? QString::number(inst.major) : u"unknown version"_s, inst.binDir);
            const bool hasRestore = QFileInfo(inst.binDir + u"/pg_restore"_s).isExecutable();
            if (inst.major >= serverMajor && hasRestore && (!best || inst.major < best->major))
                best = &inst;
        }
        if (best)
            return PgTools{best->major, best->binDir + u"/pg_dump"_s, best->binDir + u"/pg_restore"_s, best->binDir};

        const QString where = pinnedDir.isEmpty()
                                  ? u"looked in /usr/lib/postgresql/<N>/bin, /usr/pgsql-<N>/bin, Homebrew and PATH"_s
                                  : u"looked only in the configured tools folder %1 (DBOPS_PG_TOOLS_DIR or the backup.pg_bindir "
                                    u"setting; clear it to search the installed versions)"_s.arg(pinnedDir);
        return fail(ErrorCode::NotFound,
                    u"no pg_dump/pg_restore of major version %1 or newer: the server runs PostgreSQL %1, found %2; %3. "
                    u"Install the Debian package postgresql-client-%1 (apt install postgresql-client-%1)."_s.arg(serverMajor)
                        .arg(seen.isEmpty() ? u"none"_s : seen.join(u", "_s), where));
    }
}

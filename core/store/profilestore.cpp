#include "core/store/profilestore.h"

#include "core/store/store.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        const QString kColumns = u"id, name, environment, project, kind, host, port, dbname, username, sslmode, sslrootcert, "
                                 u"sslcert, sslkey, service, conninfo, sqlite_path, migrations_dir, managed_sandbox, save_password"_s;

        ConnectionProfile fromQuery(const QSqlQuery &q)
        {
            ConnectionProfile p;
            int i = 0;
            p.id = q.value(i++).toLongLong();
            p.name = q.value(i++).toString();
            p.environment = parseEnvironment(q.value(i++).toString()).value_or(Environment::Other);
            p.project = q.value(i++).toString();
            p.kind = q.value(i++).toString() == u"sqlite"_s ? ConnectionProfile::Kind::Sqlite : ConnectionProfile::Kind::Postgres;
            p.host = q.value(i++).toString();
            p.port = q.value(i++).toInt();
            p.database = q.value(i++).toString();
            p.user = q.value(i++).toString();
            p.sslMode = q.value(i++).toString();
            p.sslRootCert = q.value(i++).toString();
            p.sslCert = q.value(i++).toString();
            p.sslKey = q.value(i++).toString();
            p.service = q.value(i++).toString();
            p.conninfo = q.value(i++).toString();
            p.sqlitePath = q.value(i++).toString();
            p.migrationsDir = q.value(i++).toString();
            p.managedSandbox = q.value(i++).toBool();
            p.savePassword = q.value(i++).toBool();
            return p;
        }
    }

    ProfileStore::ProfileStore(Store &store)
        : m_store(store)
    {
    }

    Expected<QList<ConnectionProfile>> ProfileStore::list()
    {
        return catchErrors([&] {
            QSqlQuery q(m_store.database());
            if (!q.exec(u"SELECT "_s + kColumns + u" FROM profiles ORDER BY name COLLATE NOCASE"_s))
                throw Exception(ErrorCode::Io, u"store: "_s + q.lastError().text());
            QList<ConnectionProfile> out;
            while (q.next())
                out << fromQuery(q);
            return out;
        });
    }

    Expected<ConnectionProfile> ProfileStore::get(const QString &name)
    {
        auto all = list();
        if (!all)
            return std::unexpected(all.error());
        QStringList names;
        for (const auto &p : *all)
        {
            if (p.name == name)
                return p;
            names << p.name;
        }
        return fail(ErrorCode::NotFound,
                    u"no profile named '%1' (profiles: %2)"_s.arg(name, names.isEmpty() ? u"none"_s : names.join(u", "_s)));
    }

    Expected<ConnectionProfile> ProfileStore::save(ConnectionProfile profile)
    {
        if (auto ok = profile.validate(); !ok)
            return std::unexpected(ok.error());
        return catchErrors([&] {
            QSqlQuery dup(m_store.database());
            dup.prepare(u"SELECT id FROM profiles WHERE name = ? AND id <> ?"_s);
            dup.addBindValue(profile.name);
            dup.addBindValue(profile.id);
            if (dup.exec() && dup.next())
                throw Exception(ErrorCode::BadInput, u"a profile named '%1' already exists"_s.arg(profile.name));
            const QVariantList values = {
                profile.name,           toString(profile.environment),
                profile.project,        profile.isSqlite() ? u"sqlite"_s : u"postgres"_s,
                profile.host,           profile.port,
                profile.database,       profile.user,
                profile.sslMode,        profile.sslRootCert,
                profile.sslCert,        profile.sslKey,
                profile.service,        profile.conninfo,
                profile.sqlitePath,     profile.migrationsDir,
                profile.managedSandbox, profile.savePassword,
            };
            QSqlQuery q(m_store.database());
            if (profile.id == 0)
                q.prepare(u"INSERT INTO profiles(name, environment, project, kind, host, port, dbname, username, sslmode, "
                          u"sslrootcert, sslcert, sslkey, service, conninfo, sqlite_path, migrations_dir, managed_sandbox, "
                          u"save_password) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"_s);
            else
                q.prepare(u"UPDATE profiles SET name=?, environment=?, project=?, kind=?, host=?, port=?, dbname=?, username=?, "
                          u"sslmode=?, sslrootcert=?, sslcert=?, sslkey=?, service=?, conninfo=?, sqlite_path=?, migrations_dir=?, "
                          u"managed_sandbox=?, save_password=?, updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE id=?"_s);
            for (const QVariant &v : values)
                // A null QString binds as SQL NULL; the columns are NOT NULL with '' for "unset".
                q.addBindValue(v.metaType().id() == QMetaType::QString && v.toString().isNull() ? QVariant(u""_s) : v);
            if (profile.id != 0)
                q.addBindValue(profile.id);
            if (!q.exec())
                throw Exception(ErrorCode::Io, u"store: "_s + q.lastError().text());
            if (profile.id == 0)
                profile.id = q.lastInsertId().toLongLong();
            return profile;
        });
    }

    Expected<void> ProfileStore::remove(const QString &name)
    {
        return catchErrors([&] {
            QSqlQuery q(m_store.database());
            q.prepare(u"DELETE FROM profiles WHERE name = ?"_s);
            q.addBindValue(name);
            if (!q.exec())
                throw Exception(ErrorCode::Io, u"store: "_s + q.lastError().text());
            if (q.numRowsAffected() == 0)
                throw Exception(ErrorCode::NotFound, u"no profile named '%1'"_s.arg(name));
        });
    }
}

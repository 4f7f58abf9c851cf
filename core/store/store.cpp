#include "core/store/store.h"

#include "core/db/threadguard.h"
#include "core/jobs/job.h"

#include "core/logging/log.h"
#include "core/paths.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QThreadStorage>
#include <QUuid>

#include <atomic>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        // The SQL keeps the exact text of the released steps (it is what sqlite_master records).

        /// Schema step 1: profiles and the audit log. Never edit a released step.
        QStringList schemaStep1()
        {
            return {
                uR"(CREATE TABLE profiles (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        environment TEXT NOT NULL,
                        project TEXT NOT NULL DEFAULT '',
                        kind TEXT NOT NULL DEFAULT 'postgres',
                        host TEXT NOT NULL DEFAULT '',
                        port INTEGER NOT NULL DEFAULT 0,
                        dbname TEXT NOT NULL DEFAULT '',
                        username TEXT NOT NULL DEFAULT '',
                        sslmode TEXT NOT NULL DEFAULT '',
                        sslrootcert TEXT NOT NULL DEFAULT '',
                        sslcert TEXT NOT NULL DEFAULT '',
                        sslkey TEXT NOT NULL DEFAULT '',
                        service TEXT NOT NULL DEFAULT '',
                        conninfo TEXT NOT NULL DEFAULT '',
                        sqlite_path TEXT NOT NULL DEFAULT '',
                        migrations_dir TEXT NOT NULL DEFAULT '',
                        managed_sandbox INTEGER NOT NULL DEFAULT 0,
                        save_password INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
                    )"_s,
                uR"(CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                        os_user TEXT NOT NULL,
                        host TEXT NOT NULL,
                        profile TEXT NOT NULL DEFAULT '',
                        environment TEXT NOT NULL DEFAULT '',
                        action TEXT NOT NULL,
                        target TEXT NOT NULL DEFAULT '',
                        details TEXT NOT NULL DEFAULT '',
                        outcome TEXT NOT NULL DEFAULT '')
                    )"_s,
                u"CREATE INDEX audit_log_at ON audit_log(at)"_s,
            };
        }

        /// Schema step 2: the backup catalog, per-profile backup policies, restore history, settings.
        QStringList schemaStep2()
        {
            return {
                uR"(CREATE TABLE backups (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        profile TEXT NOT NULL,
                        database TEXT NOT NULL DEFAULT '',
                        server_version TEXT NOT NULL DEFAULT '',
                        pg_dump_version TEXT NOT NULL DEFAULT '',
                        format TEXT NOT NULL,
                        path TEXT NOT NULL,
                        size INTEGER NOT NULL DEFAULT 0,
                        sha256 TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        finished_at TEXT NOT NULL DEFAULT '',
                        duration_ms INTEGER NOT NULL DEFAULT 0,
                        schema_version TEXT NOT NULL DEFAULT '',
                        verification TEXT NOT NULL DEFAULT 'unverified',
                        verify_detail TEXT NOT NULL DEFAULT '',
                        verified_at TEXT NOT NULL DEFAULT '',
                        test_restore TEXT NOT NULL DEFAULT '',
                        row_counts TEXT NOT NULL DEFAULT '{}',
                        label TEXT NOT NULL DEFAULT '',
                        kind TEXT NOT NULL DEFAULT 'manual')
                    )"_s,
                u"CREATE INDEX backups_profile ON backups(profile, started_at)"_s,
                uR"(CREATE TABLE backup_policies (
                        profile TEXT PRIMARY KEY,
                        keep_last INTEGER NOT NULL DEFAULT 0,
                        keep_days INTEGER NOT NULL DEFAULT 0,
                        pre_migration_backup INTEGER NOT NULL DEFAULT 1)
                    )"_s,
                uR"(CREATE TABLE restore_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        os_user TEXT NOT NULL,
                        host TEXT NOT NULL,
                        profile TEXT NOT NULL DEFAULT '',
                        backup_id INTEGER NOT NULL DEFAULT 0,
                        archive_path TEXT NOT NULL DEFAULT '',
                        target_database TEXT NOT NULL,
                        mode TEXT NOT NULL,
                        safety_backup_id INTEGER NOT NULL DEFAULT 0,
                        outcome TEXT NOT NULL,
                        duration_ms INTEGER NOT NULL DEFAULT 0)
                    )"_s,
                u"CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s,
            };
        }

        /// The schema steps, in order. Never edit a released step; append a new one.
        const QList<QStringList> &schemaSteps()
        {
            static const QList<QStringList> steps = {schemaStep1(), schemaStep2()};
            return steps;
        }

        /// The store connections one thread has opened (of every Store): a QSqlDatabase may only be
        /// used and removed on its own thread.
        struct ThreadConnections
        {
            const quint64 serial = nextSerial();
            QStringList names;

            static quint64 nextSerial()
            {
                static std::atomic<quint64> counter{0};
                return ++counter;
            }
            /// Closes and removes the connections whose names start with `prefix` and are not in
            /// `keep`.
            void closeMatching(const QString &prefix, const QStringList &keep = {})
            {
                const auto doomed = [&](const QString &n) { return n.startsWith(prefix) && !keep.contains(n); };
                for (const QString &name : std::as_const(names))
                    if (doomed(name))
                    {
                        {
                            QSqlDatabase db = QSqlDatabase::database(name, false);
                            db.close();
                        }
                        QSqlDatabase::removeDatabase(name);
                    }
                names.removeIf(doomed);
            }
            ~ThreadConnections() { closeMatching(QString()); }
        };

        /// Never a thread_local: a thread_local destructor runs when the OS thread exits, which (Qt
        /// 6.4) is after QThread::wait() has returned, so at the end of a CLI run it raced exit()
        /// destroying Qt SQL's connection list (`free(): invalid pointer`). QThreadStorage deletes
        /// its data inside QThread's own finish, before wait() returns. Jobs close what they opened
        /// even earlier (Store::ThreadConnectionScope); this is the fallback for any other QThread.
        /// The main thread's data is never deleted at exit: Store's destructor closes its connections.
        QThreadStorage<ThreadConnections *> &threadStorage()
        {
            static QThreadStorage<ThreadConnections *> storage;
            return storage;
        }

        ThreadConnections &threadConnections()
        {
            QThreadStorage<ThreadConnections *> &storage = threadStorage();
            if (!storage.hasLocalData())
                storage.setLocalData(new ThreadConnections);
            return *storage.localData();
        }

        void run(QSqlDatabase &db, const QString &sql, const QVariantList &params, const QString &path)
        {
            QSqlQuery q(db);
            if (!q.prepare(sql))
                throw Exception(ErrorCode::Io, u"store: "_s + q.lastError().text(), path);
            for (const QVariant &p : params)
                q.addBindValue(p);
            if (!q.exec())
                throw Exception(ErrorCode::Io, u"store: "_s + q.lastError().text(), path);
        }
    }

    Store::Store(QString path)
        : m_path(path.isEmpty() ? paths::appDataDir() + u"/dbops.sqlite"_s : std::move(path))
        , m_connectionPrefix(u"dbops-store-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces) + u'-')
    {
        // Every job closes the store connections its body opened, on its own worker.
        addJobScope([]() -> std::shared_ptr<void> { return std::make_shared<ThreadConnectionScope>(); });
    }

    Store::~Store()
    {
        // Connections of other threads are closed by their jobs, or when those threads finish.
        if (threadStorage().hasLocalData())
            threadStorage().localData()->closeMatching(m_connectionPrefix);
    }

    Store::ThreadConnectionScope::ThreadConnectionScope()
        : m_before(threadStorage().hasLocalData() ? threadStorage().localData()->names : QStringList())
    {
    }

    Store::ThreadConnectionScope::~ThreadConnectionScope()
    {
        if (threadStorage().hasLocalData())
            threadStorage().localData()->closeMatching(QString(), m_before);
    }

    int Store::openConnectionCount()
    {
        return threadStorage().hasLocalData() ? int(threadStorage().localData()->names.size()) : 0;
    }

    int Store::latestSchemaVersion()
    {
        return int(schemaSteps().size());
    }

    namespace
    {
        /// True while this thread runs Store::open(), which uses database() itself.
        thread_local bool t_opening = false;
    }

    QSqlDatabase Store::database()
    {
        noteStoreCall("Store::database");
        if (m_lazy && !m_ready.load() && !t_opening)
        {
            QMutexLocker lock(&m_openMutex);
            if (!m_ready.load())
                if (auto opened = open(); !opened)
                    throw Exception(opened.error());
        }
        ThreadConnections &connections = threadConnections();
        const QString name = m_connectionPrefix + QString::number(connections.serial);
        if (QSqlDatabase::contains(name))
            return QSqlDatabase::database(name);
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        connections.names << name;
        db.setDatabaseName(m_path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open())
            throw Exception(ErrorCode::Io, u"cannot open the dbops store: "_s + db.lastError().text(), m_path);
        QSqlQuery(db).exec(u"PRAGMA foreign_keys = ON"_s);
        QSqlQuery(db).exec(u"PRAGMA journal_mode = WAL"_s);
        // With WAL, NORMAL syncs at checkpoints: a crash cannot corrupt the store, and many short
        // CLI runs at once do not each wait for an fsync.
        QSqlQuery(db).exec(u"PRAGMA synchronous = NORMAL"_s);
        return db;
    }

    void Store::exec(const QString &sql, const QVariantList &params)
    {
        QSqlDatabase db = database();
        run(db, sql, params, m_path);
    }

    void Store::transaction(const std::function<void()> &fn)
    {
        QSqlDatabase db = database();
        if (!db.transaction())
            throw Exception(ErrorCode::Io, u"store: cannot begin a transaction: "_s + db.lastError().text(), m_path);
        try
        {
            fn();
        }
        catch (...)
        {
            db.rollback();
            throw;
        }
        if (!db.commit())
        {
            const QString why = db.lastError().text();
            db.rollback();
            throw Exception(ErrorCode::Io, u"store: commit failed: "_s + why, m_path);
        }
    }

    int Store::schemaVersion()
    {
        QSqlQuery q(database());
        if (!q.exec(u"SELECT value FROM dbops_meta WHERE key = 'schema_version'"_s) || !q.next())
            return 0;
        return q.value(0).toInt();
    }

    void Store::refuseForeignOrDamaged() const
    {
        // Look before the first write (database() switches the file to WAL): a SQLite file with
        // tables but no dbops_meta belongs to some other program and must stay as it is, and a
        // damaged one must not take writes that would spread the damage (or fail halfway).
        const QString name = m_connectionPrefix + u"probe"_s;
        bool foreign = false;
        QString why;
        QStringList damage;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(m_path);
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
            if (!db.open())
                why = db.lastError().text();
            else
            {
                QSqlQuery q(db);
                if (!q.exec(u"SELECT count(*) FILTER (WHERE name = 'dbops_meta'), count(*) FROM sqlite_master WHERE type = 'table'"_s)
                    || !q.next())
                    why = q.lastError().text();
                else
                    foreign = q.value(0).toInt() == 0 && q.value(1).toInt() > 0;
                q.finish();
                // quick_check: every page and b-tree's structure, without the (slow) index-content
                // comparison of integrity_check; about a millisecond on a store of a few hundred kB.
                if (why.isEmpty() && !foreign)
                {
                    QSqlQuery check(db);
                    if (!check.exec(u"PRAGMA quick_check(5)"_s))
                        damage << check.lastError().text();
                    else
                        while (check.next())
                            if (const QString line = check.value(0).toString(); line != u"ok"_s)
                                damage << line;
                }
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        if (!why.isEmpty())
            throw Exception(ErrorCode::BadInput, u"cannot read the dbops store: "_s + why, m_path);
        if (foreign)
            throw Exception(ErrorCode::BadInput,
                            u"this SQLite file is not a dbops store (it has tables but no dbops_meta); refusing to change it"_s, m_path);
        if (!damage.isEmpty())
        {
            Error error = Error::make(
                ErrorCode::BadInput,
                u"the dbops store is damaged (SQLite quick_check failed); refusing to use it, and it was not changed"_s, m_path);
            error.detail = damage.join(u"; "_s);
            error.hint = u"Restore the file from a copy, or move it aside (dbops then creates a new, empty store); "
                         u"`sqlite3 FILE .recover` may save its contents."_s;
            throw Exception(error);
        }
    }

    Expected<void> Store::open()
    {
        struct Opening
        {
            bool previous = t_opening;
            Opening() { t_opening = true; }
            ~Opening() { t_opening = previous; }
        } opening;
        auto result = catchErrors([&] {
            if (QFileInfo::exists(m_path))
            {
                QFile f(m_path);
                if (f.open(QIODevice::ReadOnly) && f.size() > 0 && !f.read(16).startsWith("SQLite format 3"))
                    throw Exception(ErrorCode::BadInput, u"not a SQLite file; refusing to use it as the dbops store"_s, m_path);
                if (f.size() > 0)
                    refuseForeignOrDamaged();
            }
            QSqlDatabase db = database();
            run(db, u"CREATE TABLE IF NOT EXISTS dbops_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"_s, {}, m_path);
            const int current = schemaVersion();
            const int latest = latestSchemaVersion();
            if (current > latest)
                throw Exception(ErrorCode::BadInput,
                                u"the dbops store is at schema version %1, newer than this program understands (%2); "
                                u"upgrade dbops, or use another DBOPS_HOME. The store was not changed."_s.arg(current)
                                    .arg(latest),
                                m_path);
            for (int v = current + 1; v <= latest; ++v)
            {
                transaction([&] {
                    for (const QString &sql : schemaSteps()[v - 1])
                        run(db, sql, {}, m_path);
                    run(db,
                        u"INSERT INTO dbops_meta(key, value) VALUES('schema_version', ?) "
                        u"ON CONFLICT(key) DO UPDATE SET value = excluded.value"_s,
                        {QString::number(v)}, m_path);
                });
                spdlog::info("store {} upgraded to schema version {}", m_path, v);
            }
        });
        if (result)
            m_ready = true;
        return result;
    }
}

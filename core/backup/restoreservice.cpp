#include "core/backup/restoreservice.h"

#include "core/backup/archivereader.h"
#include "core/backup/backupcatalog.h"
#include "core/backup/backupservice.h"
#include "core/process/pgprocess.h"
#include "core/backup/toollocator.h"
#include "core/connect/connectionhold.h"
#include "core/db/pgconnection.h"
#include "core/sql/sqlresource.h"
#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/store/auditlog.h"
#include "core/store/store.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QThread>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        ConnectParams onDatabase(ConnectParams params, const QString &db)
        {
            params.set(u"dbname"_s, db);
            return params;
        }

        std::unique_ptr<PgConnection> openMaintenance(const ConnectParams &server, CancelToken *token)
        {
            auto conn = PgConnection::tryOpen(onDatabase(server, u"postgres"_s), {}, token);
            if (conn)
                return std::move(*conn);
            if (conn.error().code == ErrorCode::Auth || conn.error().isCancelled())
                throw Exception(conn.error());
            return PgConnection::open(onDatabase(server, u"template1"_s), {}, token);
        }

        /// PostgreSQL keeps NAMEDATALEN - 1 bytes of a name and silently truncates the rest.
        constexpr qsizetype kMaxNameBytes = 63;

        /// `text` cut to at most `bytes` bytes of UTF-8, never inside a character.
        QString leftBytes(const QString &text, qsizetype bytes)
        {
            QString out;
            for (qsizetype i = 0; i < text.size();)
            {
                const qsizetype n = text.at(i).isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
                const QString ch = text.mid(i, n);
                if ((out + ch).toUtf8().size() > bytes)
                    break;
                out += ch;
                i += n;
            }
            return out;
        }

        /// A side database's name ("<target>_dbops_restore_<stamp>") that PostgreSQL keeps whole.
        QString sideName(const QString &target, const QString &tag)
        {
            return leftBytes(target, kMaxNameBytes - tag.toUtf8().size()) + tag;
        }
    }

    QJsonObject RestoreResult::toJson() const
    {
        return {{u"database"_s, database},    {u"mode"_s, mode},
                {u"backup_id"_s, backupId},   {u"safety_backup_id"_s, safetyBackupId},
                {u"history_id"_s, historyId}, {u"tables_checked"_s, tablesChecked},
                {u"restore_ms"_s, restoreMs}, {u"check_ms"_s, checkMs}};
    }

    RestoreService::RestoreService(Store &store)
        : m_store(store)
    {
    }

    QList<SessionInfo> RestoreService::sessions(const ConnectParams &server, const QString &database, JobContext &jc)
    {
        auto conn = openMaintenance(server, jc.token());
        return backupqueries::otherSessions(*conn, database, jc.token());
    }

    namespace
    {
        /// One restore, as the steps an incident review walks through. Each step's name says what
        /// holds once it returns; the first three touch nothing on the server.
        class RestoreRun final
        {
        public:
            RestoreRun(Store &store, const RestoreRequest &request, JobContext &jc)
                : m_store(store)
                , m_request(request)
                , m_jc(jc)
                , m_replace(!request.replaceDatabase.isEmpty())
                , m_target(m_replace ? request.replaceDatabase : request.newDatabase)
                , m_catalog(store)
            {
            }

            RestoreResult run()
            {
                refuseUnclearOrUnconfirmedRequest();
                m_result.database = m_target;
                m_result.mode = m_replace ? u"replace"_s : u"new"_s;
                m_record.profile = m_request.profile.name;
                m_record.targetDatabase = m_target;
                m_record.mode = m_result.mode;
                m_clock.start();
                try
                {
                    archiveIsIntactBeforeAnythingIsTouched();
                    roleMayCreateTheDatabase();
                    roleMayOwnWhatTheArchiveHolds();
                    targetIsInTheExpectedState();
                    if (m_replace)
                        verifiedSafetyBackupTaken();
                    restoredAndCheckedInPlaceOfTheTarget();
                    recordOutcome(u"ok"_s);
                    m_jc.progress(1, 1,
                                  u"restored into %1; %2 tables' row counts match the archive"_s.arg(m_target).arg(m_result.tablesChecked));
                    return m_result;
                }
                catch (const Exception &e)
                {
                    recordOutcome(e.error().isCancelled() ? u"cancelled"_s : e.error().message);
                    if (e.error().isCancelled())
                        // Say what the cancel left, not the tool's last words.
                        throw Exception(ErrorCode::Cancelled, u"restore cancelled: %1; %2 is as it was"_s.arg(
                                                                  m_cleanedUp.isEmpty() ? u"nothing had been created yet"_s : m_cleanedUp,
                                                                  m_replace ? m_target : u"the server"_s));
                    throw;
                }
            }

        private:
            /// Usage errors before anything else (not in the history: nothing was attempted).
            void refuseUnclearOrUnconfirmedRequest() const
            {
                if (m_target.isEmpty() || (m_replace && !m_request.newDatabase.isEmpty()))
                    throw Exception(ErrorCode::Usage,
                                    u"say where to restore: --into NEWDB (a new database) or --replace DBNAME --confirm DBNAME"_s);
                if (m_replace && m_request.confirm != m_request.replaceDatabase)
                    throw Exception(ErrorCode::Usage,
                                    u"replacing %1 needs its name typed again as confirmation (--confirm %1); nothing was changed"_s.arg(
                                        m_request.replaceDatabase));
                if (m_target.toUtf8().size() > kMaxNameBytes)
                    throw Exception(ErrorCode::Usage,
                                    u"the database name '%1' is %2 bytes in UTF-8; PostgreSQL keeps at most %3 bytes (NAMEDATALEN - 1) "
                                    u"and would silently truncate it. Choose a shorter name; nothing was touched."_s.arg(m_target)
                                        .arg(m_target.toUtf8().size())
                                        .arg(kMaxNameBytes));
            }

            /// 1. The archive exists, matches its catalog SHA-256 and lists (or, not catalogued,
            /// reads completely); the maintenance connection and matching tools are there.
            void archiveIsIntactBeforeAnythingIsTouched()
            {
                m_entry = m_request.backupId > 0 ? m_catalog.get(m_request.backupId) : m_catalog.findByPath(m_request.archivePath);
                m_path = m_request.backupId > 0 ? m_entry.path : QFileInfo(m_request.archivePath).absoluteFilePath();
                m_record.archivePath = m_path;
                m_record.backupId = m_result.backupId = m_entry.id;
                if (!QFileInfo::exists(m_path))
                    throw Exception(ErrorCode::BadInput, u"the archive %1 does not exist"_s.arg(m_path));

                m_jc.progress(0, 0, u"connecting to "_s + m_request.connection.shortName());
                m_admin = openMaintenance(m_request.connection, m_jc.token());
                const int serverMajor = m_admin->serverVersionNum() / 10000;
                auto tools = locatePgTools(std::max(serverMajor, m_entry.pgDumpVersion.section(u'.', 0, 0).toInt()), m_request.toolsDir);
                if (!tools)
                    throw Exception(tools.error());
                m_tools = *tools;

                m_checks.start();
                m_expected = m_entry.rowCounts;
                if (m_entry.id > 0)
                {
                    m_jc.progress(0, 0, u"checking the archive's SHA-256 against the catalog"_s);
                    const QString sha = archive::sha256(m_path, m_jc.token());
                    if (sha != m_entry.sha256)
                        throw Exception(ErrorCode::BadInput,
                                        u"refusing to restore: the archive %1 does not match its SHA-256 in the catalog (backup %2): it is "
                                        u"corrupt, truncated or was changed (expected %3, found %4). Nothing was touched."_s.arg(m_path)
                                            .arg(m_entry.id)
                                            .arg(m_entry.sha256, sha));
                    archive::list(m_tools, m_path, m_jc.token());
                }
                else
                {
                    m_jc.progress(0, 0, u"reading the archive completely (it is not in the catalog)"_s);
                    try
                    {
                        m_expected = archive::readCompletely(m_tools, m_path, m_jc.token()).rowCounts;
                    }
                    catch (const Exception &e)
                    {
                        if (e.error().code != ErrorCode::BadInput)
                            throw;
                        throw Exception(ErrorCode::BadInput, u"refusing to restore: "_s + e.error().message + u" Nothing was touched."_s);
                    }
                }
                m_result.checkMs += m_checks.elapsed();
            }

            /// 2a. A restore always creates a database (the new one, or the side one a replace
            /// swaps in): a role that may not is told so before anything is touched.
            void roleMayCreateTheDatabase()
            {
                const QueryResult who =
                    m_admin->exec(u"SELECT current_user AS role, CASE WHEN rolcreatedb OR rolsuper THEN 1 ELSE 0 END AS can FROM pg_roles "
                                  u"WHERE rolname = current_user"_s,
                                  {}, m_jc.token());
                if (who.rowCount() > 0 && who.value(0, u"can"_s).toInt() == 0)
                    throw Exception(ErrorCode::OperationFailed,
                                    u"the role %1 may not create databases (it has no CREATEDB), and a restore creates one (%2); grant it "
                                    u"CREATEDB or restore as a role that has it. Nothing was touched."_s.arg(
                                        who.text(0, u"role"_s), m_replace ? u"beside the database it replaces"_s : m_target));
            }

            /// 2a'. pg_restore gives every object to its owner in the archive (ALTER ... OWNER
            /// TO), which needs the role to be a member of each owner (a superuser is) and each to
            /// exist here: asked before anything is created, not found out half-way.
            void roleMayOwnWhatTheArchiveHolds()
            {
                QStringList owners;
                for (const archive::TocEntry &e : archive::toc(m_tools, m_path, m_jc.token()))
                    // pg_database_owner: whoever owns the database, i.e. the restoring role
                    if (!e.owner.isEmpty() && e.owner != u"pg_database_owner"_s && !owners.contains(e.owner))
                        owners << e.owner;
                if (owners.isEmpty())
                    return;
                QStringList quoted;
                for (QString o : std::as_const(owners))
                    quoted << u"\""_s + o.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s) + u"\""_s;
                const QString array = u"{"_s + quoted.join(u',') + u"}"_s;
                const QueryResult r = m_admin->exec(sqlResource(u"backup/archive_owners"_s), {QVariant(array)}, m_jc.token());
                if (r.rowCount() == 0)
                    return;
                QStringList cannot;
                for (int i = 0; i < r.rowCount(); ++i)
                    cannot << r.text(i, u"owner"_s);
                throw Exception(ErrorCode::OperationFailed,
                                u"refusing to restore: the archive's objects belong to %1, and the role %2 may not give objects to "
                                u"them (it is not a member of those roles, or they do not exist on this server); restore as a "
                                u"superuser or as a member of them. Nothing was done: no safety backup was taken and no database "
                                u"was created."_s.arg(cannot.join(u", "_s), r.text(0, u"role"_s)));
            }

            /// 2b. A new database does not exist yet; a replaced one exists and has no other
            /// sessions (unless they are to be ended).
            void targetIsInTheExpectedState()
            {
                const bool exists = backupqueries::databaseExists(*m_admin, m_target, m_jc.token());
                if (!m_replace && exists)
                    throw Exception(ErrorCode::BadInput,
                                    u"the database %1 already exists; choose a new name, or --replace %1 --confirm %1"_s.arg(m_target));
                if (m_replace && !exists)
                    throw Exception(ErrorCode::NotFound,
                                    u"there is no database %1 to replace; restore into a new one with --into %1"_s.arg(m_target));
                if (!m_replace)
                    return;
                roleMayReplaceTheTarget();
                auto others = backupqueries::otherSessions(*m_admin, m_target, m_jc.token());
                if (!others.isEmpty() && !m_request.terminateSessions)
                {
                    QStringList lines;
                    for (const SessionInfo &s : others)
                        lines << u"  "_s + s.toString();
                    throw Exception(ErrorCode::OperationFailed,
                                    u"refusing to replace %1: %2 other session(s) are connected:\n%3\nEnd them (--terminate-sessions) or "
                                    u"wait for them to disconnect. Nothing was changed."_s.arg(m_target)
                                        .arg(others.size())
                                        .arg(lines.join(u'\n')));
                }
            }

            /// 2b'. Replace: the role may rename and drop the target (its owner, or a member of
            /// the owner's role, or a superuser) and connect to it (the safety backup), all asked
            /// before the safety backup and the side restore, so a refusal leaves nothing done.
            void roleMayReplaceTheTarget()
            {
                const QueryResult r = m_admin->exec(sqlResource(u"backup/replace_privileges"_s), {m_target}, m_jc.token());
                if (r.rowCount() == 0)
                    return; // gone meanwhile: the swap's rename says so
                const QString role = r.text(0, u"role"_s);
                if (r.value(0, u"superuser"_s).toBool())
                    return;
                const QString refused = u"refusing to replace %1: the role %2 "_s.arg(m_target, role);
                const QString nothing = u" Nothing was done: no safety backup was taken and no database was created."_s;
                if (!r.value(0, u"owns"_s).toBool())
                    throw Exception(
                        ErrorCode::OperationFailed,
                        refused
                            + u"does not own it (its owner is %1), and only its owner or a superuser may rename and drop "
                              u"it; restore as %1 or a superuser, or restore into a new database instead."_s.arg(r.text(0, u"owner"_s))
                            + nothing);
                if (!r.value(0, u"createdb"_s).toBool())
                    throw Exception(ErrorCode::OperationFailed,
                                    refused + u"has no CREATEDB, which renaming a database needs; grant it CREATEDB or restore as a "_s
                                        + u"role that has it."_s + nothing);
                if (!r.value(0, u"can_connect"_s).toBool())
                    throw Exception(ErrorCode::OperationFailed,
                                    refused + u"has no CONNECT privilege on it, which the safety backup needs."_s + nothing);
                if (m_request.terminateSessions)
                {
                    QStringList cannot;
                    for (const SessionInfo &s : backupqueries::otherSessions(*m_admin, m_target, m_jc.token()))
                        if (!s.canEnd)
                            cannot << u"  "_s + s.toString();
                    if (!cannot.isEmpty())
                        throw Exception(ErrorCode::OperationFailed,
                                        refused
                                            + u"may not end %1 of the other sessions (it is neither a member of their role nor of "
                                              u"pg_signal_backend, or they are a superuser's):\n%2\n"_s.arg(cannot.size())
                                                  .arg(cannot.join(u'\n'))
                                            + nothing.trimmed());
                }
            }

            /// 2c. Replace: a verified backup of the database as it is now, in the catalog.
            void verifiedSafetyBackupTaken()
            {
                m_jc.progress(0, 0, u"safety backup of %1"_s.arg(m_target));
                BackupRequest safety;
                safety.profile = m_request.profile;
                safety.connection = onDatabase(m_request.connection, m_target);
                safety.kind = u"safety"_s;
                safety.label = u"safety backup before restoring %1 over it"_s.arg(QFileInfo(m_path).fileName());
                safety.toolsDir = m_request.toolsDir;
                safety.applyRetention = false;
                const BackupEntry taken = BackupService(m_store).backup(safety, m_jc);
                m_record.safetyBackupId = m_result.safetyBackupId = taken.id;
                m_jc.log(u"safety backup %1 of %2 verified: %3"_s.arg(taken.id).arg(m_target, taken.path));
            }

            /// 3-5. Restored into a database of its own (a side one for a replace; the target stays
            /// as it is), its row counts equal to the archive's, and only then swapped in. On any
            /// failure the partly restored database is dropped.
            void restoredAndCheckedInPlaceOfTheTarget()
            {
                const QString stamp = QDateTime::currentDateTimeUtc().toString(u"yyyyMMddHHmmss"_s);
                const QString restoreInto = m_replace ? sideName(m_target, u"_dbops_restore_"_s + stamp) : m_target;
                m_admin->exec(u"CREATE DATABASE "_s + m_admin->escapeIdentifier(restoreInto) + u" TEMPLATE template0"_s, {}, m_jc.token());
                m_keep = false;
                try
                {
                    archiveRestoredInto(restoreInto);
                    rowCountsMatchTheArchive(restoreInto);
                    if (m_replace)
                        swappedInByRenames(restoreInto, stamp);
                    m_keep = true;
                }
                catch (...)
                {
                    partlyRestoredDatabaseDropped(restoreInto);
                    throw;
                }
            }

            /// 3. pg_restore --jobs --exit-on-error into `into`, with progress per table.
            void archiveRestoredInto(const QString &into)
            {
                const int jobs = m_request.jobs > 0 ? m_request.jobs : std::clamp(QThread::idealThreadCount(), 1, 4);
                PgProcessSpec spec;
                spec.program = m_tools.pgRestore;
                spec.connection = onDatabase(m_request.connection, into);
                spec.args = {u"--verbose"_s, u"--exit-on-error"_s, u"--jobs=%1"_s.arg(jobs), m_path};
                const qint64 total = std::max<qint64>(1, m_expected.size());
                qint64 done = 0;
                static const QRegularExpression dataLine(u"processing data for table \"([^\"]+)\""_s);
                spec.onStderrLine = [&](const QString &line) {
                    const auto m = dataLine.match(line);
                    if (m.hasMatch())
                        m_jc.progress(std::min(++done, total), total,
                                      u"restoring %1 · %2 elapsed"_s.arg(m.captured(1), formatDuration(m_clock.elapsed())));
                };
                QElapsedTimer restoreClock;
                restoreClock.start();
                m_jc.progress(0, total, u"pg_restore --jobs=%1 into %2"_s.arg(jobs).arg(into));
                runPgProcess(spec, m_jc.token());
                m_result.restoreMs = restoreClock.elapsed();
            }

            /// 4. Every table the archive holds has its row count in `into`.
            void rowCountsMatchTheArchive(const QString &into)
            {
                m_checks.restart();
                const qint64 total = std::max<qint64>(1, m_expected.size());
                m_jc.progress(total, total, u"checking row counts"_s);
                auto restored = PgConnection::open(onDatabase(m_request.connection, into), {}, m_jc.token());
                const QMap<QString, qint64> counts = backupqueries::rowCounts(*restored, m_jc.token());
                restored.reset();
                QStringList diffs;
                for (auto it = m_expected.cbegin(); it != m_expected.cend(); ++it)
                    if (counts.value(it.key(), -1) != it.value())
                        diffs << u"%1: archive %2, restored %3"_s.arg(it.key()).arg(it.value()).arg(counts.value(it.key(), -1));
                m_result.tablesChecked = int(m_expected.size());
                m_result.checkMs += m_checks.elapsed();
                if (!diffs.isEmpty())
                    throw Exception(ErrorCode::OperationFailed, u"restored row counts differ from the archive: "_s + diffs.join(u"; "_s));
            }

            /// 5. Replace: the target renamed aside, the side database renamed to it (renamed back
            /// if that fails), the old one dropped last.
            void swappedInByRenames(const QString &restoreInto, const QString &stamp)
            {
                const OwnSessionsClosed ownClosed = ownSessionsClosed();
                if (m_request.terminateSessions)
                    backupqueries::terminateSessions(*m_admin, m_target, m_jc.token());
                const QString old = sideName(m_target, u"_dbops_old_"_s + stamp);
                m_admin->exec(u"ALTER DATABASE "_s + m_admin->escapeIdentifier(m_target) + u" RENAME TO "_s
                                  + m_admin->escapeIdentifier(old),
                              {}, m_jc.token());
                try
                {
                    m_admin->exec(u"ALTER DATABASE "_s + m_admin->escapeIdentifier(restoreInto) + u" RENAME TO "_s
                                      + m_admin->escapeIdentifier(m_target),
                                  {}, m_jc.token());
                }
                catch (...)
                {
                    m_admin->exec(u"ALTER DATABASE "_s + m_admin->escapeIdentifier(old) + u" RENAME TO "_s
                                  + m_admin->escapeIdentifier(m_target));
                    throw;
                }
                m_keep = true;
                m_admin->exec(u"DROP DATABASE "_s + m_admin->escapeIdentifier(old), {}, m_jc.token());
            }

            /// While it lives, this process has no session to the target and opens none: new
            /// connections are held, the face's own users (its lock monitor) released; resumed
            /// when it goes, whatever the outcome.
            struct OwnSessionsClosed
            {
                std::shared_ptr<void> hold;
                std::shared_ptr<OwnSessionUsers> users;
                ConnectionProfile profile;
                QString database;
                OwnSessionsClosed() = default;
                OwnSessionsClosed(const OwnSessionsClosed &) = delete;
                OwnSessionsClosed &operator=(const OwnSessionsClosed &) = delete;
                OwnSessionsClosed(OwnSessionsClosed &&) = default;
                ~OwnSessionsClosed()
                {
                    if (users)
                        users->resume(profile, database);
                }
            };

            /// 5a. dbops's own sessions to the target are closed: the face's users released, new
            /// connections held, the leftovers waited for; idle ones of ours (a poll's lease,
            /// nothing running) are ended. One of ours still at work (a migration) refuses the swap.
            OwnSessionsClosed ownSessionsClosed()
            {
                OwnSessionsClosed closed;
                // Released before new connections are held: a monitor's refresh in flight may be
                // connecting, and its release waits for it.
                if (m_request.ownSessions)
                {
                    m_jc.progress(0, 0, u"closing dbops's own sessions to %1 (the lock monitor, the views)"_s.arg(m_target));
                    m_request.ownSessions->release(m_request.profile, m_target);
                    closed.users = m_request.ownSessions;
                    closed.profile = m_request.profile;
                    closed.database = m_target;
                }
                closed.hold = ConnectionHold::hold(m_request.connection, m_target);
                QElapsedTimer waited;
                waited.start();
                bool endedIdle = false;
                for (;;)
                {
                    const QList<SessionInfo> own = backupqueries::ownSessions(*m_admin, m_target, m_jc.token());
                    if (own.isEmpty())
                        return closed;
                    if (waited.elapsed() > 3000 && !endedIdle)
                    {
                        for (const SessionInfo &s : own)
                            if (s.state == u"idle"_s)
                                m_admin->exec(u"SELECT pg_terminate_backend($1)"_s, {s.pid}, m_jc.token());
                        endedIdle = true;
                    }
                    if (waited.elapsed() > 8000)
                    {
                        QStringList lines;
                        for (const SessionInfo &s : own)
                            lines << u"  "_s + s.toString();
                        throw Exception(ErrorCode::OperationFailed,
                                        u"refusing to swap the restored copy in for %1: dbops itself is still using it:\n%2\nWait for "
                                        u"that job to finish, then restore again. %1 was not changed."_s.arg(m_target, lines.join(u'\n')));
                    }
                    m_jc.throwIfCancelled();
                    QThread::msleep(100); // a closed backend exits within milliseconds
                }
            }

            /// What a failure or cancel leaves: the database it created is dropped (or named).
            void partlyRestoredDatabaseDropped(const QString &restoreInto)
            {
                if (m_keep)
                    return;
                try
                {
                    m_admin->exec(u"DROP DATABASE IF EXISTS "_s + m_admin->escapeIdentifier(restoreInto) + u" WITH (FORCE)"_s);
                    m_cleanedUp = u"the partly restored database %1 was dropped"_s.arg(restoreInto);
                }
                catch (const Exception &e)
                {
                    spdlog::warn("restore: cannot drop {}: {}", restoreInto, e.error().message);
                    m_cleanedUp =
                        u"the partly restored database %1 could not be dropped (%2): drop it by hand"_s.arg(restoreInto, e.error().message);
                }
            }

            /// Every outcome after the request checks: the restore history and the audit log.
            void recordOutcome(const QString &outcome)
            {
                m_record.outcome = outcome;
                m_record.durationMs = m_clock.elapsed();
                m_result.historyId = m_catalog.recordRestore(m_record);
                AuditLog(m_store).record(
                    {.profile = m_request.profile.name,
                     .environment = toString(m_request.profile.environment),
                     .action = u"restore"_s,
                     .target = m_target,
                     .details = u"%1 from %2 (backup %3)"_s.arg(m_result.mode, m_record.archivePath).arg(m_record.backupId),
                     .outcome = outcome});
            }

            Store &m_store;
            const RestoreRequest &m_request;
            JobContext &m_jc;
            const bool m_replace;
            const QString m_target;
            BackupCatalog m_catalog;
            RestoreResult m_result;
            RestoreRecord m_record;
            QElapsedTimer m_clock;
            QElapsedTimer m_checks;
            QString m_cleanedUp; ///< what a failure or cancel undid, for its message
            BackupEntry m_entry;
            QString m_path;
            QMap<QString, qint64> m_expected;
            std::unique_ptr<PgConnection> m_admin;
            PgTools m_tools;
            bool m_keep = false;
        };
    }

    RestoreResult RestoreService::restore(const RestoreRequest &request, JobContext &jc)
    {
        return RestoreRun(m_store, request, jc).run();
    }
}

#include "core/backup/restoreservice.h"

#include "core/backup/archivereader.h"
#include "core/backup/backupcatalog.h"
#include "core/backup/backupservice.h"
#include "core/process/pgprocess.h"
#include "core/backup/toollocator.h"
#include "core/db/pgconnection.h"
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
        return {{u"database"_s, database},         {u"mode"_s, mode},
                {u"backup_id"_s, backupId},        {u"safety_backup_id"_s, safetyBackupId},
                {u"history_id"_s, historyId},      {u"tables_checked"_s, tablesChecked},
                {u"restore_ms"_s, restoreMs},      {u"check_ms"_s, checkMs}};
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

    RestoreResult RestoreService::restore(const RestoreRequest &request, JobContext &jc)
    {
        const bool replace = !request.replaceDatabase.isEmpty();
        const QString target = replace ? request.replaceDatabase : request.newDatabase;
        if (target.isEmpty() || (replace && !request.newDatabase.isEmpty()))
            throw Exception(ErrorCode::Usage, u"say where to restore: --into NEWDB (a new database) or --replace DBNAME --confirm DBNAME"_s);
        if (replace && request.confirm != request.replaceDatabase)
            throw Exception(ErrorCode::Usage, u"replacing %1 needs its name typed again as confirmation (--confirm %1); nothing was changed"_s
                                                  .arg(request.replaceDatabase));

        if (target.toUtf8().size() > kMaxNameBytes)
            throw Exception(ErrorCode::Usage, u"the database name '%1' is %2 bytes in UTF-8; PostgreSQL keeps at most %3 bytes (NAMEDATALEN - 1) "
                                              u"and would silently truncate it. Choose a shorter name; nothing was touched."_s.arg(target)
                                                  .arg(target.toUtf8().size())
                                                  .arg(kMaxNameBytes));

        RestoreResult result;
        result.database = target;
        result.mode = replace ? u"replace"_s : u"new"_s;
        BackupCatalog catalog(m_store);
        RestoreRecord record;
        record.profile = request.profile.name;
        record.targetDatabase = target;
        record.mode = result.mode;
        QElapsedTimer clock;
        clock.start();
        QString cleanedUp; ///< what a failure or cancel undid, for its message
        auto finish = [&](const QString &outcome) {
            record.outcome = outcome;
            record.durationMs = clock.elapsed();
            result.historyId = catalog.recordRestore(record);
            AuditLog(m_store).record({.profile = request.profile.name,
                                      .environment = toString(request.profile.environment),
                                      .action = u"restore"_s,
                                      .target = target,
                                      .details = u"%1 from %2 (backup %3)"_s.arg(result.mode, record.archivePath).arg(record.backupId),
                                      .outcome = outcome});
        };

        try
        {
            // 1. The archive, checked before anything is touched.
            BackupEntry entry = request.backupId > 0 ? catalog.get(request.backupId) : catalog.findByPath(request.archivePath);
            const QString path = request.backupId > 0 ? entry.path : QFileInfo(request.archivePath).absoluteFilePath();
            record.archivePath = path;
            record.backupId = result.backupId = entry.id;
            if (!QFileInfo::exists(path))
                throw Exception(ErrorCode::BadInput, u"the archive %1 does not exist"_s.arg(path));

            jc.progress(0, 0, u"connecting to "_s + request.connection.shortName());
            auto admin = openMaintenance(request.connection, jc.token());
            const int serverMajor = admin->serverVersionNum() / 10000;
            auto tools = locatePgTools(std::max(serverMajor, entry.pgDumpVersion.section(u'.', 0, 0).toInt()), request.toolsDir);
            if (!tools)
                throw Exception(tools.error());

            QElapsedTimer checks;
            checks.start();
            QMap<QString, qint64> expected = entry.rowCounts;
            if (entry.id > 0)
            {
                jc.progress(0, 0, u"checking the archive's SHA-256 against the catalog"_s);
                const QString sha = archive::sha256(path, jc.token());
                if (sha != entry.sha256)
                    throw Exception(ErrorCode::BadInput,
                                    u"refusing to restore: the archive %1 does not match its SHA-256 in the catalog (backup %2): it is "
                                    u"corrupt, truncated or was changed (expected %3, found %4). Nothing was touched."_s
                                        .arg(path)
                                        .arg(entry.id)
                                        .arg(entry.sha256, sha));
                archive::list(*tools, path, jc.token());
            }
            else
            {
                jc.progress(0, 0, u"reading the archive completely (it is not in the catalog)"_s);
                try
                {
                    expected = archive::readCompletely(*tools, path, jc.token()).rowCounts;
                }
                catch (const Exception &e)
                {
                    if (e.error().code != ErrorCode::BadInput)
                        throw;
                    throw Exception(ErrorCode::BadInput, u"refusing to restore: "_s + e.error().message + u" Nothing was touched."_s);
                }
            }
            result.checkMs += checks.elapsed();

            // 2. The target. A restore always creates a database (the new one, or the side one a
            // replace swaps in): a role that may not is told so before anything is touched.
            {
                const QueryResult who = admin->exec(u"SELECT current_user AS role, CASE WHEN rolcreatedb OR rolsuper THEN 1 ELSE 0 END AS can FROM pg_roles "
                                                    u"WHERE rolname = current_user"_s,
                                                    {}, jc.token());
                if (who.rowCount() > 0 && who.value(0, u"can"_s).toInt() == 0)
                    throw Exception(ErrorCode::OperationFailed,
                                    u"the role %1 may not create databases (it has no CREATEDB), and a restore creates one (%2); grant it "
                                    u"CREATEDB or restore as a role that has it. Nothing was touched."_s
                                        .arg(who.text(0, u"role"_s), replace ? u"beside the database it replaces"_s : target));
            }
            const bool exists = backupqueries::databaseExists(*admin, target, jc.token());
            if (!replace && exists)
                throw Exception(ErrorCode::BadInput, u"the database %1 already exists; choose a new name, or --replace %1 --confirm %1"_s.arg(target));
            if (replace && !exists)
                throw Exception(ErrorCode::NotFound, u"there is no database %1 to replace; restore into a new one with --into %1"_s.arg(target));
            if (replace)
            {
                auto others = backupqueries::otherSessions(*admin, target, jc.token());
                if (!others.isEmpty() && !request.terminateSessions)
                {
                    QStringList lines;
                    for (const SessionInfo &s : others)
                        lines << u"  "_s + s.toString();
                    throw Exception(ErrorCode::OperationFailed,
                                    u"refusing to replace %1: %2 other session(s) are connected:\n%3\nEnd them (--terminate-sessions) or "
                                    u"wait for them to disconnect. Nothing was changed."_s.arg(target)
                                        .arg(others.size())
                                        .arg(lines.join(u'\n')));
                }
                jc.progress(0, 0, u"safety backup of %1"_s.arg(target));
                BackupRequest safety;
                safety.profile = request.profile;
                safety.connection = onDatabase(request.connection, target);
                safety.kind = u"safety"_s;
                safety.label = u"safety backup before restoring %1 over it"_s.arg(QFileInfo(path).fileName());
                safety.toolsDir = request.toolsDir;
                safety.applyRetention = false;
                const BackupEntry taken = BackupService(m_store).backup(safety, jc);
                record.safetyBackupId = result.safetyBackupId = taken.id;
                jc.log(u"safety backup %1 of %2 verified: %3"_s.arg(taken.id).arg(target, taken.path));
            }

            // 3. Restore (a replace goes into a side database first; the target stays as it is).
            const QString stamp = QDateTime::currentDateTimeUtc().toString(u"yyyyMMddHHmmss"_s);
            const QString restoreInto = replace ? sideName(target, u"_dbops_restore_"_s + stamp) : target;
            admin->exec(u"CREATE DATABASE "_s + admin->escapeIdentifier(restoreInto) + u" TEMPLATE template0"_s, {}, jc.token());
            bool keep = false;
            auto dropUnlessKept = [&] {
                if (keep)
                    return;
                try
                {
                    admin->exec(u"DROP DATABASE IF EXISTS "_s + admin->escapeIdentifier(restoreInto) + u" WITH (FORCE)"_s);
                    cleanedUp = u"the partly restored database %1 was dropped"_s.arg(restoreInto);
                }
                catch (const Exception &e)
                {
                    spdlog::warn("restore: cannot drop {}: {}", restoreInto, e.error().message);
                    cleanedUp = u"the partly restored database %1 could not be dropped (%2): drop it by hand"_s.arg(restoreInto, e.error().message);
                }
            };
            try
            {
                const int jobs = request.jobs > 0 ? request.jobs : std::clamp(QThread::idealThreadCount(), 1, 4);
                PgProcessSpec spec;
                spec.program = tools->pgRestore;
                spec.connection = onDatabase(request.connection, restoreInto);
                spec.args = {u"--verbose"_s, u"--exit-on-error"_s, u"--jobs=%1"_s.arg(jobs), path};
                const qint64 total = std::max<qint64>(1, expected.size());
                qint64 done = 0;
                static const QRegularExpression dataLine(u"processing data for table \"([^\"]+)\""_s);
                spec.onStderrLine = [&](const QString &line) {
                    const auto m = dataLine.match(line);
                    if (m.hasMatch())
                        jc.progress(std::min(++done, total), total,
                                    u"restoring %1 · %2 elapsed"_s.arg(m.captured(1), formatDuration(clock.elapsed())));
                };
                QElapsedTimer restoreClock;
                restoreClock.start();
                jc.progress(0, total, u"pg_restore --jobs=%1 into %2"_s.arg(jobs).arg(restoreInto));
                runPgProcess(spec, jc.token());
                result.restoreMs = restoreClock.elapsed();

                // 4. Row counts against the archive's.
                checks.restart();
                jc.progress(total, total, u"checking row counts"_s);
                auto restored = PgConnection::open(onDatabase(request.connection, restoreInto), {}, jc.token());
                const QMap<QString, qint64> counts = backupqueries::rowCounts(*restored, jc.token());
                restored.reset();
                QStringList diffs;
                for (auto it = expected.cbegin(); it != expected.cend(); ++it)
                    if (counts.value(it.key(), -1) != it.value())
                        diffs << u"%1: archive %2, restored %3"_s.arg(it.key()).arg(it.value()).arg(counts.value(it.key(), -1));
                result.tablesChecked = int(expected.size());
                result.checkMs += checks.elapsed();
                if (!diffs.isEmpty())
                    throw Exception(ErrorCode::OperationFailed, u"restored row counts differ from the archive: "_s + diffs.join(u"; "_s));

                // 5. Replace: swap by renames once the target has no other sessions.
                if (replace)
                {
                    if (request.terminateSessions)
                        backupqueries::terminateSessions(*admin, target, jc.token());
                    const QString old = sideName(target, u"_dbops_old_"_s + stamp);
                    admin->exec(u"ALTER DATABASE "_s + admin->escapeIdentifier(target) + u" RENAME TO "_s + admin->escapeIdentifier(old), {},
                                jc.token());
                    try
                    {
                        admin->exec(u"ALTER DATABASE "_s + admin->escapeIdentifier(restoreInto) + u" RENAME TO "_s
                                        + admin->escapeIdentifier(target),
                                    {}, jc.token());
                    }
                    catch (...)
                    {
                        admin->exec(u"ALTER DATABASE "_s + admin->escapeIdentifier(old) + u" RENAME TO "_s + admin->escapeIdentifier(target));
                        throw;
                    }
                    keep = true;
                    admin->exec(u"DROP DATABASE "_s + admin->escapeIdentifier(old), {}, jc.token());
                }
                keep = true;
            }
            catch (...)
            {
                dropUnlessKept();
                throw;
            }
            finish(u"ok"_s);
            jc.progress(1, 1, u"restored into %1; %2 tables' row counts match the archive"_s.arg(target).arg(result.tablesChecked));
            return result;
        }
        catch (const Exception &e)
        {
            finish(e.error().isCancelled() ? u"cancelled"_s : e.error().message);
            if (e.error().isCancelled())
                // Say what the cancel left, not the tool's last words.
                throw Exception(ErrorCode::Cancelled, u"restore cancelled: %1; %2 is as it was"_s.arg(
                                                          cleanedUp.isEmpty() ? u"nothing had been created yet"_s : cleanedUp,
                                                          replace ? target : u"the server"_s));
            throw;
        }
    }
}

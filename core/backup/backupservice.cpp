#include "core/backup/backupservice.h"

#include "core/backup/archivereader.h"
#include "core/backup/backupqueries.h"
#include "core/backup/dumpprogress.h"
#include "core/process/pgprocess.h"
#include "core/backup/toollocator.h"
#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/logging/log.h"
#include "core/paths.h"
#include "core/sandbox/sandbox.h"
#include "core/store/auditlog.h"
#include "core/store/store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString safeName(QString s)
        {
            static const QRegularExpression bad(u"[^A-Za-z0-9._-]+"_s);
            s.replace(bad, u"_"_s);
            return s.isEmpty() ? u"db"_s : s;
        }

        QString toolVersion(const QString &program)
        {
            QProcess p;
            p.setProcessEnvironment(childEnvironment(QProcessEnvironment::systemEnvironment(), {}));
            p.start(program, {u"--version"_s});
            p.waitForFinished(10000);
            static const QRegularExpression re(u"\\(PostgreSQL\\)\\s+([0-9][0-9.]*)"_s);
            return re.match(QString::fromUtf8(p.readAllStandardOutput())).captured(1);
        }

        void removeArchive(const QString &path)
        {
            const QFileInfo info(path);
            if (info.isDir())
                QDir(path).removeRecursively();
            else if (info.exists())
                QFile::remove(path);
        }

        /// Removes the partial output unless released (cancel, failure, exception).
        struct PartialGuard
        {
            QString path;
            ~PartialGuard()
            {
                if (!path.isEmpty())
                    removeArchive(path);
            }
        };

        int majorOf(const QString &version)
        {
            return version.section(u'.', 0, 0).toInt();
        }

        QString errnoText(int e)
        {
            return QString::fromLocal8Bit(std::strerror(e));
        }

        /// The lock a running backup holds beside its .partial ("<partial>.lock", flock'ed for the
        /// whole run, released by the kernel when the process dies): the next backup can tell a
        /// dead backup's leftovers from a live one's in a shared folder.
        struct PartialLock
        {
            int fd = -1;
            QString path;
            PartialLock() = default;
            PartialLock(const PartialLock &) = delete;
            PartialLock &operator=(const PartialLock &) = delete;
            ~PartialLock()
            {
                if (fd >= 0)
                {
                    ::unlink(QFile::encodeName(path).constData());
                    ::close(fd);
                }
            }
            /// Creates it exclusively (false: the name is taken) and locks it.
            bool take(const QString &lockPath)
            {
                const int f = ::open(QFile::encodeName(lockPath).constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                if (f < 0)
                {
                    if (errno == EEXIST)
                        return false;
                    throw Exception(ErrorCode::Io, u"cannot create %1: %2"_s.arg(lockPath, errnoText(errno)));
                }
                if (::flock(f, LOCK_EX | LOCK_NB) != 0)
                {
                    ::close(f);
                    return false;
                }
                fd = f;
                path = lockPath;
                return true;
            }
        };

        /// Removes the .partial archives in `dir` named for `prefix` whose backup is no longer
        /// running (no lock file, or its lock is free), with a log line each.
        void sweepStalePartials(const QString &dir, const QString &prefix, JobContext &jc)
        {
            const QDir d(dir);
            for (const QString &name :
                 d.entryList({prefix + u"*.partial"_s}, QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot))
            {
                const QString partial = d.filePath(name);
                const QString lockPath = partial + u".lock"_s;
                const int f = ::open(QFile::encodeName(lockPath).constData(), O_RDWR | O_CLOEXEC);
                if (f >= 0 && ::flock(f, LOCK_EX | LOCK_NB) != 0)
                {
                    ::close(f); // a live backup holds it
                    continue;
                }
                removeArchive(partial);
                if (f >= 0)
                {
                    ::unlink(QFile::encodeName(lockPath).constData());
                    ::close(f);
                }
                jc.log(u"removed %1: the partial archive of a backup that did not finish (its dbops was killed)"_s.arg(partial));
                spdlog::warn("backup: removed the stale partial archive {}", partial);
            }
        }

        /// mkpath, with every folder it creates (and the leaf) mode 0700: archives are the data.
        void makePrivateDirectory(const QString &dir)
        {
            QStringList missing;
            for (QString p = QDir(dir).absolutePath(); !QFileInfo::exists(p); p = QFileInfo(p).absolutePath())
            {
                missing.prepend(p);
                if (p == u"/"_s)
                    break;
            }
            for (const QString &p : std::as_const(missing))
                if (::mkdir(QFile::encodeName(p).constData(), 0700) != 0 && errno != EEXIST)
                    throw Exception(ErrorCode::Io, u"cannot create the backup folder %1: %2"_s.arg(p, errnoText(errno)));
            if (!QFileInfo(dir).isDir())
                throw Exception(ErrorCode::Io, u"the backup folder %1 is not a folder"_s.arg(dir));
        }

        /// Verifies `entry`'s archive and records the outcome on it: `check` first (it throws to
        /// fail, e.g. a SHA-256 mismatch), then a complete read with pg_restore. Verified with its
        /// row counts, or Failed with the reason; a cancel is thrown on.
        void verifyInto(BackupEntry &entry, const PgTools &tools, const QString &detailPrefix, JobContext &jc,
                        const std::function<void()> &check = {})
        {
            try
            {
                if (check)
                    check();
                const ArchiveContents contents = archive::readCompletely(tools, entry.path, jc.token());
                entry.verification = VerifyState::Verified;
                entry.rowCounts = contents.rowCounts;
                entry.verifyDetail = u"%1pg_restore read %2 table-of-contents entries and the data of %3 tables"_s.arg(detailPrefix)
                                         .arg(contents.tocEntries)
                                         .arg(contents.rowCounts.size());
            }
            catch (const Exception &e)
            {
                if (e.error().isCancelled())
                    throw;
                entry.verification = VerifyState::Failed;
                entry.verifyDetail = e.error().message;
            }
            entry.verifiedAt = QDateTime::currentDateTimeUtc();
        }
    }

    QString formatBytes(qint64 bytes)
    {
        const char *units[] = {"B", "kB", "MB", "GB", "TB"};
        double v = double(bytes);
        int u = 0;
        while (v >= 1024 && u < 4)
        {
            v /= 1024;
            ++u;
        }
        return u == 0 ? u"%1 B"_s.arg(bytes) : u"%1 %2"_s.arg(v, 0, 'f', 1).arg(QLatin1StringView(units[u]));
    }

    QString formatDuration(qint64 ms)
    {
        const qint64 s = ms / 1000;
        if (s < 60)
            return u"%1 s"_s.arg(s);
        if (s < 3600)
            return u"%1:%2"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
        return u"%1:%2:%3"_s.arg(s / 3600).arg((s / 60) % 60, 2, 10, QChar(u'0')).arg(s % 60, 2, 10, QChar(u'0'));
    }

    BackupService::BackupService(Store &store)
        : m_store(store)
    {
    }

    QString BackupService::defaultDirectory(const QString &profile)
    {
        return paths::appDataDir() + u"/backups/"_s + safeName(profile);
    }

    namespace
    {
        /// The request names a format pg_dump writes, and --jobs only where pg_dump parallelises.
        void formatIsSupported(const BackupRequest &request)
        {
            if (request.format != u"custom"_s && request.format != u"directory"_s)
                throw Exception(ErrorCode::Usage, u"--format must be custom or directory, not '%1'"_s.arg(request.format));
            if (request.jobs > 1 && request.format != u"directory"_s)
                throw Exception(ErrorCode::Usage, u"--jobs needs --format directory (pg_dump dumps in parallel only to a directory)"_s);
        }

        /// The database's name, server version and schema version are on the entry; returns its
        /// table sizes (the progress estimate).
        QList<TableSize> sourceFactsRead(const BackupRequest &request, BackupEntry &entry, JobContext &jc)
        {
            jc.progress(0, 0, u"connecting to "_s + request.connection.shortName());
            auto conn = PgConnection::open(request.connection, {}, jc.token());
            entry.database = conn->database();
            entry.serverVersion = conn->serverVersion();
            QList<TableSize> tables = backupqueries::tableSizes(*conn, jc.token());
            entry.schemaVersion = backupqueries::migrationVersion(*conn, request.profile.migrationsDir, jc.token());
            return tables;
        }

        /// The archive folder exists with mode 0700 (ours) and holds no partial archive of a
        /// backup that is no longer running.
        QString privateFolderReady(const BackupRequest &request, const QString &defaultDir, const QString &prefix, JobContext &jc)
        {
            const QString dir = request.outputDir.isEmpty() ? defaultDir : request.outputDir;
            makePrivateDirectory(dir);
            if (request.outputDir.isEmpty())
            {
                // Our own folders: 0700 even when an older dbops made them 0755.
                ::chmod(QFile::encodeName(dir).constData(), 0700);
                ::chmod(QFile::encodeName(QFileInfo(dir).absolutePath()).constData(), 0700);
            }
            sweepStalePartials(dir, prefix, jc);
            return dir;
        }

        /// A name of our own (the lock is created exclusively): concurrent backups of one target
        /// in the same millisecond get -2, -3, ...
        QString archiveNameReserved(const QString &dir, const QString &stamp, const QString &suffix, PartialLock &lock)
        {
            for (int n = 1;; ++n)
            {
                const QString finalPath = QDir(dir).absoluteFilePath(stamp + (n == 1 ? QString() : u"-%1"_s.arg(n)) + suffix);
                if (!QFileInfo::exists(finalPath) && !QFileInfo::exists(finalPath + u".partial"_s)
                    && lock.take(finalPath + u".partial.lock"_s))
                    return finalPath;
                if (n > 1000)
                    throw Exception(ErrorCode::Io, u"cannot find a free archive name in %1"_s.arg(dir));
            }
        }

        /// pg_dump wrote the whole archive to `tempPath`, it is on disk (fsync) and its SHA-256
        /// and size are on the entry. Progress follows the tables pg_dump names.
        void dumpedSyncedAndHashed(const BackupRequest &request, const PgTools &tools, const QList<TableSize> &tables,
                                   const QString &tempPath, const QString &finalPath, const QElapsedTimer &clock, BackupEntry &entry,
                                   JobContext &jc)
        {
            qint64 total = 0;
            QHash<QString, qint64> sizeOf;
            for (const TableSize &t : std::as_const(tables))
            {
                total += std::max<qint64>(t.bytes, 1);
                sizeOf.insert(t.name, std::max<qint64>(t.bytes, 1));
            }
            total = std::max<qint64>(total, 1);
            // From the bytes written against the tables' size on disk; "estimating…" until that
            // says something (a big table used to sit at 0% with hours "left" for seconds).
            DumpProgress estimator(total);
            qint64 written = 0;
            QString currentTable;
            auto report = [&] {
                const qint64 elapsed = clock.elapsed();
                estimator.written(written);
                const DumpProgress::Estimate e = estimator.estimate(elapsed);
                QString msg =
                    currentTable.isEmpty() ? u"starting pg_dump %1"_s.arg(entry.pgDumpVersion) : u"dumping %1"_s.arg(currentTable);
                msg += u" · %1 written · %2 elapsed · %3"_s.arg(formatBytes(written), formatDuration(elapsed), e.text());
                jc.progress(e.done, e.total, msg);
            };
            static const QRegularExpression tableLine(u"dumping contents of table \"(.+)\""_s);

            PgProcessSpec spec;
            spec.program = tools.pgDump;
            spec.connection = request.connection;
            spec.args = {u"--verbose"_s};
            spec.onStderrLine = [&](const QString &line) {
                const auto m = tableLine.match(line);
                if (!m.hasMatch())
                    return;
                currentTable = m.captured(1);
                estimator.tableStarted(sizeOf.value(currentTable, 1)); // the previous table is complete
                report();
            };
            QCryptographicHash hash(QCryptographicHash::Sha256);
            QFile out(tempPath);
            if (request.format == u"custom"_s)
            {
                // Streamed through us: written and hashed as pg_dump produces it, so the checksum costs
                // no second pass over the file.
                if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly | QIODevice::Unbuffered,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner))
                    throw Exception(ErrorCode::Io, u"cannot write %1: %2"_s.arg(tempPath, out.errorString()));
                spec.args << u"--format=custom"_s;
                spec.onStdout = [&](const char *data, qint64 n) {
                    // write(2) itself, so that the reason is the system's ("No space left on device").
                    for (qint64 off = 0; off < n;)
                    {
                        const ssize_t w = ::write(out.handle(), data + off, size_t(n - off));
                        if (w < 0 && errno == EINTR)
                            continue;
                        if (w <= 0)
                            throw Exception(ErrorCode::Io, u"cannot write the archive %1: %2 (%3 written)"_s.arg(
                                                               tempPath, errnoText(w < 0 ? errno : ENOSPC), formatBytes(written + off)));
                        off += w;
                    }
                    hash.addData(QByteArrayView(data, n));
                    written += n;
                    report();
                };
            }
            else
            {
                spec.args << u"--format=directory"_s << u"--jobs=%1"_s.arg(std::max(1, request.jobs)) << u"--file=%1"_s.arg(tempPath);
            }
            jc.log(u"pg_dump %1 (%2) → %3"_s.arg(entry.pgDumpVersion, tools.binDir, finalPath));
            report();
            try
            {
                runPgProcess(spec, jc.token());
            }
            catch (const Exception &e)
            {
                if (e.error().code != ErrorCode::OperationFailed)
                    throw;
                Error named = e.error();
                named.message = u"the backup into %1 failed: %2"_s.arg(tempPath, named.message);
                throw Exception(named);
            }
            jc.throwIfCancelled();

            if (request.format == u"custom"_s)
            {
                if (::fsync(out.handle()) != 0)
                    throw Exception(ErrorCode::Io, u"fsync of %1 failed: %2"_s.arg(tempPath, errnoText(errno)));
                out.close();
                entry.sha256 = QString::fromLatin1(hash.result().toHex());
                entry.size = QFileInfo(tempPath).size();
            }
            else
            {
                archive::syncToDisk(tempPath);
                jc.progress(total, total, u"computing SHA-256"_s);
                entry.sha256 = archive::sha256(tempPath, jc.token());
                for (const QString &f : QDir(tempPath).entryList(QDir::Files))
                    entry.size += QFileInfo(QDir(tempPath).filePath(f)).size();
            }
        }

        /// The archive has its final name, durably (the folder is synced); the guard now removes
        /// the final file should verification or the catalog fail.
        void renamedIntoPlace(const QString &tempPath, const QString &finalPath, const QString &dir, PartialGuard &guard)
        {
            if (::rename(QFile::encodeName(tempPath).constData(), QFile::encodeName(finalPath).constData()) != 0)
                throw Exception(ErrorCode::Io, u"cannot rename %1 to %2: %3"_s.arg(tempPath, finalPath, errnoText(errno)));
            guard.path = finalPath;      // until it is verified and catalogued, a failure removes it
            archive::syncDirectory(dir); // only our rename: other backups share this folder
        }
    }

    BackupEntry BackupService::backup(const BackupRequest &request, JobContext &jc)
    {
        formatIsSupported(request);
        BackupEntry entry;
        entry.profile = request.profile.name;
        entry.format = request.format;
        entry.label = request.label;
        entry.kind = request.kind;
        entry.startedAt = QDateTime::currentDateTimeUtc();
        QElapsedTimer clock;
        clock.start();

        const QList<TableSize> tables = sourceFactsRead(request, entry, jc);
        auto tools = locatePgTools(majorOf(entry.serverVersion), request.toolsDir);
        if (!tools)
            throw Exception(tools.error());
        entry.pgDumpVersion = toolVersion(tools->pgDump);

        const QString prefix = safeName(entry.database) + u'_';
        const QString dir = privateFolderReady(request, defaultDirectory(request.profile.name), prefix, jc);
        const QString suffix = request.format == u"custom"_s ? u".dump"_s : u".dir"_s;
        PartialLock lock;
        const QString finalPath = archiveNameReserved(dir, prefix + entry.startedAt.toString(u"yyyyMMdd-HHmmss-zzz"_s), suffix, lock);
        const QString tempPath = finalPath + u".partial"_s;
        PartialGuard guard{tempPath};
        try
        {
            dumpedSyncedAndHashed(request, *tools, tables, tempPath, finalPath, clock, entry, jc);
            renamedIntoPlace(tempPath, finalPath, dir, guard);
            entry.path = finalPath;
            entry.finishedAt = QDateTime::currentDateTimeUtc();
            entry.durationMs = clock.elapsed();
            jc.log(u"dumped %1 in %2, SHA-256 %3"_s.arg(formatBytes(entry.size), formatDuration(entry.durationMs), entry.sha256));

            if (request.verify)
            {
                jc.progress(0, entry.size, u"verifying: reading the archive completely"_s);
                verifyInto(entry, *tools, QString(), jc);
            }
            jc.throwIfCancelled();
            BackupCatalog catalog(m_store);
            entry.id = catalog.add(entry);
            guard.path.clear();
        }
        catch (const Exception &e)
        {
            if (!e.error().isCancelled())
                throw;
            // Say what happened and what was cleaned up, not the tool's last words.
            const QString removed = guard.path;
            removeArchive(removed);
            guard.path.clear();
            Error c = Error::make(ErrorCode::Cancelled, u"backup cancelled: pg_dump was stopped, the partial archive %1 was removed and "
                                                        u"nothing was added to the catalog"_s.arg(removed));
            throw Exception(c);
        }
        // Catalogued: audited (also when it failed verification), then the verdict, then retention.
        BackupCatalog catalog(m_store);
        AuditLog(m_store).record({.profile = request.profile.name,
                                  .environment = toString(request.profile.environment),
                                  .action = u"backup"_s,
                                  .target = entry.database,
                                  .details = u"backup %1 → %2 (%3)"_s.arg(entry.id).arg(finalPath, toString(entry.verification)),
                                  .outcome = entry.verification == VerifyState::Failed ? entry.verifyDetail : u"ok"_s});
        if (entry.verification == VerifyState::Failed)
            throw Exception(ErrorCode::OperationFailed,
                            u"backup %1 was written but failed verification: %2"_s.arg(entry.id).arg(entry.verifyDetail));
        if (request.applyRetention)
        {
            entry.removedByRetention = catalog.applyRetention(request.profile.name);
            if (!entry.removedByRetention.isEmpty())
                jc.log(u"retention moved %1 older backup(s) to the trash (%2)"_s.arg(entry.removedByRetention.size())
                           .arg(BackupCatalog::trashDir()));
        }
        jc.progress(1, 1, u"backup %1 verified"_s.arg(entry.id));
        return entry;
    }

    BackupEntry BackupService::verify(qint64 id, JobContext &jc, const QString &toolsDir)
    {
        BackupCatalog catalog(m_store);
        BackupEntry entry = catalog.get(id);
        auto tools = locatePgTools(majorOf(entry.pgDumpVersion), toolsDir);
        if (!tools)
            throw Exception(tools.error());
        verifyInto(entry, *tools, u"SHA-256 matches; "_s, jc, [&] {
            if (!QFileInfo::exists(entry.path))
                throw Exception(ErrorCode::BadInput, u"the archive %1 is missing"_s.arg(entry.path));
            jc.progress(0, 2, u"checking SHA-256"_s);
            const QString sha = archive::sha256(entry.path, jc.token());
            if (sha != entry.sha256)
                throw Exception(ErrorCode::BadInput, u"the archive %1 does not match its SHA-256 in the catalog (it is corrupt, truncated "
                                                     u"or was changed): expected %2, found %3"_s.arg(entry.path, entry.sha256, sha));
            jc.progress(1, 2, u"reading the archive completely"_s);
        });
        catalog.update(entry);
        jc.progress(2, 2, toString(entry.verification));
        return entry;
    }

    BackupEntry BackupService::testRestore(qint64 id, JobContext &jc, const QString &toolsDir)
    {
        BackupCatalog catalog(m_store);
        BackupEntry entry = catalog.get(id);
        if (entry.verification != VerifyState::Verified || entry.rowCounts.isEmpty())
            entry = verify(id, jc, toolsDir);
        if (entry.verification != VerifyState::Verified)
            throw Exception(ErrorCode::BadInput, u"backup %1 failed verification: %2"_s.arg(id).arg(entry.verifyDetail));
        jc.progress(0, 3, u"starting a throwaway sandbox"_s);
        Sandbox sandbox;
        if (auto started = sandbox.start(jc.token()); !started)
            throw Exception(started.error());
        auto tools = locatePgTools(std::max(sandbox.majorVersion(), majorOf(entry.pgDumpVersion)), toolsDir);
        if (!tools)
            throw Exception(tools.error());
        auto params = sandbox.createDatabase(u"test_restore"_s);
        if (!params)
            throw Exception(params.error());
        jc.progress(1, 3, u"restoring into the sandbox"_s);
        PgProcessSpec spec;
        spec.program = tools->pgRestore;
        spec.connection = *params;
        spec.args = {u"--no-owner"_s, u"--no-acl"_s, u"--exit-on-error"_s,
                     u"--jobs=%1"_s.arg(std::clamp(QThread::idealThreadCount(), 1, 4)), entry.path};
        runPgProcess(spec, jc.token());
        jc.progress(2, 3, u"comparing row counts"_s);
        auto conn = PgConnection::open(*params, {}, jc.token());
        const QMap<QString, qint64> restored = backupqueries::rowCounts(*conn, jc.token());
        QStringList diffs;
        for (auto it = entry.rowCounts.cbegin(); it != entry.rowCounts.cend(); ++it)
            if (restored.value(it.key(), -1) != it.value())
                diffs << u"%1: source %2, restored %3"_s.arg(it.key()).arg(it.value()).arg(restored.value(it.key(), -1));
        entry.testRestore = diffs.isEmpty() ? u"ok: %1 tables, row counts match"_s.arg(entry.rowCounts.size()) : diffs.join(u"; "_s);
        catalog.update(entry);
        jc.progress(3, 3, entry.testRestore);
        if (!diffs.isEmpty())
            throw Exception(ErrorCode::ProblemsFound, u"test restore of backup %1: row counts differ: %2"_s.arg(id).arg(entry.testRestore));
        return entry;
    }
}

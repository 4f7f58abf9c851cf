#include "app/cli/common.h"

#include "core/backup/backupcatalog.h"
#include "core/backup/backupservice.h"
#include "core/backup/premigrationbackup.h"
#include "core/backup/restoreservice.h"
#include "core/backup/toollocator.h"
#include "core/connect/connector.h"
#include "core/jobs/job.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"

#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        /// The catalog key of a target: the profile's name, or "user@host:port/db" for --db/DATABASE_URL.
        ConnectionProfile catalogProfile(ConnectionProfile profile)
        {
            profile.name = catalogName(profile); // the same key the pre-change rule looks up
            return profile;
        }

        Expected<ConnectionProfile> postgresTarget(const QCommandLineParser &parser, Context &ctx)
        {
            auto profile = resolveTarget(parser, ctx);
            if (!profile)
                return profile;
            if (profile->isSqlite())
                return fail(ErrorCode::BadInput, u"backups use pg_dump; '%1' is a SQLite file (copy the file instead)"_s.arg(profile->targetDescription()));
            return catalogProfile(*profile);
        }

        QString age(const QDateTime &t)
        {
            const qint64 s = t.secsTo(QDateTime::currentDateTimeUtc());
            if (s < 3600)
                return u"%1 min"_s.arg(s / 60);
            if (s < 86400 * 2)
                return u"%1 h"_s.arg(s / 3600);
            return u"%1 d"_s.arg(s / 86400);
        }

        void printEntry(const BackupEntry &e)
        {
            out() << "backup " << e.id << " of " << e.database << " (" << e.profile << "): " << toString(e.verification) << "\n"
                  << "  file     " << e.path << " (" << formatBytes(e.size) << ", " << e.format << ")\n"
                  << "  sha256   " << e.sha256 << "\n"
                  << "  versions server " << e.serverVersion << ", pg_dump " << e.pgDumpVersion << ", schema "
                  << (e.schemaVersion.isEmpty() ? u"none"_s : e.schemaVersion) << "\n"
                  << "  took     " << formatDuration(e.durationMs) << "\n";
            if (!e.verifyDetail.isEmpty())
                out() << "  verify   " << e.verifyDetail << "\n";
            if (!e.testRestore.isEmpty())
                out() << "  test     " << e.testRestore << "\n";
            out().flush();
        }

        Expected<qint64> parseId(const QString &text)
        {
            bool ok = false;
            const qint64 id = text.toLongLong(&ok);
            if (!ok || id <= 0)
                return fail(ErrorCode::Usage, u"'%1' is not a backup id (dbops backups lists them)"_s.arg(text));
            return id;
        }

        int listBackups(Context &ctx, const QCommandLineParser &parser)
        {
            const QString profile = parser.value(u"profile"_s);
            auto entries = catchErrors([&] { return BackupCatalog(*ctx.store).list(profile); });
            if (!entries)
                return report(entries.error());
            if (parser.isSet(u"json"_s))
            {
                QJsonArray a;
                for (const BackupEntry &e : *entries)
                    a.append(e.toJson());
                printJson(QJsonDocument(QJsonObject{{u"backups"_s, a}}));
                return 0;
            }
            if (entries->isEmpty())
            {
                out() << "No backups in the catalog. Take one with: dbops backup --profile NAME" << Qt::endl;
                return 0;
            }
            out() << u"ID"_s.leftJustified(6) << u"PROFILE"_s.leftJustified(22) << u"DATABASE"_s.leftJustified(20) << u"SIZE"_s.leftJustified(10)
                  << u"AGE"_s.leftJustified(8) << u"SCHEMA"_s.leftJustified(16) << u"STATE"_s.leftJustified(12) << "LABEL\n";
            for (const BackupEntry &e : *entries)
                out() << QString::number(e.id).leftJustified(6) << e.profile.left(21).leftJustified(22) << e.database.left(19).leftJustified(20)
                      << formatBytes(e.size).leftJustified(10) << age(e.startedAt).leftJustified(8)
                      << (e.schemaVersion.isEmpty() ? u"-"_s : e.schemaVersion).left(15).leftJustified(16)
                      << toString(e.verification).leftJustified(12) << (e.label.isEmpty() ? e.kind : e.label) << "\n";
            out().flush();
            return 0;
        }

        int printResult(const QCommandLineParser &parser, const Expected<QVariant> &result)
        {
            if (!result)
                return report(result.error());
            const BackupEntry e = result->value<BackupEntry>();
            if (parser.isSet(u"json"_s))
                printJson(QJsonDocument(e.toJson()));
            else
                printEntry(e);
            return e.verification == VerifyState::Verified ? 0 : 5;
        }
    }

    int cmdBackup(Context &ctx)
    {
        QCommandLineParser parser;
        addTargetOptions(parser);
        parser.addOptions({
            {u"format"_s, u"custom (one file, the default) or directory (needed for --jobs)."_s, u"format"_s, u"custom"_s},
            {u"jobs"_s, u"Parallel pg_dump workers (directory format)."_s, u"n"_s, u"1"_s},
            {u"label"_s, u"A free-text label for the catalog."_s, u"text"_s},
            {u"output"_s, u"The folder for the archive (default: the app data folder's backups/<profile>)."_s, u"dir"_s},
            {u"json"_s, u"Print the catalog entry as JSON: id, path, size, sha256, versions, verification."_s},
        });
        int code = 0;
        if (!parse(parser, ctx, u"A verified backup: pg_dump matching the server's version, written to a temporary name, fsynced, "
                                u"checksummed (SHA-256), renamed, then read back completely with pg_restore and recorded in the "
                                u"catalog. Retention of the profile applies afterwards."_s,
                   &code))
            return code;
        auto profile = postgresTarget(parser, ctx);
        if (!profile)
            return report(profile.error());
        bool ok = false;
        const int jobs = parser.value(u"jobs"_s).toInt(&ok);
        if (!ok || jobs < 1)
            return report(Error::make(ErrorCode::Usage, u"--jobs must be a whole number >= 1"_s));
        BackupRequest request;
        request.profile = *profile;
        request.format = parser.value(u"format"_s);
        request.jobs = jobs;
        request.label = parser.value(u"label"_s);
        request.outputDir = parser.isSet(u"output"_s) ? QFileInfo(parser.value(u"output"_s)).absoluteFilePath() : QString();
        request.toolsDir = configuredToolDir(ctx.store);
        // Asked like every command that connects: the password from --db, else the profile's, else
        // a prompt when the server asks for one.
        return printResult(parser, runWithPassword(ctx, request.profile, u"backup"_s, [&](const QString &password, JobContext &jc) {
                               request.connection = Connector(ctx.profiles).resolve(request.profile, password, jc.token());
                               return QVariant::fromValue(BackupService(*ctx.store).backup(request, jc));
                           }));
    }

    int cmdBackups(Context &ctx)
    {
        QCommandLineParser parser;
        parser.addPositionalArgument(u"action"_s, u"list (default), verify ID, test-restore ID, policy, tools"_s);
        parser.addOptions({
            {u"profile"_s, u"Only this profile's backups; for policy, the profile to set."_s, u"name"_s},
            {u"keep-last"_s, u"policy: keep the last N backups (0: no count rule)."_s, u"n"_s},
            {u"keep-days"_s, u"policy: keep backups younger than D days (0: no age rule)."_s, u"d"_s},
            {u"pre-migration"_s, u"policy: take a verified backup before every change (migrate, down, repair, baseline, adopt): "
                                 u"on (any environment) or off; by default production only."_s, u"on|off"_s},
            {u"fresh-minutes"_s, u"policy: reuse a verified backup taken after the last change and at most N minutes old "
                                 u"instead of a new one (default 15; 0: always a new one)."_s, u"n"_s},
            {u"set"_s, u"tools: pin the folder of pg_dump/pg_restore (empty: search installed versions)."_s, u"dir"_s},
            {u"json"_s, u"Print JSON on stdout."_s},
        });
        int code = 0;
        if (!parse(parser, ctx, u"The backup catalog: list it, verify an entry again (SHA-256 + a complete read), test-restore an "
                                u"entry into a throwaway sandbox comparing row counts, set a profile's retention and "
                                u"pre-migration policy, or pin the pg_dump folder."_s,
                   &code, 2))
            return code;
        const QStringList pos = parser.positionalArguments();
        const QString action = pos.value(0, u"list"_s);
        if (pos.size() > 1 && action != u"verify"_s && action != u"test-restore"_s)
            return report(Error::make(ErrorCode::Usage, u"unexpected argument '%1': 'backups %2' takes no further arguments"_s.arg(pos[1], action)));
        if (action == u"list"_s)
            return listBackups(ctx, parser);
        if (action == u"verify"_s || action == u"test-restore"_s)
        {
            auto id = parseId(pos.value(1));
            if (!id)
                return report(id.error());
            const QString tools = configuredToolDir(ctx.store);
            const bool test = action == u"test-restore"_s;
            return printResult(parser, runJob(ctx, action, [&](JobContext &jc) {
                                   BackupService service(*ctx.store);
                                   return QVariant::fromValue(test ? service.testRestore(*id, jc, tools) : service.verify(*id, jc, tools));
                               }));
        }
        if (action == u"policy"_s)
        {
            if (!parser.isSet(u"profile"_s))
                return report(Error::make(ErrorCode::Usage, u"policy needs --profile NAME"_s));
            // Every value is checked before anything is written: a bad one is exit 2 and the
            // policy stays as it was.
            auto count = [&](const QString &option, int *into) -> std::optional<Error> {
                if (!parser.isSet(option))
                    return std::nullopt;
                bool ok = false;
                const QString text = parser.value(option);
                const int v = text.trimmed().toInt(&ok);
                if (!ok || v < 0)
                    return Error::make(ErrorCode::Usage, u"--%1 '%2' is not a whole number >= 0; the policy was not changed"_s.arg(option, text));
                *into = v;
                return std::nullopt;
            };
            int keepLast = -1;
            int keepDays = -1;
            int freshMinutes = -1;
            for (auto [option, into] : {std::pair{u"keep-last"_s, &keepLast}, std::pair{u"keep-days"_s, &keepDays},
                                        std::pair{u"fresh-minutes"_s, &freshMinutes}})
                if (auto bad = count(option, into))
                    return report(*bad);
            const QString pre = parser.value(u"pre-migration"_s);
            if (parser.isSet(u"pre-migration"_s) && pre != u"on"_s && pre != u"off"_s)
                return report(Error::make(ErrorCode::Usage, u"--pre-migration '%1' is neither on nor off; the policy was not changed"_s.arg(pre)));
            const QString name = parser.value(u"profile"_s);
            auto saved = ctx.profiles->get(name);
            auto known = catchErrors([&] {
                return saved.has_value() || !BackupCatalog(*ctx.store).list(name).isEmpty(); // or a --db target's catalog key
            });
            if (!known)
                return report(known.error());
            if (!*known)
                return report(Error::make(ErrorCode::NotFound, u"there is no profile '%1' (dbops profiles list) and no backup catalogued under "
                                                               u"that name; the policy was not changed"_s.arg(name)));
            auto done = catchErrors([&] {
                BackupCatalog catalog(*ctx.store);
                BackupPolicy p = catalog.policy(name);
                if (keepLast >= 0)
                    p.keepLast = keepLast;
                if (keepDays >= 0)
                    p.keepDays = keepDays;
                if (freshMinutes >= 0)
                    p.freshMinutes = freshMinutes;
                if (parser.isSet(u"pre-migration"_s))
                {
                    p.preMigrationBackup = pre == u"on"_s;
                    p.preMigrationSet = pre == u"on"_s;
                }
                catalog.setPolicy(p);
                return p;
            });
            if (!done)
                return report(done.error());
            const bool production = saved && saved->isProduction();
            const bool onByDefault = done->preMigrationBackup && !done->preMigrationSet;
            const bool backupBeforeChange = done->preMigrationBackup && (done->preMigrationSet || production);
            out() << "policy of " << done->profile << ": keep last " << done->keepLast << ", keep days " << done->keepDays
                  << ", pre-change backup " << (backupBeforeChange ? "on" : "off")
                  << (onByDefault && !production ? " (the default outside production; --pre-migration on to take one)" : "")
                  << ", reuse a verified backup up to " << done->freshMinutes << " min old" << Qt::endl;
            return 0;
        }
        if (action == u"tools"_s)
        {
            if (parser.isSet(u"set"_s))
                if (auto r = catchErrors([&] { setConfiguredToolDir(*ctx.store, parser.value(u"set"_s)); }); !r)
                    return report(r.error());
            const QString dir = configuredToolDir(ctx.store);
            out() << "pg_dump folder: " << (dir.isEmpty() ? u"not pinned; the installed version matching each server is used"_s : dir) << Qt::endl;
            return 0;
        }
        return report(Error::make(ErrorCode::Usage, u"unknown action '%1': list, verify ID, test-restore ID, policy, tools"_s.arg(action)));
    }

    int cmdRestore(Context &ctx)
    {
        QCommandLineParser parser;
        addTargetOptions(parser);
        parser.addPositionalArgument(u"archive"_s, u"A catalog id or an archive file/directory."_s);
        parser.addOptions({
            {u"into"_s, u"Restore into this new database (the default way)."_s, u"newdb"_s},
            {u"replace"_s, u"Replace this existing database (a safety backup is taken first)."_s, u"dbname"_s},
            {u"confirm"_s, u"With --replace: the database name again."_s, u"dbname"_s},
            {u"terminate-sessions"_s, u"With --replace: end the other sessions of the database instead of refusing."_s},
            {u"jobs"_s, u"pg_restore --jobs (default: up to 4 by CPU count)."_s, u"n"_s},
            {u"json"_s, u"Print the outcome as JSON."_s},
        });
        int code = 0;
        if (!parse(parser, ctx, u"Restore a backup on the target's server. The archive is checked first (SHA-256 against the "
                                u"catalog, pg_restore --list); a corrupt one is refused and nothing is touched."_s,
                   &code, 1))
            return code;
        const QStringList pos = parser.positionalArguments();
        if (pos.size() != 1)
            return report(Error::make(ErrorCode::Usage, u"give one archive: a catalog id or a path"_s));
        auto profile = postgresTarget(parser, ctx);
        if (!profile)
            return report(profile.error());
        RestoreRequest request;
        bool isId = false;
        request.backupId = pos[0].toLongLong(&isId);
        if (!isId || QFileInfo::exists(pos[0]))
        {
            request.backupId = 0;
            request.archivePath = pos[0];
        }
        request.profile = *profile;
        request.newDatabase = parser.value(u"into"_s);
        request.replaceDatabase = parser.value(u"replace"_s);
        request.confirm = parser.value(u"confirm"_s);
        request.terminateSessions = parser.isSet(u"terminate-sessions"_s);
        request.jobs = parser.value(u"jobs"_s).toInt();
        request.toolsDir = configuredToolDir(ctx.store);
        if (!request.replaceDatabase.isEmpty() && !parser.isSet(u"confirm"_s)
            && confirmTyped(u"This replaces the database %1 (a safety backup is taken first)."_s.arg(request.replaceDatabase),
                            request.replaceDatabase))
            request.confirm = request.replaceDatabase;
        auto result = runWithPassword(ctx, request.profile, u"restore"_s, [&](const QString &password, JobContext &jc) {
            request.connection = Connector(ctx.profiles).resolve(request.profile, password, jc.token());
            return QVariant(RestoreService(*ctx.store).restore(request, jc).toJson());
        });
        if (!result)
            return report(result.error());
        const QJsonObject o = result->toJsonObject();
        if (parser.isSet(u"json"_s))
            printJson(QJsonDocument(o));
        else
        {
            out() << "restored into " << o.value(u"database"_s).toString() << " (" << o.value(u"mode"_s).toString() << "); "
                  << o.value(u"tables_checked"_s).toInt() << " tables' row counts match the archive";
            if (o.value(u"safety_backup_id"_s).toInteger() > 0)
                out() << "; safety backup " << o.value(u"safety_backup_id"_s).toInteger();
            out() << Qt::endl;
        }
        return 0;
    }
}

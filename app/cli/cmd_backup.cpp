#include "app/cli/commands.h"

#include "core/backup/backupcatalog.h"
#include "core/backup/premigrationbackup.h"
#include "core/backup/toollocator.h"
#include "core/jobs/job.h"
#include "core/ops/backupops.h"
#include "core/store/profilestore.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        /// The target of a backup or restore; its name is the catalog key: the profile's name, or
        /// "user@host:port/db" for --db/DATABASE_URL (the key the pre-change rule looks up).
        Expected<ops::Target> backupTarget(const Values &values, Context &ctx)
        {
            auto profile = resolveTarget(values, ctx);
            if (!profile)
                return std::unexpected(profile.error());
            if (profile->isSqlite())
                return fail(ErrorCode::BadInput,
                            u"backups use pg_dump; '%1' is a SQLite file (copy the file instead)"_s.arg(profile->targetDescription()));
            ops::Target target{*profile, {}, ctx.store, ctx.profiles};
            target.profile.name = catalogName(*profile);
            return target;
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

        QString entryText(const BackupEntry &e)
        {
            QString text = u"backup %1 of %2 (%3): %4\n"_s.arg(e.id).arg(e.database, e.profile, toString(e.verification))
                           + u"  file     %1 (%2, %3)\n"_s.arg(e.path, formatBytes(e.size), e.format) + u"  sha256   %1\n"_s.arg(e.sha256)
                           + u"  versions server %1, pg_dump %2, schema %3\n"_s.arg(e.serverVersion, e.pgDumpVersion,
                                                                                    e.schemaVersion.isEmpty() ? u"none"_s : e.schemaVersion)
                           + u"  took     %1\n"_s.arg(formatDuration(e.durationMs));
            if (!e.verifyDetail.isEmpty())
                text += u"  verify   %1\n"_s.arg(e.verifyDetail);
            if (!e.testRestore.isEmpty())
                text += u"  test     %1\n"_s.arg(e.testRestore);
            return text;
        }

        /// A backup, verify or test-restore: the entry when there is one (exit 5 unless verified),
        /// else the error.
        Output entryOutput(const JobOutcome<BackupEntry> &outcome)
        {
            if (!outcome.value)
                return Output::failure(*outcome.error);
            const BackupEntry &e = *outcome.value;
            return Output::document(e.toJson(), entryText(e), e.verification == VerifyState::Verified ? 0 : 5);
        }

        QJsonArray trashJson(const QList<TrashedBackup> &trashed)
        {
            QJsonArray a;
            for (const TrashedBackup &t : trashed)
                a.append(t.toJson());
            return a;
        }

        /// What retention moved and where (dbops backups untrash ID puts one back).
        QString removedText(const QList<TrashedBackup> &removed)
        {
            QString text = u"retention moved %1 backup(s) to the trash:\n"_s.arg(removed.size());
            for (const TrashedBackup &t : removed)
                text += u"  %1 → %2\n"_s.arg(ops::describeBackup(t.entry),
                                             t.trashPath.isEmpty() ? u"(its file was already gone)"_s : t.trashPath);
            return text + u"  put one back with: dbops backups untrash ID\n"_s;
        }

        Output backup(Invocation &in)
        {
            auto target = backupTarget(in.values, in.ctx);
            if (!target)
                return Output::failure(target.error());
            BackupRequest request;
            request.format = in.values.text(u"format"_s, u"custom"_s);
            request.jobs = int(in.values.integer(u"jobs"_s, 1));
            request.label = in.values.text(u"label"_s);
            request.outputDir = in.values.isSet(u"output"_s) ? QFileInfo(in.values.text(u"output"_s)).absoluteFilePath() : QString();
            const ops::Target t = *target;
            const auto outcome =
                runWithPassword<ops::BackupRun>(in.ctx, t.profile, u"backup"_s, [t, request](const QString &password, JobContext &jc) {
                    ops::Target withPassword = t;
                    withPassword.password = password;
                    return ops::backupNow(withPassword, request, jc);
                });
            if (!outcome.value)
                return Output::failure(*outcome.error);
            const BackupEntry &e = outcome.value->entry;
            QJsonObject json = e.toJson();
            QString text = entryText(e);
            if (!outcome.value->removed.isEmpty())
            {
                json.insert(u"retention_removed"_s, trashJson(outcome.value->removed));
                text += removedText(outcome.value->removed);
            }
            return Output::document(json, text, e.verification == VerifyState::Verified ? 0 : 5);
        }

        QString listText(const QList<BackupEntry> &entries)
        {
            if (entries.isEmpty())
                return u"No backups in the catalog. Take one with: dbops backup --profile NAME\n"_s;
            QString text = u"ID"_s.leftJustified(6) + u"PROFILE"_s.leftJustified(22) + u"DATABASE"_s.leftJustified(20)
                           + u"SIZE"_s.leftJustified(10) + u"AGE"_s.leftJustified(8) + u"SCHEMA"_s.leftJustified(16)
                           + u"STATE"_s.leftJustified(12) + u"LABEL\n"_s;
            for (const BackupEntry &e : entries)
                text += QString::number(e.id).leftJustified(6) + e.profile.left(21).leftJustified(22)
                        + e.database.left(19).leftJustified(20) + formatBytes(e.size).leftJustified(10) + age(e.startedAt).leftJustified(8)
                        + (e.schemaVersion.isEmpty() ? u"-"_s : e.schemaVersion).left(15).leftJustified(16)
                        + toString(e.verification).leftJustified(12) + (e.label.isEmpty() ? e.kind : e.label) + u'\n';
            return text;
        }

        Output list(Invocation &in)
        {
            const QString profile = in.values.text(u"profile"_s);
            auto entries = catchErrors([&] { return BackupCatalog(*in.ctx.store).list(profile); });
            if (!entries)
                return Output::failure(entries.error());
            QJsonArray a;
            for (const BackupEntry &e : *entries)
                a.append(e.toJson());
            return Output::document(QJsonObject{{u"backups"_s, a}}, listText(*entries));
        }

        Output check(Invocation &in, bool testRestore)
        {
            const qint64 id = in.values.argInteger(u"ID"_s);
            Store *store = in.ctx.store;
            return entryOutput(runTyped(
                in.ctx, makeJob<BackupEntry>(testRestore ? u"test-restore"_s : u"verify"_s, [store, id, testRestore](JobContext &jc) {
                    return testRestore ? ops::testRestore(*store, id, jc) : ops::verify(*store, id, jc);
                })));
        }

        Output policy(Invocation &in)
        {
            const Values &v = in.values;
            ops::BackupPolicyChange change;
            change.profile = v.text(u"profile"_s);
            for (auto [option, field] : {std::pair{u"keep-last"_s, &change.keepLast}, std::pair{u"keep-days"_s, &change.keepDays},
                                         std::pair{u"fresh-minutes"_s, &change.freshMinutes}})
                if (v.isSet(option))
                    *field = int(v.integer(option));
            if (v.isSet(u"pre-migration"_s))
                change.preChangeBackup = v.text(u"pre-migration"_s) == u"on"_s;
            // What the new retention removes now, as the run computes it; removing needs a yes.
            auto preview = catchErrors([&] { return ops::retentionPreview(*in.ctx.store, in.ctx.profiles, change); });
            if (!preview)
                return Output::failure(preview.error());
            if (!preview->victims.isEmpty())
            {
                err() << preview->text << Qt::endl;
                if (!v.isSet(u"yes"_s) && !confirm(u"Move them to the trash and save the new retention?"_s))
                    return Output::failure(Error::make(
                        ErrorCode::Usage, u"not confirmed (use --yes in scripts); the policy was not changed and nothing was removed"_s));
                change.acceptRemovals = preview->ids();
            }
            auto view = catchErrors([&] { return ops::setPolicy(*in.ctx.store, in.ctx.profiles, change); });
            if (!view)
                return Output::failure(view.error());
            const BackupPolicy &p = view->policy;
            const QJsonObject json{{u"profile"_s, p.profile},
                                   {u"keep_last"_s, p.keepLast},
                                   {u"keep_days"_s, p.keepDays},
                                   {u"fresh_minutes"_s, p.freshMinutes},
                                   {u"pre_change_backup"_s, view->preChangeBackupOn},
                                   {u"production"_s, view->production},
                                   {u"retention_removed"_s, trashJson(view->removed)}};
            return Output::document(json, view->text + u'\n' + (view->removed.isEmpty() ? QString() : removedText(view->removed)));
        }

        /// The target a catalog entry belongs to (its saved profile, else its catalog key).
        ops::Target entryTarget(Context &ctx, const QString &profile)
        {
            ops::Target t{{}, {}, ctx.store, ctx.profiles};
            t.profile.name = profile;
            if (ctx.profiles)
                if (auto saved = ctx.profiles->get(profile))
                    t.profile = *saved;
            return t;
        }

        Output removeEntry(Invocation &in)
        {
            const qint64 id = in.values.argInteger(u"ID"_s);
            auto entry = catchErrors([&] { return BackupCatalog(*in.ctx.store).get(id); });
            if (!entry)
                return Output::failure(entry.error());
            err() << "Move backup " << ops::describeBackup(*entry) << " of " << entry->profile << " (" << entry->path
                  << ") to the trash and remove it from the catalog (dbops backups untrash " << id << " puts it back)." << Qt::endl;
            if (!in.values.isSet(u"yes"_s) && !confirm(u"Move it?"_s))
                return Output::failure(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); nothing was removed"_s));
            const ops::Target t = entryTarget(in.ctx, entry->profile);
            const auto outcome = runTyped(in.ctx, makeJob<bool>(u"delete backup"_s, [t, id](JobContext &jc) {
                                              ops::removeBackup(t, id, jc);
                                              return true;
                                          }));
            if (outcome.error)
                return Output::failure(*outcome.error);
            auto trashed = catchErrors([&] { return BackupCatalog(*in.ctx.store).trashed({}, {id}); });
            const QString where = trashed && !trashed->isEmpty() ? trashed->first().trashPath : QString();
            return Output::document(
                QJsonObject{{u"id"_s, id}, {u"trash_path"_s, where}},
                u"backup %1 moved to the trash: %2\n"_s.arg(id).arg(where.isEmpty() ? u"(its file was already gone)"_s : where));
        }

        QString trashText(const QList<TrashedBackup> &trashed)
        {
            if (trashed.isEmpty())
                return u"The trash is empty.\n"_s;
            QString text;
            for (const TrashedBackup &t : trashed)
                text += u"%1 of %2, %3 on %4: %5\n"_s.arg(ops::describeBackup(t.entry), t.entry.profile, t.reason,
                                                          t.trashedAt.toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s), t.trashPath);
            return text;
        }

        Output trash(Invocation &in)
        {
            auto trashed = catchErrors([&] { return BackupCatalog(*in.ctx.store).trashed(in.values.text(u"profile"_s)); });
            if (!trashed)
                return Output::failure(trashed.error());
            return Output::document(QJsonObject{{u"trash"_s, trashJson(*trashed)}}, trashText(*trashed));
        }

        Output untrash(Invocation &in)
        {
            const qint64 id = in.values.argInteger(u"ID"_s);
            auto trashed = catchErrors([&] { return BackupCatalog(*in.ctx.store).trashed({}, {id}); });
            if (!trashed)
                return Output::failure(trashed.error());
            const ops::Target t = entryTarget(in.ctx, trashed->isEmpty() ? QString() : trashed->first().entry.profile);
            auto back = catchErrors([&] { return ops::untrashBackup(t, id); });
            if (!back)
                return Output::failure(back.error());
            return Output::document(back->toJson(), u"backup %1 is back in the catalog: %2\n"_s.arg(id).arg(back->path));
        }

        Output tools(Invocation &in)
        {
            if (in.values.isSet(u"set"_s))
                if (auto r = catchErrors([&] { setConfiguredToolDir(*in.ctx.store, in.values.text(u"set"_s)); }); !r)
                    return Output::failure(r.error());
            const QString dir = configuredToolDir(in.ctx.store);
            return Output::document(QJsonObject{{u"tools_dir"_s, dir}},
                                    u"pg_dump folder: "_s
                                        + (dir.isEmpty() ? u"not pinned; the installed version matching each server is used"_s : dir)
                                        + u'\n');
        }

        /// What was typed to confirm replacing a database: --confirm, else the terminal prompt.
        ops::Confirmation restoreConfirmation(const Values &v, const RestoreRequest &request)
        {
            if (request.replaceDatabase.isEmpty())
                return {};
            if (v.isSet(u"confirm"_s))
                return {v.text(u"confirm"_s)};
            const QString word = ops::restoreConfirmationWord(request);
            return {confirmTyped(u"This replaces the database %1 (a safety backup is taken first)."_s.arg(request.replaceDatabase), word)
                        ? word
                        : QString()};
        }

        QString restoreText(const RestoreResult &r)
        {
            QString text = u"restored into %2 (%3); %1 tables' row counts match the archive"_s.arg(r.tablesChecked).arg(r.database, r.mode);
            if (r.safetyBackupId > 0)
                text += u"; safety backup %1"_s.arg(r.safetyBackupId);
            return text + u'\n';
        }

        Output restore(Invocation &in)
        {
            const Values &v = in.values;
            auto target = backupTarget(v, in.ctx);
            if (!target)
                return Output::failure(target.error());
            RestoreRequest request;
            const QString archive = v.arg(u"ARCHIVE"_s);
            bool isId = false;
            request.backupId = archive.toLongLong(&isId);
            if (!isId || QFileInfo::exists(archive))
            {
                request.backupId = 0;
                request.archivePath = archive;
            }
            request.newDatabase = v.text(u"into"_s);
            request.replaceDatabase = v.text(u"replace"_s);
            request.terminateSessions = v.isSet(u"terminate-sessions"_s);
            request.jobs = int(v.integer(u"jobs"_s, 0));
            const ops::Confirmation confirmation = restoreConfirmation(v, request);
            const ops::Target t = *target;
            auto outcome = runWithPassword<RestoreResult>(in.ctx, t.profile, u"restore"_s,
                                                          [t, request, confirmation](const QString &password, JobContext &jc) {
                                                              ops::Target withPassword = t;
                                                              withPassword.password = password;
                                                              return ops::restore(withPassword, request, confirmation, jc);
                                                          });
            if (!outcome.ok())
                return Output::failure(*outcome.error);
            return Output::document(outcome.value->toJson(), restoreText(*outcome.value));
        }
    }

    CommandSpec backupCommand()
    {
        OptionSpec format{u"format"_s, ValueType::Choice, u"format"_s,
                          u"custom (one file, the default) or directory (needed for --jobs)."_s};
        format.choices = {u"custom"_s, u"directory"_s};
        OptionSpec jobs{u"jobs"_s, ValueType::Integer, u"n"_s, u"Parallel pg_dump workers (directory format)."_s};
        jobs.min = 1;
        OptionSpec label{u"label"_s, ValueType::String, u"text"_s, u"A free-text label for the catalog."_s};
        label.allowEmpty = true;
        return {u"backup"_s,
                u"A verified backup (pg_dump of the server's version) [--format custom|directory] [--jobs N] [--label T]"_s,
                u"A verified backup: pg_dump matching the server's version, written to a temporary name, fsynced, checksummed (SHA-256), "
                u"renamed, then read back completely with pg_restore and recorded in the catalog. Retention of the profile applies "
                u"afterwards: what it moves to the trash is printed (never a test-restored backup nor the newest verified one)."_s,
                {},
                targetOptions()
                    + QList<OptionSpec>{format,
                                        jobs,
                                        label,
                                        {u"output"_s, ValueType::Path, u"dir"_s,
                                         u"The folder for the archive (default: the app data folder's backups/<profile>)."_s},
                                        jsonOption(u"Print the catalog entry as JSON: id, path, size, sha256, versions, verification."_s)},
                {targetExclusion()},
                {},
                {},
                &backup};
    }

    CommandGroup backupsCommands()
    {
        ArgumentSpec id{u"ID"_s, ValueType::Integer, u"A backup id (dbops backups lists them)."_s};
        id.min = 1;
        id.what = u"backup id"_s;
        const auto count = [](const QString &name, const QString &value, const QString &help) {
            return OptionSpec{name, ValueType::Integer, value, help};
        };
        OptionSpec profile{u"profile"_s, ValueType::String, u"name"_s, u"The profile (or --db catalog key) whose policy to show or set."_s,
                           Arity::Required};
        OptionSpec pre{u"pre-migration"_s, ValueType::Choice, u"on|off"_s,
                       u"Take a verified backup before every change (migrate, down, repair, baseline, adopt): on (any environment) or "
                       u"off; by default production only."_s};
        pre.choices = {u"on"_s, u"off"_s};
        OptionSpec set{u"set"_s, ValueType::String, u"dir"_s,
                       u"Pin the folder of pg_dump/pg_restore (empty: search installed versions)."_s};
        set.allowEmpty = true;
        const auto checkSpec = [&](bool test) {
            return CommandSpec{test ? u"backups test-restore"_s : u"backups verify"_s,
                               test ? u"Test-restore an entry into a throwaway sandbox"_s : u"Verify an entry again"_s,
                               test ? u"Restore a catalog entry into a throwaway sandbox and compare its row counts with the archive's."_s
                                    : u"Verify a catalog entry again: SHA-256 against the catalog, then a complete read with pg_restore."_s,
                               {id},
                               {jsonOption()},
                               {},
                               {},
                               {},
                               [test](Invocation &in) { return check(in, test); }};
        };
        return {u"backups"_s,
                u"The backup catalog: list, verify ID, test-restore ID, remove ID, trash, untrash ID, policy, tools"_s,
                u"list"_s,
                {
                    {u"backups list"_s,
                     u"The catalog"_s,
                     u"The backup catalog, newest first."_s,
                     {},
                     {{u"profile"_s, ValueType::String, u"name"_s, u"Only this profile's backups."_s}, jsonOption()},
                     {},
                     {},
                     {},
                     &list},
                    checkSpec(false),
                    checkSpec(true),
                    {u"backups policy"_s,
                     u"A profile's retention and pre-change policy"_s,
                     u"Show or set a profile's retention and pre-migration policy. Every value is checked before anything is written: a "
                     u"bad one is exit 2 and the policy stays as it was."_s,
                     {},
                     {profile,
                      count(u"keep-last"_s, u"n"_s, u"Keep the last N backups (0: no count rule)."_s),
                      count(u"keep-days"_s, u"d"_s, u"Keep backups younger than D days (0: no age rule)."_s),
                      pre,
                      count(u"fresh-minutes"_s, u"n"_s,
                            u"Reuse a verified backup taken after the last change and at most N minutes old instead of a new one "
                            u"(default 15; 0: always a new one)."_s),
                      {u"yes"_s, ValueType::Flag, {}, u"Move what the new retention removes now to the trash without asking (scripts)."_s},
                      jsonOption()},
                     {},
                     {},
                     {},
                     &policy},
                    {u"backups remove"_s,
                     u"Move a backup to the trash: remove ID [--yes]"_s,
                     u"Move a catalog entry's archive to dbops's trash and remove it from the catalog, after a confirmation (--yes in "
                     u"scripts). dbops backups untrash ID puts it back."_s,
                     {id},
                     {{u"yes"_s, ValueType::Flag, {}, u"Do not ask for confirmation (scripts)."_s}, jsonOption()},
                     {},
                     {},
                     {},
                     &removeEntry},
                    {u"backups trash"_s,
                     u"The backups retention and remove moved to the trash"_s,
                     u"The trash: each backup retention or a remove took out of the catalog, why, when and where its archive is."_s,
                     {},
                     {{u"profile"_s, ValueType::String, u"name"_s, u"Only this profile's."_s}, jsonOption()},
                     {},
                     {},
                     {},
                     &trash},
                    {u"backups untrash"_s,
                     u"Put a trashed backup back: untrash ID"_s,
                     u"Move a trashed backup's archive back to where it was and its entry (same id) back into the catalog."_s,
                     {id},
                     {jsonOption()},
                     {},
                     {},
                     {},
                     &untrash},
                    {u"backups tools"_s,
                     u"The pg_dump folder"_s,
                     u"Show, or pin with --set, the folder of pg_dump/pg_restore."_s,
                     {},
                     {set, jsonOption()},
                     {},
                     {},
                     {},
                     &tools},
                }};
    }

    CommandSpec restoreCommand()
    {
        OptionSpec jobs{u"jobs"_s, ValueType::Integer, u"n"_s, u"pg_restore --jobs (default: up to 4 by CPU count)."_s};
        jobs.min = 1;
        return {u"restore"_s,
                u"Restore ID|PATH --into NEWDB, or --replace DBNAME --confirm DBNAME"_s,
                u"Restore a backup on the target's server. The archive is checked first (SHA-256 against the catalog, pg_restore "
                u"--list); a corrupt one is refused and nothing is touched."_s,
                {{u"ARCHIVE"_s, ValueType::String, u"A catalog id or an archive file/directory."_s}},
                targetOptions() + QList<OptionSpec>{
                                      {u"into"_s, ValueType::String, u"newdb"_s, u"Restore into this new database (the default way)."_s},
                                      {u"replace"_s, ValueType::String, u"dbname"_s, u"Replace this existing database (a safety backup is taken first)."_s},
                                      {u"confirm"_s, ValueType::String, u"dbname"_s, u"With --replace: the database name again."_s},
                                      {u"terminate-sessions"_s, ValueType::Flag, {}, u"With --replace: end the other sessions of the database instead of refusing."_s},
                                      jobs,
                                      jsonOption(u"Print the outcome as JSON."_s),
                                  },
                {targetExclusion(), {u"into"_s, u"replace"_s}},
                {{u"confirm"_s, u"replace"_s}, {u"terminate-sessions"_s, u"replace"_s}},
                {},
                &restore};
    }
}

// dbops diff and dbops snapshot (issue 13): the faces of ops::diffSchemas and ops::takeSnapshot.
#include "app/cli/commands.h"

#include "core/jobs/job.h"
#include "core/migrate/nextmigration.h"
#include "core/ops/schemaapply.h"
#include "core/ops/schemaops.h"
#include "core/store/profilestore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        Expected<QList<ConnectionProfile>> savedProfiles(Context &ctx)
        {
            if (!ctx.profiles)
                return QList<ConnectionProfile>{};
            return ctx.profiles->list();
        }

        /// Writes `content` to `path` (0600, written beside and renamed).
        Expected<void> writePrivate(const QString &path, const QByteArray &content, const QString &what)
        {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return fail(ErrorCode::BadInput,
                            u"--out %1: cannot write the %2: %3"_s.arg(QDir::toNativeSeparators(path), what, file.errorString()));
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            file.write(content);
            if (!file.commit())
                return fail(ErrorCode::Io,
                            u"--out %1: cannot write the %2: %3"_s.arg(QDir::toNativeSeparators(path), what, file.errorString()));
            return {};
        }

        /// --out FILE: its folder must exist (checked before anything connects).
        std::optional<Error> checkOut(const Values &values)
        {
            if (!values.isSet(u"out"_s))
                return std::nullopt;
            const QFileInfo out(values.text(u"out"_s));
            if (out.isDir())
                return Error::make(ErrorCode::BadInput, u"--out %1 is a folder; give a file name"_s.arg(values.text(u"out"_s)));
            if (!out.absoluteDir().exists())
                return Error::make(ErrorCode::BadInput, u"--out %1: the folder %2 does not exist"_s.arg(
                                                            values.text(u"out"_s), QDir::toNativeSeparators(out.absolutePath())));
            return std::nullopt;
        }

        /// --apply: show what will run, confirm (typed on production), apply with ops::applySchemaScript,
        /// then read both sides again and say whether any difference is left.
        Output applyDiff(Invocation &in, const ops::DiffRequest &request, const ops::DiffOutcome &d, QJsonObject json, const QString &shown)
        {
            const Values &v = in.values;
            if (d.diff.isEmpty())
                return Output::document(json, shown + u"nothing to apply: %1 already matches %2\n"_s.arg(d.fromLabel, d.toLabel), 0);
            const ConnectionProfile &profile = request.from.profile;
            out() << shown << u"\nthe SQL that will run on %1:\n"_s.arg(d.fromLabel) << d.script() << Qt::endl;
            ops::SchemaApplyRequest apply;
            apply.target = {profile, request.from.password, in.ctx.store, in.ctx.profiles};
            apply.targetLabel = d.fromLabel;
            apply.script = d.script();
            apply.plan = d.plan;
            apply.comparedWith = d.toLabel;
            if (ops::needsTypedConfirmation(profile))
                apply.confirmation = typedConfirmation(profile, u"apply the diff SQL"_s,
                                                       v.isSet(u"confirm"_s) ? std::optional(v.text(u"confirm"_s)) : std::nullopt);
            else if (!v.flag(u"yes"_s)
                     && !confirm(u"Apply %1 statement(s) to %2?"_s.arg(d.plan ? d.plan->statements().size() : 0).arg(d.fromLabel)))
                return Output::failure(Error::make(ErrorCode::Usage, u"not confirmed (use --yes in scripts); nothing was changed"_s));
            const auto applied =
                runWithPassword<ops::SchemaApplyResult>(in.ctx, profile, u"diff apply"_s, [apply](const QString &password, JobContext &jc) {
                    ops::SchemaApplyRequest r = apply;
                    if (!password.isEmpty())
                        r.target.password = password;
                    return ops::applySchemaScript(r, jc);
                });
            const PreChangeOutcome &pre = *apply.preChange;
            if (pre.backupId > 0)
                err() << "verified backup " << pre.backupId << (pre.reused ? " reused" : " taken") << " before the change: " << pre.path
                      << " (" << pre.why << ")" << Qt::endl;
            if (applied.value)
                json.insert(u"apply"_s, applied.value->toJson());
            if (!applied.ok())
            {
                Output o = Output::failure(*applied.error);
                o.json = json;
                return o;
            }
            // Read both sides again: the proof that the drift is gone, or what is left.
            ops::DiffRequest again = request;
            again.sql = again.online = again.prove = again.data = false;
            const auto after =
                runTyped(in.ctx, makeJob<ops::DiffOutcome>(u"diff"_s, [again](JobContext &jc) { return ops::diffSchemas(again, jc); }));
            if (!after.value)
                return Output::failure(*after.error);
            json.insert(u"after"_s, after.value->toJson());
            QString text = applied.value->text() + u'\n';
            if (after.value->diff.isEmpty())
                text += u"no drift left: %1 now matches %2\n"_s.arg(d.fromLabel, d.toLabel);
            else
                text += u"%1 change(s) remain after the apply:\n"_s.arg(after.value->diff.changes.size()) + after.value->toText();
            return Output::document(json, text, after.value->diff.isEmpty() ? 0 : 1);
        }

        Output diff(Invocation &in)
        {
            const Values &v = in.values;
            auto profiles = savedProfiles(in.ctx);
            if (!profiles)
                return Output::failure(profiles.error());
            ops::DiffRequest request;
            auto from = schema::parseSide(v.text(u"from"_s), *profiles, u"--from"_s);
            if (!from)
                return Output::failure(from.error());
            auto to = schema::parseSide(v.text(u"to"_s), *profiles, u"--to"_s);
            if (!to)
                return Output::failure(to.error());
            request.from = *from;
            request.to = *to;
            request.sql = v.flag(u"sql"_s);
            request.online = v.flag(u"online"_s);
            request.prove = v.flag(u"prove"_s);
            request.data = v.flag(u"data"_s);
            request.store = in.ctx.store;
            request.profiles = in.ctx.profiles;
            request.options.schemas = v.all(u"schema"_s);
            request.options.excludeSchemas = v.all(u"exclude-schema"_s);
            for (const QString &item : v.all(u"ignore"_s).join(u',').split(u',', Qt::SkipEmptyParts))
            {
                const QString what = item.trimmed();
                if (what == u"owners"_s || what == u"owner"_s)
                    request.options.ignoreOwners = true;
                else if (what == u"grants"_s || what == u"grant"_s || what == u"privileges"_s)
                    request.options.ignoreGrants = true;
                else if (what == u"comments"_s || what == u"comment"_s)
                    request.options.ignoreComments = true;
                else
                    return Output::failure(
                        Error::make(ErrorCode::Usage, u"--ignore '%1': not one of owners, grants, comments"_s.arg(what)));
            }
            for (const QString &rename : v.all(u"rename"_s))
            {
                const qsizetype eq = rename.indexOf(u'=');
                if (eq <= 0 || eq == rename.size() - 1 || rename.mid(eq + 1).contains(u'.'))
                    return Output::failure(
                        Error::make(ErrorCode::Usage,
                                    u"--rename '%1': write schema.table.old=new (a column) or schema.old=new (a table)"_s.arg(rename)));
                request.options.renames << qMakePair(rename.left(eq), rename.mid(eq + 1));
            }
            if (request.sql && in.json)
                return Output::failure(
                    Error::make(ErrorCode::Usage, u"--sql and --json: choose one (the JSON document carries the SQL as \"script\")"_s));
            if (auto bad = checkOut(v))
                return Output::failure(*bad);
            const bool apply = v.flag(u"apply"_s);
            if (apply && request.from.kind != schema::Side::Kind::Postgres)
                return Output::failure(Error::make(ErrorCode::BadInput,
                                                   u"--apply changes --from, so --from must be a PostgreSQL database (a profile or a URL): "
                                                   u"%1 is not one"_s.arg(request.from.label())));
            QString reportPath;
            if (v.isSet(u"report"_s))
            {
                const QFileInfo report(v.text(u"report"_s));
                const QString suffix = report.suffix().toLower();
                if (suffix != u"md"_s && suffix != u"html"_s && suffix != u"htm"_s)
                    return Output::failure(
                        Error::make(ErrorCode::Usage, u"--report %1: name a .md (Markdown) or .html file"_s.arg(v.text(u"report"_s))));
                if (!report.absoluteDir().exists())
                    return Output::failure(Error::make(ErrorCode::BadInput, u"--report %1: the folder %2 does not exist"_s.arg(
                                                                                v.text(u"report"_s), report.absolutePath())));
                reportPath = report.absoluteFilePath();
            }
            QString migrationDir;
            if (v.isSet(u"save-migration"_s))
            {
                const QFileInfo dir(v.text(u"save-migration"_s));
                if (!dir.isDir())
                    return Output::failure(
                        Error::make(ErrorCode::BadInput, u"--save-migration %1 is not a folder"_s.arg(v.text(u"save-migration"_s))));
                migrationDir = dir.absoluteFilePath();
            }
            if (request.online || apply || !migrationDir.isEmpty())
                request.sql = true;

            const ops::DiffRequest r = request;
            const auto outcome =
                runTyped(in.ctx, makeJob<ops::DiffOutcome>(u"diff"_s, [r](JobContext &jc) { return ops::diffSchemas(r, jc); }));
            if (!outcome.value)
                return Output::failure(*outcome.error);
            const ops::DiffOutcome &d = *outcome.value;
            const int code = d.diff.isEmpty() ? 0 : 1;
            QJsonObject json = d.toJson();
            const bool printSql = v.flag(u"sql"_s) || (request.online && !apply && migrationDir.isEmpty());
            QString text = printSql ? d.script() : d.toText();
            QString notesAfter;
            if (!reportPath.isEmpty())
            {
                ops::DiffReportInput report;
                report.outcome = &d;
                report.script = d.script();
                report.comparedAt = QDateTime::currentDateTimeUtc();
                const bool html = !reportPath.endsWith(u".md"_s, Qt::CaseInsensitive);
                const QString content = html ? ops::diffReportHtml(report) : ops::diffReportMarkdown(report);
                QSaveFile file(reportPath);
                if (!file.open(QIODevice::WriteOnly) || file.write(content.toUtf8()) < 0 || !file.commit())
                    return Output::failure(
                        Error::make(ErrorCode::Io, u"--report %1: cannot write it: %2"_s.arg(reportPath, file.errorString())));
                notesAfter += u"wrote the report to %1\n"_s.arg(QDir::toNativeSeparators(reportPath));
                json.insert(u"report"_s, reportPath);
            }
            if (!migrationDir.isEmpty())
            {
                if (d.diff.isEmpty())
                    notesAfter += u"no changes: no migration written\n"_s;
                else
                {
                    auto written = writeNextMigration(migrationDir,
                                                      v.isSet(u"description"_s) ? v.text(u"description"_s) : u"drift repair"_s, d.script());
                    if (!written)
                        return Output::failure(written.error());
                    notesAfter +=
                        u"wrote the SQL as the next migration %1 (%2)\n"_s.arg(QDir::toNativeSeparators(written->path), written->why);
                    json.insert(
                        u"migration"_s,
                        QJsonObject{{u"path"_s, written->path}, {u"version"_s, written->version}, {u"convention"_s, written->convention}});
                }
            }
            if (apply)
                return applyDiff(in, request, d, json, text + notesAfter);
            text += notesAfter;
            if (v.isSet(u"out"_s))
            {
                const QString path = QFileInfo(v.text(u"out"_s)).absoluteFilePath();
                const QByteArray content = request.sql ? d.script().toUtf8() : QJsonDocument(json).toJson(QJsonDocument::Indented);
                if (auto written = writePrivate(path, content, request.sql ? u"SQL"_s : u"JSON"_s); !written)
                    return Output::failure(written.error());
                text = d.toText() + u"wrote the %1 to %2\n"_s.arg(request.sql ? u"SQL"_s : u"JSON"_s, QDir::toNativeSeparators(path));
            }
            Output o = Output::document(json, text, code);
            if (request.sql && !v.isSet(u"out"_s))
            {
                // stdout carries only the SQL; what a person reads goes to stderr.
                o.stderrAfter = d.diff.isEmpty() ? u"same: no changes\n"_s : u"summary: %1\n"_s.arg(d.diff.summary());
                if (d.proof)
                    o.stderrAfter += d.proof->text + u'\n';
                for (const ops::DataFinding &f : d.data)
                    o.stderrAfter += u"data: "_s + f.text() + u'\n';
            }
            return o;
        }

        Output snapshot(Invocation &in)
        {
            const Values &v = in.values;
            auto profiles = savedProfiles(in.ctx);
            if (!profiles)
                return Output::failure(profiles.error());
            auto side = schema::parseSide(v.text(u"db"_s), *profiles, u"--db"_s);
            if (!side)
                return Output::failure(side.error());
            if (side->kind == schema::Side::Kind::SnapshotFile)
                return Output::failure(Error::make(ErrorCode::BadInput, u"--db %1 is already a snapshot file"_s.arg(side->text)));
            if (auto bad = checkOut(v))
                return Output::failure(*bad);
            ops::SnapshotRequest request;
            request.side = *side;
            request.options.schemas = v.all(u"schema"_s);
            request.options.excludeSchemas = v.all(u"exclude-schema"_s);
            request.store = in.ctx.store;
            request.profiles = in.ctx.profiles;
            const ops::SnapshotRequest r = request;
            const auto outcome =
                runTyped(in.ctx, makeJob<schema::Snapshot>(u"snapshot"_s, [r](JobContext &jc) { return ops::takeSnapshot(r, jc); }));
            if (!outcome.value)
                return Output::failure(*outcome.error);
            const QString path = QFileInfo(v.text(u"out"_s)).absoluteFilePath();
            if (auto written = schema::writeSnapshotFile(*outcome.value, path); !written)
                return Output::failure(written.error());
            const QJsonObject json{{u"file"_s, path},
                                   {u"source"_s, outcome.value->source},
                                   {u"objects"_s, int(outcome.value->objects.size())},
                                   {u"not_compared"_s, int(outcome.value->notCompared.size())}};
            return Output::document(json, u"wrote a snapshot of %1 (%2 objects) to %3\n"_s.arg(side->label())
                                              .arg(outcome.value->objects.size())
                                              .arg(QDir::toNativeSeparators(path)));
        }

        QList<OptionSpec> filterOptions()
        {
            return {
                {u"schema"_s, ValueType::String, u"pattern"_s, u"Only schemas matching this pattern (* and ?); repeatable."_s,
                 Arity::Repeatable},
                {u"exclude-schema"_s, ValueType::String, u"pattern"_s, u"Leave out schemas matching this pattern; repeatable."_s,
                 Arity::Repeatable},
            };
        }
    }

    QList<CommandSpec> schemaCommands()
    {
        const QString sideHelp =
            u"a profile name, a PostgreSQL URL or keyword string, sqlite:PATH, migrations:DIR[@VERSION] or snapshot:PATH"_s;
        CommandSpec diffSpec{
            u"diff"_s,
            u"Compare two schemas (--from A --to B) and write the SQL that turns A into B"_s,
            u"Reads both sides at once, each in one consistent snapshot, and reports what turning --from into --to changes, with "
            u"the hazards of each change. Exit 0: the same; 1: they differ; 2: bad input; 3: a side cannot be reached. --sql "
            u"prints only the SQL (PostgreSQL; it applies with psql --single-transaction). Nothing on either side changes."_s,
            {},
            QList<OptionSpec>{
                {u"from"_s, ValueType::String, u"side"_s, u"The side as it is: "_s + sideHelp + u'.', Arity::Required},
                {u"to"_s, ValueType::String, u"side"_s, u"The side as it should be (same forms)."_s, Arity::Required},
                {u"sql"_s, ValueType::Flag, {}, u"Print only the SQL that turns --from into --to."_s},
                {u"online"_s, ValueType::Flag, {}, u"The lock-friendly plan, in steps (implies --sql)."_s},
                {u"rename"_s, ValueType::String, u"old=new"_s, u"Accept a rename: schema.table.old=new or schema.old=new; repeatable."_s,
                 Arity::Repeatable},
                {u"out"_s, ValueType::Path, u"file"_s, u"Write the SQL (with --sql) or the JSON document there (0600)."_s},
                {u"ignore"_s, ValueType::String, u"owners,grants,comments"_s, u"Leave these attributes out of the comparison."_s,
                 Arity::Repeatable},
                {u"prove"_s, ValueType::Flag, {}, u"Apply the SQL to a schema-only clone of --from in a sandbox and diff again."_s},
                {u"data"_s, ValueType::Flag, {}, u"Check the values stored in enum-like columns against the other side's labels."_s},
                {u"apply"_s,
                 ValueType::Flag,
                 {},
                 u"Apply the SQL to --from (one transaction; production: typed name and a verified backup first), then compare again."_s},
                {u"confirm"_s, ValueType::String, u"dbname"_s, u"With --apply on production: the database name, instead of typing it."_s},
                {u"yes"_s, ValueType::Flag, {}, u"With --apply: do not ask (not production: production always needs the name)."_s},
                {u"report"_s, ValueType::Path, u"file"_s, u"Write the comparison as a report: FILE.md (Markdown) or FILE.html."_s},
                {u"save-migration"_s, ValueType::Path, u"dir"_s,
                 u"Write the SQL as the next migration file of that folder, in its naming convention."_s},
                {u"description"_s, ValueType::String, u"text"_s,
                 u"With --save-migration: the file's description (default: drift repair)."_s},
                jsonOption(u"Print the change list as one JSON document."_s),
            } + filterOptions(),
            {{u"sql"_s, u"json"_s}, {u"sql"_s, u"apply"_s}},
            {{u"confirm"_s, u"apply"_s}, {u"yes"_s, u"apply"_s}, {u"description"_s, u"save-migration"_s}},
            {},
            &diff};
        CommandSpec snapshotSpec{
            u"snapshot"_s,
            u"Write a schema snapshot of --db to --out (read back with --from snapshot:FILE)"_s,
            u"Reads the schema of one side in one consistent snapshot and writes it as JSON (0600), so that \"production today "
            u"versus production at the last release\" is one dbops diff."_s,
            {},
            QList<OptionSpec>{
                {u"db"_s, ValueType::String, u"side"_s, u"What to read: "_s + sideHelp.left(sideHelp.lastIndexOf(u" or "_s)) + u'.',
                 Arity::Required},
                {u"out"_s, ValueType::Path, u"file"_s, u"The snapshot file to write."_s, Arity::Required},
                jsonOption(u"Print what was written as JSON."_s),
            } + filterOptions(),
            {},
            {},
            {},
            &snapshot};
        return {diffSpec, snapshotSpec};
    }
}

// dbops diff and dbops snapshot (issue 13): the faces of ops::diffSchemas and ops::takeSnapshot.
#include "app/cli/commands.h"

#include "core/jobs/job.h"
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
            if (request.online)
                request.sql = true;

            const ops::DiffRequest r = request;
            const auto outcome =
                runTyped(in.ctx, makeJob<ops::DiffOutcome>(u"diff"_s, [r](JobContext &jc) { return ops::diffSchemas(r, jc); }));
            if (!outcome.value)
                return Output::failure(*outcome.error);
            const ops::DiffOutcome &d = *outcome.value;
            const int code = d.diff.isEmpty() ? 0 : 1;
            const QJsonObject json = d.toJson();
            QString text = request.sql ? d.script() : d.toText();
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
                jsonOption(u"Print the change list as one JSON document."_s),
            } + filterOptions(),
            {{u"sql"_s, u"json"_s}},
            {},
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

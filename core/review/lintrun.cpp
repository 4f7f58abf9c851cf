#include "core/review/lintrun.h"

#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/migrate/migrationsource.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace dbops::review
{
    namespace
    {
        /// The scripts of one path, in the order they run: a migrations folder in version order
        /// (up scripts and repeatables), a folder of other .sql files by name, or one file.
        Expected<QList<MigrationScript>> scriptsOf(const QString &path)
        {
            const QFileInfo info(path);
            if (!info.exists())
                return fail(ErrorCode::BadInput, u"%1: no such file or folder"_s.arg(path));
            if (!info.isDir())
            {
                if (!path.endsWith(u".sql"_s, Qt::CaseInsensitive))
                    return fail(ErrorCode::BadInput, u"%1 is not a .sql file"_s.arg(path));
                auto script = loadScriptFile(path);
                if (!script)
                    return std::unexpected(script.error());
                return QList<MigrationScript>{*script};
            }
            auto set = loadMigrations(path);
            if (!set)
                return std::unexpected(set.error());
            QList<MigrationScript> out;
            for (const Migration &m : set->migrations)
                out << m.up;
            if (!out.isEmpty())
                return out;
            QStringList problems;
            for (const QFileInfo &f : QDir(path).entryInfoList({u"*.sql"_s, u"*.SQL"_s}, QDir::Files, QDir::Name))
            {
                auto script = loadScriptFile(f.filePath());
                if (script)
                    out << *script;
                else
                    problems << script.error().message;
            }
            if (!problems.isEmpty())
                return fail(ErrorCode::BadInput, problems.join(u"; "_s));
            if (out.isEmpty())
                return fail(ErrorCode::BadInput, u"%1 holds no .sql file"_s.arg(path));
            return out;
        }
    }

    QHash<QString, LintTableFacts> readTableFacts(PgConnection &conn, CancelToken *token)
    {
        const QueryResult r = conn.exec(u"SELECT n.nspname || '.' || c.relname AS name, pg_total_relation_size(c.oid) AS bytes, "
                                        "c.reltuples::bigint AS rows FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                        "WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                        "AND n.nspname NOT LIKE 'pg_toast%'"_s,
                                        {}, token);
        QHash<QString, LintTableFacts> facts;
        for (int i = 0; i < r.rowCount(); ++i)
            facts.insert(r.text(i, u"name"_s), {r.value(i, u"bytes"_s).toLongLong(), r.value(i, u"rows"_s).toLongLong()});
        return facts;
    }

    LintReport lintFiles(const LintRequest &request, JobContext &jc)
    {
        if (request.paths.isEmpty())
            throw Exception(ErrorCode::Usage, u"nothing to lint: give files or folders"_s);
        QList<MigrationScript> scripts;
        QStringList problems;
        for (const QString &p : request.paths)
        {
            auto got = scriptsOf(p);
            if (got)
                scripts << *got;
            else
                problems << got.error().message;
        }
        if (!problems.isEmpty())
            throw Exception(ErrorCode::BadInput, u"nothing linted: "_s + problems.join(u"; "_s));
        LintReport report;
        LintOptions options;
        options.runSetsLockTimeout = request.runSetsLockTimeout;
        options.runSetsStatementTimeout = request.runSetsStatementTimeout;
        if (request.target)
        {
            jc.progress(0, 0, u"reading the tables of %1"_s.arg(request.target->profile.name));
            const std::unique_ptr<PgConnection> conn = PgConnection::open(ops::resolve(*request.target, jc.token()), {}, jc.token());
            options.tables = readTableFacts(*conn, jc.token());
            report.target = request.target->profile.name;
            report.tablesRead = int(options.tables->size());
        }
        for (int i = 0; i < scripts.size(); ++i)
        {
            jc.throwIfCancelled();
            const MigrationScript &s = scripts[i];
            jc.progress(i, scripts.size(), s.fileName);
            options.inTransaction = !s.noTransaction;
            const LintResult r = lintScript({s.fileName, s.sql, s.statements}, options);
            report.files << s.path;
            report.findings << r.findings;
            if (request.target) // one plan: what an earlier file creates is new when a later one runs
                options.createdEarlier |= r.createdTables;
        }
        jc.setSummary(u"%1 file(s): %2 error(s), %3 warning(s), %4 info"_s.arg(report.files.size())
                          .arg(report.count(LintSeverity::Error))
                          .arg(report.count(LintSeverity::Warning))
                          .arg(report.count(LintSeverity::Info)));
        return report;
    }

    int LintReport::count(LintSeverity severity) const
    {
        int n = 0;
        for (const LintFinding &f : findings)
            n += f.severity == severity && !f.ignored();
        return n;
    }

    int LintReport::ignored() const
    {
        int n = 0;
        for (const LintFinding &f : findings)
            n += f.ignored();
        return n;
    }

    QJsonObject LintReport::toJson() const
    {
        QJsonArray list;
        for (const LintFinding &f : findings)
            list << f.toJson();
        return {{u"files"_s, QJsonArray::fromStringList(files)},
                {u"findings"_s, list},
                {u"errors"_s, count(LintSeverity::Error)},
                {u"warnings"_s, count(LintSeverity::Warning)},
                {u"infos"_s, count(LintSeverity::Info)},
                {u"ignored"_s, ignored()},
                {u"target"_s, target.isEmpty() ? QJsonValue() : QJsonValue(target)},
                {u"tables_read"_s, tablesRead}};
    }

    QString LintReport::toText() const
    {
        QStringList lines;
        for (const LintFinding &f : findings)
            lines << f.toText();
        lines << u"%1 file(s) linted%2: %3 error(s), %4 warning(s), %5 info, %6 ignored"_s.arg(files.size())
                     .arg(target.isEmpty() ? u" (no target: severities without live table sizes)"_s
                                           : u" against the %1 tables of %2"_s.arg(tablesRead).arg(target))
                     .arg(count(LintSeverity::Error))
                     .arg(count(LintSeverity::Warning))
                     .arg(count(LintSeverity::Info))
                     .arg(ignored());
        return lines.join(u'\n') + u'\n';
    }
}

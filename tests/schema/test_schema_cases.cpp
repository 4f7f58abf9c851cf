// The schema-diff corpus (issue 13), against a real PostgreSQL 15: every case folder of
// tests/schema/cases/ holds a.sql and b.sql (and optionally roles.sql, run first, and plan.txt).
// Each runs in both directions. For a -> b: load a.sql into a fresh database A and b.sql into B,
// snapshot both, diff, write the SQL, apply it to A with psql --single-transaction, then assert
// that (1) the re-diff of A against B is empty and (2) the normalised `pg_dump --schema-only` of
// A equals B's (pg_dump is the independent oracle). Before that, every change chosen alone with
// what it needs (selection.h, the drift view's check boxes) writes a script that applies to A (in
// a transaction rolled back). plan.txt asserts the plan's shape: `+ RE`
// some statement of the a->b plan matches, `- RE` none does; `+< RE` / `-< RE` the same for b->a.
//
// DBOPS_SCHEMA_CASE=<regex> runs only the cases whose folder name matches.

#include "core/schema/diff.h"
#include "core/db/pgconnection.h"
#include "core/schema/pgintrospect.h"
#include "core/schema/selection.h"
#include "core/schema/sqlwriter.h"
#include "tests/support/pgfixture.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::schema;
using dbops::test::PgFixture;

namespace
{
    QString casesDir()
    {
        return qEnvironmentVariable("DBOPS_SOURCE_DIR") + u"/tests/schema/cases"_s;
    }

    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    Run runTool(const QString &tool, const QStringList &args)
    {
        QProcess p;
        p.setProgram(PgFixture::sandbox().binDir() + u'/' + tool);
        p.setArguments(args);
        p.start();
        Run r;
        if (!p.waitForStarted(30000) || !p.waitForFinished(300000))
        {
            r.err = tool + u": "_s + p.errorString();
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    QStringList connArgs(const QString &dbname)
    {
        const Sandbox &s = PgFixture::sandbox();
        return {u"-h"_s, s.socketDir(), u"-p"_s, QString::number(s.port()), u"-U"_s, u"postgres"_s, u"-d"_s, dbname};
    }

    /// Runs a file with psql (stop at the first error); `single`: in one transaction.
    Run psqlFile(const QString &dbname, const QString &file, bool single)
    {
        QStringList args = connArgs(dbname);
        args << u"-X"_s << u"-q"_s << u"-v"_s << u"ON_ERROR_STOP=1"_s << u"-f"_s << file;
        if (single)
            args << u"--single-transaction"_s;
        return runTool(u"psql"_s, args);
    }

    /// `pg_dump --schema-only`, normalised: comments, SET and blank lines out; each statement
    /// is one unit; the lines inside a CREATE TABLE's parentheses are sorted (column order is not
    /// compared) and lose their trailing commas; the statements are sorted (pg_dump breaks ties by
    /// OID, which differs between two databases of the same schema).
    QStringList normalisedDump(const QString &dbname, QString *error)
    {
        const Run r = runTool(u"pg_dump"_s, connArgs(dbname) << u"--schema-only"_s << u"--no-tablespaces"_s);
        if (r.exitCode != 0)
        {
            *error = u"pg_dump failed: "_s + r.err;
            return {};
        }
        QStringList statements;
        QStringList current;
        bool inTableBody = false;
        QStringList body;
        for (const QString &raw : r.out.split(u'\n'))
        {
            const QString line = raw.trimmed().isEmpty() ? QString() : raw;
            if (line.isEmpty() || line.startsWith(u"--"_s) || line.startsWith(u"SET "_s)
                || line.startsWith(u"SELECT pg_catalog.set_config"_s) || line.startsWith(u"\\restrict"_s)
                || line.startsWith(u"\\unrestrict"_s))
                continue;
            if (inTableBody)
            {
                if (line.startsWith(u')'))
                {
                    for (QString &b : body)
                        if (b.endsWith(u','))
                            b.chop(1);
                    body.sort();
                    current << body << line;
                    body.clear();
                    inTableBody = false;
                }
                else
                    body << line.trimmed();
            }
            else
            {
                current << line;
                if (line.startsWith(u"CREATE TABLE "_s) || line.startsWith(u"CREATE UNLOGGED TABLE "_s)
                    || line.startsWith(u"CREATE TYPE "_s) || line.startsWith(u"CREATE FOREIGN TABLE "_s))
                    inTableBody = line.endsWith(u'(');
            }
            if (!inTableBody && line.endsWith(u';'))
            {
                statements << current.join(u'\n');
                current.clear();
            }
        }
        if (!current.isEmpty())
            statements << current.join(u'\n');
        statements.sort();
        return statements;
    }

    Snapshot snapshotOf(const ConnectParams &db, QString *error)
    {
        auto conn = PgFixture::connect(db);
        auto s = snapshotPostgres(*conn);
        if (!s)
        {
            *error = s.error().toString();
            return {};
        }
        return *s;
    }

    QString listChanges(const SchemaDiff &d)
    {
        QStringList lines;
        for (const Change &c : d.changes)
            lines << u"  %1 %2 %3 [%4]\n    before: %5\n    after:  %6"_s.arg(
                toString(c.type), toString(c.kind), c.object, c.attributes.join(u", "_s), c.before.left(300), c.after.left(300));
        return lines.join(u'\n');
    }

    /// The first lines where two sorted statement lists differ, for the failure message.
    QString dumpDifference(const QStringList &a, const QStringList &b)
    {
        QStringList onlyA, onlyB;
        for (const QString &s : a)
            if (!b.contains(s))
                onlyA << s;
        for (const QString &s : b)
            if (!a.contains(s))
                onlyB << s;
        return u"only in A after the plan:\n%1\nonly in B:\n%2"_s.arg(onlyA.mid(0, 8).join(u"\n"_s), onlyB.mid(0, 8).join(u"\n"_s));
    }

    struct PlanRule
    {
        bool reverse = false;
        bool present = true;
        QRegularExpression re;
    };

    QList<PlanRule> planRules(const QString &dir)
    {
        QList<PlanRule> rules;
        QFile f(dir + u"/plan.txt"_s);
        if (!f.open(QIODevice::ReadOnly))
            return rules;
        static const QRegularExpression line(u"^([+-])(<?)\\s+(.+)$"_s);
        for (const QString &raw : QString::fromUtf8(f.readAll()).split(u'\n'))
            if (const auto m = line.match(raw.trimmed()); m.hasMatch())
                rules << PlanRule{!m.captured(2).isEmpty(), m.captured(1) == u"+"_s,
                                  QRegularExpression(m.captured(3), QRegularExpression::CaseInsensitiveOption
                                                                        | QRegularExpression::DotMatchesEverythingOption)};
        return rules;
    }
}

class TestSchemaCases final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY2(QDir(casesDir()).exists(), qPrintable(casesDir()));
    }

    void cases_data()
    {
        QTest::addColumn<QString>("dir");
        QTest::addColumn<bool>("reverse");
        const QRegularExpression only(qEnvironmentVariable("DBOPS_SCHEMA_CASE", u".*"_s));
        const QStringList names = QDir(casesDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        int n = 0;
        for (const QString &name : names)
        {
            if (!only.match(name).hasMatch())
                continue;
            const QString dir = casesDir() + u'/' + name;
            QTest::newRow(qPrintable(name + u" a->b"_s)) << dir << false;
            QTest::newRow(qPrintable(name + u" b->a"_s)) << dir << true;
            ++n;
        }
        if (n == 0)
            QTest::newRow("no case") << QString() << false;
    }

    void cases()
    {
        QFETCH(QString, dir);
        QFETCH(bool, reverse);
        QVERIFY2(!dir.isEmpty(), "no case folder matches (DBOPS_SCHEMA_CASE?)");
        const QString fromFile = dir + (reverse ? u"/b.sql"_s : u"/a.sql"_s);
        const QString toFile = dir + (reverse ? u"/a.sql"_s : u"/b.sql"_s);
        QVERIFY2(QFile::exists(fromFile) && QFile::exists(toFile), qPrintable(dir + u" needs a.sql and b.sql"_s));

        if (QFile::exists(dir + u"/roles.sql"_s))
        {
            const Run roles = psqlFile(u"postgres"_s, dir + u"/roles.sql"_s, false);
            QVERIFY2(roles.exitCode == 0, qPrintable(u"roles.sql: "_s + roles.err));
        }
        const ConnectParams a = PgFixture::newDatabase(u"sa"_s);
        const ConnectParams b = PgFixture::newDatabase(u"sb"_s);
        const QString aName = a.value(u"dbname"_s), bName = b.value(u"dbname"_s);
        const Run loadA = psqlFile(aName, fromFile, true);
        QVERIFY2(loadA.exitCode == 0, qPrintable(fromFile + u": "_s + loadA.err));
        const Run loadB = psqlFile(bName, toFile, true);
        QVERIFY2(loadB.exitCode == 0, qPrintable(toFile + u": "_s + loadB.err));

        QString error;
        const Snapshot from = snapshotOf(a, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const Snapshot to = snapshotOf(b, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto d = diff(from, to);
        QVERIFY2(d.has_value(), qPrintable(d ? QString() : d.error().toString()));
        const auto plan = writeSql(*d, from, to);
        QVERIFY2(plan.has_value(), qPrintable(plan ? QString() : plan.error().toString()));
        const QString script = plan->script(aName, bName);

        for (const PlanRule &rule : planRules(dir))
        {
            if (rule.reverse != reverse)
                continue;
            const QStringList statements = plan->statements();
            const bool found =
                std::any_of(statements.cbegin(), statements.cend(), [&](const QString &s) { return rule.re.match(s).hasMatch(); });
            QVERIFY2(found == rule.present, qPrintable(u"plan.txt: %1 %2\n%3"_s.arg(rule.present ? u"expected a statement matching"_s
                                                                                                 : u"expected no statement matching"_s,
                                                                                    rule.re.pattern(), script)));
        }

        // Any one change with what it needs applies (the drift view never writes a script that fails).
        {
            const QList<QList<int>> needs = changeNeeds(*d, from, to);
            auto conn = PgConnection::open(a);
            for (int i = 0; i < d->changes.size(); ++i)
            {
                const QSet<int> chosen = neededClosure(needs, {i});
                const auto part = writeSql(chosenChanges(*d, chosen), from, to);
                const Change &c = d->changes[i];
                const QString what = u"%1 %2 %3"_s.arg(toString(c.type), toString(c.kind), c.object);
                QVERIFY2(part.has_value(), qPrintable(what + u": "_s + (part ? QString() : part.error().toString())));
                const QString partScript = part->script(aName, bName);
                conn->exec(u"BEGIN"_s);
                try
                {
                    conn->exec(partScript);
                }
                catch (const Exception &e)
                {
                    conn->exec(u"ROLLBACK"_s);
                    QFAIL(qPrintable(u"%1 chosen with what it needs (%2 changes) does not apply: %3\n%4"_s.arg(what)
                                         .arg(chosen.size())
                                         .arg(e.error().message, partScript)));
                }
                conn->exec(u"ROLLBACK"_s);
            }
        }

        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString scriptFile = tmp.filePath(u"plan.sql"_s);
        {
            QFile f(scriptFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(script.toUtf8());
        }
        const Run applied = psqlFile(aName, scriptFile, true);
        QVERIFY2(applied.exitCode == 0, qPrintable(u"the plan did not apply: %1\n%2"_s.arg(applied.err, script)));

        const Snapshot after = snapshotOf(a, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto again = diff(after, to);
        QVERIFY2(again.has_value(), qPrintable(again ? QString() : again.error().toString()));
        QVERIFY2(again->isEmpty(), qPrintable(u"changes left after the plan:\n%1\nthe plan:\n%2"_s.arg(listChanges(*again), script)));

        const QStringList dumpA = normalisedDump(aName, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QStringList dumpB = normalisedDump(bName, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(dumpA == dumpB, qPrintable(dumpDifference(dumpA, dumpB) + u"\nthe plan:\n"_s + script));
    }
};

QTEST_GUILESS_MAIN(TestSchemaCases)
#include "test_schema_cases.moc"

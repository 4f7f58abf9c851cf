// The one SQL resource loader (issue 11): every catalog, admin and history statement of core/ lives
// in core/<folder>/sql/*.sql, is compiled into the build, parses as PostgreSQL 15 SQL, and is
// loaded by name; identifiers go into its ${placeholders} only quoted.
#include "core/error.h"
#include "core/sql/parsetree.h"
#include "core/sql/sqlresource.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    QString sourceDir()
    {
        return qEnvironmentVariable("DBOPS_SOURCE_DIR");
    }

    /// The resources the source tree has: core/<folder>/sql/<file>.sql as "<folder>/<file>".
    QStringList resourcesInTree()
    {
        QStringList names;
        QDirIterator it(sourceDir() + u"/core"_s, {u"*.sql"_s}, QDir::Files, QDirIterator::Subdirectories);
        static const QRegularExpression path(u"/core/([a-z_]+)/sql/([a-z0-9_]+)\\.sql$"_s);
        while (it.hasNext())
            if (const QRegularExpressionMatch m = path.match(it.next()); m.hasMatch())
                names << m.captured(1) + u'/' + m.captured(2);
        names.sort();
        return names;
    }

    /// The text with every ${placeholder} filled by a quoted identifier, as the code fills it.
    QString filled(const QString &text)
    {
        QString out = text;
        out.replace(QRegularExpression(u"\\$\\{[a-z_]+\\}"_s), u"\"t\""_s);
        return out;
    }
}

class TestSqlResource final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(QDir(sourceDir() + u"/core"_s).exists(), "DBOPS_SOURCE_DIR names the source tree (ctest sets it)"); }

    // Every .sql file of the tree is in the build, and every resource of the build is in the tree.
    void everyFileIsAResource()
    {
        const QStringList tree = resourcesInTree();
        const QStringList built = sqlResourceNames();
        QVERIFY(tree.size() >= 60);
        for (const QString &name : tree)
            QVERIFY2(built.contains(name), qPrintable(u"core/%1.sql is not in its folder's qt_add_resources"_s.arg(name)));
        for (const QString &name : built)
            QVERIFY2(tree.contains(name), qPrintable(name));
    }

    // Each listed resource loads, is not empty, and parses (placeholders filled by identifiers).
    void everyResourceLoadsAndParses()
    {
        const QStringList names = sqlResourceNames();
        QVERIFY(!names.isEmpty());
        for (const QString &name : names)
        {
            const QString text = sqlResource(name);
            QVERIFY2(!text.trimmed().isEmpty(), qPrintable(name));
            static const QRegularExpression inComment(u"--[^\\n]*\\$\\{"_s);
            QVERIFY2(!text.contains(inComment), qPrintable(name + u" has a placeholder in a comment"_s));
            const auto statements = parseStatements(filled(text));
            QVERIFY2(statements.has_value(), qPrintable(name + u" does not parse: "_s + text));
            QVERIFY2(statements->size() == 1, qPrintable(name + u" is not exactly one statement"_s));
        }
    }

    // Every resource the C++ of core/ names, by its full name, exists in the build.
    void everyNamedResourceExists()
    {
        const QStringList built = sqlResourceNames();
        static const QRegularExpression named(u"u\"((?:locks|backup|migrate)/[a-z0-9_]+)\""_s);
        QSet<QString> seen;
        QDirIterator it(sourceDir() + u"/core"_s, {u"*.cpp"_s}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
        {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QString code = QString::fromUtf8(f.readAll());
            for (auto m = named.globalMatch(code); m.hasNext();)
            {
                const QString name = m.next().captured(1);
                seen.insert(name);
                QVERIFY2(built.contains(name), qPrintable(u"%1 names the missing resource %2"_s.arg(f.fileName(), name)));
            }
        }
        // The history and lock SQL this issue moved out of C++ is named from the code.
        for (const char *name :
             {"migrate/lock_holder", "migrate/lock_try", "migrate/history_candidates", "migrate/history_adopted",
              "migrate/dbops_history_read", "migrate/dbops_history_insert_applied", "migrate/sqlx_read", "migrate/flyway_insert",
              "migrate/golang_migrate_set", "migrate/plain_create", "migrate/node_pg_migrate_read", "backup/row_count"})
            QVERIFY2(seen.contains(QString::fromLatin1(name)), name);
    }

    void missingResourceThrowsInternalNamingIt()
    {
        try
        {
            sqlResource(u"locks/no_such_query");
            QFAIL("a missing resource loaded");
        }
        catch (const Exception &e)
        {
            QCOMPARE(e.error().code, ErrorCode::Internal);
            QVERIFY2(e.error().message.contains(u"locks/no_such_query"_s), qPrintable(e.error().message));
        }
    }

    void placeholdersTakeQuotedIdentifiersOnly()
    {
        const QString sql = sqlResource(u"migrate/dbops_history_realign", {{u"table", u"\"my schema\".\"hi\"\"story\""_s}});
        QVERIFY2(sql.contains(u"UPDATE \"my schema\".\"hi\"\"story\" SET checksum = $2"_s), qPrintable(sql));
        QVERIFY(!sql.contains(u"${"_s));
        // A quoted identifier may hold a newline and a semicolon: it stays one identifier.
        const QString hostile = sqlResource(u"backup/row_count", {{u"table", u"\"s x\".\"line\nbreak; COPY t FROM stdin;\""_s}});
        const auto parsed = parseStatements(hostile);
        QVERIFY2(parsed && parsed->size() == 1, qPrintable(hostile));
        QVERIFY2(hostile.trimmed().endsWith(u"SELECT count(*) FROM \"s x\".\"line\nbreak; COPY t FROM stdin;\""_s), qPrintable(hostile));
        QVERIFY(sqlResource(u"migrate/plain_delete", {{u"table", u"\"t\""_s}, {u"key", u"\"name\""_s}})
                    .contains(u"DELETE FROM \"t\" WHERE \"name\" = $1"_s));

        const auto internal = [](auto fn, const QString &mentions) {
            try
            {
                fn();
                return QString(u"no exception"_s);
            }
            catch (const Exception &e)
            {
                if (e.error().code != ErrorCode::Internal || !e.error().message.contains(mentions))
                    return e.error().message;
                return QString();
            }
        };
        // An unquoted name, a value, and an injection attempt are refused.
        for (const QString &bad : {u"public.t"_s, u"'x'"_s, u"\"t\"; DROP TABLE x"_s, u"\"a\"\"b"_s, QString()})
        {
            const QString why = internal([&] { sqlResource(u"migrate/dbops_history_realign", {{u"table", bad}}); }, u"quoted"_s);
            QVERIFY2(why.isEmpty(), qPrintable(bad + u": "_s + why));
        }
        // A placeholder left without an identifier, and an identifier without a placeholder.
        QString why = internal([] { sqlResource(u"migrate/plain_delete", {{u"table", u"\"t\""_s}}); }, u"${key}"_s);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        why = internal(
            [] {
                sqlResource(u"migrate/dbops_history_realign", {{u"table", u"\"t\""_s}, {u"nope", u"\"n\""_s}});
            },
            u"${nope}"_s);
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestSqlResource)
#include "test_sqlresource.moc"

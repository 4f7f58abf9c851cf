// The destructive-statement analysis (core/sql/sqlanalysis.h) a down plan shows as data loss
// before it asks (issue 12): PostgreSQL's own parser reads the statements, and each finding names
// the object it destroys, with its statement and line.
#include "core/sql/sqlanalysis.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    QStringList findings(const QString &sql)
    {
        const Expected<QList<SqlStatement>> statements = splitStatements(sql, u"t.down.sql"_s);
        if (!statements)
            return {u"split failed: "_s + statements.error().toString()};
        QStringList out;
        for (const DataLossFinding &f : findDataLoss(*statements))
            out << f.toText();
        return out;
    }
}

class TestDestructive final : public QObject
{
    Q_OBJECT

private slots:
    void namesEveryDestroyedObject()
    {
        const QStringList got = findings(u"DROP TABLE IF EXISTS orders, public.items CASCADE;\n"
                                         u"ALTER TABLE users DROP COLUMN email, ADD COLUMN x int, DROP COLUMN IF EXISTS phone;\n"
                                         u"DROP SCHEMA billing CASCADE;\n"
                                         u"TRUNCATE audit, app.events;\n"
                                         u"DELETE FROM sessions;\n"
                                         u"DROP MATERIALIZED VIEW totals;\n"
                                         u"DROP SEQUENCE seq_a;\n"_s);
        const QStringList want{u"drops table orders (statement 1, line 1)"_s,
                               u"drops table public.items (statement 1, line 1)"_s,
                               u"drops column users.email (statement 2, line 2)"_s,
                               u"drops column users.phone (statement 2, line 2)"_s,
                               u"drops schema billing (statement 3, line 3)"_s,
                               u"truncates audit (statement 4, line 4)"_s,
                               u"truncates app.events (statement 4, line 4)"_s,
                               u"deletes every row of sessions (statement 5, line 5)"_s,
                               u"drops materialized view totals (statement 6, line 6)"_s,
                               u"drops sequence seq_a (statement 7, line 7)"_s};
        QCOMPARE(got, want);
    }

    void leavesWhatKeepsTheDataAlone()
    {
        QCOMPARE(findings(u"DROP VIEW v;\nDROP INDEX users_email;\nDELETE FROM t WHERE id = 1;\nALTER TABLE t ADD COLUMN c int;\n"
                          u"-- DROP TABLE in a comment\nSELECT 'DROP TABLE x';\nDROP FUNCTION f();\n"_s),
                 QStringList());
    }
};

QTEST_MAIN(TestDestructive)
#include "test_destructive.moc"

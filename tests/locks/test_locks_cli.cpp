// The lock CLI against real blocked sessions: `dbops locks --json`, `dbops cancel`, `dbops terminate`.
#include "core/db/pgconnection.h"
#include "tests/support/cli.h"
#include "tests/support/pgfixture.h"
#include "tests/support/sessions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

class TestLocksCli final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void treeCancelAndTerminate()
    {
        const ConnectParams db = PgFixture::newDatabase(u"lockscli"_s);
        const QString url = PgFixture::sandbox().url(db.value(u"dbname"_s));
        auto admin = PgFixture::connect(db);
        admin->exec(u"CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 10)"_s);
        SessionThread a(db, u"holder-a"_s, {u"BEGIN"_s, u"UPDATE accounts SET balance = 11 WHERE id = 1"_s});
        const int pidA = a.pid();
        QTRY_VERIFY_WITH_TIMEOUT(a.isFinished(), 60000); // A's statements ran; its transaction stays open, holding the row
        SessionThread b(db, u"waiter-b"_s, {u"UPDATE accounts SET balance = 12 WHERE id = 1"_s});
        const int pidB = b.pid();
        QTRY_VERIFY_WITH_TIMEOUT(admin->exec(u"SELECT cardinality(pg_blocking_pids($1)) > 0"_s, {pidB}).value(0, 0).toBool(), 60000);

        CliResult r = runCli({u"locks"_s, u"--db"_s, url, u"--json"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject snap = QJsonDocument::fromJson(r.out.toUtf8()).object();
        bool chain = false;
        for (const QJsonValue &root : snap[u"roots"_s].toArray())
            for (const QJsonValue &child : root.toObject()[u"blocks"_s].toArray())
                chain |= root.toObject()[u"pid"_s].toInt() == pidA && child.toObject()[u"pid"_s].toInt() == pidB;
        QVERIFY2(chain, qPrintable(r.out.left(2000)));
        r = runCli({u"locks"_s, u"--db"_s, url});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QString::number(pidA)) && r.out.contains(QString::number(pidB)));

        // Without a terminal and without --yes, nothing is done.
        r = runCli({u"cancel"_s, QString::number(pidB), u"--db"_s, url});
        QVERIFY(r.exitCode != 0);
        QVERIFY(!b.isFinished());

        r = runCli({u"cancel"_s, QString::number(pidB), u"--db"_s, url, u"--yes"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(b.wait(60000));
        QVERIFY(b.failed());
        QCOMPARE(b.error().sqlstate, u"57014"_s);

        r = runCli({u"terminate"_s, QString::number(pidA), u"--db"_s, url, u"--yes"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QTRY_COMPARE_WITH_TIMEOUT(admin->exec(u"SELECT count(*) FROM pg_stat_activity WHERE pid = $1"_s, {pidA}).value(0, 0).toInt(), 0,
                                  60000);
        QCOMPARE(admin->exec(u"SELECT balance FROM accounts"_s).value(0, 0).toInt(), 10); // A's update rolled back

        // A pid that no longer exists: exit 1.
        r = runCli({u"terminate"_s, QString::number(pidA), u"--db"_s, url, u"--yes"_s});
        QCOMPARE(r.exitCode, 1);
        r = runCli({u"cancel"_s, u"999999"_s, u"--db"_s, url, u"--yes"_s});
        QCOMPARE(r.exitCode, 1);
    }
};

QTEST_GUILESS_MAIN(TestLocksCli)
#include "test_locks_cli.moc"

// The lock monitor's core against a real PostgreSQL 15 (STYLE T4): real sessions on their own
// threads build real blocking chains; the snapshot, the forest, migration-lock names, cancel and
// terminate are checked on what the server reports.

#include "core/db/pgconnection.h"
#include "core/locks/blockinggraph.h"
#include "core/locks/lockqueries.h"
#include "core/locks/migrationlocks.h"
#include "core/locks/sessionfilter.h"
#include "core/migrate/toolkeys.h"
#include "tests/support/pgfixture.h"
#include "tests/support/sessions.h"
#include "tests/support/wait.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QThread>

#include <functional>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;
using dbops::test::SessionThread;

Q_DECLARE_METATYPE(QList<dbops::BlockingEdge>)

namespace
{
    /// Takes snapshots until `ready` holds (sessions need a moment to start waiting).
    LockSnapshot snapshotWhen(PgConnection &conn, const std::function<bool(const LockSnapshot &)> &ready, int timeoutMs = 60000)
    {
        LockSnapshot s;
        dbops::test::waitUntil(
            [&] {
                s = LockQueries::snapshot(conn);
                return ready(s);
            },
            timeoutMs);
        return s;
    }

    const HeldLock *findLock(const LockSnapshot &s, int pid, const QString &type, const QString &mode, bool granted)
    {
        for (const HeldLock &l : s.locks)
            if (l.pid == pid && l.lockType == type && l.mode == mode && l.granted == granted)
                return &l;
        return nullptr;
    }

}

class TestLocks final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { DBOPS_REQUIRE_PG(); }

    void sqlResourcesLoad()
    {
        // The resources are compiled into the static core library and must load without
        // Q_INIT_RESOURCE in any program linking it.
        for (const QString &name : {u"snapshot"_s, u"session"_s, u"cancel"_s, u"terminate"_s})
            QVERIFY2(!LockQueries::sql(name).isEmpty(), qPrintable(name));
        QVERIFY(LockQueries::sql(u"snapshot"_s).contains(u"pg_blocking_pids"_s));
        QVERIFY_THROWS_EXCEPTION(Exception, LockQueries::sql(u"no_such_query"_s));
    }

    void forest_data()
    {
        QTest::addColumn<QList<BlockingEdge>>("edges");
        QTest::addColumn<QString>("expected"); // pid:parent:depth in pre-order
        QTest::addColumn<int>("cycles");
        QTest::newRow("empty") << QList<BlockingEdge>{} << u""_s << 0;
        QTest::newRow("one waiter") << QList<BlockingEdge>{{2, 1}} << u"1:0:0 2:1:1"_s << 0;
        QTest::newRow("chain") << QList<BlockingEdge>{{2, 1}, {3, 2}} << u"1:0:0 2:1:1 3:2:2"_s << 0;
        // C blocked by both A and B hangs under B (the deeper blocker), as in LOCK TABLE behind a row lock.
        QTest::newRow("chain with shortcut") << QList<BlockingEdge>{{2, 1}, {3, 1}, {3, 2}} << u"1:0:0 2:1:1 3:2:2"_s << 0;
        QTest::newRow("two roots, most blocked first")
            << QList<BlockingEdge>{{9, 8}, {2, 1}, {3, 1}} << u"1:0:0 2:1:1 3:1:1 8:0:0 9:8:1"_s << 0;
        QTest::newRow("cycle") << QList<BlockingEdge>{{1, 2}, {2, 1}} << u"1:0:0 2:1:1"_s << 1;
        QTest::newRow("cycle with a waiter") << QList<BlockingEdge>{{5, 6}, {6, 7}, {7, 5}, {9, 7}} << u"5:0:0 7:5:1 6:7:2 9:7:2"_s << 1;
        QTest::newRow("cycle behind an outside blocker") << QList<BlockingEdge>{{2, 3}, {3, 2}, {3, 1}} << u"1:0:0 3:1:1 2:3:2"_s << 1;
        QTest::newRow("self edge ignored") << QList<BlockingEdge>{{4, 4}} << u""_s << 0;
    }

    void forest()
    {
        QFETCH(QList<BlockingEdge>, edges);
        QFETCH(QString, expected);
        QFETCH(int, cycles);
        const BlockingTree t = BlockingGraph::build(edges);
        QStringList got;
        for (int pid : t.preorder())
            got << u"%1:%2:%3"_s.arg(pid).arg(t.node(pid)->parent).arg(t.node(pid)->depth);
        QCOMPARE(got.join(u' '), expected);
        QCOMPARE(t.cycles.size(), cycles);
        QCOMPARE(t.preorder().size(), t.nodes.size()); // every node is placed exactly once
    }

    void forestCountsAndWaits()
    {
        const BlockingTree t = BlockingGraph::build({{2, 1}, {3, 2}, {4, 1}}, [](int pid) { return qint64(pid) * 1000; });
        const BlockingNode *root = t.node(1);
        QCOMPARE(root->blockedCount, 3);
        QCOMPARE(root->chainDepth, 2);
        QCOMPARE(root->longestWaitMs, 4000);
        QCOMPARE(t.node(3)->otherBlockers, QList<int>{});
        const BlockingTree cyc = BlockingGraph::build({{1, 2}, {2, 3}, {3, 1}});
        QCOMPARE(cyc.cycles.size(), 1);
        QCOMPARE(cyc.cycles.first(), (QList<int>{1, 2, 3})); // 1 waits on 2, 2 on 3, 3 on 1
        QVERIFY(cyc.node(2)->inCycle);
    }

    void migrationKeys()
    {
        // Go's hash/fnv New32 (FNV-1) reference vectors.
        QCOMPARE(MigrationLockCatalog::atlasLockKey(u""_s), qint64(0x811c9dc5));
        QCOMPARE(MigrationLockCatalog::atlasLockKey(u"a"_s), qint64(0x050c5d7e));
        QCOMPARE(MigrationLockCatalog::atlasLockKey(u"foobar"_s), qint64(0x31f0b262));
        const auto keys = MigrationLockCatalog::candidatesFor(u"app"_s);
        QStringList tools;
        for (const auto &k : keys)
            tools << k.tool;
        QCOMPARE(tools, (QStringList{u"dbops"_s, u"sqlx"_s, u"Flyway"_s, u"golang-migrate"_s, u"Sqitch"_s, u"node-pg-migrate"_s,
                                     u"graphile-migrate"_s, u"Atlas"_s}));
        QCOMPARE(keys.at(1).key, sqlxLockKey(u"app"_s));
        QCOMPARE(keys.at(1).name, u"sqlx migration lock on db app"_s);
        QCOMPARE(keys.at(4).key, qint64(75474063));
        QCOMPARE(keys.at(6).key, qint64(4727445306447283LL));
    }

    void threeLevelChain()
    {
        const ConnectParams params = PgFixture::newDatabase(u"chain"_s);
        auto admin = PgFixture::connect(params);
        admin->exec(
            u"CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 10) g"_s);

        // A: holds a row lock, then sits idle in its transaction (the classic production blocker).
        SessionThread a(params, u"lock-test-A"_s, {u"BEGIN"_s, u"UPDATE accounts SET balance = 1 WHERE id = 1"_s});
        QVERIFY(a.wait(60000));
        QVERIFY2(!a.failed(), qPrintable(a.error().toString()));
        // B: waits on A for the same row.
        SessionThread b(params, u"lock-test-B"_s, {u"UPDATE accounts SET balance = 2 WHERE id = 1"_s});
        QVERIFY(b.pid() > 0);
        QVERIFY(b.waitUntilBlocked()); // before C asks, or C would queue ahead of B
        // C: waits behind B for the whole table.
        SessionThread c(params, u"lock-test-C"_s, {u"BEGIN"_s, u"LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE"_s, u"COMMIT"_s});
        QVERIFY(c.pid() > 0);

        const LockSnapshot s = snapshotWhen(*admin, [&](const LockSnapshot &x) {
            const BlockingNode *nc = x.tree.node(c.pid());
            return nc && nc->parent == b.pid() && x.tree.node(b.pid());
        });
        QVERIFY2(s.tree.roots.contains(a.pid()), qPrintable(s.treeText()));
        const BlockingNode *nb = s.tree.node(b.pid());
        const BlockingNode *nc = s.tree.node(c.pid());
        QVERIFY2(nb && nc, qPrintable(s.treeText()));
        QCOMPARE(s.tree.node(a.pid())->parent, 0);
        QCOMPARE(nb->parent, a.pid());
        QCOMPARE(nb->depth, 1);
        QCOMPARE(nc->parent, b.pid());
        QCOMPARE(nc->depth, 2);
        QCOMPARE(s.tree.node(a.pid())->blockedCount, 2);
        QCOMPARE(s.tree.node(a.pid())->chainDepth, 2);
        QVERIFY(s.tree.preorder().indexOf(a.pid()) < s.tree.preorder().indexOf(b.pid()));
        QVERIFY(s.tree.preorder().indexOf(b.pid()) < s.tree.preorder().indexOf(c.pid()));

        // Relations and modes, as the server holds and awaits them.
        QVERIFY2(findLock(s, a.pid(), u"relation"_s, u"RowExclusiveLock"_s, true), qPrintable(s.treeText()));
        QCOMPARE(findLock(s, a.pid(), u"relation"_s, u"RowExclusiveLock"_s, true)->relation, u"public.accounts"_s);
        const HeldLock *bWaits = s.awaitedLock(b.pid());
        QVERIFY(bWaits);
        QCOMPARE(bWaits->lockType, u"transactionid"_s); // a row lock is waited for on the holder's transaction
        QCOMPARE(bWaits->mode, u"ShareLock"_s);
        QVERIFY(findLock(s, b.pid(), u"relation"_s, u"RowExclusiveLock"_s, true));
        const HeldLock *cWaits = s.awaitedLock(c.pid());
        QVERIFY(cWaits);
        QCOMPARE(cWaits->lockType, u"relation"_s);
        QCOMPARE(cWaits->relation, u"public.accounts"_s);
        QCOMPARE(cWaits->mode, u"AccessExclusiveLock"_s);

        // Sessions carry what the view shows.
        const BackendSession *sa = s.session(a.pid());
        QVERIFY(sa);
        QCOMPARE(sa->application, u"lock-test-A"_s);
        QCOMPARE(sa->state, u"idle in transaction"_s);
        QVERIFY(sa->isIdleInTransactionHoldingLocks());
        QVERIFY(sa->transactionStart.isValid());
        const BackendSession *sb = s.session(b.pid());
        QVERIFY(sb->waiting);
        QCOMPARE(sb->blockedBy, QList<int>{a.pid()});
        QVERIFY(sb->waitStart.isValid());
        QVERIFY(sb->waitMs(s.capturedAt) >= 0);
        QCOMPARE(sb->waitEventType, u"Lock"_s);
        QVERIFY(s.edges.contains(BlockingEdge{b.pid(), a.pid()}));
        QVERIFY(s.edges.contains(BlockingEdge{c.pid(), b.pid()}));
        QCOMPARE(s.stateCounts().waiting, 2);
        QVERIFY(!s.session(admin->backendPid())); // the monitor leaves itself out

        // JSON carries sessions, locks, edges and roots.
        const QJsonObject json = s.toJson();
        for (const QString &key : {u"sessions"_s, u"locks"_s, u"edges"_s, u"roots"_s})
            QVERIFY2(!json.value(key).toArray().isEmpty(), qPrintable(key));
        QCOMPARE(json.value(u"roots"_s).toArray().first().toObject().value(u"pid"_s).toInt(), a.pid());
        QVERIFY(s.treeText().contains(u"IDLE IN TRANSACTION"_s));

        // Cancel frees B's statement: it fails with query_canceled; C still waits, now on A.
        const SignalResult cancelled = LockQueries::signal(*admin, b.pid(), BackendSignal::Cancel);
        QVERIFY(cancelled.sent);
        QVERIFY(b.wait(60000));
        QVERIFY(b.failed());
        QCOMPARE(b.error().sqlstate, u"57014"_s);
        const LockSnapshot afterCancel = snapshotWhen(*admin, [&](const LockSnapshot &x) { return !x.tree.node(b.pid()); });
        QVERIFY2(!afterCancel.tree.node(b.pid()), qPrintable(afterCancel.treeText()));
        QCOMPARE(afterCancel.tree.node(c.pid())->parent, a.pid());

        // Terminate ends A; the chain dissolves on the next refresh and C gets its lock.
        QVERIFY(LockQueries::signal(*admin, a.pid(), BackendSignal::Terminate).sent);
        QVERIFY(c.wait(60000));
        QVERIFY2(!c.failed(), qPrintable(c.error().toString()));
        const LockSnapshot after = snapshotWhen(*admin, [&](const LockSnapshot &x) { return !x.session(a.pid()) && x.tree.isEmpty(); });
        QVERIFY2(after.tree.isEmpty(), qPrintable(after.treeText()));
        QVERIFY(!after.session(a.pid()));
        QVERIFY(after.edges.isEmpty());
    }

    void signalUnknownPid()
    {
        auto admin = PgFixture::connect(PgFixture::newDatabase(u"sig"_s));
        try
        {
            LockQueries::signal(*admin, 999999, BackendSignal::Terminate);
            QFAIL("expected NotFound");
        }
        catch (const Exception &e)
        {
            QCOMPARE(e.error().code, ErrorCode::NotFound);
        }
        QVERIFY(!LockQueries::session(*admin, 999999));
        QVERIFY(LockQueries::session(*admin, admin->backendPid()));
    }

    void sqlxMigrationLockIsNamed()
    {
        const ConnectParams params = PgFixture::newDatabase(u"adv"_s);
        const QString db = params.value(u"dbname"_s);
        const QString key = QString::number(sqlxLockKey(db));
        auto admin = PgFixture::connect(params);
        SessionThread holder(params, u"sqlx-holder"_s, {u"SELECT pg_advisory_lock(%1::bigint)"_s.arg(key)});
        QVERIFY(holder.wait(60000));
        SessionThread waiter(params, u"sqlx-waiter"_s, {u"SELECT pg_advisory_lock(%1::bigint)"_s.arg(key)});
        QVERIFY(waiter.pid() > 0);

        const LockSnapshot s = snapshotWhen(
            *admin, [&](const LockSnapshot &x) { return !x.migrationLocks.isEmpty() && !x.migrationLocks.first().waiters.isEmpty(); });
        QVERIFY2(s.migrationLocks.size() == 1, QJsonDocument(s.toJson().value(u"locks"_s).toArray()).toJson().constData());
        const MigrationLockState &m = s.migrationLocks.first();
        QCOMPARE(m.tool, u"sqlx"_s);
        QCOMPARE(m.name, u"sqlx migration lock on db "_s + db);
        QCOMPARE(m.holderPid, holder.pid());
        QCOMPARE(m.waiters, QList<int>{waiter.pid()});
        QVERIFY(m.holderSince.isValid());
        const HeldLock *held = findLock(s, holder.pid(), u"advisory"_s, u"ExclusiveLock"_s, true);
        QVERIFY(held);
        // A bigint key shows as classid (high half) / objid (low half) with objsubid 1.
        QCOMPARE(held->objSubId, 1);
        QCOMPARE(qint64(held->classId), sqlxLockKey(db) >> 32);
        QCOMPARE(qint64(held->objId), sqlxLockKey(db) & 0xffffffffLL);
        QCOMPARE(*held->advisoryKey(), sqlxLockKey(db));
        QCOMPARE(held->migrationLock, u"sqlx migration lock on db "_s + db);
        QVERIFY(held->target().contains(u"sqlx migration lock"_s));
        QCOMPARE(s.tree.node(waiter.pid())->parent, holder.pid());
        QVERIFY(s.treeText().contains(u"migration lock: sqlx migration lock on db "_s + db));

        // A two-int advisory lock is not mistaken for a bigint key.
        admin->exec(u"SELECT pg_advisory_lock(1, 2)"_s);
        const LockSnapshot two = LockQueries::snapshot(*admin);
        QCOMPARE(two.migrationLocks.size(), 1);
        admin->exec(u"SELECT pg_advisory_unlock_all()"_s);
        // Cleanup: end both sessions (the destructors terminate what is still blocked).
        admin->exec(u"SELECT pg_terminate_backend($1::int)"_s, {holder.pid()});
        QVERIFY(waiter.wait(60000));
    }

    void boundedOnManyLocks()
    {
        const ConnectParams params = PgFixture::newDatabase(u"many"_s);
        auto admin = PgFixture::connect(params);
        admin->exec(u"DO $$ BEGIN FOR i IN 1..400 LOOP EXECUTE format('CREATE TABLE t%s (id int)', i); END LOOP; END $$"_s);
        // The holder locks 400 tables; a waiter makes it interesting (a blocker).
        SessionThread holder(
            params, u"many-holder"_s,
            {u"BEGIN"_s, u"DO $$ BEGIN FOR i IN 1..400 LOOP EXECUTE format('LOCK TABLE t%s IN SHARE MODE', i); END LOOP; END $$"_s});
        QVERIFY(holder.wait(60000));
        QVERIFY2(!holder.failed(), qPrintable(holder.error().toString()));
        SessionThread waiter(params, u"many-waiter"_s, {u"BEGIN"_s, u"LOCK TABLE t7 IN EXCLUSIVE MODE"_s, u"COMMIT"_s});
        QVERIFY(waiter.pid() > 0);
        const SnapshotOptions options{.locksPerSession = 50, .maxLockEntries = 5000};
        QElapsedTimer t;
        t.start();
        LockSnapshot s = LockQueries::snapshot(*admin, nullptr, options);
        while (!s.tree.node(waiter.pid()) && t.elapsed() < 60000)
            s = LockQueries::snapshot(*admin, nullptr, options);
        QVERIFY(s.tree.node(waiter.pid()));
        QVERIFY(s.lockRows >= 400);
        QCOMPARE(s.locksOf(holder.pid()).size(), 50);
        QVERIFY(s.foldedRows() >= 350);
        QCOMPARE(s.session(holder.pid())->lockCount >= 400, true);
        QCOMPARE(s.awaitedLock(waiter.pid())->relation, u"public.t7"_s);
        // The SessionFilter used by the table.
        SessionFilter f;
        f.category = SessionFilter::Category::Waiting;
        QVERIFY(f.matches(*s.session(waiter.pid()), &s));
        QVERIFY(!f.matches(*s.session(holder.pid()), &s));
        f.category = SessionFilter::Category::IdleInTransaction;
        QVERIFY(f.matches(*s.session(holder.pid()), &s));
        f = {SessionFilter::Category::All, u"MANY-WAIT"_s};
        QVERIFY(f.matches(*s.session(waiter.pid()), &s));
        QVERIFY(!f.matches(*s.session(holder.pid()), &s));
        admin->exec(u"SELECT pg_terminate_backend($1::int)"_s, {holder.pid()});
        QVERIFY(waiter.wait(60000));
    }
};

QTEST_GUILESS_MAIN(TestLocks)
#include "test_locks.moc"

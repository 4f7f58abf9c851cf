// PgConnection, connecting and RetryPolicy against a real PostgreSQL 15 (STYLE T4); test_db_params has
// ConnectParams, multi-host strings and SqliteSession.
#include "core/db/connectparams.h"
#include "core/db/profile.h"
#include "core/db/pgconnection.h"
#include "core/db/retry.h"
#include "core/db/sqlitesession.h"
#include "core/jobs/canceltoken.h"
#include "core/logging/logbuffer.h"
#include "core/logging/redact.h"
#include "tests/support/cli.h"
#include "tests/support/net.h"
#include "tests/support/pgfixture.h"
#include "tests/support/wait.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QUrl>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <climits>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::deadPort;
using dbops::test::PgFixture;

namespace
{
    qint64 lastLogId()
    {
        const auto all = LogBuffer::instance()->records();
        return all.isEmpty() ? 0 : all.last().id;
    }

    QStringList logSince(qint64 id)
    {
        QStringList out;
        for (const LogRecord &r : LogBuffer::instance()->records(id))
            out << dbops::toString(r.level) + u": "_s + r.message;
        return out;
    }

    /// A role with a password (the sandbox requires scram for every role but postgres).
    QString createRole(PgConnection &admin, const QString &password)
    {
        return dbops::test::newRole(admin, u"app"_s, password);
    }
}

class TestDb final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        dbops::test::forgetPasswords();
    }

    // --- PgConnection ------------------------------------------------------------------------

    void params_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QVariantList>("params");
        QTest::addColumn<QVariant>("expected");
        QTest::newRow("text") << u"SELECT $1::text"_s << QVariantList{u"héllo 'world' \"x\""_s} << QVariant(u"héllo 'world' \"x\""_s);
        QTest::newRow("text is not SQL") << u"SELECT $1::text"_s << QVariantList{u"'; DROP TABLE x; --"_s}
                                         << QVariant(u"'; DROP TABLE x; --"_s);
        QTest::newRow("int") << u"SELECT $1::int + 1"_s << QVariantList{41} << QVariant(42LL);
        QTest::newRow("bigint") << u"SELECT $1::bigint"_s << QVariantList{qint64(9007199254740993LL)} << QVariant(9007199254740993LL);
        QTest::newRow("bool true") << u"SELECT $1::bool"_s << QVariantList{true} << QVariant(true);
        QTest::newRow("bool false") << u"SELECT NOT $1::bool"_s << QVariantList{false} << QVariant(true);
        QTest::newRow("null") << u"SELECT $1::text IS NULL"_s << QVariantList{QVariant()} << QVariant(true);
        QTest::newRow("null result") << u"SELECT $1::int"_s << QVariantList{QVariant()} << QVariant();
        QTest::newRow("two params") << u"SELECT $1::text || '-' || $2::int"_s << QVariantList{u"a"_s, 7} << QVariant(u"a-7"_s);
        QTest::newRow("double") << u"SELECT $1::float8 * 2"_s << QVariantList{1.25} << QVariant(2.5);
        const QByteArray bytes("\x00\x01\xff'\\x\x00zz", 9);
        QTest::newRow("bytea") << u"SELECT $1::bytea"_s << QVariantList{bytes} << QVariant(bytes);
        QTest::newRow("bytea length") << u"SELECT length($1::bytea)"_s << QVariantList{bytes} << QVariant(9LL);
    }
    void params()
    {
        QFETCH(QString, sql);
        QFETCH(QVariantList, params);
        QFETCH(QVariant, expected);
        auto conn = PgFixture::connect(PgFixture::newDatabase(u"params"_s));
        const QueryResult r = conn->exec(sql, params);
        QCOMPARE(r.rowCount(), 1);
        const QVariant v = r.value(0, 0);
        QCOMPARE(v.isValid(), expected.isValid());
        if (expected.isValid())
        {
            QCOMPARE(v.metaType(), expected.metaType());
            QCOMPARE(v, expected);
        }
    }

    void byteaTableRoundTrip()
    {
        auto conn = PgFixture::connect(PgFixture::newDatabase(u"bytea"_s));
        QByteArray blob;
        for (int i = 0; i < 256; ++i)
            blob.append(char(i));
        conn->exec(u"CREATE TABLE blobs(id int PRIMARY KEY, data bytea, note text, flag bool)"_s);
        const QueryResult ins = conn->exec(u"INSERT INTO blobs VALUES($1, $2, $3, $4)"_s, {1, blob, QVariant(), true});
        QCOMPARE(ins.affectedRows, 1);
        QCOMPARE(ins.commandTag, u"INSERT 0 1"_s);
        const QueryResult r = conn->exec(u"SELECT data, note, flag FROM blobs WHERE id = $1"_s, {1});
        QCOMPARE(r.columns, (QStringList{u"data"_s, u"note"_s, u"flag"_s}));
        QCOMPARE(r.value(0, u"data"_s).toByteArray(), blob);
        QVERIFY(r.isNull(0, u"note"_s));
        QCOMPARE(r.value(0, u"flag"_s), QVariant(true));
    }

    void escapeIdentifier_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("quotes and spaces") << u"we\"ird table 'name'"_s;
        QTest::newRow("upper case") << u"MixedCase"_s;
        QTest::newRow("keyword") << u"select"_s;
        QTest::newRow("unicode") << u"tabela ação; DROP"_s;
    }
    void escapeIdentifier()
    {
        QFETCH(QString, name);
        auto conn = PgFixture::connect(PgFixture::newDatabase(u"ident"_s));
        const QString quoted = conn->escapeIdentifier(name);
        QVERIFY(quoted.startsWith(u'"'));
        conn->exec(u"CREATE TABLE "_s + quoted + u" (v text)"_s);
        conn->exec(u"INSERT INTO "_s + quoted + u" VALUES ($1)"_s, {u"row"_s});
        QCOMPARE(conn->exec(u"SELECT v FROM "_s + quoted).value(0, 0).toString(), u"row"_s);
        // The catalog holds the exact name, not a folded or truncated one.
        const QueryResult r = conn->exec(u"SELECT count(*) FROM pg_class WHERE relname = $1 AND relkind = 'r'"_s, {name});
        QCOMPARE(r.value(0, 0).toLongLong(), 1LL);
        QCOMPARE(conn->escapeLiteral(u"it's"_s), u"'it''s'"_s);
    }

    void sqlErrors_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("sqlstate");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<QString>("hint");
        QTest::addColumn<int>("position");
        QTest::newRow("missing table") << QString() << u"SELECT * FROM no_such_table"_s << u"42P01"_s
                                       << u"relation \"no_such_table\" does not exist"_s << QString() << QString() << 15;
        QTest::newRow("unique violation") << u"CREATE TABLE u(id int PRIMARY KEY); INSERT INTO u VALUES (1)"_s
                                          << u"INSERT INTO u VALUES (1)"_s << u"23505"_s
                                          << u"duplicate key value violates unique constraint \"u_pkey\""_s
                                          << u"Key (id)=(1) already exists."_s << QString() << 0;
        QTest::newRow("raise with hint") << QString()
                                         << u"DO $$ BEGIN RAISE EXCEPTION 'custom failure %', 42 USING DETAIL = 'the detail', "
                                            u"HINT = 'try the other thing', ERRCODE = 'P0001'; END $$"_s
                                         << u"P0001"_s << u"custom failure 42"_s << u"the detail"_s << u"try the other thing"_s << 0;
        QTest::newRow("syntax error") << QString() << u"SELECT 1 FROM WHERE x"_s << u"42601"_s << u"syntax error at or near \"WHERE\""_s
                                      << QString() << QString() << 15;
        QTest::newRow("division by zero") << QString() << u"SELECT 1/0"_s << u"22012"_s << u"division by zero"_s << QString() << QString()
                                          << 0;
    }
    void sqlErrors()
    {
        QFETCH(QString, setup);
        QFETCH(QString, sql);
        QFETCH(QString, sqlstate);
        QFETCH(QString, message);
        QFETCH(QString, detail);
        QFETCH(QString, hint);
        QFETCH(int, position);
        auto conn = PgFixture::connect(PgFixture::newDatabase(u"errors"_s));
        if (!setup.isEmpty())
            conn->exec(setup);
        auto r = conn->tryExec(sql);
        QVERIFY(!r);
        const Error &e = r.error();
        QCOMPARE(e.code, ErrorCode::OperationFailed);
        QCOMPARE(e.sqlstate, sqlstate);
        QCOMPARE(e.message, message);
        QCOMPARE(e.detail, detail);
        QCOMPARE(e.hint, hint);
        QCOMPARE(e.position, position);
        QVERIFY(e.toString().contains(u"(SQLSTATE "_s + sqlstate + u')'));
        QVERIFY(!isTransient(e));
        // The same error through the parameterised path.
        auto p = conn->tryExec(sql + u" -- $1"_s, {1});
        if (!p) // a statement without $1 and one parameter is itself an error (08P01/42P18); ignore which
            QVERIFY(!p.error().sqlstate.isEmpty());
        // The connection is still usable.
        QVERIFY(conn->isOk());
        QCOMPARE(conn->exec(u"SELECT 1"_s).value(0, 0), QVariant(1LL));
    }

    void notices()
    {
        auto conn = PgFixture::connect(PgFixture::newDatabase(u"notice"_s));
        QList<QPair<QString, QString>> heard;
        conn->setNoticeListener([&](const QString &severity, const QString &message) { heard.append({severity, message}); });
        const qint64 before = lastLogId();
        conn->exec(u"DO $$ BEGIN RAISE NOTICE 'hello from %', 'plpgsql'; RAISE WARNING 'careful now'; END $$"_s);
        QCOMPARE(heard.size(), 2);
        QCOMPARE(heard[0], (QPair<QString, QString>{u"NOTICE"_s, u"hello from plpgsql"_s}));
        QCOMPARE(heard[1], (QPair<QString, QString>{u"WARNING"_s, u"careful now"_s}));
        const QStringList log = logSince(before);
        QVERIFY2(log.contains(u"info: server NOTICE: hello from plpgsql"_s), qPrintable(log.join(u'\n')));
        QVERIFY2(log.contains(u"warning: server WARNING: careful now"_s), qPrintable(log.join(u'\n')));
    }

    void applicationName()
    {
        const ConnectParams db = PgFixture::newDatabase(u"appname"_s);
        auto conn = PgFixture::connect(db);
        const QueryResult r = conn->exec(u"SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"_s);
        QCOMPARE(r.value(0, 0).toString(), u"dbops"_s);
        QCOMPARE(conn->parameterStatus(u"application_name"_s), u"dbops"_s);
        // An explicit application_name wins.
        ConnectParams named = db;
        named.set(u"application_name"_s, u"dbops-test"_s);
        auto other = PgConnection::open(named);
        QCOMPARE(other->exec(u"SELECT current_setting('application_name')"_s).value(0, 0).toString(), u"dbops-test"_s);
        QCOMPARE(conn->serverVersionNum() / 10000, 15);
        QVERIFY(conn->serverVersion().startsWith(u"15."_s));
        QCOMPARE(conn->user(), u"postgres"_s);
        QCOMPARE(conn->database(), db.value(u"dbname"_s));
        QVERIFY(conn->backendPid() > 0);
    }

    void pipeline()
    {
        auto conn = PgFixture::connect(PgFixture::newDatabase(u"pipe"_s));
        conn->exec(u"CREATE TABLE t(id int PRIMARY KEY, v text)"_s);
        int failed = 99;
        const QList<QueryResult> results = conn->execPipeline(
            {
                {u"INSERT INTO t VALUES ($1, $2)"_s, {1, u"one"_s}},
                {u"INSERT INTO t VALUES ($1, $2)"_s, {2, u"two"_s}},
                {u"SELECT count(*) FROM t WHERE id > $1"_s, {0}},
            },
            nullptr, &failed);
        QCOMPARE(failed, -1);
        QCOMPARE(results.size(), 3);
        QCOMPARE(results[0].affectedRows, 1);
        QCOMPARE(results[2].value(0, 0), QVariant(2LL));
        // The connection is back in normal mode.
        QCOMPARE(conn->exec(u"SELECT count(*) FROM t"_s).value(0, 0), QVariant(2LL));
    }

    void pipelineFailure_data()
    {
        QTest::addColumn<int>("badStep");
        QTest::newRow("first") << 0;
        QTest::newRow("middle") << 1;
        QTest::newRow("last") << 2;
    }
    void pipelineFailure()
    {
        QFETCH(int, badStep);
        auto conn = PgFixture::connect(PgFixture::newDatabase(u"pipefail"_s));
        conn->exec(u"CREATE TABLE t(id int PRIMARY KEY)"_s);
        QList<PipelineStep> steps = {
            {u"INSERT INTO t VALUES ($1)"_s, {1}},
            {u"INSERT INTO t VALUES ($1)"_s, {2}},
            {u"INSERT INTO t VALUES ($1)"_s, {3}},
        };
        steps[badStep] = {u"INSERT INTO missing_table VALUES ($1)"_s, {9}};
        int failed = -7;
        try
        {
            conn->execPipeline(steps, nullptr, &failed);
            QFAIL("the pipeline should have failed");
        }
        catch (const Exception &e)
        {
            QCOMPARE(e.error().sqlstate, u"42P01"_s);
            QCOMPARE(e.error().code, ErrorCode::OperationFailed);
        }
        QCOMPARE(failed, badStep);
        // The batch is one implicit transaction: nothing of it stays.
        QCOMPARE(conn->exec(u"SELECT count(*) FROM t"_s).value(0, 0), QVariant(0LL));
        // And no transaction is left open: BEGIN does not warn "already a transaction in progress".
        QStringList notices;
        conn->setNoticeListener([&](const QString &, const QString &m) { notices << m; });
        conn->exec(u"BEGIN"_s);
        conn->exec(u"INSERT INTO t VALUES (10)"_s);
        conn->exec(u"COMMIT"_s);
        QCOMPARE(notices, QStringList());
        QCOMPARE(conn->exec(u"SELECT count(*) FROM t"_s).value(0, 0), QVariant(1LL));
        // A second pipeline on the same connection works.
        QCOMPARE(conn->execPipeline({{u"SELECT $1::int"_s, {5}}}).first().value(0, 0), QVariant(5LL));
    }

    void lostConnection()
    {
        const ConnectParams db = PgFixture::newDatabase(u"lost"_s);
        auto victim = PgFixture::connect(db);
        auto killer = PgFixture::connect(db);
        const int pid = victim->backendPid();
        QCOMPARE(killer->exec(u"SELECT pg_terminate_backend($1)"_s, {pid}).value(0, 0), QVariant(true));
        auto r = victim->tryExec(u"SELECT 1"_s);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Connect);
        QVERIFY2(isTransient(r.error()), qPrintable(r.error().toString()));
        QVERIFY(!victim->isOk());
        // Later calls fail fast, the same way.
        auto again = victim->tryExec(u"SELECT 1"_s);
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::Connect);
        QVERIFY(isTransient(again.error()));
    }

    void connectRetriesTransientFailures()
    {
        ConnectParams p;
        p.set(u"host"_s, u"127.0.0.1"_s);
        p.set(u"port"_s, QString::number(deadPort()));
        p.set(u"user"_s, u"postgres"_s);
        ConnectOptions o;
        o.retry = RetryPolicy{.maxRetries = 2, .initialBackoffMs = 50, .multiplier = 2.0, .maxBackoffMs = 1000, .jitter = 0.0};
        const qint64 before = lastLogId();
        QElapsedTimer t;
        t.start();
        auto conn = PgConnection::tryOpen(p, o);
        const qint64 elapsed = t.elapsed();
        QVERIFY(!conn);
        QCOMPARE(conn.error().code, ErrorCode::Connect);
        QVERIFY2(conn.error().message.contains(u"Connection refused"_s), qPrintable(conn.error().message));
        QVERIFY2(elapsed >= 150 && elapsed < 30000, qPrintable(QString::number(elapsed))); // the backoffs waited; the log says which
        QStringList retries;
        for (const QString &line : logSince(before))
            if (line.startsWith(u"warning:"_s) && line.contains(u"retry"_s))
                retries << line;
        QCOMPARE(retries.size(), 2);
        QVERIFY2(retries[0].contains(u"retry 1/2 in 50 ms"_s), qPrintable(retries[0]));
        QVERIFY2(retries[1].contains(u"retry 2/2 in 100 ms"_s), qPrintable(retries[1]));
    }

    void connectBudgetBoundsRetriesAndTime()
    {
        // One budget for the whole operation: the connection's retries draw on it, and the
        // error says how long it tried, how many attempts, the budget and the last reason.
        ConnectParams p;
        p.set(u"host"_s, u"127.0.0.1"_s);
        p.set(u"port"_s, QString::number(deadPort()));
        p.set(u"user"_s, u"postgres"_s);
        ConnectOptions o;
        o.retry = RetryPolicy{.maxRetries = 10, .initialBackoffMs = 50, .multiplier = 1.0, .maxBackoffMs = 1000, .jitter = 0.0};
        RetryBudget budget(2, 60000, u"TEST_BUDGET"_s);
        o.budget = &budget;
        auto conn = PgConnection::tryOpen(p, o);
        QVERIFY(!conn);
        QCOMPARE(conn.error().code, ErrorCode::Connect);
        QVERIFY2(conn.error().message.contains(u"gave up after 3 attempt(s)"_s), qPrintable(conn.error().message));
        QVERIFY(conn.error().message.contains(u"a wait budget of 60.0 s from TEST_BUDGET, at most 2 retries in all"_s));
        QVERIFY(conn.error().message.contains(u"Connection refused"_s));
        QCOMPARE(budget.retriesUsed(), 2);
        QVERIFY(budget.gaveUp());
        // A caller's own loop sharing the budget gets no further retry.
        QVERIFY(!budget.retry(o.retry, nullptr));
    }

    void connectBudgetCutsTheConnectTimeoutOfAHungServer()
    {
        // A server that accepts TCP and never answers: each attempt waits connect_timeout, cut
        // to what is left of the budget, instead of 10 s times every nested retry.
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        QVERIFY(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0 && ::listen(fd, 16) == 0);
        ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
        ConnectParams p;
        p.set(u"host"_s, u"127.0.0.1"_s);
        p.set(u"port"_s, QString::number(ntohs(addr.sin_port)));
        p.set(u"user"_s, u"postgres"_s);
        p.set(u"connect_timeout"_s, u"30"_s);
        ConnectOptions o;
        o.retry = RetryPolicy{.maxRetries = 3, .initialBackoffMs = 100, .multiplier = 2.0, .maxBackoffMs = 1000, .jitter = 0.0};
        RetryBudget budget(3, 3000, u"MIGRATION_MAX_WAIT_TIME"_s);
        o.budget = &budget;
        QElapsedTimer t;
        t.start();
        auto conn = PgConnection::tryOpen(p, o);
        const qint64 ms = t.elapsed();
        ::close(fd);
        QVERIFY(!conn);
        QCOMPARE(conn.error().code, ErrorCode::Connect);
        QVERIFY2(ms >= 2500 && ms < 3000 + 10000, qPrintable(QString::number(ms)));
        QVERIFY2(conn.error().message.contains(u"a wait budget of 3.0 s from MIGRATION_MAX_WAIT_TIME"_s), qPrintable(conn.error().message));
        QVERIFY2(conn.error().message.contains(u"timeout expired"_s), qPrintable(conn.error().message));
    }

    void connectCancelledDuringBackoff()
    {
        ConnectParams p;
        p.set(u"host"_s, u"127.0.0.1"_s);
        p.set(u"port"_s, QString::number(deadPort()));
        ConnectOptions o;
        o.retry = RetryPolicy{.maxRetries = 5, .initialBackoffMs = 60000, .multiplier = 2.0, .maxBackoffMs = 60000, .jitter = 0.0};
        CancelToken token;
        QElapsedTimer t;
        t.start();
        const qint64 logBefore = lastLogId();
        std::thread canceller([&] {
            // Cancel once the first attempt has failed and the backoff has begun.
            dbops::test::waitUntil([&] { return logSince(logBefore).join(u'\n').contains(u"retry 1/5"_s); });
            token.cancel();
        });
        auto conn = PgConnection::tryOpen(p, o, &token);
        canceller.join();
        QVERIFY(!conn);
        QCOMPARE(conn.error().code, ErrorCode::Cancelled);
        // The cancel ended the 60 s backoff (a bound that holds under load).
        QVERIFY2(t.elapsed() < 30000, qPrintable(QString::number(t.elapsed())));
    }

    void authFailureIsNotRetried_data()
    {
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong password") << u"wrong"_s << u"password authentication failed"_s;
        QTest::newRow("no password") << QString() << u"no password supplied"_s;
    }
    void authFailureIsNotRetried()
    {
        QFETCH(QString, password);
        QFETCH(QString, expected);
        const ConnectParams db = PgFixture::newDatabase(u"auth"_s);
        auto admin = PgFixture::connect(db);
        const QString role = createRole(*admin, u"right-pass"_s);
        ConnectParams p = db;
        p.set(u"user"_s, role);
        p.password = password;
        ConnectOptions o;
        o.retry = RetryPolicy{.maxRetries = 3, .initialBackoffMs = 30000, .multiplier = 2.0, .maxBackoffMs = 30000, .jitter = 0.0};
        const qint64 before = lastLogId();
        QElapsedTimer t;
        t.start();
        auto conn = PgConnection::tryOpen(p, o);
        QVERIFY(!conn);
        QCOMPARE(conn.error().code, ErrorCode::Auth);
        QVERIFY2(conn.error().message.contains(expected), qPrintable(conn.error().message));
        QVERIFY(!isTransient(conn.error()));
        QVERIFY2(t.elapsed() < 20000, "an authentication failure must not wait for a (30 s) retry");
        for (const QString &line : logSince(before))
            QVERIFY2(!line.contains(u"retry"_s), qPrintable(line));
        // The right password works, and it is not kept in the connection's parameters' keywords.
        p.password = u"right-pass"_s;
        auto ok = PgConnection::open(p, o);
        QCOMPARE(ok->user(), role);
        QVERIFY(!ok->params().toDisplayString().contains(u"right-pass"_s));
    }

    void unknownRoleIsAuth()
    {
        ConnectParams p = PgFixture::sandbox().connectParams();
        p.set(u"user"_s, u"nobody_here"_s);
        p.password = u"x"_s;
        auto conn = PgConnection::tryOpen(p);
        QVERIFY(!conn);
        QVERIFY2(conn.error().code == ErrorCode::Auth, qPrintable(conn.error().toString()));
        QVERIFY(!isTransient(conn.error()));
    }

    void missingDatabaseIsNotFound()
    {
        auto conn = PgConnection::tryOpen(PgFixture::sandbox().connectParams(u"no_such_db_here"_s));
        QVERIFY(!conn);
        QCOMPARE(conn.error().code, ErrorCode::NotFound);
        QVERIFY(conn.error().message.contains(u"no_such_db_here"_s));
        QVERIFY(!isTransient(conn.error()));
    }

    // --- retry policy ---------------------------------------------------------------------------

    void retryDelay_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<double>("base");
        QTest::newRow("1") << 1 << 100.0;
        QTest::newRow("2") << 2 << 200.0;
        QTest::newRow("3") << 3 << 400.0;
        QTest::newRow("4") << 4 << 800.0;
        QTest::newRow("5 capped") << 5 << 1000.0;
        QTest::newRow("30 capped") << 30 << 1000.0;
    }
    void retryDelay()
    {
        QFETCH(int, retry);
        QFETCH(double, base);
        const RetryPolicy policy{.maxRetries = 5, .initialBackoffMs = 100, .multiplier = 2.0, .maxBackoffMs = 1000, .jitter = 0.25};
        int lo = INT_MAX, hi = 0;
        for (int i = 0; i < 500; ++i)
        {
            const int d = policy.delayMs(retry);
            QVERIFY2(d >= int(base * 0.75) && d <= int(base * 1.25) + 1, qPrintable(QString::number(d)));
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        QVERIFY2(hi - lo > base * 0.1, "jitter should spread the delays");
        RetryPolicy exact = policy;
        exact.jitter = 0;
        QCOMPARE(exact.delayMs(retry), int(base));
    }

    void transient_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("sqlstate");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("transient");
        QTest::newRow("refused") << int(ErrorCode::Connect) << QString() << u"connection refused"_s << true;
        QTest::newRow("admin shutdown") << int(ErrorCode::Connect) << u"57P01"_s << u"terminating"_s << true;
        QTest::newRow("serialization") << int(ErrorCode::OperationFailed) << u"40001"_s << u"could not serialize"_s << true;
        QTest::newRow("deadlock") << int(ErrorCode::OperationFailed) << u"40P01"_s << u"deadlock detected"_s << true;
        QTest::newRow("lock not available") << int(ErrorCode::OperationFailed) << u"55P03"_s << u"lock"_s << true;
        QTest::newRow("starting up") << int(ErrorCode::Connect) << QString() << u"FATAL: the database system is starting up"_s << true;
        QTest::newRow("auth") << int(ErrorCode::Auth) << QString() << u"password authentication failed for user"_s << false;
        QTest::newRow("no password") << int(ErrorCode::Connect) << QString() << u"fe_sendauth: no password supplied"_s << false;
        QTest::newRow("sql error") << int(ErrorCode::OperationFailed) << u"42P01"_s << u"relation does not exist"_s << false;
        QTest::newRow("cancelled") << int(ErrorCode::Cancelled) << u"57014"_s << u"canceling statement"_s << false;
        QTest::newRow("bad input") << int(ErrorCode::BadInput) << QString() << u"invalid port"_s << false;
    }
    void transient()
    {
        QFETCH(int, code);
        QFETCH(QString, sqlstate);
        QFETCH(QString, message);
        QFETCH(bool, transient);
        Error e = Error::make(ErrorCode(code), message);
        e.sqlstate = sqlstate;
        QCOMPARE(isTransient(e), transient);
    }

    void withRetryStopsAtNonTransient()
    {
        const RetryPolicy policy{.maxRetries = 3, .initialBackoffMs = 1, .multiplier = 1.0, .maxBackoffMs = 1, .jitter = 0};
        int calls = 0;
        const int v = withRetry(policy, nullptr, u"flaky"_s, [&] {
            if (++calls < 3)
                throw Exception(ErrorCode::Connect, u"connection refused"_s);
            return 7;
        });
        QCOMPARE(v, 7);
        QCOMPARE(calls, 3);
        calls = 0;
        QVERIFY_THROWS_EXCEPTION(Exception, withRetry(policy, nullptr, u"bad"_s, [&]() -> int {
                                     ++calls;
                                     throw Exception(ErrorCode::Auth, u"password authentication failed"_s);
                                 }));
        QCOMPARE(calls, 1);
        calls = 0;
        QVERIFY_THROWS_EXCEPTION(Exception, withRetry(policy, nullptr, u"down"_s, [&]() -> int {
                                     ++calls;
                                     throw Exception(ErrorCode::Connect, u"connection refused"_s);
                                 }));
        QCOMPARE(calls, 4);
    }
};

QTEST_GUILESS_MAIN(TestDb)
#include "test_db.moc"

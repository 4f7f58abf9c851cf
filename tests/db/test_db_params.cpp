// ConnectParams (parse, display, multi-host strings) and SqliteSession, against a real PostgreSQL 15
// where a string must connect (STYLE T4); test_db has PgConnection and RetryPolicy.
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

#include <unistd.h>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::deadPort;
using dbops::test::PgFixture;

class TestDbParams final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        dbops::test::forgetPasswords();
    }

    // --- ConnectParams ----------------------------------------------------------------------------

    void parseGood_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected"); // key=value pairs that must be present
        QTest::addColumn<QString>("password");
        QTest::newRow("uri") << u"postgresql://app@db.example:5433/orders?sslmode=require"_s
                             << QStringList{u"user=app"_s, u"host=db.example"_s, u"port=5433"_s, u"dbname=orders"_s, u"sslmode=require"_s}
                             << QString();
        QTest::newRow("uri with password") << u"postgres://app:s3cr%40t@db/orders"_s
                                           << QStringList{u"user=app"_s, u"host=db"_s, u"dbname=orders"_s} << u"s3cr@t"_s;
        QTest::newRow("uri socket host") << u"postgresql://postgres@/db?host=/tmp/sock&port=6000"_s
                                         << QStringList{u"host=/tmp/sock"_s, u"port=6000"_s, u"dbname=db"_s} << QString();
        QTest::newRow("ipv6") << u"postgresql://[::1]:5432/x"_s << QStringList{u"host=::1"_s, u"port=5432"_s} << QString();
        QTest::newRow("keywords") << u"host=h port=5432 dbname=d user=u"_s
                                  << QStringList{u"host=h"_s, u"port=5432"_s, u"dbname=d"_s, u"user=u"_s} << QString();
        QTest::newRow("keywords with password") << u"host=h password='a b' user=u"_s << QStringList{u"host=h"_s, u"user=u"_s} << u"a b"_s;
        QTest::newRow("multi host") << u"postgresql://h1:5432,h2:5433/d"_s << QStringList{u"host=h1,h2"_s, u"port=5432,5433"_s}
                                    << QString();
    }
    void parseGood()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        QFETCH(QString, password);
        auto p = ConnectParams::parse(text);
        QVERIFY2(p, p ? "" : qPrintable(p.error().toString()));
        for (const QString &kv : expected)
            QCOMPARE(p->value(kv.section(u'=', 0, 0)), kv.section(u'=', 1));
        QCOMPARE(p->password, password);
        QVERIFY(!p->has(u"password"_s));
        if (!password.isEmpty())
            QVERIFY(!p->toDisplayString().contains(password));
    }

    void parseBad_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << u"   "_s << u"empty"_s;
        QTest::newRow("port not a number") << u"postgresql://host:notaport/db"_s << u"notaport"_s;
        QTest::newRow("keyword port not a number") << u"host=h port=abc"_s << u"abc"_s;
        QTest::newRow("port out of range") << u"host=h port=70000"_s << u"70000"_s;
        QTest::newRow("stray equals") << u"host=a = b"_s << u"\"=\""_s;
        QTest::newRow("unclosed ipv6") << u"postgresql://[::1"_s << u"]"_s;
        QTest::newRow("unknown keyword") << u"host=h nosuchoption=1"_s << u"nosuchoption"_s;
        QTest::newRow("unterminated quote") << u"host='abc"_s << u"quoted"_s;
        QTest::newRow("bad sslmode") << u"host=h sslmode=sometimes"_s << u"sometimes"_s;
        QTest::newRow("bad uri parameter") << u"postgresql://h/db?frobnicate=1"_s << u"frobnicate"_s;
        QTest::newRow("connect_timeout not a number") << u"postgresql://h/db?connect_timeout=abc"_s << u"connect_timeout \"abc\""_s;
        QTest::newRow("connect_timeout negative") << u"host=h connect_timeout=-5"_s << u"connect_timeout \"-5\""_s;
        QTest::newRow("keepalives_idle not a number") << u"host=h keepalives_idle=soon"_s << u"keepalives_idle"_s;
        QTest::newRow("bad target_session_attrs") << u"host=h target_session_attrs=writable"_s << u"writable"_s;
    }
    void parseBad()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        auto p = ConnectParams::parse(text);
        QVERIFY2(!p, "malformed input must be refused");
        QCOMPARE(p.error().code, ErrorCode::BadInput);
        QVERIFY2(p.error().message.contains(mentions), qPrintable(p.error().message));
    }

    void displayString()
    {
        ConnectParams p;
        p.set(u"host"_s, u"/tmp/my socket"_s);
        p.set(u"dbname"_s, u"it's"_s);
        p.set(u"user"_s, u"u"_s);
        p.password = u"topsecret"_s;
        const QString s = p.toDisplayString();
        QVERIFY(!s.contains(u"topsecret"_s));
        // What we display parses back to the same keywords.
        auto back = ConnectParams::parse(s);
        QVERIFY2(back, qPrintable(s));
        QCOMPARE(back->value(u"host"_s), u"/tmp/my socket"_s);
        QCOMPARE(back->value(u"dbname"_s), u"it's"_s);
        QCOMPARE(p.shortName(), u"u@local/it's"_s);
        p.set(u"host"_s, u"db.example"_s);
        p.set(u"port"_s, u"5433"_s);
        QCOMPARE(p.shortName(), u"u@db.example:5433/it's"_s);
        p.remove(u"user"_s);
        QVERIFY(!p.has(u"user"_s));
    }

    // --- SqliteSession ----------------------------------------------------------------------------

    void sqlite()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"local.db"_s);
        {
            auto s = SqliteSession::open(path);
            QCOMPARE(s->path(), path);
            QVERIFY(s->sqliteVersion().startsWith(u"3."_s));
            s->exec(u"CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)"_s);
            s->exec(u"INSERT INTO items(name, qty) VALUES(?, ?)"_s, {u"bolt"_s, 3});
            s->exec(u"INSERT INTO items(name, qty) VALUES(?, ?)"_s, {u"it's"_s, QVariant()});
            const QueryResult r = s->exec(u"SELECT name, qty FROM items WHERE name = ?"_s, {u"it's"_s});
            QCOMPARE(r.columns, (QStringList{u"name"_s, u"qty"_s}));
            QCOMPARE(r.rowCount(), 1);
            QCOMPARE(r.text(0, u"name"_s), u"it's"_s);
            QVERIFY(r.isNull(0, u"qty"_s));
            QVERIFY_THROWS_EXCEPTION(Exception, s->exec(u"SELECT * FROM nope"_s));
        }
        // Reopened read-only, the data is there.
        auto ro = SqliteSession::open(path, true);
        QCOMPARE(ro->exec(u"SELECT sum(qty) FROM items"_s).value(0, 0).toLongLong(), 3LL);
    }

    void sqliteRejects_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("readOnly");
        QTest::addColumn<bool>("create");
        QTest::newRow("text file") << QByteArray("this is not a database\n") << false << true;
        QTest::newRow("text file read-only") << QByteArray("hello") << true << true;
        QTest::newRow("missing read-only") << QByteArray() << true << false;
    }
    void sqliteRejects()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, readOnly);
        QFETCH(bool, create);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"notes.txt"_s);
        if (create)
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        try
        {
            SqliteSession::open(path, readOnly);
            QFAIL("should refuse");
        }
        catch (const Exception &e)
        {
            QCOMPARE(e.error().code, ErrorCode::BadInput);
            QVERIFY2(e.error().message.contains(path), qPrintable(e.error().message));
        }
        if (create)
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), content);
        }
    }

    // ---- multi-host connection strings (libpq tries h1:p1, h2:p2 in order) ----------------------

    static QString multiHostUri(const ConnectParams &db, int dead)
    {
        return u"postgresql://postgres@127.0.0.1:%1,%2:%3/%4"_s.arg(dead).arg(
            QString::fromLatin1(QUrl::toPercentEncoding(db.value(u"host"_s))), db.value(u"port"_s), db.value(u"dbname"_s));
    }

    void multiHostUrlKeepsEveryPortAndSaysWhoAnswered()
    {
        // The first host:port is a closed port on 127.0.0.1, the second the sandbox (its socket).
        const ConnectParams db = PgFixture::newDatabase(u"multihost"_s);
        const int dead = deadPort();
        const QString sock = db.value(u"host"_s), port = db.value(u"port"_s);
        auto profile = ConnectionProfile::fromUrl(u"mh"_s, multiHostUri(db, dead));
        QVERIFY2(profile, qPrintable(profile ? QString() : profile.error().message));
        auto params = profile->toConnectParams();
        QVERIFY(params);
        QCOMPARE(params->value(u"port"_s), u"%1,%2"_s.arg(dead).arg(port));
        QCOMPARE(params->value(u"host"_s), u"127.0.0.1,"_s + sock);
        QCOMPARE(profile->targetDescription(), u"postgres@127.0.0.1:%1,local:%2/%3"_s.arg(dead).arg(port, db.value(u"dbname"_s)));
        auto conn = PgConnection::open(*params);
        QCOMPARE(conn->port(), port);
        QCOMPARE(conn->host(), sock);
        QCOMPARE(conn->answeredBy(), sock + u':' + port);
        QCOMPARE(conn->exec(u"SELECT current_database()"_s).value(0, 0).toString(), db.value(u"dbname"_s));
    }

    void multiHostKeywordStringKeepsEveryPort()
    {
        const ConnectParams db = PgFixture::newDatabase(u"multikw"_s);
        const int dead = deadPort();
        const QString sock = db.value(u"host"_s), port = db.value(u"port"_s);
        const QString kw = u"host=127.0.0.1,%1 port=%2,%3 user=postgres dbname=%4"_s.arg(sock).arg(dead).arg(port, db.value(u"dbname"_s));
        auto profile = ConnectionProfile::fromUrl(u"mk"_s, kw);
        QVERIFY(profile);
        auto params = profile->toConnectParams();
        QVERIFY(params);
        auto conn = PgConnection::open(*params);
        QCOMPARE(conn->answeredBy(), sock + u':' + port);
        // One port for every host is libpq's other form; a count that fits neither is refused up front.
        QVERIFY(ConnectParams::parse(u"host=a,b port=5433"_s));
        auto bad = ConnectParams::parse(u"host=a,b,c port=5433,5434"_s);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::BadInput);
        QVERIFY2(bad.error().message.contains(u"2 ports for 3 hosts"_s), qPrintable(bad.error().message));
    }

    void profilesTestReportsTheHostThatAnswered()
    {
        const ConnectParams db = PgFixture::newDatabase(u"multicli"_s);
        const int dead = deadPort();
        const QString sock = db.value(u"host"_s), port = db.value(u"port"_s);
        for (const bool json : {true, false})
        {
            QProcess p;
            p.setProcessEnvironment(dbops::test::cliEnvironment());
            QStringList args{u"profiles"_s, u"test"_s, u"--db"_s, multiHostUri(db, dead)};
            if (json)
                args << u"--json"_s;
            p.start(PgFixture::cliPath(), args);
            QVERIFY(p.waitForFinished(120000));
            const QString out = QString::fromUtf8(p.readAllStandardOutput()), err = QString::fromUtf8(p.readAllStandardError());
            QVERIFY2(p.exitCode() == 0, qPrintable(out + err));
            if (json)
            {
                const QJsonObject answered = QJsonDocument::fromJson(out.toUtf8()).object()[u"answered_by"_s].toObject();
                QCOMPARE(answered[u"host"_s].toString(), sock);
                QCOMPARE(answered[u"port"_s].toString(), port);
            }
            else
                QVERIFY2(out.contains(u"answered by "_s + sock + u':' + port), qPrintable(out));
        }
    }

    void redactionOfMultiHostUrisAndRawAtSigns()
    {
        const struct
        {
            QString text, secret, kept;
        } cases[] = {
            {u"postgresql://u:p@ss@h1:5433,h2:5434/db"_s, u"p@ss"_s, u"h1:5433,h2:5434/db"_s},
            {u"connecting to postgresql://u:s3cr@t@h1:5433,h2:5434/db?sslmode=require failed"_s, u"s3cr"_s, u"h1:5433,h2:5434/db"_s},
            {u"postgres://user@server:Pw0rd@h1,h2/db"_s, u"Pw0rd"_s, u"h1,h2/db"_s},
            {u"postgresql://u:a%40b@h1:1,h2:2/db"_s, u"a%40b"_s, u"h1:1,h2:2/db"_s},
        };
        for (const auto &c : cases)
        {
            const QString r = redactSecrets(c.text);
            QVERIFY2(!r.contains(c.secret), qPrintable(r));
            QVERIFY2(!r.contains(u"ss@"_s) && !r.contains(u"t@h1"_s), qPrintable(r));
            QVERIFY2(r.contains(c.kept), qPrintable(r));
        }
        // Nothing to hide: a multi-host URI without a password stays as it is.
        QCOMPARE(redactSecrets(u"postgresql://u@h1:5433,h2:5434/db"_s), u"postgresql://u@h1:5433,h2:5434/db"_s);
    }
};

QTEST_GUILESS_MAIN(TestDbParams)
#include "test_db_params.moc"

// Error mapping, secret redaction and the logging pipeline (every sink sees redacted text).
#include "core/error.h"
#include "core/logging/log.h"
#include "core/logging/logbuffer.h"
#include "core/logging/redact.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

class TestCore final : public QObject
{
    Q_OBJECT

private slots:
    void exitCode_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("exit");
        QTest::newRow("problems") << int(ErrorCode::ProblemsFound) << 1;
        QTest::newRow("usage") << int(ErrorCode::Usage) << 2;
        QTest::newRow("bad input") << int(ErrorCode::BadInput) << 2;
        QTest::newRow("not found") << int(ErrorCode::NotFound) << 2;
        QTest::newRow("connect") << int(ErrorCode::Connect) << 3;
        QTest::newRow("auth") << int(ErrorCode::Auth) << 3;
        QTest::newRow("lock timeout") << int(ErrorCode::LockTimeout) << 4;
        QTest::newRow("operation failed") << int(ErrorCode::OperationFailed) << 5;
        QTest::newRow("internal") << int(ErrorCode::Internal) << 5;
        QTest::newRow("io") << int(ErrorCode::Io) << 5;
        QTest::newRow("cancelled") << int(ErrorCode::Cancelled) << 5;
    }
    void exitCode()
    {
        QFETCH(int, code);
        QFETCH(int, exit);
        QCOMPARE(Error::make(ErrorCode(code), u"x"_s).exitCode(), exit);
    }

    void toString_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("sqlstate");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<QString>("hint");
        QTest::addColumn<QString>("expected");
        QTest::newRow("message only") << QString() << QString() << QString() << QString() << u"boom"_s;
        QTest::newRow("sqlstate") << QString() << u"42P01"_s << QString() << QString() << u"boom (SQLSTATE 42P01)"_s;
        QTest::newRow("all") << u"V2__x.sql"_s << u"23505"_s << u"Key (id)=(1) already exists."_s << u"try again"_s
                             << u"V2__x.sql: boom (SQLSTATE 23505)\nDETAIL: Key (id)=(1) already exists.\nHINT: try again"_s;
    }
    void toString()
    {
        QFETCH(QString, context);
        QFETCH(QString, sqlstate);
        QFETCH(QString, detail);
        QFETCH(QString, hint);
        QFETCH(QString, expected);
        Error e = Error::make(ErrorCode::OperationFailed, u"boom"_s, context);
        e.sqlstate = sqlstate;
        e.detail = detail;
        e.hint = hint;
        QCOMPARE(e.toString(), expected);
        QCOMPARE(QString::fromUtf8(Exception(e).what()), expected);
    }

    void catchErrorsTurnsExceptionsIntoErrors()
    {
        auto r = catchErrors([]() -> int { throw Exception(ErrorCode::NotFound, u"nope"_s); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::NotFound);
        QCOMPARE(r.error().message, u"nope"_s);
        auto s = catchErrors([]() -> int { throw std::runtime_error("std"); });
        QCOMPARE(s.error().code, ErrorCode::Internal);
        QCOMPARE(s.error().message, u"std"_s);
        auto ok = catchErrors([] { return 7; });
        QCOMPARE(ok.value(), 7);
    }

    void redact_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("uri") << u"postgresql://user:s3cret@host/db"_s << u"postgresql://user:***@host/db"_s;
        QTest::newRow("uri postgres scheme in text") << u"connecting to postgres://app:s3cret@db.example:5432/app now"_s
                                                     << u"connecting to postgres://app:***@db.example:5432/app now"_s;
        QTest::newRow("uri query password") << u"postgresql://u@h/db?password=s3cret&sslmode=require"_s
                                            << u"postgresql://u@h/db?password=***&sslmode=require"_s;
        QTest::newRow("keyword") << u"host=h password=s3cret dbname=d"_s << u"host=h password=*** dbname=d"_s;
        QTest::newRow("keyword spaces") << u"host=h password = s3cret dbname=d"_s << u"host=h password = *** dbname=d"_s;
        QTest::newRow("quoted") << u"host=h password='a b' dbname=d"_s << u"host=h password=*** dbname=d"_s;
        QTest::newRow("quoted escaped") << u"password='a\\' b' user=u"_s << u"password=*** user=u"_s;
        QTest::newRow("PGPASSWORD") << u"PGPASSWORD=x psql"_s << u"PGPASSWORD=*** psql"_s;
        QTest::newRow("sslpassword") << u"sslkey=/k sslpassword=keypass"_s << u"sslkey=/k sslpassword=***"_s;
        QTest::newRow("punctuation in value") << u"password=ab;cd,ef host=h"_s << u"password=*** host=h"_s;
        QTest::newRow("upper case") << u"PASSWORD=s3cret"_s << u"PASSWORD=***"_s;
        QTest::newRow("no secrets") << u"SELECT * FROM passwords WHERE user_id = 1; host=h dbname=d"_s
                                    << u"SELECT * FROM passwords WHERE user_id = 1; host=h dbname=d"_s;
        QTest::newRow("uri without password") << u"postgresql://user@host:5432/db"_s << u"postgresql://user@host:5432/db"_s;
        QTest::newRow("empty") << QString() << QString();
    }
    void redact()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(redactSecrets(input), expected);
        QCOMPARE(QString::fromStdString(redactSecrets(std::string_view(input.toStdString()))), expected);
    }

    void logSinksAreRedacted()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        logging::Options o;
        o.toFile = true;
        o.toBuffer = true;
        o.toStderr = true;
        o.stderrLevel = spdlog::level::critical; // keep the test output clean; the sink is still installed
        o.fileDir = dir.path();
        logging::init(o);
        QCOMPARE(logging::logFilePath(), dir.path() + u"/dbops.log"_s);

        const qint64 before = LogBuffer::instance()->records().isEmpty() ? 0 : LogBuffer::instance()->records().last().id;
        spdlog::info("connecting to {} with {}", u"postgresql://app:UriSecret1@db/app"_s, u"host=db password=KwSecret2"_s);
        spdlog::default_logger()->flush();

        const QList<LogRecord> records = LogBuffer::instance()->records(before);
        QCOMPARE(records.size(), 1);
        const QString message = records.first().message;
        QCOMPARE(dbops::toString(records.first().level), u"info"_s);
        QCOMPARE(records.first().logger, u"dbops"_s);
        QVERIFY2(!message.contains(u"UriSecret1"_s), qPrintable(message));
        QVERIFY2(!message.contains(u"KwSecret2"_s), qPrintable(message));
        QCOMPARE(message, u"connecting to postgresql://app:***@db/app with host=db password=***"_s);

        QFile file(logging::logFilePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY2(text.contains("postgresql://app:***@db/app with host=db password=***"), text.constData());
        QVERIFY(!text.contains("UriSecret1"));
        QVERIFY(!text.contains("KwSecret2"));

        // Leave a logger that does not write into the folder about to be removed.
        logging::Options quiet;
        quiet.toFile = false;
        quiet.stderrLevel = spdlog::level::warn;
        logging::init(quiet);
        QVERIFY(logging::logFilePath().isEmpty());
    }

    void logBufferIsARing()
    {
        LogBuffer *buffer = LogBuffer::instance();
        const int cap = buffer->capacity();
        for (int i = 0; i < cap + 10; ++i)
            buffer->append(LogRecord{.message = u"line %1"_s.arg(i)});
        const QList<LogRecord> all = buffer->records();
        QCOMPARE(all.size(), cap);
        QCOMPARE(all.last().message, u"line %1"_s.arg(cap + 9));
        QCOMPARE(buffer->records(all.last().id - 1).size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "test_core.moc"

// The managed sandbox is asked to start at every connect (the lock probe reconnecting every 2 s, the
// lock monitor): the log says what changed ("already running on port N" once), not every ask.
#include "core/logging/logbuffer.h"
#include "core/sandbox/sandbox.h"
#include "tests/support/pgfixture.h"

#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::PgFixture;

class TestSandboxPolls final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        test::quietLogging();
    }

    void pollsOfARunningSandboxLogAtMostOneLine()
    {
        const QList<LogRecord> before = LogBuffer::instance()->records();
        const qint64 after = before.isEmpty() ? 0 : before.last().id;
        // As LocalSandbox::start does at every connect: a new Sandbox over the running cluster's folder.
        SandboxOptions options;
        options.dataDir = PgFixture::sandbox().dataDir();
        for (int i = 0; i < 10; ++i)
        {
            Sandbox s(options);
            const auto started = s.start();
            QVERIFY2(started.has_value(), qPrintable(started ? QString() : started.error().toString()));
            QCOMPARE(s.port(), PgFixture::sandbox().port());
        }
        int lines = 0;
        for (const LogRecord &r : LogBuffer::instance()->records(after))
            if (r.message.contains(u"sandbox"_s))
                ++lines;
        QVERIFY2(lines <= 1, qPrintable(u"%1 lines for 10 polls of a running sandbox"_s.arg(lines)));
    }
};

QTEST_GUILESS_MAIN(TestSandboxPolls)
#include "test_sandbox_polls.moc"

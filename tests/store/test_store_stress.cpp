// The store under many short CLI runs at once, with a busy loop beside them (issue 10): every run of
// a store-touching command exits 0, with no crash at exit. The store's per-thread SQLite connections
// used to be closed from a thread_local destructor, which (Qt 6.4) runs after QThread::wait() has
// returned, while exit() is already destroying Qt SQL's connection list: `free(): invalid pointer`,
// SIGABRT or SIGSEGV after a successful backup or verify, about one run in 250 under load.
#include "tests/support/cli.h"
#include "tests/support/pgfixture.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::test;

namespace
{
    struct Outcome
    {
        QStringList args;
        QProcess::ExitStatus status = QProcess::NormalExit;
        int exitCode = -1;
        QString err;
        bool timedOut = false;
    };

    /// A child `sh -c 'while :; do :; done'` for the test's lifetime: one core kept busy, as in CI.
    class BusyLoop final
    {
    public:
        BusyLoop()
        {
            m_process.start(u"sh"_s, {u"-c"_s, u"while :; do :; done"_s});
            m_process.waitForStarted(30000);
        }
        ~BusyLoop()
        {
            m_process.kill();
            m_process.waitForFinished(30000);
        }
        bool isRunning() const { return m_process.state() == QProcess::Running; }

    private:
        QProcess m_process;
    };
}

class TestStoreStress final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home; // a private DBOPS_HOME: the store, the catalog and the backups folder
    QString m_profile;
    QString m_url;
    QString m_backupId;

    QProcessEnvironment environment() const { return cliEnvironment({}, m_home.path()); }

    Outcome runOne(const QStringList &args) const
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(PgFixture::cliPath(), args);
        Outcome o{args};
        o.timedOut = !p.waitForFinished(120000);
        if (o.timedOut)
        {
            p.kill();
            p.waitForFinished();
        }
        o.status = p.exitStatus();
        o.exitCode = p.exitCode();
        o.err = QString::fromUtf8(p.readAllStandardError()) + QString::fromUtf8(p.readAllStandardOutput());
        return o;
    }

    /// Runs every command line, `parallel` at a time; returns the outcomes of all of them.
    QList<Outcome> runAll(const QList<QStringList> &commands, int parallel) const
    {
        QList<Outcome> outcomes;
        QEventLoop loop;
        qsizetype next = 0;
        int running = 0;
        // One `backup` at a time: concurrent backups of one target are another fault (each syncs
        // the other's files in the shared folder, issue 10), not the one this test is about.
        bool backupRunning = false;
        std::vector<bool> started(size_t(commands.size()), false);
        const auto isBackup = [](const QStringList &args) { return args.value(0) == u"backup"_s; };
        std::function<void()> launch = [&] {
            while (running < parallel)
            {
                while (next < commands.size() && started[size_t(next)])
                    ++next;
                qsizetype pick = -1;
                for (qsizetype i = next; i < commands.size() && pick < 0; ++i)
                    if (!started[size_t(i)] && !(backupRunning && isBackup(commands.at(i))))
                        pick = i;
                if (pick < 0)
                    return;
                started[size_t(pick)] = true;
                const QStringList args = commands.at(pick);
                const bool backup = isBackup(args);
                backupRunning |= backup;
                auto *p = new QProcess(&loop);
                p->setProcessEnvironment(environment());
                ++running;
                QObject::connect(p, &QProcess::finished, &loop, [&, p, args, backup](int code, QProcess::ExitStatus status) {
                    outcomes.append(
                        {args, status, code, QString::fromUtf8(p->readAllStandardError()) + QString::fromUtf8(p->readAllStandardOutput())});
                    if (backup)
                        backupRunning = false;
                    p->deleteLater();
                    --running;
                    launch();
                    if (running == 0)
                        loop.quit();
                });
                QObject::connect(p, &QProcess::errorOccurred, &loop, [&, p, args, backup](QProcess::ProcessError error) {
                    if (error != QProcess::FailedToStart)
                        return; // a crash also ends in finished(CrashExit)
                    outcomes.append({args, QProcess::CrashExit, -1, u"failed to start: "_s + p->errorString()});
                    if (backup)
                        backupRunning = false;
                    p->deleteLater();
                    --running;
                    launch();
                    if (running == 0)
                        loop.quit();
                });
                p->start(PgFixture::cliPath(), args);
            }
        };
        // A bound for a hung child only, never a pass condition: the runs take seconds, not minutes.
        QTimer bound;
        bound.setSingleShot(true);
        QObject::connect(&bound, &QTimer::timeout, &loop, &QEventLoop::quit);
        bound.start(10 * 60 * 1000);
        launch();
        if (running > 0)
            loop.exec();
        for (QProcess *p : loop.findChildren<QProcess *>())
        {
            if (p->state() == QProcess::NotRunning)
                continue; // finished, its deletion still queued
            p->kill();
            p->waitForFinished();
            outcomes.append({p->arguments(), QProcess::CrashExit, -1, u"still running after 10 minutes"_s, true});
        }
        return outcomes;
    }

    static QString describe(const Outcome &o)
    {
        // Concatenated, never QString::arg: the URLs hold %2F.
        const QString how = o.timedOut ? u"timed out"_s : o.status == QProcess::CrashExit ? u"killed by a signal"_s : u"exited"_s;
        return u"dbops "_s + o.args.join(u' ') + u": "_s + how + u", exit code "_s + QString::number(o.exitCode) + u'\n'
               + o.err.right(2000);
    }

private slots:
    void initTestCase()
    {
        DBOPS_REQUIRE_PG();
        QVERIFY(m_home.isValid());
        const ConnectParams db = PgFixture::newDatabase(u"stress"_s);
        PgFixture::connect(db)->exec(u"CREATE TABLE t(x int PRIMARY KEY, label text); "
                                     u"INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 50) g"_s);
        const QString name = db.value(u"dbname"_s);
        m_url = PgFixture::sandbox().url(name);
        m_profile = u"stress-"_s + name;
        const Outcome added =
            runOne({u"profiles"_s, u"add"_s, m_profile, u"--env"_s, u"development"_s, u"--host"_s, PgFixture::sandbox().socketDir(),
                    u"--port"_s, QString::number(PgFixture::sandbox().port()), u"--dbname"_s, name, u"--user"_s, u"postgres"_s});
        QVERIFY2(added.status == QProcess::NormalExit && added.exitCode == 0, qPrintable(describe(added)));

        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(PgFixture::cliPath(), {u"backup"_s, u"--profile"_s, m_profile, u"--json"_s});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonObject entry = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(entry.value(u"verification"_s).toString(), u"verified"_s);
        m_backupId = QString::number(entry.value(u"id"_s).toInteger());
        QVERIFY(m_backupId != u"0"_s);
    }

    void storeCommandsExitCleanlyUnderLoad()
    {
        // Runs, in total, of the commands that open the store; DBOPS_STRESS_RUNS raises it when hunting.
        // On the old code about one run in 300 of a job that writes the store on a worker crashed
        // at exit here (4 of 2000 runs, 8 at a time): 400 runs, most of them such jobs, catch it
        // more often than not in under a minute; the unit test jobEndClosesItsStoreConnections
        // (test_store) catches the cause every time.
        const int runs = qEnvironmentVariableIsSet("DBOPS_STRESS_RUNS") ? qEnvironmentVariableIntValue("DBOPS_STRESS_RUNS") : 400;
        // Seven in ten runs are a job that writes the store on a worker thread (verify, backup),
        // the runs that crashed; the others read it on the main thread.
        QList<QStringList> commands;
        for (int i = 0; commands.size() < runs; ++i)
        {
            switch (i % 20)
            {
            case 0:
                commands << QStringList{u"backup"_s, u"--db"_s, m_url};
                break;
            case 10:
                commands << QStringList{u"backup"_s, u"--profile"_s, m_profile};
                break;
            case 5:
            case 11:
            case 15:
                commands << QStringList{u"profiles"_s, u"list"_s};
                break;
            case 3:
            case 8:
            case 13:
                commands << QStringList{u"backups"_s, u"--profile"_s, m_profile};
                break;
            default:
                commands << QStringList{u"backups"_s, u"verify"_s, m_backupId};
                break;
            }
        }

        const BusyLoop busy;
        QVERIFY(busy.isRunning());
        QElapsedTimer timer;
        timer.start();
        const int parallel = qEnvironmentVariableIsSet("DBOPS_STRESS_PARALLEL") ? qEnvironmentVariableIntValue("DBOPS_STRESS_PARALLEL") : 6;
        const QList<Outcome> outcomes = runAll(commands, parallel);
        qInfo("%lld runs of store-touching commands, %d at a time beside a busy loop: %lld ms", qlonglong(outcomes.size()), parallel,
              qlonglong(timer.elapsed()));
        QVERIFY(busy.isRunning());

        QCOMPARE(outcomes.size(), commands.size());
        QStringList failures;
        for (const Outcome &o : outcomes)
        {
            // glibc's heap checks print these before they abort.
            const bool crashed = o.status != QProcess::NormalExit || o.err.contains(u"free(): "_s) || o.err.contains(u"malloc(): "_s)
                                 || o.err.contains(u"double free"_s) || o.err.contains(u"corrupted size"_s);
            if (crashed || o.exitCode != 0 || o.timedOut)
                failures << describe(o);
        }
        QVERIFY2(failures.isEmpty(), qPrintable(QString::number(failures.size()) + u" of "_s + QString::number(outcomes.size())
                                                + u" runs failed; the first:\n"_s + failures.value(0)));
    }
};

QTEST_GUILESS_MAIN(TestStoreStress)
#include "test_store_stress.moc"

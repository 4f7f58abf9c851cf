// The name the next migration of a folder gets (nextmigration.h), in each convention the source
// reader knows, and what the reader makes of the file written under it.
#include "core/migrate/migrationsource.h"
#include "core/migrate/nextmigration.h"
#include "tests/support/files.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    QDateTime utc(const QString &iso)
    {
        QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
        t.setTimeSpec(Qt::UTC);
        return t;
    }

    /// The versioned migration with the highest version (loadMigrations lists them in order, repeatables last).
    const Migration *newestVersioned(const MigrationSet &set)
    {
        const Migration *newest = nullptr;
        for (const Migration &m : set.migrations)
            if (!m.isRepeatable())
                newest = &m;
        return newest;
    }

    QString describe(const Expected<MigrationSet> &set)
    {
        return set ? QString() : set.error().toString();
    }
}

class TestNextMigration final : public QObject
{
    Q_OBJECT

private slots:
    void conventions_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("now");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("convention");
        QTest::addColumn<bool>("mixed");

        const QString now = u"2026-02-03T10:20:30Z"_s;
        const QString numbered = u"numbered"_s, timestamp = u"timestamp"_s, flyway = u"flyway"_s, dateId = u"date id"_s;
        const QString reversible = u", reversible (.up.sql/.down.sql)"_s;

        QTest::newRow("empty folder") << QStringList{} << now << u"0001_drift_repair.sql"_s << u"0001"_s << numbered << false;
        QTest::newRow("no versioned file") << QStringList{u"README.md"_s, u"R__views.sql"_s, u"notes.txt"_s} << now
                                           << u"0001_drift_repair.sql"_s << u"0001"_s << numbered << false;
        QTest::newRow("numbered, 4 digits") << QStringList{u"0001_a.sql"_s, u"0002_b.sql"_s, u"0013_c.sql"_s} << now
                                            << u"0014_drift_repair.sql"_s << u"0014"_s << numbered << false;
        QTest::newRow("numbered, padding carried")
            << QStringList{u"0998_a.sql"_s, u"0999_b.sql"_s} << now << u"1000_drift_repair.sql"_s << u"1000"_s << numbered << false;
        QTest::newRow("numbered, no padding") << QStringList{u"1_a.sql"_s, u"2_b.sql"_s, u"9_c.sql"_s} << now << u"10_drift_repair.sql"_s
                                              << u"10"_s << numbered << false;
        QTest::newRow("numbered, hyphen") << QStringList{u"001-a.sql"_s, u"002-b.sql"_s} << now << u"003-drift_repair.sql"_s << u"003"_s
                                          << numbered << false;
        QTest::newRow("numbered, dotted") << QStringList{u"1.9_a.sql"_s, u"1.10_b.sql"_s} << now << u"1.11_drift_repair.sql"_s << u"1.11"_s
                                          << numbered << false;
        QTest::newRow("timestamp") << QStringList{u"20260101000000_a.sql"_s, u"20260201120000_b.sql"_s} << now
                                   << u"20260203102030_drift_repair.sql"_s << u"20260203102030"_s << timestamp << false;
        QTest::newRow("timestamp, newest in the future")
            << QStringList{u"20260101000000_a.sql"_s, u"20991231235959_b.sql"_s} << now << u"21000101000000_drift_repair.sql"_s
            << u"21000101000000"_s << timestamp << false;
        QTest::newRow("timestamp, same second") << QStringList{u"20260203102030_a.sql"_s} << now << u"20260203102031_drift_repair.sql"_s
                                                << u"20260203102031"_s << timestamp << false;
        QTest::newRow("flyway") << QStringList{u"V1__a.sql"_s, u"V2__b.sql"_s, u"V3__c.sql"_s} << now << u"V4__drift_repair.sql"_s << u"4"_s
                                << flyway << false;
        QTest::newRow("flyway dotted") << QStringList{u"V1__a.sql"_s, u"V1.1__b.sql"_s, u"V1.2__c.sql"_s} << now
                                       << u"V1.3__drift_repair.sql"_s << u"1.3"_s << flyway << false;
        QTest::newRow("flyway dotted, numeric order")
            << QStringList{u"V2.9__a.sql"_s, u"V2.10__b.sql"_s} << now << u"V2.11__drift_repair.sql"_s << u"2.11"_s << flyway << false;
        QTest::newRow("flyway underscore") << QStringList{u"V1_1__a.sql"_s} << now << u"V1_2__drift_repair.sql"_s << u"1_2"_s << flyway
                                           << false;
        QTest::newRow("flyway padded, with undo and repeatable")
            << QStringList{u"V001__a.sql"_s, u"V002__b.sql"_s, u"U002__b.sql"_s, u"R__views.sql"_s} << now << u"V003__drift_repair.sql"_s
            << u"003"_s << flyway << false;
        QTest::newRow("reversible numbered") << QStringList{u"0001_a.up.sql"_s, u"0001_a.down.sql"_s, u"0002_b.up.sql"_s,
                                                            u"0002_b.down.sql"_s}
                                             << now << u"0003_drift_repair.up.sql"_s << u"0003"_s << numbered + reversible << false;
        QTest::newRow("reversible golang-migrate") << QStringList{u"1_init.up.sql"_s, u"1_init.down.sql"_s} << now
                                                   << u"2_drift_repair.up.sql"_s << u"2"_s << numbered + reversible << false;
        QTest::newRow("reversible timestamp") << QStringList{u"20260101000000_a.up.sql"_s, u"20260101000000_a.down.sql"_s} << now
                                              << u"20260203102030_drift_repair.up.sql"_s << u"20260203102030"_s << timestamp + reversible
                                              << false;
        QTest::newRow("date id, today") << QStringList{u"2026-02-03-001-add-bot-id.sql"_s, u"2026-02-03-002-add-index.sql"_s} << now
                                        << u"2026-02-03-003-drift-repair.sql"_s << u"2026-02-03-003"_s << dateId << false;
        QTest::newRow("date id, first today") << QStringList{u"2026-01-30-007-a.sql"_s} << now << u"2026-02-03-001-drift-repair.sql"_s
                                              << u"2026-02-03-001"_s << dateId << false;
        QTest::newRow("date id, newest after today") << QStringList{u"2026-02-03-001-a.sql"_s, u"2026-03-01-009-b.sql"_s} << now
                                                     << u"2026-03-01-010-drift-repair.sql"_s << u"2026-03-01-010"_s << dateId << false;
        QTest::newRow("mixed, timestamp newest") << QStringList{u"0001_a.sql"_s, u"0002_b.sql"_s, u"20260201120000_c.sql"_s} << now
                                                 << u"20260203102030_drift_repair.sql"_s << u"20260203102030"_s << timestamp << true;
        QTest::newRow("mixed, numbered newest") << QStringList{u"V1__a.sql"_s, u"V2__b.sql"_s, u"0005_c.sql"_s} << now
                                                << u"0006_drift_repair.sql"_s << u"0006"_s << numbered << true;
        QTest::newRow("mixed, flyway newest") << QStringList{u"0001_a.sql"_s, u"V2__b.sql"_s} << now << u"V3__drift_repair.sql"_s << u"3"_s
                                              << flyway << true;
        QTest::newRow("mixed, reversible newest") << QStringList{u"0001_a.sql"_s, u"0002_b.up.sql"_s, u"0002_b.down.sql"_s} << now
                                                  << u"0003_drift_repair.up.sql"_s << u"0003"_s << numbered + reversible << true;
    }

    void conventions()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, now);
        QFETCH(QString, expected);
        QFETCH(QString, version);
        QFETCH(QString, convention);
        QFETCH(bool, mixed);
        QTemporaryDir dir;
        for (const QString &f : files)
            test::writeFile(dir.path(), f, f.endsWith(u".sql"_s) ? QByteArray("SELECT 1;\n") : QByteArray("not a migration\n"));
        const auto before = loadMigrations(dir.path());
        QVERIFY2(before, qPrintable(describe(before)));
        const Migration *previous = newestVersioned(*before);

        const auto next = nextMigration(dir.path(), u"drift repair"_s, utc(now));
        QVERIFY2(next, qPrintable(next ? QString() : next.error().toString()));
        QCOMPARE(next->fileName, expected);
        QCOMPARE(next->version, version);
        QCOMPARE(next->convention, convention);
        QCOMPARE(next->path, QDir(dir.path()).absoluteFilePath(expected));
        QVERIFY2(!QFile::exists(next->path), qPrintable(next->path));
        QVERIFY(!next->why.isEmpty());
        QCOMPARE(next->why.contains(u"mixes conventions"_s), mixed);
        if (previous)
            QVERIFY2(next->why.contains(previous->up.fileName), qPrintable(next->why));

        const QByteArray sql = "CREATE TABLE drift (id int);\n";
        const auto written = writeNextMigration(dir.path(), u"drift repair"_s, QString::fromUtf8(sql), utc(now));
        QVERIFY2(written, qPrintable(written ? QString() : written.error().toString()));
        QCOMPARE(written->fileName, next->fileName);
        QCOMPARE(written->path, next->path);
        QCOMPARE(test::readFile(written->path), sql);

        // The source reader lists it as the newest version, in the convention of the one that was newest.
        const auto after = loadMigrations(dir.path());
        QVERIFY2(after, qPrintable(describe(after)));
        const Migration *newest = newestVersioned(*after);
        QVERIFY(newest);
        QCOMPARE(newest->up.fileName, expected);
        QCOMPARE(newest->version.text(), version);
        QCOMPARE(newest->description, u"drift repair"_s);
        QVERIFY(!newest->down.has_value());
        QCOMPARE(newest->convention, previous ? previous->convention : u"sqlx"_s);
        if (previous)
            QVERIFY(newest->version > previous->version);
    }

    /// Two in a row with the same clock: each above the one before, no waiting.
    void consecutiveWritesKeepRising_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("numbered") << u"0007_a.sql"_s << QStringList{u"0008_x.sql"_s, u"0009_x.sql"_s, u"0010_x.sql"_s};
        QTest::newRow("timestamp") << u"20260101000000_a.sql"_s
                                   << QStringList{u"20260203102030_x.sql"_s, u"20260203102031_x.sql"_s, u"20260203102032_x.sql"_s};
        QTest::newRow("date id") << u"2026-02-03-098-a.sql"_s
                                 << QStringList{u"2026-02-03-099-x.sql"_s, u"2026-02-03-100-x.sql"_s, u"2026-02-03-101-x.sql"_s};
    }

    void consecutiveWritesKeepRising()
    {
        QFETCH(QString, first);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        test::writeFile(dir.path(), first, "SELECT 1;\n");
        for (const QString &name : expected)
        {
            const auto written = writeNextMigration(dir.path(), u"x"_s, u"SELECT 2;\n"_s, utc(u"2026-02-03T10:20:30Z"_s));
            QVERIFY2(written, qPrintable(written ? QString() : written.error().toString()));
            QCOMPARE(written->fileName, name);
        }
        const auto set = loadMigrations(dir.path());
        QVERIFY2(set, qPrintable(describe(set)));
        QCOMPARE(set->migrations.size(), expected.size() + 1);
        QCOMPARE(newestVersioned(*set)->up.fileName, expected.last());
    }

    void slug_data()
    {
        QTest::addColumn<QString>("description");
        QTest::addColumn<QString>("slug");
        QTest::newRow("words") << u"Drift repair"_s << u"drift_repair"_s;
        QTest::newRow("punctuation") << u"Fix: orders' total (v2)!"_s << u"fix_orders_total_v2"_s;
        QTest::newRow("underscores and hyphens") << u"__add--users__table"_s << u"add_users_table"_s;
        QTest::newRow("accents") << u"Café crème"_s << u"cafe_creme"_s;
        QTest::newRow("hostile") << u"x; DROP TABLE y; --/../"_s << u"x_drop_table_y"_s;
        QTest::newRow("empty") << QString() << u"drift_repair"_s;
        QTest::newRow("only punctuation") << u"  !!! ?? "_s << u"drift_repair"_s;
        QTest::newRow("long") << QString(100, u'a') << QString(60, u'a');
        QTest::newRow("long, cut at a separator") << QString(59, u'a') + u" bbb"_s << QString(59, u'a');
    }

    void slug()
    {
        QFETCH(QString, description);
        QFETCH(QString, slug);
        QCOMPARE(migrationSlug(description), slug);
        static const QRegularExpression allowed(u"^[a-z0-9_]{1,60}$"_s);
        QVERIFY(allowed.match(migrationSlug(description)).hasMatch());
        QTemporaryDir dir;
        const auto next = nextMigration(dir.path(), description);
        QVERIFY(next);
        QCOMPARE(next->fileName, u"0001_"_s + slug + u".sql"_s);
    }

    void badFolder_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("missing") << u"missing"_s;
        QTest::newRow("a file") << u"file"_s;
    }

    void badFolder()
    {
        QFETCH(QString, kind);
        QTemporaryDir scratch;
        const QString path = kind == u"missing"_s ? scratch.filePath(u"nonexistent/migrations"_s)
                                                  : test::writeFile(scratch.path(), u"0001_a.sql"_s, "SELECT 1;\n");
        const auto next = nextMigration(path, u"x"_s);
        QVERIFY(!next);
        QCOMPARE(int(next.error().code), int(ErrorCode::BadInput));
        QVERIFY2(next.error().message.contains(path), qPrintable(next.error().message));
        const auto written = writeNextMigration(path, u"x"_s, u"SELECT 1;"_s);
        QVERIFY(!written);
        QCOMPARE(int(written.error().code), int(ErrorCode::BadInput));
    }

    void emptySqlIsRefused()
    {
        QTemporaryDir dir;
        const auto written = writeNextMigration(dir.path(), u"x"_s, u"  \n"_s);
        QVERIFY(!written);
        QCOMPARE(int(written.error().code), int(ErrorCode::BadInput));
        QVERIFY(QDir(dir.path()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestNextMigration)
#include "test_next_migration.moc"

// The snapshot model without a server (issue 13): JSON round trip of every kind, bad snapshot
// files named, identifiers quoted as PostgreSQL does, schema patterns.

#include "core/schema/diff.h"
#include "core/schema/snapshot.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::schema;

class TestSchemaSnapshot final : public QObject
{
    Q_OBJECT

    static Snapshot sample()
    {
        Snapshot s;
        s.source = u"postgresql://local/db"_s;
        s.serverVersionNum = 150018;
        s.takenAt = QDateTime(QDate(2026, 12, 1), QTime(20, 0, 0, 123), QTimeZone::utc());
        for (ObjectKind kind : allKinds())
        {
            SchemaObject o;
            o.kind = kind;
            o.schema = kind == ObjectKind::Schema || kind == ObjectKind::Extension ? QString() : u"Sales"_s;
            o.table = kind == ObjectKind::Column || kind == ObjectKind::Trigger ? u"order"_s : QString();
            o.name = u"obj \"%1\""_s.arg(toString(kind));
            o.arguments = kind == ObjectKind::Function ? u"integer, text"_s : QString();
            o.attrs = {{u"definition"_s, u"SELECT 'é' -- ünïcode\n, 1"_s},
                       {u"acl"_s, jsonList({u"a=r/b"_s, u"\"Mixed\"=rw/b"_s})},
                       {u"_bytes"_s, u"8192"_s}};
            o.dependsOn = {u"schema:Sales"_s};
            s.objects << o;
        }
        s.notCompared << NotCompared{u"publication"_s, u"pub1"_s, u"not modelled by dbops"_s};
        s.finish();
        return s;
    }

private slots:
    void jsonRoundTripIsIdentical()
    {
        const Snapshot s = sample();
        const QByteArray text = QJsonDocument(s.toJson()).toJson();
        const auto back = Snapshot::fromJson(QJsonDocument::fromJson(text).object());
        QVERIFY2(back.has_value(), qPrintable(back ? QString() : back.error().toString()));
        QCOMPARE(back->objects.size(), qsizetype(allKinds().size()));
        QVERIFY(*back == s);
        // the index is rebuilt: every object is found again by its id, and its dependents
        for (const SchemaObject &o : s.objects)
            QVERIFY2(back->find(o.id()) && *back->find(o.id()) == o, qPrintable(o.id()));
        QCOMPARE(back->dependents(u"schema:Sales"_s).size(), qsizetype(allKinds().size()));

        QTemporaryDir dir;
        const QString path = dir.filePath(u"snap.json"_s);
        QVERIFY(writeSnapshotFile(s, path).has_value());
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
        const auto read = readSnapshotFile(path);
        QVERIFY(read.has_value());
        QVERIFY(*read == s);
    }

    void badSnapshotFilesAreNamed()
    {
        QTemporaryDir dir;
        const auto missing = readSnapshotFile(dir.filePath(u"nope.json"_s));
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, ErrorCode::BadInput);
        QVERIFY(missing.error().message.contains(u"nope.json"_s));

        const auto write = [&](const QString &name, const QByteArray &content) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(content);
            return dir.filePath(name);
        };
        const auto notJson = readSnapshotFile(write(u"a.json"_s, "{ not json"));
        QVERIFY(!notJson.has_value());
        QVERIFY2(notJson.error().message.contains(u"a.json"_s) && notJson.error().message.contains(u"not JSON"_s),
                 qPrintable(notJson.error().message));

        const auto wrongFormat = readSnapshotFile(write(u"b.json"_s, R"({"format": "something else"})"));
        QVERIFY(!wrongFormat.has_value());
        QVERIFY(wrongFormat.error().message.contains(u"dbops-schema-snapshot"_s));

        const auto badKind = readSnapshotFile(write(
            u"c.json"_s,
            R"({"format": "dbops-schema-snapshot", "version": 1, "dialect": "postgresql", "objects": [{"kind": "wormhole", "name": "x"}]})"));
        QVERIFY(!badKind.has_value());
        QVERIFY2(badKind.error().message.contains(u"wormhole"_s), qPrintable(badKind.error().message));

        const auto newer = readSnapshotFile(write(u"d.json"_s, R"({"format": "dbops-schema-snapshot", "version": 7})"));
        QVERIFY(!newer.has_value());
        QVERIFY(newer.error().message.contains(u"version 7"_s));
    }

    void identifiersAreQuotedAsPostgresDoes()
    {
        QCOMPARE(quoteIdent(u"orders"_s), u"orders"_s);
        QCOMPARE(quoteIdent(u"order"_s), u"\"order\""_s);   // reserved
        QCOMPARE(quoteIdent(u"select"_s), u"\"select\""_s); // reserved
        QCOMPARE(quoteIdent(u"int"_s), u"\"int\""_s);       // a column-name keyword
        QCOMPARE(quoteIdent(u"Orders"_s), u"\"Orders\""_s); // mixed case
        QCOMPARE(quoteIdent(u"a\"b"_s), u"\"a\"\"b\""_s);
        QCOMPARE(quoteIdent(u"1abc"_s), u"\"1abc\""_s);
        QCOMPARE(quoteIdent(u"user_id"_s), u"user_id"_s);
    }

    void schemaPatterns()
    {
        QVERIFY(matchesPattern(u"tenant_42"_s, u"tenant_*"_s));
        QVERIFY(!matchesPattern(u"public"_s, u"tenant_*"_s));
        QVERIFY(matchesPattern(u"a1"_s, u"a?"_s));
        QVERIFY(matchesPattern(u"public"_s, u"public"_s));
        QVERIFY(!matchesPattern(u"public2"_s, u"public"_s));
    }
};

QTEST_GUILESS_MAIN(TestSchemaSnapshot)
#include "test_schema_snapshot.moc"

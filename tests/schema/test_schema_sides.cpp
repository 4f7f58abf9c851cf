// The sides of a schema diff, in process: parseSide's forms and its bad input, the SQLite reader
// on real files, the narrowing across dialects, and a snapshot of a real database through a file.
#include "core/db/pgconnection.h"
#include "core/schema/diff.h"
#include "core/schema/pgintrospect.h"
#include "core/schema/shadow.h"
#include "core/schema/sides.h"
#include "core/schema/sqliteintrospect.h"
#include "tests/support/pgfixture.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::schema;
using dbops::test::PgFixture;

namespace
{
    void makeSqlite(const QString &path, const QStringList &statements)
    {
        static int n = 0;
        const QString name = u"sides-sqlite-%1"_s.arg(++n);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(path);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            for (const QString &s : statements)
                QVERIFY2(q.exec(s), qPrintable(s + u": "_s + q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }

    SchemaObject object(ObjectKind kind, const QString &schema, const QString &table, const QString &name,
                        const QMap<QString, QString> &attrs)
    {
        SchemaObject o;
        o.kind = kind;
        o.schema = schema;
        o.table = table;
        o.name = name;
        o.attrs = attrs;
        return o;
    }
}

class TestSchemaSides final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void parseSideForms()
    {
        ConnectionProfile saved;
        saved.name = u"host=example dbname=x"_s; // a profile name that is also a keyword string
        saved.host = u"db.internal"_s;
        saved.database = u"app"_s;
        auto byProfile = parseSide(u"host=example dbname=x"_s, {saved}, u"--from"_s);
        QVERIFY2(byProfile, qPrintable(byProfile ? QString() : byProfile.error().message));
        QVERIFY(byProfile->fromProfile);
        QCOMPARE(byProfile->profile.host, u"db.internal"_s);
        QCOMPARE(byProfile->label(), saved.name);

        auto url = parseSide(u"postgresql://alice:s3cret@db.example:6543/shop"_s, {}, u"--to"_s);
        QVERIFY(url);
        QCOMPARE(url->kind, Side::Kind::Postgres);
        QCOMPARE(url->password, u"s3cret"_s);
        QVERIFY(!url->label().contains(u"s3cret"_s));
        QCOMPARE(url->profile.database, u"shop"_s);

        const QString sqlite = m_dir.filePath(u"forms.db"_s);
        makeSqlite(sqlite, {u"CREATE TABLE t (id INTEGER PRIMARY KEY)"_s});
        auto lite = parseSide(u"sqlite:"_s + sqlite, {}, u"--from"_s);
        QVERIFY(lite);
        QCOMPARE(lite->kind, Side::Kind::Sqlite);
        QCOMPARE(lite->label(), u"sqlite:"_s + sqlite);

        auto migrations = parseSide(u"migrations:"_s + m_dir.path() + u"@0003"_s, {}, u"--to"_s);
        QVERIFY(migrations);
        QCOMPARE(migrations->kind, Side::Kind::Migrations);
        QCOMPARE(migrations->version, u"0003"_s);
        QCOMPARE(migrations->path, m_dir.path());
    }

    void parseSideBadInputNamesTheOptionAndTheProblem_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("empty") << QString() << u"is empty"_s;
        QTest::newRow("sqlite missing") << u"sqlite:/nonexistent/a.db"_s << u"does not exist"_s;
        QTest::newRow("migrations missing") << u"migrations:/nonexistent/m"_s << u"does not exist"_s;
        QTest::newRow("migrations at nothing") << u"migrations:/tmp@"_s << u"needs a version"_s;
        QTest::newRow("snapshot missing") << u"snapshot:/nonexistent/s.json"_s << u"does not exist"_s;
        QTest::newRow("no such profile") << u"production"_s << u"no saved profile"_s;
        QTest::newRow("bad keyword string") << u"host=a port"_s << u"--db"_s;
    }

    void parseSideBadInputNamesTheOptionAndTheProblem()
    {
        QFETCH(QString, text);
        QFETCH(QString, says);
        auto side = parseSide(text, {}, u"--db"_s);
        QVERIFY(!side);
        QCOMPARE(side.error().code, ErrorCode::BadInput);
        QVERIFY2(side.error().message.startsWith(u"--db"_s), qPrintable(side.error().message));
        QVERIFY2(side.error().message.contains(says), qPrintable(side.error().message));
    }

    void aPasswordInABadUrlIsNotEchoed()
    {
        auto side = parseSide(u"postgresql://alice:s3cret@db.example:notaport/shop"_s, {}, u"--from"_s);
        QVERIFY(!side);
        QVERIFY2(!side.error().message.contains(u"s3cret"_s), qPrintable(side.error().message));
    }

    void sqliteSnapshotReadsTheSchema()
    {
        const QString path = m_dir.filePath(u"read.db"_s);
        makeSqlite(
            path, {u"CREATE TABLE usuarios (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, "
                   "tipo VARCHAR(5) CHECK (tipo IN ('admin', 'Aluno')), ativo BOOLEAN NOT NULL DEFAULT 1)"_s,
                   u"CREATE TABLE inscricoes (id INTEGER PRIMARY KEY, usuario_id INTEGER NOT NULL REFERENCES usuarios ON DELETE CASCADE)"_s,
                   u"CREATE INDEX ix_ativos ON usuarios (ativo) WHERE ativo = 1"_s, u"CREATE VIEW v AS SELECT id FROM usuarios"_s});
        auto s = snapshotSqlite(path);
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        QCOMPARE(s->dialect, Dialect::Sqlite);
        QVERIFY(s->find(u"table:main.usuarios"_s));
        const SchemaObject *tipo = s->find(u"column:main.usuarios.tipo"_s);
        QVERIFY(tipo);
        QCOMPARE(tipo->attr(u"type"_s), u"VARCHAR(5)"_s);
        QCOMPARE(fromJsonList(tipo->attr(u"labels"_s)), (QStringList{u"admin"_s, u"Aluno"_s}));
        QCOMPARE(s->find(u"column:main.usuarios.email"_s)->attr(u"not_null"_s), u"true"_s);
        QCOMPARE(s->find(u"constraint:main.usuarios.usuarios_pkey"_s)->attr(u"definition"_s), u"PRIMARY KEY (id)"_s);
        QCOMPARE(s->find(u"constraint:main.usuarios.usuarios_email_key"_s)->attr(u"type"_s), u"u"_s);
        const SchemaObject *fk = s->find(u"constraint:main.inscricoes.inscricoes_usuario_id_fkey"_s);
        QVERIFY(fk);
        QCOMPARE(fk->attr(u"definition"_s), u"FOREIGN KEY (usuario_id) REFERENCES main.usuarios(id) ON DELETE CASCADE"_s);
        const SchemaObject *index = s->find(u"index:main.usuarios.ix_ativos"_s);
        QVERIFY(index);
        QVERIFY2(index->attr(u"definition"_s).endsWith(u"(ativo) WHERE ativo = 1"_s), qPrintable(index->attr(u"definition"_s)));
        QVERIFY(s->find(u"view:main.v"_s));
    }

    void sqliteBadFilesAreBadInput()
    {
        auto missing = snapshotSqlite(m_dir.filePath(u"missing.db"_s));
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::BadInput);
        const QString text = m_dir.filePath(u"text.db"_s);
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a database, only some text that is long enough\n");
        f.close();
        auto notSqlite = snapshotSqlite(text);
        QVERIFY(!notSqlite);
        QCOMPARE(notSqlite.error().code, ErrorCode::BadInput);
        QVERIFY2(notSqlite.error().message.contains(u"not a SQLite database"_s), qPrintable(notSqlite.error().message));
    }

    /// A PostgreSQL side as its readers describe it (snapshot.h's keys) narrowed next to a real
    /// SQLite file of the same schema: the same objects, nothing else.
    void narrowingLeavesNoDialectNoise()
    {
        const QString path = m_dir.filePath(u"narrow.db"_s);
        makeSqlite(path, {u"CREATE TABLE usuarios (id INTEGER PRIMARY KEY, nome VARCHAR(120) NOT NULL, email TEXT UNIQUE, "
                          "tipo VARCHAR(5) NOT NULL CHECK (tipo IN ('admin', 'aluno')), ativo BOOLEAN NOT NULL, criado_em DATETIME, "
                          "saldo NUMERIC(10,2), foto BLOB, codigo CHAR(32))"_s,
                          u"CREATE TABLE inscricoes (id INTEGER PRIMARY KEY, usuario_id INTEGER NOT NULL REFERENCES usuarios (id))"_s,
                          u"CREATE INDEX inscricoes_por_usuario ON inscricoes (usuario_id)"_s,
                          u"CREATE VIEW ativos AS SELECT id FROM usuarios WHERE ativo"_s});
        auto lite = snapshotSqlite(path);
        QVERIFY(lite);

        Snapshot pg;
        pg.dialect = Dialect::PostgreSql;
        pg.serverVersionNum = 150000;
        const auto col = [](const QString &t, const QString &n, const QString &type, bool notNull) {
            return object(ObjectKind::Column, u"public"_s, t, n, {{u"type"_s, type}, {u"not_null"_s, notNull ? u"true"_s : u"false"_s}});
        };
        pg.objects << object(ObjectKind::Schema, {}, {}, u"public"_s, {{u"owner"_s, u"pg_database_owner"_s}})
                   << object(ObjectKind::Enum, u"public"_s, {}, u"tipousuario"_s, {{u"labels"_s, jsonList({u"aluno"_s, u"admin"_s})}})
                   << object(ObjectKind::Table, u"public"_s, {}, u"usuarios"_s, {{u"persistence"_s, u"p"_s}, {u"owner"_s, u"app"_s}})
                   << col(u"usuarios"_s, u"id"_s, u"integer"_s, true) << col(u"usuarios"_s, u"nome"_s, u"character varying(120)"_s, true)
                   << col(u"usuarios"_s, u"email"_s, u"text"_s, false) << col(u"usuarios"_s, u"tipo"_s, u"public.tipousuario"_s, true)
                   << col(u"usuarios"_s, u"ativo"_s, u"boolean"_s, true)
                   << col(u"usuarios"_s, u"criado_em"_s, u"timestamp with time zone"_s, false)
                   << col(u"usuarios"_s, u"saldo"_s, u"numeric(10,2)"_s, false) << col(u"usuarios"_s, u"foto"_s, u"bytea"_s, false)
                   << col(u"usuarios"_s, u"codigo"_s, u"uuid"_s, false)
                   << object(ObjectKind::Constraint, u"public"_s, u"usuarios"_s, u"usuarios_pk"_s,
                             {{u"type"_s, u"p"_s}, {u"definition"_s, u"PRIMARY KEY (id)"_s}})
                   << object(ObjectKind::Constraint, u"public"_s, u"usuarios"_s, u"usuarios_email_uq"_s,
                             {{u"type"_s, u"u"_s}, {u"definition"_s, u"UNIQUE (email)"_s}})
                   << object(ObjectKind::Table, u"public"_s, {}, u"inscricoes"_s, {}) << col(u"inscricoes"_s, u"id"_s, u"bigint"_s, true)
                   << col(u"inscricoes"_s, u"usuario_id"_s, u"integer"_s, true)
                   << object(ObjectKind::Constraint, u"public"_s, u"inscricoes"_s, u"inscricoes_pkey"_s,
                             {{u"type"_s, u"p"_s}, {u"definition"_s, u"PRIMARY KEY (id)"_s}})
                   << object(ObjectKind::Constraint, u"public"_s, u"inscricoes"_s, u"fk_usuario"_s,
                             {{u"type"_s, u"f"_s},
                              {u"definition"_s, u"FOREIGN KEY (usuario_id) REFERENCES public.usuarios(id) ON DELETE CASCADE"_s}})
                   << object(ObjectKind::Index, u"public"_s, u"inscricoes"_s, u"ix_inscricoes_usuario_id"_s,
                             {{u"definition"_s, u"CREATE INDEX ix_inscricoes_usuario_id ON public.inscricoes USING btree (usuario_id)"_s}})
                   << object(ObjectKind::Sequence, u"public"_s, {}, u"inscricoes_id_seq"_s, {{u"type"_s, u"bigint"_s}})
                   << object(ObjectKind::View, u"public"_s, {}, u"ativos"_s, {{u"definition"_s, u" SELECT usuarios.id FROM ..."_s}});
        pg.finish();

        const Snapshot a = comparableAcrossDialects(pg);
        const Snapshot b = comparableAcrossDialects(*lite);
        QStringList onlyA, onlyB, differ;
        for (const SchemaObject &o : a.objects)
        {
            const SchemaObject *other = b.find(o.id());
            if (!other)
                onlyA << o.id();
            else
                for (auto it = o.attrs.cbegin(); it != o.attrs.cend(); ++it)
                    if (!it.key().startsWith(u'_') && other->attr(it.key()) != it.value())
                        differ << o.id() + u' ' + it.key() + u": "_s + it.value() + u" / "_s + other->attr(it.key());
        }
        for (const SchemaObject &o : b.objects)
            if (!a.find(o.id()))
                onlyB << o.id();
        QVERIFY2(onlyA.isEmpty(), qPrintable(onlyA.join(u", "_s)));
        QVERIFY2(onlyB.isEmpty(), qPrintable(onlyB.join(u", "_s)));
        QVERIFY2(differ.isEmpty(), qPrintable(differ.join(u"\n"_s)));
        QVERIFY(a.find(u"column:public.usuarios.tipo"_s));
        QCOMPARE(fromJsonList(a.find(u"column:public.usuarios.tipo"_s)->attr(u"labels"_s)), (QStringList{u"admin"_s, u"aluno"_s}));
    }

    void historyTablesAreLeftOut()
    {
        Snapshot s;
        s.objects << object(ObjectKind::Table, u"public"_s, {}, u"dbops_schema_history"_s, {})
                  << object(ObjectKind::Column, u"public"_s, u"dbops_schema_history"_s, u"version"_s, {{u"type"_s, u"text"_s}})
                  << object(ObjectKind::Index, u"public"_s, u"dbops_schema_history"_s, u"dbops_schema_history_version_idx"_s, {})
                  << object(ObjectKind::Table, u"public"_s, {}, u"orders"_s, {});
        s.finish();
        removeHistoryTables(s);
        QCOMPARE(s.objects.size(), 1);
        QCOMPARE(s.objects.first().id(), u"table:public.orders"_s);
    }

    void snapshotOfARealDatabaseRoundTripsThroughAFile()
    {
        DBOPS_REQUIRE_PG();
        const ConnectParams db = PgFixture::newDatabase(u"roundtrip"_s);
        auto conn = PgFixture::connect(db);
        conn->exec(u"CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (id int PRIMARY KEY, m mood, note text DEFAULT 'x');"
                   "CREATE INDEX t_note ON t (note); CREATE VIEW v AS SELECT id FROM t;"_s);
        auto snap = snapshotPostgres(*conn);
        QVERIFY2(snap, qPrintable(snap ? QString() : snap.error().message));
        const QString file = m_dir.filePath(u"roundtrip.json"_s);
        QVERIFY(writeSnapshotFile(*snap, file));
        auto back = readSnapshotFile(file);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().message));
        QVERIFY(*back == *snap);
        auto same = diff(*snap, *back);
        QVERIFY(same);
        QVERIFY(same->isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSchemaSides)
#include "test_schema_sides.moc"

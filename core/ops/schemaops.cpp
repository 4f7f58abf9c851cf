#include "core/ops/schemaops.h"

#include "core/backup/toollocator.h"
#include "core/db/pgconnection.h"
#include "core/jobs/canceltoken.h"
#include "core/jobs/job.h"
#include "core/migrate/historyformats.h"
#include "core/ops/migrateops.h"
#include "core/process/pgprocess.h"
#include "core/sandbox/sandbox.h"
#include "core/schema/recreate.h"
#include "core/schema/selection.h"
#include "core/schema/shadow.h"
#include "core/schema/sqliteintrospect.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QAtomicInteger>

#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>

#include <spdlog/spdlog.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops::ops
{
    using schema::Side;
    using schema::Snapshot;

    namespace
    {
        /// Lets the sides that read a server start their snapshots together: each arrives once
        /// connected and waits (bounded) for the others, so both sessions are open at once.
        class StartTogether final
        {
        public:
            explicit StartTogether(int parties)
                : m_parties(parties)
            {
            }
            void arriveAndWait(int timeoutMs)
            {
                std::unique_lock lock(m_mutex);
                ++m_arrived;
                m_changed.notify_all();
                m_changed.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return m_arrived >= m_parties; });
            }
            /// A side that will not connect (it failed) lets the others go.
            void leave()
            {
                std::unique_lock lock(m_mutex);
                --m_parties;
                m_changed.notify_all();
            }

        private:
            std::mutex m_mutex;
            std::condition_variable m_changed;
            int m_parties;
            int m_arrived = 0;
        };

        bool readsServer(const Side &side)
        {
            return side.kind == Side::Kind::Postgres || side.kind == Side::Kind::Migrations;
        }

        ConnectParams resolveSide(const Side &side, Store *store, ProfileStore *profiles, CancelToken *token)
        {
            return resolve(Target{side.profile, side.password, store, profiles}, token);
        }

        /// The history tables of the database (dbops' and foreign tools'), as schema.table.
        QStringList historyTables(PgConnection &conn, CancelToken *token)
        {
            QStringList tables;
            try
            {
                for (const HistoryCandidate &c : detectHistories(conn, token))
                    tables << c.schema + u'.' + c.table;
            }
            catch (const Exception &)
            {
                // Detection is best effort: the known names below still apply.
            }
            return tables;
        }

        void leaveOutHistory(Snapshot &snapshot, const QStringList &detected)
        {
            if (!detected.isEmpty())
                schema::removeHistoryTables(snapshot, detected);
            schema::removeHistoryTables(snapshot);
        }

        /// What reading one side needs and gives back.
        struct SideJob
        {
            Side side;
            QString option;
            schema::IntrospectOptions introspect;
            Store *store = nullptr;
            ProfileStore *profiles = nullptr;
            int shadowMajor = 0;                ///< migrations: the other side's major (0: highest)
            std::shared_future<int> otherMajor; ///< migrations: set when the other side is a server
            bool useJobProgress = false;        ///< only one thread reports progress
            std::shared_ptr<schema::ShadowDatabase> shadow;
            SideRead read;
            /// The session the side was read on (a server or the shadow database), kept open for
            /// the sizes of the tables the plan changes.
            std::unique_ptr<PgConnection> conn;
        };

        Snapshot readOne(SideJob &job, StartTogether &together, const QElapsedTimer &clock, JobContext &jc, std::promise<int> *majorOut)
        {
            const Side &side = job.side;
            job.read.option = job.option;
            job.read.label = side.label();
            bool left = false;
            bool majorSet = false;
            const auto setMajor = [&](int major) {
                if (majorOut && !majorSet)
                    majorOut->set_value(major);
                majorSet = true;
            };
            const auto leave = [&] {
                if (!left && readsServer(side))
                    together.leave();
                left = true;
            };
            try
            {
                Snapshot snapshot;
                switch (side.kind)
                {
                case Side::Kind::Postgres: {
                    const ConnectParams params = resolveSide(side, job.store, job.profiles, jc.token());
                    ConnectOptions options;
                    options.applicationName = u"dbops diff %1"_s.arg(job.option);
                    auto conn = PgConnection::tryOpen(params, options, jc.token());
                    if (!conn)
                    {
                        Error e = conn.error();
                        e.message = u"%1 %2: %3"_s.arg(job.option, side.label(), e.message);
                        setMajor(0);
                        throw Exception(e);
                    }
                    setMajor((*conn)->serverVersionNum() / 10000);
                    job.read.backendPid = (*conn)->backendPid();
                    job.read.applicationName = options.applicationName;
                    together.arriveAndWait(10000);
                    left = true;
                    job.read.startedMs = clock.elapsed();
                    auto read = schema::snapshotPostgres(**conn, job.introspect, jc.token());
                    if (!read)
                    {
                        Error e = read.error();
                        e.context = u"reading %1 %2"_s.arg(job.option, side.label());
                        throw Exception(e);
                    }
                    snapshot = std::move(*read);
                    job.read.finishedMs = clock.elapsed();
                    leaveOutHistory(snapshot, historyTables(**conn, jc.token()));
                    snapshot.source = side.label();
                    job.conn = std::move(*conn);
                    break;
                }
                case Side::Kind::Migrations: {
                    int major = job.shadowMajor;
                    if (job.otherMajor.valid())
                        major = job.otherMajor.get();
                    job.shadow = std::make_shared<schema::ShadowDatabase>();
                    if (auto built = job.shadow->build(side.path, side.version, major, jc); !built)
                        throw Exception(built.error());
                    ConnectOptions options;
                    options.applicationName = u"dbops diff %1"_s.arg(job.option);
                    auto conn = PgConnection::tryOpen(job.shadow->params(), options, jc.token());
                    if (!conn)
                        throw Exception(conn.error());
                    job.read.backendPid = (*conn)->backendPid();
                    job.read.applicationName = options.applicationName;
                    job.read.note = u"replayed into a sandbox PostgreSQL %1 up to %2"_s.arg(job.shadow->majorVersion())
                                        .arg(job.shadow->appliedVersion().isEmpty() ? u"no version"_s : job.shadow->appliedVersion());
                    if (!job.shadow->note().isEmpty())
                        job.read.note += u"; "_s + job.shadow->note();
                    together.arriveAndWait(10000);
                    left = true;
                    job.read.startedMs = clock.elapsed();
                    auto read = schema::snapshotPostgres(**conn, job.introspect, jc.token());
                    if (!read)
                        throw Exception(read.error());
                    snapshot = std::move(*read);
                    job.read.finishedMs = clock.elapsed();
                    leaveOutHistory(snapshot, {u"public.dbops_schema_history"_s});
                    snapshot.source = side.label();
                    job.conn = std::move(*conn);
                    break;
                }
                case Side::Kind::Sqlite: {
                    job.read.startedMs = clock.elapsed();
                    auto read = schema::snapshotSqlite(side.path);
                    if (!read)
                    {
                        Error e = read.error();
                        e.message = u"%1: %2"_s.arg(job.option, e.message);
                        throw Exception(e);
                    }
                    snapshot = std::move(*read);
                    job.read.finishedMs = clock.elapsed();
                    leaveOutHistory(snapshot, {});
                    break;
                }
                case Side::Kind::SnapshotFile: {
                    job.read.startedMs = clock.elapsed();
                    auto read = schema::readSnapshotFile(side.path);
                    if (!read)
                    {
                        Error e = read.error();
                        e.message = u"%1: %2"_s.arg(job.option, e.message);
                        throw Exception(e);
                    }
                    snapshot = std::move(*read);
                    job.read.finishedMs = clock.elapsed();
                    leaveOutHistory(snapshot, {});
                    break;
                }
                }
                setMajor(snapshot.serverVersionNum / 10000);
                job.read.objects = int(snapshot.objects.size());
                leave();
                return snapshot;
            }
            catch (...)
            {
                setMajor(0); // the other side (a shadow database waiting for its major) goes on
                leave();
                throw;
            }
        }

        /// The ids of the tables that the changes alter or drop, or whose parts they add, change
        /// or drop (a column, a constraint, an index): named as on `from`, or on `to` when added.
        QStringList tablesChanged(const schema::SchemaDiff &diff, const Snapshot &from, const Snapshot &to)
        {
            QSet<QString> ids;
            for (const schema::Change &c : diff.changes)
            {
                const schema::SchemaObject *o = from.find(c.fromId.isEmpty() ? c.id : c.fromId);
                if (!o)
                    o = to.find(c.id);
                if (!o)
                    continue;
                schema::SchemaObject table;
                table.kind = schema::ObjectKind::Table;
                table.schema = o->schema;
                table.name = o->kind == schema::ObjectKind::Table ? o->name : o->table;
                if (!table.name.isEmpty())
                    ids.insert(table.id());
            }
            QStringList list(ids.cbegin(), ids.cend());
            list.sort();
            return list;
        }

        std::unique_ptr<PgConnection> openServer(const Side &side, const DiffRequest &request, const schema::ShadowDatabase *shadow,
                                                 JobContext &jc)
        {
            const ConnectParams params =
                side.kind == Side::Kind::Migrations ? shadow->params() : resolveSide(side, request.store, request.profiles, jc.token());
            ConnectOptions options;
            options.applicationName = u"dbops diff --data"_s;
            return PgConnection::open(params, options, jc.token());
        }

        // ---- --data ---------------------------------------------------------------------------

        /// Enum-like columns: column id -> its labels on one side (a column's "labels", or the
        /// labels of the enum type it has).
        QHash<QString, QStringList> enumColumns(const Snapshot &s)
        {
            QHash<QString, QStringList> enums;
            for (const schema::SchemaObject &o : s.objects)
                if (o.kind == schema::ObjectKind::Enum)
                    enums.insert(schema::quoteIdent(o.schema) + u'.' + schema::quoteIdent(o.name),
                                 schema::fromJsonList(o.attr(u"labels"_s)));
            QHash<QString, QStringList> columns;
            for (const schema::SchemaObject &o : s.objects)
            {
                if (o.kind != schema::ObjectKind::Column)
                    continue;
                if (!o.attr(u"labels"_s).isEmpty())
                    columns.insert(o.schema + u'.' + o.table + u'.' + o.name, schema::fromJsonList(o.attr(u"labels"_s)));
                else if (enums.contains(o.attr(u"type"_s)))
                    columns.insert(o.schema + u'.' + o.table + u'.' + o.name, enums.value(o.attr(u"type"_s)));
            }
            return columns;
        }

        /// The distinct non-null values of a column, at most limit+1.
        QStringList storedValues(const Side &side, PgConnection *conn, const QString &schemaName, const QString &table,
                                 const QString &column, int limit)
        {
            QStringList values;
            if (side.kind == Side::Kind::Sqlite)
            {
                static QAtomicInteger<int> counter;
                const QString name = u"dbops-schema-data-%1"_s.arg(counter.fetchAndAddRelaxed(1));
                {
                    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
                    db.setDatabaseName(side.path);
                    db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
                    if (db.open())
                    {
                        QSqlQuery q(db);
                        const auto quote = [](QString n) -> QString { return u'"' + n.replace(u'"', u"\"\""_s) + u'"'; };
                        if (q.exec(u"SELECT DISTINCT %1 FROM %2 WHERE %1 IS NOT NULL ORDER BY 1 LIMIT %3"_s.arg(quote(column), quote(table))
                                       .arg(limit + 1)))
                            while (q.next())
                                values << q.value(0).toString();
                    }
                    db.close();
                }
                QSqlDatabase::removeDatabase(name);
                return values;
            }
            const QString sql = u"SELECT DISTINCT %1::text AS v FROM %2.%3 WHERE %1 IS NOT NULL ORDER BY 1 LIMIT %4"_s
                                    .arg(conn->escapeIdentifier(column), conn->escapeIdentifier(schemaName), conn->escapeIdentifier(table))
                                    .arg(limit + 1);
            const QueryResult rows = conn->exec(sql);
            for (int r = 0; r < rows.rowCount(); ++r)
                values << rows.text(r, u"v"_s);
            return values;
        }

        QList<DataFinding> checkData(const DiffRequest &request, const Snapshot &from, const Snapshot &to,
                                     const schema::ShadowDatabase *fromShadow, const schema::ShadowDatabase *toShadow, JobContext &jc)
        {
            // Compare in the same vocabulary the diff used (SQLite's "main" is PostgreSQL's "public").
            const bool cross = from.dialect != to.dialect;
            const Snapshot a = cross ? schema::comparableAcrossDialects(from) : from;
            const Snapshot b = cross ? schema::comparableAcrossDialects(to) : to;
            const QHash<QString, QStringList> la = enumColumns(a), lb = enumColumns(b);
            QList<DataFinding> findings;
            const auto check = [&](const Side &side, const Snapshot &raw, const schema::ShadowDatabase *shadow,
                                   const QHash<QString, QStringList> &own, const QHash<QString, QStringList> &other,
                                   const QString &otherLabel) {
                if (side.kind == Side::Kind::SnapshotFile)
                    return;
                std::unique_ptr<PgConnection> conn;
                for (auto it = own.cbegin(); it != own.cend(); ++it)
                {
                    if (!other.contains(it.key()))
                        continue;
                    const QStringList expected = other.value(it.key());
                    QStringList ownSorted = it.value(), expectedSorted = expected;
                    ownSorted.sort();
                    expectedSorted.sort();
                    if (ownSorted == expectedSorted)
                        continue;
                    const QStringList parts = it.key().split(u'.');
                    if (parts.size() != 3)
                        continue;
                    QString schemaName = parts[0];
                    if (raw.dialect == schema::Dialect::Sqlite)
                        schemaName = u"main"_s;
                    if (side.kind != Side::Kind::Sqlite && !conn)
                        conn = openServer(side, request, shadow, jc);
                    QStringList values = storedValues(side, conn.get(), schemaName, parts[1], parts[2], request.dataLimit);
                    DataFinding f;
                    f.side = side.label();
                    f.column = it.key();
                    f.expected = expected;
                    f.truncated = values.size() > request.dataLimit;
                    if (f.truncated)
                        values = values.mid(0, request.dataLimit);
                    for (const QString &v : values)
                        if (!expected.contains(v))
                            f.values << v;
                    if (!f.values.isEmpty())
                        findings << f;
                    (void)otherLabel;
                }
            };
            jc.progress(0, 0, u"checking the values stored in enum-like columns"_s);
            check(request.from, from, fromShadow, la, lb, request.to.label());
            check(request.to, to, toShadow, lb, la, request.from.label());
            return findings;
        }

        // ---- --prove --------------------------------------------------------------------------

        /// pg_dump --schema-only of `params`, as plain SQL without psql meta-commands.
        QString dumpSchema(const ConnectParams &params, int serverMajor, Store *store, JobContext &jc)
        {
            auto tools = locatePgTools(serverMajor, configuredToolDir(store));
            if (!tools)
                throw Exception(tools.error());
            QByteArray dump;
            PgProcessSpec spec;
            spec.program = tools->pgDump;
            spec.args = {u"--schema-only"_s, u"--no-tablespaces"_s};
            spec.connection = params;
            spec.onStdout = [&dump](const char *data, qint64 size) { dump.append(data, size); };
            runPgProcess(spec, jc.token());
            QStringList lines;
            for (const QString &line : QString::fromUtf8(dump).split(u'\n'))
                if (!line.startsWith(u'\\')) // \restrict / \unrestrict (pg_dump 15.14+): psql-only
                    lines << line;
            return lines.join(u'\n');
        }

        Proof prove(const DiffRequest &request, const Snapshot &from, const Snapshot &to, const schema::SqlPlan &plan,
                    schema::ShadowDatabase *fromShadow, const schema::IntrospectOptions &introspect, JobContext &jc)
        {
            Proof proof;
            std::unique_ptr<Sandbox> sandbox;
            ConnectParams clone;
            if (request.from.kind == Side::Kind::Migrations && fromShadow)
            {
                clone = fromShadow->params();
                proof.how =
                    u"the shadow database of %1 (sandbox PostgreSQL %2)"_s.arg(request.from.label()).arg(fromShadow->majorVersion());
            }
            else if (request.from.kind == Side::Kind::Postgres)
            {
                const int major = from.serverVersionNum / 10000;
                jc.progress(0, 0, u"proving: cloning the schema of %1 into a sandbox"_s.arg(request.from.label()));
                QString note;
                auto started = schema::startScratchSandbox(major, jc, &note);
                if (!started)
                    throw Exception(started.error());
                sandbox = std::move(*started);
                auto db = sandbox->createDatabase(u"dbops_prove"_s);
                if (!db)
                    throw Exception(db.error());
                clone = *db;
                const ConnectParams source = resolveSide(request.from, request.store, request.profiles, jc.token());
                const QString dump = dumpSchema(source, major, request.store, jc);
                auto admin = PgConnection::open(sandbox->connectParams(), {}, jc.token());
                schema::createRoles(*admin, schema::rolesNamed(from) + schema::rolesNamed(to));
                auto target = PgConnection::open(clone, {}, jc.token());
                try
                {
                    target->exec(dump);
                }
                catch (const Exception &e)
                {
                    proof.text =
                        u"not proved: the schema of %1 does not restore into a sandbox PostgreSQL %2: %3"_s.arg(request.from.label())
                            .arg(sandbox->majorVersion())
                            .arg(e.error().message);
                    return proof;
                }
                proof.how = u"a schema-only clone of %1 (pg_dump --schema-only) in a sandbox PostgreSQL %2"_s.arg(request.from.label())
                                .arg(sandbox->majorVersion());
                if (!note.isEmpty())
                    proof.how += u"; "_s + note;
            }
            else
            {
                proof.text =
                    u"not proved: --prove needs --from to be a PostgreSQL database or migrations:DIR (%1 has no server to clone)"_s.arg(
                        request.from.label());
                return proof;
            }
            jc.progress(0, 0, u"proving: applying the SQL to the clone"_s);
            auto conn = PgConnection::open(clone, {}, jc.token());
            try
            {
                schema::applyPlan(*conn, plan);
            }
            catch (const Exception &e)
            {
                const Error &error = e.error();
                proof.text = u"not proved: the SQL fails on %1: %2%3"_s.arg(
                    proof.how, error.context.isEmpty() ? QString() : error.context + u" failed: "_s, error.message);
                return proof;
            }
            auto after = schema::snapshotPostgres(*conn, introspect, jc.token());
            if (!after)
                throw Exception(after.error());
            leaveOutHistory(*after, historyTables(*conn, jc.token()));
            auto again = schema::diff(
                *after, to, request.options.renames.isEmpty() ? request.options : [&] {
                    schema::DiffOptions o = request.options;
                    o.renames.clear(); // applied: the objects have their new names now
                    return o;
                }());
            if (!again)
                throw Exception(again.error());
            proof.remaining = again->changes;
            proof.proved = again->changes.isEmpty();
            if (proof.proved)
                proof.text = u"proved: no changes left"_s;
            else
            {
                QStringList left;
                for (const schema::Change &c : again->changes)
                    left << u"%1 %2 %3"_s.arg(schema::toString(c.type), schema::toString(c.kind), c.object);
                proof.text = u"not proved: %1 change(s) left after applying the SQL to the clone: %2"_s.arg(again->changes.size())
                                 .arg(left.join(u"; "_s));
            }
            return proof;
        }
    }

    namespace
    {
        /// What diffSchemas and compareSnapshots share once the diff is made: the sides kept as
        /// compared (narrowed to SQLite's vocabulary across dialects), the enum label lists.
        Comparison finishComparison(DiffOutcome outcome, Snapshot from, Snapshot to)
        {
            Comparison comparison;
            comparison.from = std::move(from);
            comparison.to = std::move(to);
            if (comparison.from.dialect != comparison.to.dialect)
            {
                comparison.crossFrom = schema::comparableAcrossDialects(comparison.from);
                comparison.crossTo = schema::comparableAcrossDialects(comparison.to);
            }
            // The labels of enum-like columns, as compared (the report shows both lists).
            const Snapshot &nf = comparison.comparedFrom();
            const Snapshot &nt = comparison.comparedTo();
            for (const schema::Change &c : outcome.diff.changes)
                if (c.attributes.contains(u"labels"_s))
                {
                    const schema::SchemaObject *x = nf.find(c.fromId.isEmpty() ? c.id : c.fromId), *y = nt.find(c.id);
                    const auto shown = [](const schema::SchemaObject *o) {
                        return o && !o->attr(u"labels"_s).isEmpty() ? o->attr(u"labels"_s) : u"(none)"_s;
                    };
                    outcome.labelChanges.insert(c.id, {shown(x), shown(y)});
                }
            comparison.outcome = std::move(outcome);
            return comparison;
        }
    }

    DiffOutcome diffSchemas(const DiffRequest &request, JobContext &jc)
    {
        // A diff changes nothing on either side (reads only; --prove writes to a throwaway
        // sandbox), so it records no audit entry.
        const bool wantSql = request.sql || request.online || request.prove;
        if (wantSql && request.from.kind == Side::Kind::Sqlite)
        {
            Error e = Error::make(
                ErrorCode::BadInput,
                u"--sql writes PostgreSQL SQL, but --from %1 is a SQLite file: dbops writes no SQLite DDL"_s.arg(request.from.label()));
            e.hint = u"swap the sides (--from %1 --to %2) to get the SQL that makes the PostgreSQL side match the SQLite one"_s.arg(
                request.to.text, request.from.text);
            throw Exception(e);
        }
        if (request.prove && request.from.kind != Side::Kind::Postgres && request.from.kind != Side::Kind::Migrations)
            throw Exception(ErrorCode::BadInput,
                            u"--prove needs --from to be a PostgreSQL database or migrations:DIR: %1 has no schema to clone"_s.arg(
                                request.from.label()));

        schema::IntrospectOptions introspect;
        introspect.schemas = request.options.schemas;
        introspect.excludeSchemas = request.options.excludeSchemas;

        SideJob a{request.from, u"--from"_s, introspect, request.store, request.profiles, 0, {}, false, {}, {}, {}};
        SideJob b{request.to, u"--to"_s, introspect, request.store, request.profiles, 0, {}, false, {}, {}, {}};
        // The shadow database takes the other side's major version: the server side reports it
        // as soon as it connected.
        std::promise<int> fromMajor, toMajor;
        std::promise<int> *fromMajorOut = nullptr, *toMajorOut = nullptr;
        if (request.to.kind == Side::Kind::Migrations && request.from.kind != Side::Kind::Migrations)
        {
            b.otherMajor = fromMajor.get_future().share();
            fromMajorOut = &fromMajor;
        }
        if (request.from.kind == Side::Kind::Migrations && request.to.kind != Side::Kind::Migrations)
        {
            a.otherMajor = toMajor.get_future().share();
            toMajorOut = &toMajor;
        }
        StartTogether together(int(readsServer(request.from)) + int(readsServer(request.to)));
        QElapsedTimer clock;
        clock.start();
        jc.progress(0, 2, u"reading %1 and %2"_s.arg(request.from.label(), request.to.label()));

        // The two sides are read at the same time, each on its own thread and connection. Only the
        // migrations side reports progress through the job (the other uses its cancel token only).
        auto futureFrom = std::async(std::launch::async, [&] { return readOne(a, together, clock, jc, fromMajorOut); });
        auto futureTo = std::async(std::launch::async, [&] { return readOne(b, together, clock, jc, toMajorOut); });
        std::optional<Snapshot> from, to;
        std::optional<Error> fromError, toError;
        try
        {
            from = futureFrom.get();
        }
        catch (const Exception &e)
        {
            fromError = e.error();
        }
        try
        {
            to = futureTo.get();
        }
        catch (const Exception &e)
        {
            toError = e.error();
        }
        if (fromError)
            throw Exception(*fromError);
        if (toError)
            throw Exception(*toError);

        DiffOutcome outcome;
        outcome.fromLabel = request.from.label();
        outcome.toLabel = request.to.label();
        outcome.reads = {a.read, b.read};
        outcome.readConcurrently =
            a.read.backendPid && b.read.backendPid && a.read.startedMs <= b.read.finishedMs && b.read.startedMs <= a.read.finishedMs;
        for (const SideRead &r : outcome.reads)
            if (!r.note.isEmpty())
                outcome.notes << u"%1: %2"_s.arg(r.option, r.note);
        spdlog::debug("diff: both sides read in {} ms", clock.elapsed());
        // Two major versions print one view or default differently: one side's text is made
        // again on the other's version first.
        if (const QString aligned = schema::alignMajorVersions(*from, *to, request.from.label(), request.to.label(), jc);
            !aligned.isEmpty())
            outcome.notes << aligned;
        jc.progress(1, 2, u"comparing"_s);

        auto compared = schema::diff(*from, *to, request.options);
        spdlog::debug("diff: compared at {} ms", clock.elapsed());
        if (!compared)
            throw Exception(compared.error());
        // The hazard lines name the size of each table the plan changes on the --from side: read
        // now for those tables only (a size stats every file of a table), then compared again.
        if (a.conn && !compared->changes.isEmpty())
        {
            const QStringList tables = tablesChanged(*compared, *from, *to);
            auto sized = schema::readTableSizes(*a.conn, *from, tables, jc.token());
            if (!sized)
                outcome.notes << u"--from: the sizes of the tables changed could not be read (%1)"_s.arg(sized.error().message);
            else if (*sized > 0)
            {
                compared = schema::diff(*from, *to, request.options);
                if (!compared)
                    throw Exception(compared.error());
            }
            spdlog::debug("diff: {} table sizes read and compared again at {} ms", sized ? *sized : 0, clock.elapsed());
        }
        a.conn.reset();
        b.conn.reset();
        outcome.diff = std::move(*compared);
        Comparison comparison = finishComparison(std::move(outcome), std::move(*from), std::move(*to));
        if (wantSql)
        {
            auto plan = planFor(comparison, std::nullopt, request.online);
            if (!plan)
                throw Exception(plan.error());
            comparison.outcome.plan = std::move(*plan);
            spdlog::debug("diff: SQL written at {} ms", clock.elapsed());
            if (request.prove)
                comparison.outcome.proof =
                    prove(request, comparison.from, comparison.to, *comparison.outcome.plan, a.shadow.get(), introspect, jc);
        }
        if (request.data)
        {
            comparison.outcome.data = checkData(request, comparison.from, comparison.to, a.shadow.get(), b.shadow.get(), jc);
            comparison.outcome.dataChecked = true;
        }
        jc.setSummary(comparison.outcome.diff.isEmpty() ? u"no changes"_s : comparison.outcome.diff.summary());
        return std::move(comparison.outcome);
    }

    Comparison compareSnapshots(const CompareRequest &request, JobContext &jc)
    {
        schema::Snapshot from = request.from, to = request.to;
        DiffOutcome outcome;
        outcome.fromLabel = request.fromLabel;
        outcome.toLabel = request.toLabel;
        if (const QString aligned = schema::alignMajorVersions(from, to, request.fromLabel, request.toLabel, jc); !aligned.isEmpty())
            outcome.notes << aligned;
        jc.progress(0, 0, u"comparing %1 and %2"_s.arg(request.fromLabel, request.toLabel));
        auto compared = schema::diff(from, to, request.options);
        if (!compared)
            throw Exception(compared.error());
        outcome.diff = std::move(*compared);
        jc.setSummary(outcome.diff.isEmpty() ? u"no changes"_s : outcome.diff.summary());
        return finishComparison(std::move(outcome), std::move(from), std::move(to));
    }

    schema::Snapshot takeSnapshot(const SnapshotRequest &request, JobContext &jc)
    {
        StartTogether together(readsServer(request.side) ? 1 : 0);
        QElapsedTimer clock;
        clock.start();
        SideJob job{request.side, u"--db"_s, request.options, request.store, request.profiles, request.shadowMajor, {}, true, {}, {}, {}};
        Snapshot s = readOne(job, together, clock, jc, nullptr);
        if (job.conn) // a snapshot file keeps every table's size
            if (auto sized = schema::readTableSizes(*job.conn, s, {}, jc.token()); !sized)
                throw Exception(sized.error());
        jc.setSummary(u"%1 objects read from %2"_s.arg(s.objects.size()).arg(request.side.label()));
        return s;
    }
}

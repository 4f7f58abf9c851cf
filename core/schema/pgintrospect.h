#pragma once

#include "core/error.h"
#include "core/schema/snapshot.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <QHashFunctions>

namespace dbops
{
    class CancelToken;
    class PgConnection;
    struct QueryResult;
}

/// Reading a PostgreSQL side: a few bulk catalog queries, one per object kind (never one per
/// table), all in one REPEATABLE READ READ ONLY transaction with search_path = '' so the side is
/// one consistent picture and every name in the server's printed text is schema-qualified. The
/// queries are SQL resources, core/schema/sql/<kind>.sql.
namespace dbops::schema
{
    struct IntrospectOptions
    {
        /// Schemas left out beyond the system ones (pg_catalog, information_schema, pg_toast*,
        /// pg_temp*): patterns as DiffOptions::excludeSchemas. The diff filters too; reading less
        /// is faster.
        QStringList excludeSchemas;
        QStringList schemas; ///< when not empty, only these (patterns)
    };

    /// The catalogs' own oids (pg_class.oid of each), the classid of a CatalogAddress.
    namespace catalog
    {
        constexpr quint32 kPgType = 1247;
        constexpr quint32 kPgProc = 1255;
        constexpr quint32 kPgClass = 1259;
        constexpr quint32 kPgCast = 2605;
        constexpr quint32 kPgConstraint = 2606;
        constexpr quint32 kPgNamespace = 2615;
        constexpr quint32 kPgOperator = 2617;
        constexpr quint32 kPgRewrite = 2618;
        constexpr quint32 kPgTrigger = 2620;
        constexpr quint32 kPgExtension = 3079;
        constexpr quint32 kPgPolicy = 3256;
        constexpr quint32 kPgStatisticExt = 3381;
        constexpr quint32 kPgCollation = 3456;
    }

    /// Row `r`'s oid in `column` (an int8 in the readers' queries).
    quint32 oidOf(const QueryResult &rows, int r, const QString &column = QStringLiteral("oid"));
    /// Sets `key` unless `value` is empty (an absent attribute and an empty one are the same).
    void setIf(SchemaObject &o, const QString &key, const QString &value);

    /// A catalog address: (classid, objid, objsubid) as pg_depend writes it.
    struct CatalogAddress
    {
        quint32 classid = 0;
        quint32 objid = 0;
        qint32 subid = 0;

        friend bool operator==(const CatalogAddress &, const CatalogAddress &) = default;
        friend size_t qHash(const CatalogAddress &a, size_t seed = 0) { return qHashMulti(seed, a.classid, a.objid, a.subid); }
    };

    /// What readers share while one side is read.
    struct IntrospectContext
    {
        Snapshot &snapshot;
        const IntrospectOptions &options;
        /// Every object a reader made, by its catalog address (pg_class = 1259, pg_type = 1247,
        /// pg_proc = 1255, pg_constraint = 2606, pg_attribute columns: (1259, table oid, attnum),
        /// ...): the dependency pass maps pg_depend's rows through it.
        QHash<CatalogAddress, QString> ids;
        /// Objects another object creates or owns and that are therefore not listed (an index a
        /// constraint owns, a sequence an identity owns, a view's rewrite rule): the dependency
        /// pass sends a dependency on them to their owner. address -> owner's id.
        QHash<CatalogAddress, QString> ownedBy;
        /// Whether `schema` is read (the options' patterns).
        bool wanted(const QString &schema) const;
        /// Adds an object and records its address.
        void add(SchemaObject object, const CatalogAddress &address);
        /// The object added at `address` (to set attributes a later reader reads, e.g. owner,
        /// grants, comment), or null when none was (a system object, a schema left out).
        SchemaObject *object(const CatalogAddress &address);
        /// The object with `id`, or null.
        SchemaObject *object(const QString &id);
        /// Row `r` as an object of `kind` (its "schema" and "name" columns, and the table from
        /// `tableColumn` when given), or nullopt when its schema is not read.
        std::optional<SchemaObject> fromRow(const QueryResult &rows, int r, ObjectKind kind, const QString &tableColumn = {}) const;

        QHash<QString, qsizetype> index; ///< id -> position in snapshot.objects
    };

    /// One object kind's reader: the SQL resource it runs ("schema/<name>", parameters none) and
    /// what it makes of the rows. Readers run in the order listed (a reader may rely on what an
    /// earlier one added, e.g. columns on tables).
    struct KindReader
    {
        QString resource;
        std::function<void(const QueryResult &rows, IntrospectContext &context)> read;
        /// The lowest server_version_num the query runs on (0: any supported).
        int minServerVersion = 0;
    };

    /// The readers, in order: relations.cpp, types.cpp, code.cpp ... each contribute theirs.
    QList<KindReader> relationReaders(); ///< tables, columns, constraints, indexes, sequences, partitions, inheritance
    QList<KindReader> typeReaders();     ///< schemas, extensions, collations, enums, domains, composite types (pgread_types.cpp)
    QList<KindReader> codeReaders(); ///< views, matviews, functions, aggregates, operators, casts, triggers, rules, policies, statistics
    QList<KindReader> privilegeReaders(); ///< owners, grants, default privileges, comments (added to the objects already read)
    /// Kinds dbops does not model, for Snapshot::notCompared (foreign tables, event triggers,
    /// publications, subscriptions, text search configurations, ...).
    QList<KindReader> notComparedReaders();

    /// Reads the schema `connection` is connected to. Blocking; cancellable. Table sizes are not
    /// read (that stats every file): readTableSizes reads them for the tables that need them.
    Expected<Snapshot> snapshotPostgres(PgConnection &connection, const IntrospectOptions &options = {}, CancelToken *token = nullptr);

    /// Sets "_bytes" (pg_total_relation_size) on the snapshot's tables whose ids are in `tableIds`
    /// (all its tables when `tableIds` is empty), reading from `connection`, the side the
    /// snapshot was taken of. Returns how many it set. Blocking; cancellable.
    Expected<int> readTableSizes(PgConnection &connection, Snapshot &snapshot, const QStringList &tableIds = {},
                                 CancelToken *token = nullptr);
}

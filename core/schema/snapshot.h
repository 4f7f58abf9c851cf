#pragma once

#include "core/error.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

/// A schema snapshot as plain data (DESIGN.md, core/schema): what one side holds, read in one
/// consistent picture, compared by the diff and written back as SQL. It crosses threads by value.
///
/// Every catalog object is one SchemaObject: its kind, its identity (schema, owning relation,
/// name, argument types) and its attributes as canonical text. The diff compares attributes key by
/// key; the SQL writer reads the keys documented below. Values are the server's own text (format_type,
/// pg_get_expr, pg_get_viewdef, pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef,
/// pg_get_functiondef, pg_get_statisticsobjdef) printed with search_path = '' so every name in them
/// is schema-qualified and the same on both sides. A list value is a JSON array in text
/// (`["a","b"]`), an absent attribute and an empty one are the same. Keys that start with "_" are
/// information (a column's position, a table's size in bytes), never compared.
///
/// Attribute keys, by kind (every kind may also have "owner", "acl" (a JSON array of aclitem text,
/// sorted) and "comment"; a domain and a composite type "part_comments", a JSON object of the
/// comments on its constraints or attributes by name):
/// - Schema: (none beyond owner/acl/comment).
/// - Extension: "schema", "version".
/// - Collation: "provider" (c|i|d), "locale", "lc_collate", "lc_ctype", "deterministic" (true|false).
/// - Enum: "labels" (JSON array in sort order).
/// - Domain: "type", "default", "not_null", "collation", "checks" (JSON array of
///   {"name","definition"} sorted by name).
/// - CompositeType: "attributes" (JSON array of {"name","type","collation"} in order).
/// - Sequence: "type", "start", "increment", "min", "max", "cache", "cycle" (true|false),
///   "owned_by" ("schema"."table"."column" quoted, or empty). Identity sequences are not objects:
///   their options are the column's.
/// - Table: "persistence" (p|u), "partition_by" (pg_get_partkeydef, empty when not partitioned),
///   "partition_of" (the parent, quoted qualified name), "partition_bound" (pg_get_expr of
///   relpartbound), "inherits" (JSON array of quoted qualified parents, in order),
///   "reloptions" (JSON array, sorted), "replica_identity" (d|n|f|i), "rls" (true|false),
///   "rls_forced" (true|false), "_bytes" (pg_total_relation_size, read for the tables a
///   plan changes: readTableSizes), "_rows" (reltuples).
/// - Column (table = the relation's name): "type" (format_type with typmod), "not_null"
///   (true|false), "default" (pg_get_expr), "identity" (a|d|empty), "identity_options" (for an
///   identity: "START 1 INCREMENT 1 MIN 1 MAX 2147483647 CACHE 1 NO CYCLE"), "generated"
///   (the expression of a stored generated column), "collation" (quoted qualified, only when not
///   the type's default), "storage" (p|e|m|x, only when not the type's default), "statistics"
///   (only when set), "acl" (column grants), "_position" (attnum). A column of an inherited or
///   partition child that comes from its parent is not an object of its own ("_inherited" true).
/// - Constraint (table = the relation, or the domain for a domain check — those live on the
///   Domain): "type" (p|u|c|f|x|t), "definition" (pg_get_constraintdef), "validated"
///   (true|false), "deferrable", "deferred", "index" (for p/u/x: the index's name, which is not
///   an object of its own), "_inherited" (a child's copy of its parent's constraint).
/// - Index (table = the relation): "definition" (pg_get_indexdef), "primary"/"unique" (true|false);
///   an index that a constraint owns is not an Index object (the constraint creates it).
///   An index of a partitioned table's partition attached to its parent's is left out.
/// - View / MaterializedView: "definition" (pg_get_viewdef, pretty off), "options" (JSON array of
///   reloptions: security_barrier, security_invoker, check_option), "columns" (JSON array of
///   names, in order); MaterializedView also "populated" (true|false).
/// - Function (name = proname, arguments = pg_get_function_identity_arguments): "kind" (f|p|a|w),
///   "definition" (pg_get_functiondef; for an aggregate, a CREATE AGGREGATE the introspector
///   builds), "result" (pg_get_function_result), "language".
/// - Operator (name = the operator, arguments = "lefttype, righttype"): "definition".
/// - Cast (name = "source AS target"): "definition".
/// - Trigger (table = the relation): "definition" (pg_get_triggerdef), "enabled" (O|D|R|A).
/// - Policy (table = the relation): "command" (r|a|w|d|*), "permissive" (true|false),
///   "roles" (JSON array, sorted), "using", "check".
/// - Statistics: "definition" (pg_get_statisticsobjdef), "target".
/// - DefaultPrivileges (name = "role in schema" or "role"): "acl".
/// - Rule (table = the relation): "definition" (pg_get_ruledef).
namespace dbops::schema
{
    enum class ObjectKind
    {
        Schema,
        Extension,
        Collation,
        Enum,
        Domain,
        CompositeType,
        Sequence,
        Table,
        Column,
        Constraint,
        Index,
        View,
        MaterializedView,
        Function,
        Operator,
        Cast,
        Trigger,
        Policy,
        Rule,
        Statistics,
        DefaultPrivileges,
    };

    /// "table", "materialized view", "default privileges" ...: the word a DBA reads and the JSON key.
    QString toString(ObjectKind kind);
    std::optional<ObjectKind> kindFromString(const QString &text);
    /// Every kind, in declaration order.
    QList<ObjectKind> allKinds();

    /// One catalog object of one side.
    struct SchemaObject
    {
        ObjectKind kind = ObjectKind::Table;
        QString schema;    ///< the namespace; empty for a schema itself, an extension, a cast
        QString table;     ///< the owning relation (Column, Constraint, Index, Trigger, Policy, Rule)
        QString name;      ///< the object's own name
        QString arguments; ///< Function and Operator identity arguments
        QMap<QString, QString> attrs;
        /// The ids of the objects of the same side this one needs (from pg_depend, pg_rewrite,
        /// pg_inherits): a view needs the columns it reads, an FK the key it references, a column
        /// its type. The SQL writer orders creates after, and drops before, what they need.
        QStringList dependsOn;

        /// The identity across sides: "<kind>:<schema>.<table>.<name>(<arguments>)" with empty
        /// parts left out, e.g. "column:public.orders.total", "function:public.f(integer)".
        QString id() const;
        /// The quoted name a statement uses: "s"."n" (a column: "c"; a constraint, trigger, policy,
        /// rule: "n"; a function: "s"."f"(args); a schema or extension: "n").
        QString sqlName() const;
        /// The quoted qualified owning relation for Column/Constraint/Index/...: "s"."t".
        QString sqlTable() const;
        /// What a person reads: public.orders.total, public.f(integer).
        QString displayName() const;
        QString attr(const QString &key) const { return attrs.value(key); }
        bool flag(const QString &key) const { return attrs.value(key) == QStringLiteral("true"); }

        friend bool operator==(const SchemaObject &, const SchemaObject &) = default;
    };

    /// An object of a kind dbops does not model, listed instead of dropped silently.
    struct NotCompared
    {
        QString kind;   ///< "foreign table", "event trigger", "publication", ...
        QString name;   ///< its name as the catalog prints it
        QString reason; ///< "not modelled by dbops", "owned by extension x" is never listed (left out on purpose)

        friend bool operator==(const NotCompared &, const NotCompared &) = default;
    };

    enum class Dialect
    {
        PostgreSql,
        Sqlite,
    };

    struct Snapshot
    {
        QString source; ///< what was read: "postgresql://host/db", "sqlite:PATH", "migrations:DIR@V"
        Dialect dialect = Dialect::PostgreSql;
        int serverVersionNum = 0;    ///< PostgreSQL's server_version_num; 0 for SQLite
        QDateTime takenAt;           ///< UTC
        QList<SchemaObject> objects; ///< sorted by id
        QList<NotCompared> notCompared;

        /// Sorts the objects by id and rebuilds the index; call after filling `objects`.
        void finish();
        /// Whether the index finish() builds covers the objects (false after objects changed).
        bool isFinished() const { return m_index.size() == objects.size(); }
        const SchemaObject *find(const QString &id) const;
        /// The object to change an information attribute of (a "_" key: it keeps the order).
        SchemaObject *find(const QString &id);
        /// The ids of every object whose dependsOn names `id` (built by finish()).
        QStringList dependents(const QString &id) const;
        /// The parts (columns, constraints, indexes, triggers, policies, rules) of table or view
        /// schema.table, in id order (built by finish()).
        QList<const SchemaObject *> partsOf(const QString &schema, const QString &table) const;
        /// The objects of one kind, in id order (built by finish()).
        QList<const SchemaObject *> ofKind(ObjectKind kind) const;

        QJsonObject toJson() const;
        /// Reads what toJson wrote; BadInput naming the first thing that is wrong.
        static Expected<Snapshot> fromJson(const QJsonObject &json);

        friend bool operator==(const Snapshot &a, const Snapshot &b)
        {
            return a.source == b.source && a.dialect == b.dialect && a.serverVersionNum == b.serverVersionNum && a.takenAt == b.takenAt
                   && a.objects == b.objects && a.notCompared == b.notCompared;
        }

    private:
        QHash<QString, qsizetype> m_index;
        QHash<QString, QStringList> m_dependents;
        QHash<QString, QList<qsizetype>> m_parts;     ///< "schema\x1ftable" -> positions
        QHash<ObjectKind, QList<qsizetype>> m_byKind; ///< kind -> positions
    };

    /// Writes a snapshot as JSON (0600, written beside and renamed); readSnapshotFile reads it back.
    Expected<void> writeSnapshotFile(const Snapshot &snapshot, const QString &path);
    Expected<Snapshot> readSnapshotFile(const QString &path);

    /// The quoted form of one identifier as PostgreSQL would print it with quote_ident (plain
    /// lower-case names that are not reserved words stay bare).
    QString quoteIdent(const QString &identifier);
    /// A JSON array in text, and back (an empty text is an empty list).
    QString jsonList(const QStringList &items);
    QStringList fromJsonList(const QString &text);
}

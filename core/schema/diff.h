#pragma once

#include "core/schema/snapshot.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

/// The diff of two snapshots: what turning `from` into `to` changes, object by object, with the
/// hazards of each change. Plain data; the SQL writer (sqlwriter.h) turns it into statements.
namespace dbops::schema
{
    enum class Hazard
    {
        DataLoss,          ///< drop table/column, narrowing type change, enum value removed
        TableRewrite,      ///< a type change that rewrites, a volatile default, SET LOGGED ...
        Lock,              ///< the lock mode the statement takes, and on what
        BlocksWrites,      ///< an index built without CONCURRENTLY
        FullScan,          ///< a constraint validated while added (no NOT VALID)
        BreaksRunningCode, ///< a rename
        Irreversible,      ///< an enum value added
        Security,          ///< owner, grant, RLS, policy, security_invoker/security_barrier
    };
    QString toString(Hazard hazard); ///< "data loss", "table rewrite", "lock", ...

    struct HazardNote
    {
        Hazard hazard = Hazard::Lock;
        QString detail; ///< "ACCESS EXCLUSIVE on public.orders (1.2 GB)", "drops 3 values of ..."

        friend bool operator==(const HazardNote &, const HazardNote &) = default;
    };

    struct Change
    {
        enum class Type
        {
            Added,
            Removed,
            Altered,
            Renamed, ///< accepted with --rename old=new (never assumed)
        };
        Type type = Type::Altered;
        ObjectKind kind = ObjectKind::Table;
        QString id;             ///< the object's id (on `to` for Added/Renamed, on `from` otherwise)
        QString fromId;         ///< Renamed: the id on `from`
        QString object;         ///< displayName()
        QStringList attributes; ///< Altered: the attribute keys that differ, sorted
        QString before;         ///< the object's definition on `from` as text (empty when Added)
        QString after;          ///< on `to` (empty when Removed)
        QList<HazardNote> hazards;
        /// For an enum whose labels differ only in case (seed 003): the pairs from -> to.
        QList<QPair<QString, QString>> caseOnlyLabels;

        bool has(Hazard h) const;
        friend bool operator==(const Change &, const Change &) = default;
    };
    QString toString(Change::Type type); ///< "added", "removed", "altered", "renamed"

    /// A dropped and an added object of the same kind and shape (a column of the same type and
    /// nullability on the same table; a table with the same columns): shown, never assumed.
    struct RenameCandidate
    {
        ObjectKind kind = ObjectKind::Column;
        QString fromId;
        QString toId;
        QString from; ///< old name, as given to --rename
        QString to;
    };

    struct DiffOptions
    {
        /// Schema name patterns (`*` and `?` wildcards) to include; empty: every schema except
        /// pg_catalog, information_schema, pg_toast and dbops' own history schema... (the
        /// introspector leaves the system schemas out already).
        QStringList schemas;
        QStringList excludeSchemas;
        bool ignoreOwners = false;
        bool ignoreGrants = false; ///< "acl" attributes and DefaultPrivileges
        bool ignoreComments = false;
        /// Accepted renames, as the person wrote them: "public.orders.total=amount"
        /// (column: schema.table.old=new), "public.orders=purchases" (table: schema.old=new).
        QList<QPair<QString, QString>> renames;
    };

    struct SchemaDiff
    {
        QList<Change> changes; ///< sorted by kind, then id
        QList<RenameCandidate> possibleRenames;
        /// Both sides' not-compared kinds, merged ("side: kind name").
        QList<NotCompared> notCompared;
        /// Said when the sides are of different dialects: what the comparison was narrowed to.
        QString comparedAs;

        bool isEmpty() const { return changes.isEmpty(); }
        /// "+2 tables, -1 column, ~3 views, 12 grants changed, 1 data loss": counts per kind and
        /// change type, then per hazard.
        QString summary() const;
        QJsonObject toJson() const;
    };

    /// Compares `from` with `to`. A rename that names no such object is BadInput naming it.
    Expected<SchemaDiff> diff(const Snapshot &from, const Snapshot &to, const DiffOptions &options = {});

    /// Whether `name` matches a `*`/`?` pattern (exact, case-sensitive otherwise).
    bool matchesPattern(const QString &name, const QString &pattern);
}

#pragma once

#include "core/schema/diff.h"
#include "core/schema/snapshot.h"
#include "core/schema/sqlwriter.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

/// What each object kind knows about itself, in one table the diff and the SQL writer share:
/// how it is created, dropped, altered in place, renamed, described, and what a change to it
/// risks. The engines (diff.cpp, sqlwriter.cpp) are kind-blind; the kinds' rules live in
/// rules_<group>.cpp.
///
/// Owner, grants ("acl") and comments are the same for every kind and are written by
/// securityStatements(); a kind's alter() never sees those three keys.
namespace dbops::schema
{
    struct WriteContext
    {
        const Snapshot &from;
        const Snapshot &to;
        const SqlOptions &options;
        /// Accepted renames, `to` id -> `from` id (a renamed table exists already: its new
        /// columns are added to it, not written into a CREATE TABLE). Null: none.
        const QHash<QString, QString> *renamed = nullptr;
    };

    struct KindRules
    {
        ObjectKind kind = ObjectKind::Table;
        /// The words a statement names the object with: "TABLE", "MATERIALIZED VIEW",
        /// "FUNCTION" / "PROCEDURE" / "AGGREGATE" (by its "kind" attribute), "COLUMN", ...
        std::function<QString(const SchemaObject &)> keyword;
        /// The statements creating `object` as it is on `to` (its owner, grants and comment are
        /// added by the engine through securityStatements).
        std::function<QStringList(const SchemaObject &object, const WriteContext &context)> create;
        /// The statements dropping `object` as it is on `from` (IF EXISTS, never CASCADE: what
        /// depends on it is dropped first, by the engine).
        std::function<QStringList(const SchemaObject &object, const WriteContext &context)> drop;
        /// In-place statements turning `a` into `b` for `attributes` (never owner/acl/comment);
        /// std::nullopt: it cannot be altered in place, so the engine drops and creates it.
        std::function<std::optional<QStringList>(const SchemaObject &a, const SchemaObject &b, const QStringList &attributes,
                                                 const WriteContext &context)>
            alter;
        /// Whether the in-place alter needs the objects that depend on `a` (views, matviews,
        /// policies, triggers, rules, generated columns) dropped before and recreated after, as a
        /// column type change does. Null: never.
        std::function<bool(const SchemaObject &a, const SchemaObject &b, const QStringList &attributes)> recreatesDependents;
        /// Statements that must run once every object of `to` exists (a sequence's OWNED BY, a
        /// table's REPLICA IDENTITY USING INDEX): the engine runs them after the creates. `before`
        /// is the object on `from` and `attributes` what changed when it is altered in place;
        /// null and empty when it is created. Null: none.
        std::function<QStringList(const SchemaObject *before, const SchemaObject &object, const QStringList &attributes,
                                  const WriteContext &context)>
            finish;
        /// RENAME statements for an accepted rename `a` -> `b`. Null: the kind is never renamed.
        std::function<QStringList(const SchemaObject &a, const SchemaObject &b)> rename;
        /// The hazards of `change` (a: on from, b: on to; either may be null).
        std::function<QList<HazardNote>(const Change &change, const SchemaObject *a, const SchemaObject *b, const Snapshot &from,
                                        const Snapshot &to)>
            hazards;
        /// The object's definition as a person reads it (Change::before/after).
        std::function<QString(const SchemaObject &object, const Snapshot &side)> describe;
        /// Orders the statements of this kind that are free to run in any order (ties in the
        /// dependency graph): e.g. columns added to a table in their `to` position. Null: the id.
        std::function<QString(const SchemaObject &object)> orderKey;
    };

    /// The rules of `kind` (every kind has rules; a missing one is a bug, Internal).
    const KindRules &rulesFor(ObjectKind kind);

    /// The kinds' rules, by group (each group in its own rules_<group>.cpp).
    QList<KindRules> relationRules(); ///< Table, Column, Constraint, Index, Sequence
    QList<KindRules> typeRules();     ///< Schema, Extension, Collation, Enum, Domain, CompositeType
    QList<KindRules> codeRules();     ///< View, MaterializedView, Function, Operator, Cast, Trigger, Policy, Rule, Statistics,
                                      ///< DefaultPrivileges

    /// OWNER TO, GRANT/REVOKE (the difference of the two acl lists, item by item) and COMMENT ON
    /// for `b` (on `to`), given what it was (`a`, null when it is created). Only the keys among
    /// owner/acl/comment that differ are written.
    QStringList securityStatements(const SchemaObject *a, const SchemaObject &b, const WriteContext &context);
    /// Whether an attribute key is one of owner/acl/comment.
    bool isSecurityKey(const QString &key);
    /// Whether objects of `kind` have an owner of their own (a column's, a constraint's, an
    /// index's ... is its table's).
    bool hasOwnOwner(ObjectKind kind);
}

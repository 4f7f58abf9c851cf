#pragma once

#include "core/schema/rules.h"

/// What the relation rules (rules_relations.cpp, rules_constraints.cpp) share.
namespace dbops::schema
{
    /// The id of table schema.name.
    QString tableId(const QString &schema, const QString &name);
    /// The table a part (column, constraint, index) belongs to on `side`, or null.
    const SchemaObject *tableOf(const Snapshot &side, const SchemaObject &part);
    /// Whether the part's table is created by this plan (new, or dropped and created): its
    /// CREATE TABLE writes its parts.
    bool tableIsNew(const SchemaObject &part, const WriteContext &context);
    /// "1.2 MB" from a byte count in text.
    QString humanSize(const QString &bytesText);
    /// "public.orders (1.2 GB, ~3400 rows)" from the table's size and row estimate on `side`.
    QString tableWithSize(const Snapshot &side, const QString &schema, const QString &table);

    /// The rules of Constraint and Index (rules_constraints.cpp).
    QList<KindRules> constraintAndIndexRules();
}

#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QString>

#include <optional>

namespace dbops
{
    /// libpg_query's JSON parse tree of `sql` (the PostgreSQL 15 parser); empty when it does not
    /// parse. The one place that calls pg_query_parse. Thread-safe; no I/O.
    QByteArray parseTreeJson(const QString &sql);

    /// The statement nodes of `sql` (each `{"TransactionStmt": {...}}`, the `stmt` of every entry of
    /// `stmts`), in order; nullopt when it does not parse.
    std::optional<QJsonArray> parseStatements(const QString &sql);

    /// Reading libpg_query's JSON tree.
    namespace tree
    {
        /// A node's payload: {"RangeVar": {...}} -> {...}; a bare object stays as it is.
        QJsonObject unwrap(const QJsonValue &v, const QString &type);
        /// The text of a {"String": {"sval": ...}} node.
        QString stringValue(const QJsonValue &v);
        /// The texts of a list of String nodes (a qualified name: ["pg_catalog", "int4"]).
        QStringList stringList(const QJsonArray &items);
    }
}

#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

/// Column change rules shared by the relation rules (rules_relations.cpp): an identity's options
/// and what a type change costs. The types are format_type's text ("character varying(20)").
namespace dbops::schema
{
    /// "START 1 INCREMENT 1 MIN 1 MAX 2147483647 CACHE 1 NO CYCLE" -> its parts (CYCLE: true|false).
    QHash<QString, QString> identityParts(const QString &options);
    /// One part as ALTER/CREATE words: ("START", "5") -> "START WITH 5".
    QString sequenceOption(const QString &part, const QString &value);
    /// The parts in the order PostgreSQL prints them.
    const QStringList &identityOrder();
    /// identity options text -> "START WITH 1 INCREMENT BY 1 ...".
    QString identitySql(const QString &options);
    /// Whether the bounds get narrower (a higher MIN or a lower MAX).
    bool tightens(const QHash<QString, QString> &before, const QHash<QString, QString> &after);

    /// Whether PostgreSQL needs USING for old -> new (no implicit or assignment cast).
    bool needsUsing(const QString &oldType, const QString &newType);
    /// Values that old -> new may cut or refuse; empty: none.
    QString narrowing(const QString &oldType, const QString &newType);
    /// Whether old -> new rewrites the table (binary-coercible or typmod-widening changes do not).
    bool rewrites(const QString &oldType, const QString &newType);
    /// Whether a default expression is volatile (adding a column with it rewrites the table).
    bool volatileDefault(const QString &expr);
}

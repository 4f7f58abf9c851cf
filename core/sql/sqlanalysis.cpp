#include "core/sql/sqlanalysis.h"

#include <QJsonArray>
#include <QHash>
#include <QJsonDocument>

#include "core/sql/parsetree.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        using tree::stringValue;
        using tree::unwrap;

        QString nameList(const QJsonArray &items)
        {
            return tree::stringList(items).join(u'.');
        }

        QString rangeVar(const QJsonValue &v)
        {
            const QJsonObject r = unwrap(v, u"RangeVar"_s);
            const QString schema = r[u"schemaname"_s].toString();
            return (schema.isEmpty() ? QString() : schema + u'.') + r[u"relname"_s].toString();
        }

        /// One object of a DropStmt: a List of names, a TypeName, or a bare String (schemas).
        QString dropObject(const QJsonValue &v)
        {
            const QJsonObject o = v.toObject();
            if (o.contains(u"List"_s))
                return nameList(o[u"List"_s].toObject()[u"items"_s].toArray());
            if (o.contains(u"TypeName"_s))
                return nameList(o[u"TypeName"_s].toObject()[u"names"_s].toArray());
            return stringValue(v);
        }

        QString dropAction(const QString &removeType)
        {
            static const QHash<QString, QString> actions{
                {u"OBJECT_TABLE"_s, u"drops table"_s},
                {u"OBJECT_SCHEMA"_s, u"drops schema"_s},
                {u"OBJECT_TYPE"_s, u"drops type"_s},
                {u"OBJECT_DOMAIN"_s, u"drops domain"_s},
                {u"OBJECT_SEQUENCE"_s, u"drops sequence"_s},
                {u"OBJECT_MATVIEW"_s, u"drops materialized view"_s},
                {u"OBJECT_FOREIGN_TABLE"_s, u"drops foreign table"_s},
            };
            return actions.value(removeType);
        }

        void analyse(const QJsonObject &stmt, const SqlStatement &st, QList<DataLossFinding> &out)
        {
            const auto add = [&](const QString &action, const QString &object) { out.append({st.index + 1, st.line, action, object}); };
            if (stmt.contains(u"DropStmt"_s))
            {
                const QJsonObject d = stmt[u"DropStmt"_s].toObject();
                const QString action = dropAction(d[u"removeType"_s].toString());
                if (!action.isEmpty())
                    for (const QJsonValue &o : d[u"objects"_s].toArray())
                        add(action, dropObject(o));
            }
            else if (stmt.contains(u"AlterTableStmt"_s))
            {
                const QJsonObject a = stmt[u"AlterTableStmt"_s].toObject();
                const QString table = rangeVar(a[u"relation"_s]);
                for (const QJsonValue &c : a[u"cmds"_s].toArray())
                {
                    const QJsonObject cmd = unwrap(c, u"AlterTableCmd"_s);
                    if (cmd[u"subtype"_s].toString() == u"AT_DropColumn"_s)
                        add(u"drops column"_s, table + u'.' + cmd[u"name"_s].toString());
                }
            }
            else if (stmt.contains(u"TruncateStmt"_s))
            {
                for (const QJsonValue &r : stmt[u"TruncateStmt"_s].toObject()[u"relations"_s].toArray())
                    add(u"truncates"_s, rangeVar(r));
            }
            else if (stmt.contains(u"DeleteStmt"_s))
            {
                const QJsonObject d = stmt[u"DeleteStmt"_s].toObject();
                if (!d.contains(u"whereClause"_s))
                    add(u"deletes every row of"_s, rangeVar(d[u"relation"_s]));
            }
        }
    }

    QString DataLossFinding::toText() const
    {
        return u"%1 %2 (statement %3, line %4)"_s.arg(action, object).arg(statement).arg(line);
    }

    QJsonObject DataLossFinding::toJson() const
    {
        return QJsonObject{{u"action"_s, action}, {u"object"_s, object}, {u"statement"_s, statement}, {u"line"_s, line}};
    }

    QList<DataLossFinding> findDataLoss(const QList<SqlStatement> &statements)
    {
        QList<DataLossFinding> out;
        for (const SqlStatement &st : statements)
            if (const std::optional<QJsonArray> stmts = parseStatements(st.text))
                for (const QJsonValue &s : *stmts)
                    analyse(s.toObject(), st, out);
        return out;
    }
}

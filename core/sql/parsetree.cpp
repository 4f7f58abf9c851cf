#include "core/sql/parsetree.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <pg_query.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QByteArray parseTreeJson(const QString &sql)
    {
        const QByteArray utf8 = sql.toUtf8();
        PgQueryParseResult parsed = pg_query_parse(utf8.constData());
        QByteArray tree;
        if (!parsed.error && parsed.parse_tree)
            tree = QByteArray(parsed.parse_tree);
        pg_query_free_parse_result(parsed);
        return tree;
    }

    std::optional<QJsonArray> parseStatements(const QString &sql)
    {
        const QByteArray tree = parseTreeJson(sql);
        if (tree.isEmpty())
            return std::nullopt;
        QJsonArray out;
        for (const QJsonValue &s : QJsonDocument::fromJson(tree).object().value(u"stmts"_s).toArray())
            out.append(s.toObject().value(u"stmt"_s));
        return out;
    }

    namespace tree
    {
        QJsonObject unwrap(const QJsonValue &v, const QString &type)
        {
            const QJsonObject o = v.toObject();
            return o.contains(type) ? o[type].toObject() : o;
        }

        QString stringValue(const QJsonValue &v)
        {
            const QJsonObject s = v.toObject()[u"String"_s].toObject();
            return s.contains(u"sval"_s) ? s[u"sval"_s].toString() : s[u"str"_s].toString(); // PG 15 / older
        }

        QStringList stringList(const QJsonArray &items)
        {
            QStringList out;
            for (const QJsonValue &i : items)
                out << stringValue(i);
            return out;
        }
    }
}

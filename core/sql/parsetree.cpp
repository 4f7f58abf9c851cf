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
}

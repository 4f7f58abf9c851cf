#include "core/migrate/history.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString toString(HistoryRow::Type type)
    {
        switch (type)
        {
        case HistoryRow::Type::Migration:
            return u"SQL"_s;
        case HistoryRow::Type::Repeatable:
            return u"REPEATABLE"_s;
        case HistoryRow::Type::Baseline:
            return u"BASELINE"_s;
        case HistoryRow::Type::Undo:
            return u"UNDO"_s;
        case HistoryRow::Type::Repair:
            return u"REPAIR"_s;
        case HistoryRow::Type::Deleted:
            return u"DELETE"_s;
        case HistoryRow::Type::UpTo:
            return u"UP_TO"_s;
        case HistoryRow::Type::Other:
            return u"OTHER"_s;
        }
        return {};
    }

    TableRef TableRef::parse(const QString &table, const QString &defaultName)
    {
        const QString t = table.isEmpty() ? defaultName : table;
        const qsizetype dot = t.indexOf(u'.');
        TableRef r;
        r.schema = dot > 0 ? t.left(dot) : u"public"_s;
        r.name = dot > 0 ? t.mid(dot + 1) : t;
        const auto q = [](QString s) -> QString { return u'"' + s.replace(u'"', u"\"\""_s) + u'"'; };
        r.quoted = q(r.schema) + u'.' + q(r.name);
        return r;
    }

    QString defaultHistoryTable()
    {
        return u"dbops_schema_history"_s;
    }

    TableHistory::TableHistory(const QString &table, const QString &defaultName)
        : m_table(TableRef::parse(table, defaultName))
    {
    }

    bool TableHistory::exists(PgConnection &conn, CancelToken *token)
    {
        return conn.exec(u"SELECT to_regclass($1) IS NOT NULL"_s, {m_table.quoted}, token).value(0, 0).toBool();
    }
}

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
        }
        return {};
    }

    QString defaultHistoryTable()
    {
        return u"dbops_schema_history"_s;
    }
}

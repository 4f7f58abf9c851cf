// SQLite introspection and the cross-dialect narrowing (issue 13: the sides helper replaces this file).
#include "core/schema/sqliteintrospect.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    Expected<Snapshot> snapshotSqlite(const QString &path)
    {
        return fail(ErrorCode::Internal, u"reading a SQLite side (%1) is not built yet"_s.arg(path));
    }

    Snapshot comparableAcrossDialects(const Snapshot &side, QString *comparedAs)
    {
        if (comparedAs)
            *comparedAs = u"as is"_s;
        return side;
    }
}

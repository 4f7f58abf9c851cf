// Views, materialized views, functions, operators, casts, triggers, rules, policies, statistics,
// owners, grants, comments, default privileges and the kinds not compared (issue 13: the code
// helper replaces this file).
#include "core/schema/pgintrospect.h"

namespace dbops::schema
{
    QList<KindReader> codeReaders()
    {
        return {};
    }

    QList<KindReader> privilegeReaders()
    {
        return {};
    }

    QList<KindReader> notComparedReaders()
    {
        return {};
    }
}

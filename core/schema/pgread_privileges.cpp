// Owners, grants, comments and default privileges of every kind, and the kinds not compared
// (issue 13: the types helper replaces this file).
#include "core/schema/pgintrospect.h"

namespace dbops::schema
{
    QList<KindReader> privilegeReaders()
    {
        return {};
    }

    QList<KindReader> notComparedReaders()
    {
        return {};
    }
}

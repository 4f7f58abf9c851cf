// Views, materialized views, functions, operators, casts, triggers, rules, policies, statistics (issue 13:
// the code helper replaces this file).
#include "core/schema/pgintrospect.h"

namespace dbops::schema
{
    QList<KindReader> codeReaders()
    {
        return {};
    }
}

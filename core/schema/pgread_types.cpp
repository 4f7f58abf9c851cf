// Schemas, extensions, collations, enums, domains and composite types (issue 13: the types helper
// replaces this file).
#include "core/schema/pgintrospect.h"

namespace dbops::schema
{
    QList<KindReader> typeReaders()
    {
        return {};
    }
}

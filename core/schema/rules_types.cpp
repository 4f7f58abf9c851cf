// The rules of Schema, Extension, Collation, Enum, Domain and CompositeType (issue 13: the types
// helper replaces this file).
#include "core/schema/rules.h"

namespace dbops::schema
{
    QList<KindRules> typeRules()
    {
        return {};
    }
}

// The rules of Table, Column, Constraint, Index and Sequence (issue 13: the relations helper
// replaces this file).
#include "core/schema/rules.h"

namespace dbops::schema
{
    QList<KindRules> relationRules()
    {
        return {};
    }
}

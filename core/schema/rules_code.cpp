// The rules of View, MaterializedView, Function, Operator, Cast, Trigger, Policy, Rule, Statistics
// and DefaultPrivileges (issue 13: the code helper replaces this file).
#include "core/schema/rules.h"

namespace dbops::schema
{
    QList<KindRules> codeRules()
    {
        return {};
    }
}

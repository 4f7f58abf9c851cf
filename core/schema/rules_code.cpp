// The rules of View, MaterializedView, Function, Operator, Cast, Trigger, Policy, Rule, Statistics
// and DefaultPrivileges, and owners, grants and comments for every kind (issue 13: the code helper
// replaces this file).
#include "core/schema/rules.h"

namespace dbops::schema
{
    QList<KindRules> codeRules()
    {
        return {};
    }

    QStringList securityStatements(const SchemaObject *, const SchemaObject &, const WriteContext &)
    {
        return {};
    }
}

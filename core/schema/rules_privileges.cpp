// OWNER TO, GRANT/REVOKE and COMMENT ON for every kind (issue 13: the types helper replaces this file).
#include "core/schema/rules.h"

namespace dbops::schema
{
    QStringList securityStatements(const SchemaObject *, const SchemaObject &, const WriteContext &)
    {
        return {};
    }
}

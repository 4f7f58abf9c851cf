#include "core/schema/rules.h"

#include <QHash>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        QHash<ObjectKind, KindRules> buildRules()
        {
            QHash<ObjectKind, KindRules> rules;
            QList<KindRules> all = relationRules();
            all << typeRules() << codeRules();
            for (const KindRules &r : all)
                rules.insert(r.kind, r);
            return rules;
        }
    }

    const KindRules &rulesFor(ObjectKind kind)
    {
        static const QHash<ObjectKind, KindRules> rules = buildRules();
        const auto it = rules.constFind(kind);
        if (it == rules.cend())
            throw Exception(ErrorCode::Internal, u"dbops has no SQL rules for a %1"_s.arg(toString(kind)));
        return *it;
    }

    bool isSecurityKey(const QString &key)
    {
        return key == u"owner"_s || key == u"acl"_s || key == u"comment"_s || key == u"part_comments"_s;
    }

    bool hasOwnOwner(ObjectKind kind)
    {
        switch (kind)
        {
        case ObjectKind::Schema:
        case ObjectKind::Collation:
        case ObjectKind::Enum:
        case ObjectKind::Domain:
        case ObjectKind::CompositeType:
        case ObjectKind::Sequence:
        case ObjectKind::Table:
        case ObjectKind::View:
        case ObjectKind::MaterializedView:
        case ObjectKind::Function:
        case ObjectKind::Operator:
        case ObjectKind::Statistics:
            return true;
        default:
            return false;
        }
    }
}

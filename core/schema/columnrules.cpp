// What changing a column costs and how an identity's options are written: the type rules of
// rules_relations.cpp (rewrite, USING, values cut) and the identity option words, apart so that
// the relation rules read as rules.
#include "core/schema/columnrules.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    namespace
    {
        struct TypeShape
        {
            QString base; ///< "integer", "character varying", "numeric" ...
            QList<int> mods;
        };

        TypeShape shapeOf(const QString &type)
        {
            static const QRegularExpression withMods(u"^(.*?)\\(([0-9, ]+)\\)(.*)$"_s);
            TypeShape s;
            const auto m = withMods.match(type);
            if (m.hasMatch())
            {
                s.base = QString(m.captured(1) + m.captured(3)).trimmed();
                for (const QString &n : m.captured(2).split(u','))
                    s.mods << n.trimmed().toInt();
            }
            else
                s.base = type.trimmed();
            return s;
        }

        int integerRank(const QString &base)
        {
            if (base == u"smallint"_s)
                return 1;
            if (base == u"integer"_s)
                return 2;
            if (base == u"bigint"_s)
                return 3;
            return 0;
        }

        bool isString(const QString &base)
        {
            return base == u"text"_s || base == u"character varying"_s || base == u"character"_s || base == u"name"_s
                   || base == u"\"char\""_s;
        }

        bool isNumeric(const QString &base)
        {
            return integerRank(base) > 0 || base == u"numeric"_s || base == u"real"_s || base == u"double precision"_s;
        }

        bool isDateTime(const QString &base)
        {
            return base == u"date"_s || base.startsWith(u"timestamp"_s);
        }
    }

    // --- identity options -----------------------------------------------------------------

    /// "START 1 INCREMENT 1 MIN 1 MAX 2147483647 CACHE 1 NO CYCLE" -> its parts.
    QHash<QString, QString> identityParts(const QString &options)
    {
        QHash<QString, QString> parts;
        const QStringList words = options.split(u' ', Qt::SkipEmptyParts);
        for (qsizetype i = 0; i < words.size(); ++i)
        {
            const QString &w = words[i];
            if (w == u"NO"_s && i + 1 < words.size() && words[i + 1] == u"CYCLE"_s)
            {
                parts.insert(u"CYCLE"_s, u"false"_s);
                ++i;
            }
            else if (w == u"CYCLE"_s)
                parts.insert(u"CYCLE"_s, u"true"_s);
            else if (i + 1 < words.size())
            {
                parts.insert(w, words[i + 1]);
                ++i;
            }
        }
        return parts;
    }

    QString sequenceOption(const QString &part, const QString &value)
    {
        if (part == u"START"_s)
            return u"START WITH "_s + value;
        if (part == u"INCREMENT"_s)
            return u"INCREMENT BY "_s + value;
        if (part == u"MIN"_s)
            return u"MINVALUE "_s + value;
        if (part == u"MAX"_s)
            return u"MAXVALUE "_s + value;
        if (part == u"CACHE"_s)
            return u"CACHE "_s + value;
        if (part == u"CYCLE"_s)
            return value == u"true"_s ? u"CYCLE"_s : u"NO CYCLE"_s;
        return {};
    }

    const QStringList &identityOrder()
    {
        static const QStringList order{u"START"_s, u"INCREMENT"_s, u"MIN"_s, u"MAX"_s, u"CACHE"_s, u"CYCLE"_s};
        return order;
    }

    QString identitySql(const QString &options)
    {
        const QHash<QString, QString> parts = identityParts(options);
        QStringList sql;
        for (const QString &p : identityOrder())
            if (parts.contains(p))
                sql << sequenceOption(p, parts.value(p));
        return sql.join(u' ');
    }

    bool tightens(const QHash<QString, QString> &before, const QHash<QString, QString> &after)
    {
        return after.value(u"MIN"_s).toLongLong() > before.value(u"MIN"_s).toLongLong()
               || after.value(u"MAX"_s).toLongLong() < before.value(u"MAX"_s).toLongLong();
    }

    // --- types ----------------------------------------------------------------------------

    /// Whether PostgreSQL needs USING for old -> new (no implicit or assignment cast).
    bool needsUsing(const QString &oldType, const QString &newType)
    {
        const TypeShape a = shapeOf(oldType), b = shapeOf(newType);
        if (a.base == b.base)
            return false;
        if (isString(b.base))
            return false; // every type has an assignment cast to text through its output
        if (isNumeric(a.base) && isNumeric(b.base))
            return false;
        if (isDateTime(a.base) && isDateTime(b.base))
            return false;
        return true;
    }

    /// Values that old -> new may cut or refuse (a narrower integer, a shorter varchar, less
    /// numeric precision, text to anything but text). Empty: none.
    QString narrowing(const QString &oldType, const QString &newType)
    {
        const TypeShape a = shapeOf(oldType), b = shapeOf(newType);
        if (integerRank(a.base) && integerRank(b.base))
            return integerRank(b.base) < integerRank(a.base) ? u"%1 -> %2 refuses values out of the new range"_s.arg(oldType, newType)
                                                             : QString();
        if (isString(a.base) && isString(b.base))
        {
            const int before = a.mods.isEmpty() || a.base == u"text"_s ? -1 : a.mods.first();
            const int after = b.mods.isEmpty() || b.base == u"text"_s ? -1 : b.mods.first();
            if (after >= 0 && (before < 0 || after < before))
                return u"%1 -> %2 refuses or cuts longer values"_s.arg(oldType, newType);
            return {};
        }
        if (a.base == u"numeric"_s && b.base == u"numeric"_s)
        {
            if (b.mods.isEmpty())
                return {};
            if (a.mods.isEmpty())
                return u"numeric -> %1 rounds or refuses values"_s.arg(newType);
            const int ap = a.mods.value(0), as = a.mods.value(1), bp = b.mods.value(0), bs = b.mods.value(1);
            if (bs < as || bp - bs < ap - as)
                return u"%1 -> %2 rounds or refuses values"_s.arg(oldType, newType);
            return {};
        }
        if (a.base == u"double precision"_s && b.base == u"real"_s)
            return u"double precision -> real loses precision"_s;
        if (isNumeric(a.base) && integerRank(b.base))
            return u"%1 -> %2 rounds fractions"_s.arg(oldType, newType);
        if (isString(b.base))
            return {};
        if (a.base != b.base)
            return u"%1 -> %2 converts every value (values that do not convert fail the statement)"_s.arg(oldType, newType);
        return {};
    }

    /// Whether old -> new rewrites the table (binary-coercible or typmod-widening changes do not).
    bool rewrites(const QString &oldType, const QString &newType)
    {
        const TypeShape a = shapeOf(oldType), b = shapeOf(newType);
        const auto unlimitedString = [](const TypeShape &s) {
            return s.base == u"text"_s || (s.base == u"character varying"_s && s.mods.isEmpty());
        };
        if (isString(a.base) && isString(b.base) && a.base != u"character"_s && b.base != u"character"_s)
        {
            if (unlimitedString(b))
                return false;
            if (a.base == u"character varying"_s && b.base == u"character varying"_s && !a.mods.isEmpty())
                return b.mods.value(0) < a.mods.value(0);
            return true;
        }
        if (a.base == b.base && (a.base == u"numeric"_s || a.base == u"bit varying"_s))
        {
            if (b.mods.isEmpty())
                return false;
            if (a.mods.isEmpty())
                return true;
            return !(b.mods.value(1) == a.mods.value(1) && b.mods.value(0) >= a.mods.value(0));
        }
        return oldType != newType;
    }

    bool volatileDefault(const QString &expr)
    {
        static const QRegularExpression re(
            u"\\b(nextval|random|clock_timestamp|timeofday|gen_random_uuid|uuid_generate_v[0-9a-z]*|txid_current|statement_timestamp)\\s*\\("_s);
        return re.match(expr).hasMatch();
    }
}

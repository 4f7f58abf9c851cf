#include "core/db/connectparams.h"

#include <libpq-fe.h>

#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString ConnectParams::value(const QString &key) const
    {
        for (const auto &[k, v] : keywords)
            if (k == key)
                return v;
        return {};
    }

    void ConnectParams::set(const QString &key, const QString &value)
    {
        for (auto &kv : keywords)
            if (kv.first == key)
            {
                kv.second = value;
                return;
            }
        keywords.append({key, value});
    }

    void ConnectParams::remove(const QString &key)
    {
        keywords.removeIf([&](const auto &kv) { return kv.first == key; });
    }

    Expected<ConnectParams> ConnectParams::parse(const QString &conninfo)
    {
        const QString text = conninfo.trimmed();
        if (text.isEmpty())
            return fail(ErrorCode::BadInput, u"the connection string is empty"_s);
        char *err = nullptr;
        const QByteArray utf8 = text.toUtf8();
        std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(utf8.constData(), &err), &PQconninfoFree);
        if (!options)
        {
            QString why = err ? QString::fromUtf8(err).trimmed() : u"out of memory"_s;
            if (err)
                PQfreemem(err);
            return fail(ErrorCode::BadInput, u"invalid connection string: "_s + why);
        }
        ConnectParams params;
        for (PQconninfoOption *o = options.get(); o->keyword; ++o)
        {
            if (!o->val || !*o->val)
                continue;
            const QString key = QString::fromUtf8(o->keyword);
            const QString val = QString::fromUtf8(o->val);
            if (key == u"password"_s)
                params.password = val;
            else
                params.keywords.append({key, val});
        }
        return params;
    }

    QString ConnectParams::toDisplayString() const
    {
        QStringList parts;
        for (const auto &[k, v] : keywords)
        {
            QString quoted = v;
            quoted.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
            if (quoted.isEmpty() || quoted.contains(u' '))
                quoted = u'\'' + quoted + u'\'';
            parts << k + u'=' + quoted;
        }
        return parts.join(u' ');
    }

    QString ConnectParams::shortName() const
    {
        if (has(u"service"_s))
            return u"service="_s + value(u"service"_s);
        QString host = value(u"host"_s);
        if (host.isEmpty())
            host = value(u"hostaddr"_s);
        if (host.isEmpty() || host.startsWith(u'/'))
            host = u"local"_s;
        QString s;
        if (has(u"user"_s))
            s += value(u"user"_s) + u'@';
        s += host;
        if (has(u"port"_s))
            s += u':' + value(u"port"_s);
        s += u'/' + (has(u"dbname"_s) ? value(u"dbname"_s) : value(u"user"_s));
        return s;
    }
}

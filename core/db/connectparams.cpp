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
            // libpq's words for "host=a = b" name no keyword at all; say what is wrong.
            if (why == u"invalid connection option \"\""_s)
                why = u"\"=\" without a keyword before it"_s;
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
        // PQconninfoParse accepts any text for these; libpq only complains at connect time, after
        // the profile was saved. Check them here so bad input is refused up front.
        if (const QString ports = params.value(u"port"_s); !ports.isEmpty())
        {
            for (const QString &port : ports.split(u','))
            {
                bool ok = false;
                const int n = port.trimmed().toInt(&ok);
                if (!port.trimmed().isEmpty() && (!ok || n < 1 || n > 65535))
                    return fail(ErrorCode::BadInput, u"invalid connection string: port \"%1\" is not a number from 1 to 65535"_s.arg(port));
            }
            // libpq takes one port for every host or exactly one per host; anything else it refuses
            // only when connecting.
            const qsizetype nPorts = ports.split(u',').size();
            const QString hosts = params.has(u"host"_s) ? params.value(u"host"_s) : params.value(u"hostaddr"_s);
            const qsizetype nHosts = hosts.isEmpty() ? 1 : hosts.split(u',').size();
            if (nPorts != 1 && nPorts != nHosts)
                return fail(
                    ErrorCode::BadInput,
                    u"invalid connection string: %1 ports for %2 hosts (give one port for all, or one per host)"_s.arg(nPorts).arg(nHosts));
        }
        // Whole-number options: libpq only says "invalid integer value" when it connects, and a
        // retry loop would take that for a network failure.
        for (const QString &key : {u"connect_timeout"_s, u"keepalives"_s, u"keepalives_idle"_s, u"keepalives_interval"_s,
                                   u"keepalives_count"_s, u"tcp_user_timeout"_s})
            if (const QString v = params.value(key); !v.isEmpty())
            {
                bool ok = false;
                const int n = v.trimmed().toInt(&ok);
                if (!ok || n < 0)
                    return fail(ErrorCode::BadInput,
                                u"invalid connection string: %1 \"%2\" is not a whole number of 0 or more"_s.arg(key, v));
            }
        static const QStringList sessionAttrs = {u"any"_s,     u"read-write"_s, u"read-only"_s,
                                                 u"primary"_s, u"standby"_s,    u"prefer-standby"_s};
        if (const QString v = params.value(u"target_session_attrs"_s); !v.isEmpty() && !sessionAttrs.contains(v))
            return fail(ErrorCode::BadInput,
                        u"invalid connection string: target_session_attrs \"%1\" is not one of %2"_s.arg(v, sessionAttrs.join(u", "_s)));
        static const QStringList sslModes = {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s};
        if (const QString mode = params.value(u"sslmode"_s); !mode.isEmpty() && !sslModes.contains(mode))
            return fail(ErrorCode::BadInput,
                        u"invalid connection string: sslmode \"%1\" is not one of %2"_s.arg(mode, sslModes.join(u", "_s)));
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

    QList<QPair<QString, QString>> ConnectParams::hostPorts() const
    {
        // libpq's rules: comma-separated hosts (else hostaddrs); ports one for all or one per host.
        QString hostList = value(u"host"_s);
        if (hostList.isEmpty())
            hostList = value(u"hostaddr"_s);
        const QStringList hosts = hostList.split(u',');
        const QStringList ports = value(u"port"_s).split(u',');
        QList<QPair<QString, QString>> out;
        for (qsizetype i = 0; i < hosts.size(); ++i)
            out.append({hosts[i].trimmed(), (ports.size() == 1 ? ports[0] : ports.value(i)).trimmed()});
        return out;
    }

    QString ConnectParams::shortName() const
    {
        if (has(u"service"_s))
            return u"service="_s + value(u"service"_s);
        QStringList targets;
        for (const auto &[h, p] : hostPorts())
        {
            const QString host = h.isEmpty() || h.startsWith(u'/') || h.startsWith(u'@') ? u"local"_s : h;
            targets << (p.isEmpty() ? host : host + u':' + p);
        }
        QString s;
        if (has(u"user"_s))
            s += value(u"user"_s) + u'@';
        s += targets.join(u',');
        s += u'/' + (has(u"dbname"_s) ? value(u"dbname"_s) : value(u"user"_s));
        return s;
    }
}

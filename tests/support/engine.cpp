#include "tests/support/engine.h"

#include "tests/support/jobs.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::test
{
    MigrateOptions options(const QString &dir)
    {
        MigrateOptions o;
        o.migrationsDir = dir;
        o.settings.retryBackoffMs = 50;
        return o;
    }

    MigrateResult migrate(const ConnectParams &db, const MigrateOptions &o)
    {
        Migrator m(db, o);
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.migrate(jc)); });
        if (!r)
            throw Exception(r.error());
        return r->value<MigrateResult>();
    }

    Timeline info(const ConnectParams &db, const QString &dir)
    {
        Migrator m(db, options(dir));
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.info(jc)); });
        if (!r)
            throw Exception(r.error());
        return r->value<Timeline>();
    }

    ValidateResult validate(const ConnectParams &db, const QString &dir)
    {
        Migrator m(db, options(dir));
        auto r = runInJob([&](JobContext &jc) { return QVariant::fromValue(m.validate(jc)); });
        if (!r)
            throw Exception(r.error());
        return r->value<ValidateResult>();
    }

    int historyRows(PgConnection &conn, const QString &where)
    {
        return int(conn.exec(u"SELECT count(*) FROM dbops_schema_history WHERE "_s + where).value(0, 0).toLongLong());
    }

    const TimelineEntry *entry(const Timeline &t, const QString &version)
    {
        for (const TimelineEntry &e : t.entries)
            if (e.version == version)
                return &e;
        return nullptr;
    }
}

#include "core/migrate/settings.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    Expected<MigrationSettings> MigrationSettings::fromEnvironment()
    {
        MigrationSettings s;
        const struct
        {
            const char *name;
            int *target;
            int min;
        } vars[] = {
            {"MIGRATION_MAX_RETRIES", &s.maxRetries, 0},
            {"MIGRATION_LOCK_TIMEOUT", &s.lockTimeoutSec, 0},
            {"MIGRATION_MAX_WAIT_TIME", &s.maxWaitSec, 0},
            {"MIGRATION_RETRY_BACKOFF", &s.retryBackoffMs, 0},
        };
        for (const auto &v : vars)
        {
            if (!qEnvironmentVariableIsSet(v.name))
                continue;
            bool ok = false;
            const QString text = qEnvironmentVariable(v.name);
            const int value = text.trimmed().toInt(&ok);
            if (!ok || value < v.min)
                return fail(ErrorCode::BadInput, u"%1='%2' is not a whole number >= %3"_s.arg(QLatin1StringView(v.name), text).arg(v.min));
            *v.target = value;
        }
        if (qEnvironmentVariableIsSet("RUN_MIGRATIONS"))
        {
            auto run = parseRunMigrations(qEnvironmentVariable("RUN_MIGRATIONS"));
            if (!run)
                return std::unexpected(run.error());
            s.runMigrations = *run;
        }
        return s;
    }

    Expected<bool> MigrationSettings::parseRunMigrations(const QString &value)
    {
        const QString v = value.trimmed().toLower();
        if (v == u"true"_s || v == u"1"_s || v == u"yes"_s)
            return true;
        if (v == u"false"_s || v == u"0"_s || v == u"no"_s)
            return false;
        return fail(ErrorCode::BadInput, u"RUN_MIGRATIONS='%1' is not a boolean: use true, 1 or yes to run migrations, false, 0 or no "
                                         u"to switch them off"_s.arg(value));
    }
}

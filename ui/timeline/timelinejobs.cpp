#include "ui/timeline/timelinejobs.h"

#include "ui/timeline/timelinesnapshot.h"

#include <QRegularExpression>

using namespace Qt::Literals::StringLiterals;

namespace dbops::timelinejobs
{
    namespace
    {
        /// What Migrator logs when it takes the lock (core/migrate/migrator.cpp).
        QString ourBackendMarker()
        {
            return u"migration lock taken by backend pid "_s;
        }
    }

    int parseOurBackend(const QString &logLine)
    {
        const int at = logLine.indexOf(ourBackendMarker());
        if (at < 0)
            return 0;
        static const QRegularExpression digits(u"^\\d+"_s);
        const auto m = digits.match(logLine.mid(at + ourBackendMarker().size()));
        return m.hasMatch() ? m.captured(0).toInt() : 0;
    }

    ops::MigrationRequest request(const TimelineTarget &target, const QString &typed)
    {
        auto settings = ops::settingsFromEnvironment();
        if (!settings)
            throw Exception(settings.error());
        settings->runMigrations = true;
        ops::MigrationRequest r;
        r.target = {target.profile, target.password, target.store, target.profiles};
        r.options.migrationsDir = ops::resolveMigrationsDir(target.migrationsDir, target.profile);
        r.options.settings = *settings;
        r.confirmation.typed = typed;
        return r;
    }

    TimelineSnapshot load(const TimelineTarget &target, JobContext &jc)
    {
        const ops::LoadedTimeline loaded = ops::load(request(target), jc);
        TimelineSnapshot s = TimelineSnapshot::from(loaded.timeline, loaded.files);
        s.profileName = target.profile.name;
        return s;
    }
}

#include "ui/timeline/timelinesnapshot.h"

namespace dbops
{
    TimelineSnapshot TimelineSnapshot::from(const Timeline &timeline, const MigrationSet &set)
    {
        TimelineSnapshot s;
        s.migrationsDir = set.dir;
        s.historyFormat = timeline.historyFormat;
        s.historyTable = timeline.historyTable;
        s.historyExists = timeline.historyExists;
        s.currentVersion = timeline.currentVersion;
        s.baselineVersion = timeline.baselineVersion;
        s.warnings = timeline.warnings;
        s.loadedAt = QDateTime::currentDateTimeUtc();
        s.rows.reserve(timeline.entries.size());
        for (const TimelineEntry &e : timeline.entries)
        {
            TimelineRow row;
            row.entry = e;
            row.historyFormat = e.row ? timeline.historyFormat : QString();
            if (e.migrationIndex >= 0 && e.migrationIndex < set.migrations.size())
            {
                const Migration &m = set.migrations.at(e.migrationIndex);
                const MigrationScript &up = m.up;
                if (m.down)
                {
                    row.hasDownFile = true;
                    row.downSql = m.down->sql;
                }
                row.hasFile = true;
                row.path = up.path;
                row.sql = up.sql;
                row.statements = up.statements;
            }
            s.rows.append(std::move(row));
        }
        return s;
    }
}

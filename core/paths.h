#pragma once

#include <QString>

namespace dbops::paths
{
    /// The app's data folder: $DBOPS_HOME when set (tests, portable use), else the platform's
    /// app-data location (~/.local/share/dbops). Created on first use.
    QString appDataDir();
    /// The folder of the demo project's migrations shipped with dbops, or an empty string.
    QString demoMigrationsDir();
}

#pragma once

#include <QList>

namespace dbops
{
    /// The lock monitor's settings (STYLE L6: in core, not in widgets), kept in QSettings under
    /// "locks/". Wait durations colour rows: at or over warnSeconds amber, over critical red.
    struct LockSettings
    {
        int warnSeconds = 5;
        int criticalSeconds = 30;
        int refreshSeconds = 5; ///< 0 is paused

        static QList<int> refreshChoices() { return {1, 2, 5, 10, 30}; }
        static LockSettings load();
        void save() const;

        enum class Severity
        {
            Normal,
            Warning,
            Critical
        };
        Severity severity(qint64 waitMs) const;
    };
}

#include "core/locks/locksettings.h"

#include <QSettings>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    LockSettings LockSettings::load()
    {
        QSettings s;
        LockSettings out;
        out.warnSeconds = std::max(0, s.value(u"locks/warnSeconds"_s, out.warnSeconds).toInt());
        out.criticalSeconds = std::max(out.warnSeconds, s.value(u"locks/criticalSeconds"_s, out.criticalSeconds).toInt());
        const int refresh = s.value(u"locks/refreshSeconds"_s, out.refreshSeconds).toInt();
        out.refreshSeconds = refresh == 0 || refreshChoices().contains(refresh) ? refresh : out.refreshSeconds;
        return out;
    }

    void LockSettings::save() const
    {
        QSettings s;
        s.setValue(u"locks/warnSeconds"_s, warnSeconds);
        s.setValue(u"locks/criticalSeconds"_s, criticalSeconds);
        s.setValue(u"locks/refreshSeconds"_s, refreshSeconds);
    }

    LockSettings::Severity LockSettings::severity(qint64 waitMs) const
    {
        if (waitMs <= 0)
            return Severity::Normal;
        if (waitMs >= qint64(criticalSeconds) * 1000)
            return Severity::Critical;
        if (waitMs >= qint64(warnSeconds) * 1000)
            return Severity::Warning;
        return Severity::Normal;
    }
}

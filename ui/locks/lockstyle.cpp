#include "ui/locks/lockstyle.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::lockstyle
{
    QString duration(qint64 ms)
    {
        if (ms <= 0)
            return {};
        const qint64 s = ms / 1000;
        if (s < 60)
            return u"%1.%2 s"_s.arg(s).arg((ms % 1000) / 100);
        if (s < 3600)
            return u"%1 min %2 s"_s.arg(s / 60).arg(s % 60);
        return u"%1 h %2 min"_s.arg(s / 3600).arg((s / 60) % 60);
    }

    QColor background(LockSettings::Severity severity)
    {
        switch (severity)
        {
        case LockSettings::Severity::Critical:
            return QColor(0xf8, 0xd0, 0xcc);
        case LockSettings::Severity::Warning:
            return QColor(0xfd, 0xec, 0xc4);
        case LockSettings::Severity::Normal:
            break;
        }
        return {};
    }

    QVariant sessionBackground(const BackendSession &session, const LockSnapshot &snapshot, const LockSettings &settings)
    {
        const auto severity = settings.severity(session.waitMs(snapshot.capturedAt));
        if (severity != LockSettings::Severity::Normal)
            return background(severity);
        if (session.isIdleInTransactionHoldingLocks())
            return QColor(0xe8, 0xe0, 0xf5); // lavender: flagged, not (yet) waited on
        return {};
    }

    QString stateText(const BackendSession &session)
    {
        QString s = session.state.isEmpty() ? session.backendType : session.state;
        if (session.isIdleInTransactionHoldingLocks())
            s = u"⚠ "_s + s + u" · holds %1 locks"_s.arg(session.lockCount);
        return s;
    }

    QString oneLine(const QString &query, int max)
    {
        QString q = query.simplified();
        if (q.size() > max)
            q = q.left(max - 1) + u'…';
        return q;
    }
}

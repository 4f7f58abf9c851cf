#pragma once

#include "core/locks/locksettings.h"
#include "core/locks/locksnapshot.h"

#include <QColor>
#include <QString>
#include <QVariant>

namespace dbops
{
    /// Shared presentation of the lock models: durations, severity colours, the idle-in-transaction
    /// flag. Free functions over core values; no state.
    namespace lockstyle
    {
        QString duration(qint64 ms);
        QColor background(LockSettings::Severity severity);
        /// The row background for a session: its wait severity, else the idle-in-transaction flag.
        QVariant sessionBackground(const BackendSession &session, const LockSnapshot &snapshot, const LockSettings &settings);
        QString stateText(const BackendSession &session);
        QString oneLine(const QString &query, int max = 200);
    }
}

#pragma once

#include "core/logging/logbuffer.h"

#include <QString>

namespace dbops
{
    /// What the Log pane shows: records at or above a level whose message (or logger) contains
    /// the text, case-insensitively. A plain value, the predicate of LogFilterModel (STYLE M2).
    struct LogFilter
    {
        LogLevel minimumLevel = LogLevel::Debug;
        QString text;

        bool matches(const LogRecord &record) const;
        bool operator==(const LogFilter &) const = default;
    };
}

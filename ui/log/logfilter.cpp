#include "ui/log/logfilter.h"

namespace dbops
{
    bool LogFilter::matches(const LogRecord &record) const
    {
        if (int(record.level) < int(minimumLevel))
            return false;
        const QString needle = text.trimmed();
        if (needle.isEmpty())
            return true;
        return record.message.contains(needle, Qt::CaseInsensitive) || record.logger.contains(needle, Qt::CaseInsensitive);
    }
}

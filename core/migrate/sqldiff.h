#pragma once

#include <QString>

namespace dbops
{
    /// A unified diff (3 lines of context) between two texts, line by line (dtl). Line endings are
    /// compared exactly; a CR is shown as "\r" so that CRLF-only changes are visible.
    QString unifiedDiff(const QString &before, const QString &after, const QString &beforeName, const QString &afterName);
}

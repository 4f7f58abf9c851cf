#pragma once

#include <QString>

namespace dbops
{
    /// Replaces passwords and secrets in text with "***": URI passwords (postgresql://u:pw@h),
    /// keyword strings (password=pw, sslpassword='pw'), PGPASSWORD=pw, and "secret"/"token"
    /// assignments. Applied to every log record by every sink.
    QString redactSecrets(const QString &text);
    std::string redactSecrets(std::string_view text);
}

#pragma once

#include "core/error.h"

#include <QString>

namespace dbops
{
    /// Passwords in the OS keychain (QtKeychain: Secret Service, KWallet, macOS Keychain, Windows
    /// Credential Store). Never a file of ours. When no keychain runs (no D-Bus session, or
    /// DBOPS_KEYCHAIN=off), every call answers quickly with ErrorCode::NotFound / Io so callers fall
    /// back to .pgpass (libpq reads it itself) or a prompt.
    /// Blocking (runs a local event loop): call from a job or the CLI.
    class SecretStore final
    {
    public:
        static bool isAvailable();
        /// NotFound when there is no stored password.
        static Expected<QString> readPassword(const QString &key);
        static Expected<void> writePassword(const QString &key, const QString &password);
        static Expected<void> deletePassword(const QString &key);
    };
}

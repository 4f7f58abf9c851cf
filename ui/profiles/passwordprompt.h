#pragma once

#include "core/db/profile.h"
#include "core/error.h"

#include <QString>

#include <functional>
#include <optional>

class QWidget;

namespace dbops
{
    /// Asks for a password after the server refused the connection; nullopt when cancelled.
    /// Replaceable (tests, future dialogs) through this type.
    using PasswordPrompt = std::function<std::optional<QString>(const ConnectionProfile &, const Error &)>;

    /// The default prompt: a modal password input naming the profile, target and server's reason.
    std::optional<QString> askForPassword(QWidget *parent, const ConnectionProfile &profile, const Error &error);
}

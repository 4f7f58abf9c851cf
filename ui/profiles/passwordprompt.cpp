#include "ui/profiles/passwordprompt.h"

#include <QInputDialog>
#include <QLineEdit>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    std::optional<QString> askForPassword(QWidget *parent, const ConnectionProfile &profile, const Error &error)
    {
        bool ok = false;
        const QString label = u"The server refused the connection to %1 (%2):\n%3\n\nPassword:"_s.arg(
            profile.name, profile.targetDescription(), error.message);
        const QString password = QInputDialog::getText(parent, u"Password for %1"_s.arg(profile.name), label, QLineEdit::Password, {}, &ok);
        if (!ok)
            return std::nullopt;
        return password;
    }
}

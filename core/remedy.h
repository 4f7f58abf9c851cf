#pragma once

#include <QList>
#include <QString>

namespace dbops
{
    /// A remedy a core message names, as each face offers it. Core messages are shared by both
    /// faces and name a remedy the way the CLI takes it (its flag or command: "--accept-changed",
    /// "dbops repair"); the console never shows those words: it renders each one as the control
    /// that does the same (consoleText()). One table, so that a new remedy is named once for both.
    struct Remedy
    {
        QString cli;     ///< as the CLI takes it, exactly as core messages write it: "--accept-changed"
        QString console; ///< the console's control that does it: "Accept the changed SQL (in Repair…)"
    };

    /// Every remedy core messages name, longest CLI spelling first (so that "--dirty=complete"
    /// is rendered before "--dirty").
    const QList<Remedy> &remedies();

    /// `text` (a core message) as the console shows it: every CLI spelling of remedies() replaced
    /// by its control's name, and any other "--flag" or "dbops command" the table does not know
    /// rendered neutrally ("the matching option"), so that no console message names a CLI flag.
    /// Thread-safe; no I/O.
    QString consoleText(const QString &text);
}

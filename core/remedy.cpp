#include "core/remedy.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    const QList<Remedy> &remedies()
    {
        static const QList<Remedy> table = [] {
            QList<Remedy> t{
                // Migrations (core/migrate, core/ops).
                {u"then run: dbops repair --dirty=complete|reverted"_s,
                 u"then use Repair… and say whether its effects are complete or were reverted"_s},
                {u"dbops repair --dirty=complete|reverted"_s, u"Repair… (say whether its effects are complete or were reverted)"_s},
                {u"repair with --dirty=complete or --dirty=reverted"_s,
                 u"Repair… and say whether its effects are complete or were reverted"_s},
                {u"--dirty=complete"_s, u"“Effects are complete” (Repair…)"_s},
                {u"--dirty=reverted"_s, u"“Effects were reverted” (Repair…)"_s},
                {u"--accept-changed"_s, u"“Accept the changed SQL…” (in the plan, or Repair…)"_s},
                {u"--allow-out-of-order"_s, u"“Apply out of order” (in the plan)"_s},
                {u"'dbops adopt --record-checksums'"_s, u"Adopt history… with “Record checksums from the files”"_s},
                {u"dbops adopt --record-checksums"_s, u"Adopt history… with “Record checksums from the files”"_s},
                {u"--record-checksums"_s, u"“Record checksums from the files” (Adopt history…)"_s},
                {u"--mark-applied needs --reason TEXT"_s, u"Mark applied by hand needs a reason"_s},
                {u"repair --mark-applied"_s, u"Mark applied by hand"_s},
                {u"--mark-applied"_s, u"Mark applied by hand"_s},
                {u"--reason TEXT"_s, u"the reason field"_s},
                {u"--history-format (and --history-table)"_s, u"the profile's history format and table"_s},
                {u"--history-format"_s, u"the profile's history format"_s},
                {u"MIGRATION_MAX_WAIT_TIME / --max-wait"_s, u"MIGRATION_MAX_WAIT_TIME"_s},
                {u"baseline needs --version V"_s, u"Baseline here… needs a selected version"_s},
                {u"down needs --target V (use 0 to revert everything)"_s, u"Down to here… needs a selected version"_s},
                {u"run 'dbops repair'"_s, u"use Repair…"_s},
                {u"then run: dbops repair"_s, u"then use Repair…"_s},
                {u"'dbops repair'"_s, u"Repair…"_s},
                {u"dbops repair"_s, u"Repair…"_s},
                {u"see 'dbops validate'"_s, u"see Validate"_s},
                {u"dbops validate"_s, u"Validate"_s},
                {u"'dbops adopt'"_s, u"Adopt history…"_s},
                {u"dbops adopt"_s, u"Adopt history…"_s},
                // Backups and restores.
                {u"--terminate-sessions"_s, u"“End other sessions connected to it” (Restore…)"_s},
                {u"--pre-migration on"_s, u"the pre-migration backup policy"_s},
                {u"backups policy --pre-migration off"_s, u"the backup policy"_s},
                {u"--fresh-minutes 0"_s, u"the policy's reuse window of 0 minutes"_s},
            };
            std::stable_sort(t.begin(), t.end(), [](const Remedy &a, const Remedy &b) { return a.cli.size() > b.cli.size(); });
            return t;
        }();
        return table;
    }

    QString consoleText(const QString &text)
    {
        if (!text.contains(u"--"_s) && !text.contains(u"dbops "_s))
            return text;
        QString out = text;
        for (const Remedy &r : remedies())
            if (!r.cli.contains(u"%1"_s))
                out.replace(r.cli, r.console);
        // "(the CLI also takes --confirm WORD)": the console's field is the confirmation.
        static const QRegularExpression confirmAside(u" \\(the CLI also takes --confirm [^)]*\\)"_s);
        out.remove(confirmAside);
        static const QRegularExpression confirmFlag(u"\\(--confirm [^)]*\\)"_s);
        out.replace(confirmFlag, u"(typed in the confirmation field)"_s);
        // A flag the table does not know still never reaches the console as a flag.
        static const QRegularExpression anyFlag(u"(?<![\\w-])--[a-z][a-z0-9-]*(=[\\w|]+)?( [A-Z][A-Z_]*\\b)?"_s);
        out.replace(anyFlag, u"the matching option"_s);
        return out;
    }
}

// The exported comparison: a schema diff's outcome as a Markdown document and as one HTML page,
// for a ticket, a review or a projector. Both show the same sections in the same order.
#include "core/ops/schemaops.h"

#include <QMap>

#include <algorithm>
#include <array>

using namespace Qt::Literals::StringLiterals;

namespace dbops::ops
{
    namespace
    {
        using schema::Change;

        const DiffOutcome &outcomeOf(const DiffReportInput &input)
        {
            static const DiffOutcome empty;
            return input.outcome ? *input.outcome : empty;
        }

        bool inScript(const DiffReportInput &input, const Change &c)
        {
            return input.selected.isEmpty() || input.selected.contains(c.id);
        }

        /// The sign beside the word: never colour alone.
        QString signOf(Change::Type type)
        {
            switch (type)
            {
            case Change::Type::Added:
                return u"+"_s;
            case Change::Type::Removed:
                return u"\u2212"_s;
            case Change::Type::Altered:
                return u"~"_s;
            case Change::Type::Renamed:
                return u"\u2192"_s;
            }
            return u"~"_s;
        }

        /// The counts table: per kind (in kind order) and change type, then per hazard (a change counted once per hazard).
        struct Counts
        {
            QMap<int, std::array<int, 4>> perKind;
            QMap<int, int> perHazard;
            int inScript = 0;
        };

        Counts countsOf(const DiffReportInput &input)
        {
            Counts counts;
            for (const Change &c : outcomeOf(input).diff.changes)
            {
                counts.perKind[int(c.kind)][int(c.type)]++; // a new row is value-initialised: zeros
                QList<int> seen;
                for (const schema::HazardNote &h : c.hazards)
                    if (!seen.contains(int(h.hazard)))
                    {
                        seen << int(h.hazard);
                        counts.perHazard[int(h.hazard)]++;
                    }
                if (inScript(input, c))
                    ++counts.inScript;
            }
            return counts;
        }

        QString title(const DiffOutcome &o)
        {
            return u"Schema diff: %1 \u2192 %2"_s.arg(o.fromLabel.isEmpty() ? u"(from)"_s : o.fromLabel,
                                                      o.toLabel.isEmpty() ? u"(to)"_s : o.toLabel);
        }

        QString timeText(const QDateTime &at)
        {
            return at.isValid() ? at.toUTC().toString(u"yyyy-MM-dd HH:mm:ss"_s) + u" UTC"_s : u"not recorded"_s;
        }

        /// How one side was read, in words (no names in it but the application_name and the note).
        QStringList howRead(const SideRead &r)
        {
            QStringList how;
            how << (r.backendPid ? u"PostgreSQL session %1 (application_name %2)"_s.arg(r.backendPid).arg(r.applicationName)
                                 : u"not a server session"_s);
            how << u"read %1\u2013%2 ms after the start"_s.arg(r.startedMs).arg(r.finishedMs);
            if (!r.note.isEmpty())
                how << r.note;
            return how;
        }

        QString concurrencyText(const DiffOutcome &o)
        {
            if (o.reads.size() < 2)
                return {};
            return o.readConcurrently ? u"Both sides were read at the same time (each started before the other finished)."_s
                                      : u"The sides were read one after the other."_s;
        }

        QString scriptCountText(const Counts &counts, const DiffReportInput &input)
        {
            const qsizetype total = outcomeOf(input).diff.changes.size();
            if (input.selected.isEmpty())
                return u"%1 changes, all in the script."_s.arg(total);
            return u"%1 changes, %2 of them in the script (%3 not in the script)."_s.arg(total)
                .arg(counts.inScript)
                .arg(total - counts.inScript);
        }

        const QString editedText = u"by the DBA after dbops wrote it: review it before running it."_s;

        // ---- Markdown -------------------------------------------------------------------------

        /// Inline text with every character Markdown (CommonMark + GFM tables) would act on escaped;
        /// '_' only where it could open or close emphasis (not between two letters or digits).
        QString md(const QString &text)
        {
            static const QString special = u"\\`*[]<&|"_s;
            QString out;
            out.reserve(text.size() + 8);
            for (qsizetype i = 0; i < text.size(); ++i)
            {
                const QChar ch = text[i];
                if (ch == u'\n' || ch == u'\r')
                {
                    out += u' ';
                    continue;
                }
                if (ch == u'_' || ch == u'~')
                {
                    // Neither can open or close emphasis (strikethrough) between two spaces, nor '_' inside a word.
                    const auto at = [&](qsizetype j, bool (QChar::*test)() const) {
                        return j >= 0 && j < text.size() && (text[j].*test)();
                    };
                    const bool spaced = !at(i - 1, &QChar::isLetterOrNumber) && !at(i - 1, &QChar::isPunct)
                                        && !at(i + 1, &QChar::isLetterOrNumber) && !at(i + 1, &QChar::isPunct);
                    const bool inWord = ch == u'_' && at(i - 1, &QChar::isLetterOrNumber) && at(i + 1, &QChar::isLetterOrNumber);
                    if (!spaced && !inWord)
                        out += u'\\';
                }
                else if (special.contains(ch))
                    out += u'\\';
                out += ch;
            }
            return out;
        }

        /// A code span around text (names are shown as they are, never as markup); `inTable`
        /// escapes '|', which GFM reads as a cell break even inside a span.
        QString mdCode(const QString &text, bool inTable = false)
        {
            QString body = text;
            body.replace(u'\n', u' ').replace(u'\r', u' ');
            qsizetype longest = 0, run = 0;
            for (const QChar ch : body)
                longest = std::max(longest, run = ch == u'`' ? run + 1 : 0);
            const QString fence(longest + 1, u'`');
            if (body.startsWith(u'`') || body.endsWith(u'`') || body.startsWith(u' ') || body.endsWith(u' '))
                body = u' ' + body + u' ';
            if (inTable)
                body.replace(u"|"_s, u"\\|"_s);
            return body.isEmpty() ? u"(none)"_s : fence + body + fence;
        }

        /// A fenced block longer than any run of backticks in it.
        QString mdFence(const QString &content, const QString &info = u"sql"_s)
        {
            qsizetype longest = 0, run = 0;
            for (const QChar ch : content)
                longest = std::max(longest, run = ch == u'`' ? run + 1 : 0);
            const QString fence(std::max<qsizetype>(3, longest + 1), u'`');
            QString body = content;
            if (!body.endsWith(u'\n'))
                body += u'\n';
            return fence + info + u'\n' + body + fence + u"\n\n"_s;
        }

        QString mdHazard(const schema::HazardNote &h)
        {
            return u"**%1**%2"_s.arg(md(schema::toString(h.hazard)), h.detail.isEmpty() ? QString() : u": "_s + md(h.detail));
        }

        QString mdChange(const DiffReportInput &input, const DiffOutcome &o, const Change &c, int number)
        {
            const QString type = schema::toString(c.type);
            QString s =
                u"### %1. %2 %3 %4 %5\n\n"_s.arg(number).arg(md(signOf(c.type)), md(type), md(schema::toString(c.kind)), mdCode(c.object));
            s += u"- **Type:** %1 %2\n"_s.arg(md(signOf(c.type)), md(type));
            s += u"- **Kind:** %1\n"_s.arg(md(schema::toString(c.kind)));
            s += u"- **Object:** %1\n"_s.arg(mdCode(c.object));
            if (!c.fromId.isEmpty())
                s += u"- **From:** %1\n"_s.arg(mdCode(c.fromId));
            if (!c.attributes.isEmpty())
            {
                QStringList attributes;
                for (const QString &a : c.attributes)
                    attributes << mdCode(a);
                s += u"- **Attributes:** %1\n"_s.arg(attributes.join(u", "_s));
            }
            for (const auto &[a, b] : c.caseOnlyLabels)
                s += u"- **Label differs only by case:** %1 \u2192 %2\n"_s.arg(mdCode(a), mdCode(b));
            if (c.caseOnlyLabels.isEmpty() && c.attributes.contains(u"labels"_s) && o.labelChanges.contains(c.id))
                s += u"- **Labels:** %1 \u2192 %2\n"_s.arg(mdCode(o.labelChanges.value(c.id).first),
                                                           mdCode(o.labelChanges.value(c.id).second));
            if (c.hazards.isEmpty())
                s += u"- **Hazards:** none\n"_s;
            else
            {
                s += u"- **Hazards:**\n"_s;
                for (const schema::HazardNote &h : c.hazards)
                    s += u"  - %1\n"_s.arg(mdHazard(h));
            }
            if (!inScript(input, c))
                s += u"- **Not in the script:** this change was left out of the script below.\n"_s;
            s += u'\n';
            if (!c.before.isEmpty())
                s += u"Before:\n\n"_s + mdFence(c.before);
            if (!c.after.isEmpty())
                s += u"After:\n\n"_s + mdFence(c.after);
            return s;
        }

        // ---- HTML -----------------------------------------------------------------------------

        QString esc(const QString &text)
        {
            QString out = text.toHtmlEscaped(); // & < > "
            out.replace(u'\'', u"&#39;"_s);
            return out;
        }

        QString code(const QString &text)
        {
            return u"<code>"_s + esc(text) + u"</code>"_s;
        }

        QString pre(const QString &text)
        {
            return u"<pre><code>"_s + esc(text) + u"</code></pre>\n"_s;
        }

        const QString css = uR"(
:root { color-scheme: light; }
body { font: 18px/1.5 system-ui, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #000; background: #fff;
       margin: 0 auto; padding: 1.2em 2em 3em; max-width: 80em; }
h1 { font-size: 1.9em; margin: 0.2em 0 0.6em; }
h2 { font-size: 1.45em; margin: 1.6em 0 0.5em; border-bottom: 3px solid #000; padding-bottom: 0.15em; }
h3 { font-size: 1.2em; margin: 0.2em 0 0.5em; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 1em; }
code { background: #eee; padding: 0 0.2em; overflow-wrap: anywhere; }
pre { background: #f2f2f2; border: 2px solid #000; padding: 0.6em 0.8em; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 2px solid #000; padding: 0.25em 0.7em; text-align: left; vertical-align: top; }
th { background: #e6e6e6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.change { border: 2px solid #000; border-left-width: 0.7em; padding: 0.5em 1em; margin: 1.2em 0; }
.change.added { border-left-color: #005000; }
.change.removed { border-left-color: #9b0000; }
.change.altered { border-left-color: #003a99; }
.change.renamed { border-left-color: #4b2283; }
.change.excluded { border-style: dashed; }
.sign { display: inline-block; min-width: 1.3em; font-weight: bold; }
.tag { display: inline-block; font-weight: bold; border: 2px solid #000; padding: 0 0.35em; background: #ffec8c; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0.4em 0; }
dt { font-weight: bold; }
dd { margin: 0; }
ul { margin: 0.3em 0; }
)"_s;

        QString htmlChange(const DiffReportInput &input, const DiffOutcome &o, const Change &c, int number)
        {
            const QString type = schema::toString(c.type);
            const bool included = inScript(input, c);
            QString s = u"<section class=\"change %1%2\">\n"_s.arg(type, included ? QString() : u" excluded"_s);
            s += u"<h3>%1. <span class=\"sign\" aria-hidden=\"true\">%2</span>%3 %4 %5</h3>\n"_s.arg(number).arg(
                esc(signOf(c.type)), esc(type), esc(schema::toString(c.kind)), code(c.object));
            if (!included)
                s += u"<p><span class=\"tag\">Not in the script</span> this change was left out of the script below.</p>\n"_s;
            s += u"<dl>\n"_s;
            s += u"<dt>Type</dt><dd>%1 %2</dd>\n"_s.arg(esc(signOf(c.type)), esc(type));
            s += u"<dt>Kind</dt><dd>%1</dd>\n"_s.arg(esc(schema::toString(c.kind)));
            s += u"<dt>Object</dt><dd>%1</dd>\n"_s.arg(code(c.object));
            if (!c.fromId.isEmpty())
                s += u"<dt>From</dt><dd>%1</dd>\n"_s.arg(code(c.fromId));
            if (!c.attributes.isEmpty())
            {
                QStringList attributes;
                for (const QString &a : c.attributes)
                    attributes << code(a);
                s += u"<dt>Attributes</dt><dd>%1</dd>\n"_s.arg(attributes.join(u", "_s));
            }
            for (const auto &[a, b] : c.caseOnlyLabels)
                s += u"<dt>Label differs only by case</dt><dd>%1 \u2192 %2</dd>\n"_s.arg(code(a), code(b));
            if (c.caseOnlyLabels.isEmpty() && c.attributes.contains(u"labels"_s) && o.labelChanges.contains(c.id))
                s += u"<dt>Labels</dt><dd>%1 \u2192 %2</dd>\n"_s.arg(code(o.labelChanges.value(c.id).first),
                                                                     code(o.labelChanges.value(c.id).second));
            s += u"<dt>Hazards</dt><dd>"_s;
            if (c.hazards.isEmpty())
                s += u"none"_s;
            else
            {
                s += u"<ul>"_s;
                for (const schema::HazardNote &h : c.hazards)
                    s += u"<li><strong>%1</strong>%2</li>"_s.arg(esc(schema::toString(h.hazard)),
                                                                 h.detail.isEmpty() ? QString() : u": "_s + esc(h.detail));
                s += u"</ul>"_s;
            }
            s += u"</dd>\n</dl>\n"_s;
            if (!c.before.isEmpty())
                s += u"<p><strong>Before</strong></p>\n"_s + pre(c.before);
            if (!c.after.isEmpty())
                s += u"<p><strong>After</strong></p>\n"_s + pre(c.after);
            return s + u"</section>\n"_s;
        }
    }

    QString diffReportMarkdown(const DiffReportInput &input)
    {
        const DiffOutcome &o = outcomeOf(input);
        const schema::SchemaDiff &d = o.diff;
        const Counts counts = countsOf(input);

        QString s = u"# Schema diff: %1 \u2192 %2\n\n"_s.arg(mdCode(o.fromLabel), mdCode(o.toLabel));
        s += u"- **Compared at:** %1\n"_s.arg(md(timeText(input.comparedAt)));
        if (!d.comparedAs.isEmpty())
            s += u"- **Compared as:** %1\n"_s.arg(md(d.comparedAs));
        s += u'\n';

        s += u"## Sides\n\n| Side | Label | Objects | How it was read |\n|---|---|--:|---|\n"_s;
        if (o.reads.isEmpty())
            s += u"| from | %1 |  | not recorded |\n| to | %2 |  | not recorded |\n"_s.arg(mdCode(o.fromLabel, true),
                                                                                           mdCode(o.toLabel, true));
        for (const SideRead &r : o.reads)
        {
            QStringList how;
            for (const QString &h : howRead(r))
                how << md(h);
            // One arg() call: a chained one would also replace a "%3" inside the label.
            s += u"| %1 | %2 | %3 | %4 |\n"_s.arg(md(r.option), mdCode(r.label, true), QString::number(r.objects), how.join(u"; "_s));
        }
        if (const QString c = concurrencyText(o); !c.isEmpty())
            s += u'\n' + md(c) + u'\n';
        s += u'\n';

        s += u"## Counts\n\n**Summary:** %1\n\n%2\n\n"_s.arg(md(d.summary()), md(scriptCountText(counts, input)));
        if (!counts.perKind.isEmpty())
        {
            s += u"| Kind | + added | \u2212 removed | ~ altered | \u2192 renamed | Total |\n|---|--:|--:|--:|--:|--:|\n"_s;
            for (auto it = counts.perKind.cbegin(); it != counts.perKind.cend(); ++it)
            {
                const auto &n = it.value();
                s += u"| %1 | %2 | %3 | %4 | %5 | %6 |\n"_s.arg(md(schema::toString(schema::ObjectKind(it.key()))))
                         .arg(n[0])
                         .arg(n[1])
                         .arg(n[2])
                         .arg(n[3])
                         .arg(n[0] + n[1] + n[2] + n[3]);
            }
            s += u'\n';
        }
        if (counts.perHazard.isEmpty())
            s += u"No hazards.\n\n"_s;
        else
        {
            s += u"| Hazard | Changes |\n|---|--:|\n"_s;
            for (auto it = counts.perHazard.cbegin(); it != counts.perHazard.cend(); ++it)
                s += u"| %1 | %2 |\n"_s.arg(md(schema::toString(schema::Hazard(it.key())))).arg(it.value());
            s += u'\n';
        }

        s += u"## Changes\n\n"_s;
        if (d.changes.isEmpty())
            s += u"Same: no changes.\n\n"_s;
        for (qsizetype i = 0; i < d.changes.size(); ++i)
            s += mdChange(input, o, d.changes[i], int(i + 1));

        if (!d.possibleRenames.isEmpty())
        {
            s += u"## Possible renames\n\nNever assumed: accept one with `--rename`.\n\n"_s;
            for (const schema::RenameCandidate &r : d.possibleRenames)
                s += u"- %1 %2 \u2192 %3 (%4)\n"_s.arg(md(schema::toString(r.kind)), mdCode(r.from), mdCode(r.to),
                                                       mdCode(u"--rename "_s + r.from + u'=' + r.to));
            s += u'\n';
        }
        if (!d.notCompared.isEmpty())
        {
            s += u"## Not compared\n\nKinds dbops does not model:\n\n"_s;
            for (const schema::NotCompared &n : d.notCompared)
                s += u"- %1 %2%3\n"_s.arg(md(n.kind), mdCode(n.name), n.reason.isEmpty() ? QString() : u" ("_s + md(n.reason) + u')');
            s += u'\n';
        }
        if (o.dataChecked)
        {
            s += u"## Data\n\n"_s;
            if (o.data.isEmpty())
                s += u"The stored values of the enum-like columns fit the other side's labels.\n"_s;
            for (const DataFinding &f : o.data)
                s += u"- "_s + md(f.text()) + u'\n';
            s += u'\n';
        }
        if (o.proof)
            s += u"## Proof\n\n%1 (%2)\n\n"_s.arg(md(o.proof->text), md(o.proof->how));
        if (!o.notes.isEmpty())
        {
            s += u"## Notes\n\n"_s;
            for (const QString &n : o.notes)
                s += u"- "_s + md(n) + u'\n';
            s += u'\n';
        }

        s += input.edited ? u"## Script (edited)\n\n> **Edited** "_s + md(editedText) + u"\n\n"_s : u"## Script\n\n"_s;
        if (input.script.isEmpty())
            s += u"No script was written for this comparison.\n"_s;
        else
            s += mdFence(input.script);
        return s;
    }

    QString diffReportHtml(const DiffReportInput &input)
    {
        const DiffOutcome &o = outcomeOf(input);
        const schema::SchemaDiff &d = o.diff;
        const Counts counts = countsOf(input);

        QString s =
            u"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            u"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"dbops\">\n"_s;
        s += u"<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n<main>\n"_s.arg(esc(title(o)), css);
        s += u"<h1>Schema diff: %1 \u2192 %2</h1>\n<dl>\n<dt>Compared at</dt><dd>%3</dd>\n"_s.arg(code(o.fromLabel), code(o.toLabel),
                                                                                                  esc(timeText(input.comparedAt)));
        if (!d.comparedAs.isEmpty())
            s += u"<dt>Compared as</dt><dd>%1</dd>\n"_s.arg(esc(d.comparedAs));
        s += u"</dl>\n"_s;

        s += u"<h2>Sides</h2>\n<table>\n<thead><tr><th>Side</th><th>Label</th><th>Objects</th><th>How it was read</th></tr></thead>\n"
             u"<tbody>\n"_s;
        if (o.reads.isEmpty())
            s += u"<tr><td>from</td><td>%1</td><td></td><td>not recorded</td></tr>\n<tr><td>to</td><td>%2</td><td></td><td>not "
                 u"recorded</td></tr>\n"_s.arg(code(o.fromLabel), code(o.toLabel));
        for (const SideRead &r : o.reads)
        {
            QStringList how;
            for (const QString &h : howRead(r))
                how << esc(h);
            s += u"<tr><td>%1</td><td>%2</td><td class=\"n\">%3</td><td>%4</td></tr>\n"_s.arg(
                esc(r.option), code(r.label), QString::number(r.objects), how.join(u"<br>"_s));
        }
        s += u"</tbody>\n</table>\n"_s;
        if (const QString c = concurrencyText(o); !c.isEmpty())
            s += u"<p>%1</p>\n"_s.arg(esc(c));

        s += u"<h2>Counts</h2>\n<p><strong>Summary:</strong> %1</p>\n<p>%2</p>\n"_s.arg(esc(d.summary()),
                                                                                        esc(scriptCountText(counts, input)));
        if (!counts.perKind.isEmpty())
        {
            s += u"<table>\n<thead><tr><th>Kind</th><th>+ added</th><th>\u2212 removed</th><th>~ altered</th><th>\u2192 renamed</th>"
                 u"<th>Total</th></tr></thead>\n<tbody>\n"_s;
            for (auto it = counts.perKind.cbegin(); it != counts.perKind.cend(); ++it)
            {
                const auto &n = it.value();
                s += u"<tr><td>%1</td><td class=\"n\">%2</td><td class=\"n\">%3</td><td class=\"n\">%4</td><td class=\"n\">%5</td>"
                     u"<td class=\"n\">%6</td></tr>\n"_s.arg(esc(schema::toString(schema::ObjectKind(it.key()))))
                         .arg(n[0])
                         .arg(n[1])
                         .arg(n[2])
                         .arg(n[3])
                         .arg(n[0] + n[1] + n[2] + n[3]);
            }
            s += u"</tbody>\n</table>\n"_s;
        }
        if (counts.perHazard.isEmpty())
            s += u"<p>No hazards.</p>\n"_s;
        else
        {
            s += u"<table>\n<thead><tr><th>Hazard</th><th>Changes</th></tr></thead>\n<tbody>\n"_s;
            for (auto it = counts.perHazard.cbegin(); it != counts.perHazard.cend(); ++it)
                s +=
                    u"<tr><td>%1</td><td class=\"n\">%2</td></tr>\n"_s.arg(esc(schema::toString(schema::Hazard(it.key())))).arg(it.value());
            s += u"</tbody>\n</table>\n"_s;
        }

        s += u"<h2>Changes</h2>\n"_s;
        if (d.changes.isEmpty())
            s += u"<p>Same: no changes.</p>\n"_s;
        for (qsizetype i = 0; i < d.changes.size(); ++i)
            s += htmlChange(input, o, d.changes[i], int(i + 1));

        if (!d.possibleRenames.isEmpty())
        {
            s += u"<h2>Possible renames</h2>\n<p>Never assumed: accept one with <code>--rename</code>.</p>\n<ul>\n"_s;
            for (const schema::RenameCandidate &r : d.possibleRenames)
                s += u"<li>%1 %2 \u2192 %3 (%4)</li>\n"_s.arg(esc(schema::toString(r.kind)), code(r.from), code(r.to),
                                                              code(u"--rename "_s + r.from + u'=' + r.to));
            s += u"</ul>\n"_s;
        }
        if (!d.notCompared.isEmpty())
        {
            s += u"<h2>Not compared</h2>\n<p>Kinds dbops does not model:</p>\n<ul>\n"_s;
            for (const schema::NotCompared &n : d.notCompared)
                s +=
                    u"<li>%1 %2%3</li>\n"_s.arg(esc(n.kind), code(n.name), n.reason.isEmpty() ? QString() : u" ("_s + esc(n.reason) + u')');
            s += u"</ul>\n"_s;
        }
        if (o.dataChecked)
        {
            s += u"<h2>Data</h2>\n"_s;
            if (o.data.isEmpty())
                s += u"<p>The stored values of the enum-like columns fit the other side&#39;s labels.</p>\n"_s;
            else
            {
                s += u"<ul>\n"_s;
                for (const DataFinding &f : o.data)
                    s += u"<li>%1</li>\n"_s.arg(esc(f.text()));
                s += u"</ul>\n"_s;
            }
        }
        if (o.proof)
            s += u"<h2>Proof</h2>\n<p>%1 (%2)</p>\n"_s.arg(esc(o.proof->text), esc(o.proof->how));
        if (!o.notes.isEmpty())
        {
            s += u"<h2>Notes</h2>\n<ul>\n"_s;
            for (const QString &n : o.notes)
                s += u"<li>%1</li>\n"_s.arg(esc(n));
            s += u"</ul>\n"_s;
        }

        s += input.edited ? u"<h2>Script (edited)</h2>\n<p><span class=\"tag\">Edited</span> %1</p>\n"_s.arg(esc(editedText))
                          : u"<h2>Script</h2>\n"_s;
        s += input.script.isEmpty() ? u"<p>No script was written for this comparison.</p>\n"_s : pre(input.script);
        return s + u"</main>\n</body>\n</html>\n"_s;
    }
}

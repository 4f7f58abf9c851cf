// The exported comparison (diffReportMarkdown, diffReportHtml in core/ops/schemaops.h): every
// object, hazard, definition, count and the script in both formats, hostile names kept as text.
// No database: the outcome is a diff of two snapshots built by hand.
#include "core/ops/schemaops.h"
#include "core/schema/diff.h"
#include "core/schema/snapshot.h"
#include "core/schema/sqlwriter.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using namespace dbops::schema;

namespace
{
    const QString hostile = u"evil<script>&\"x"_s;

    SchemaObject object(ObjectKind kind, const QString &table, const QString &name, const QMap<QString, QString> &attrs)
    {
        SchemaObject o;
        o.kind = kind;
        o.schema = u"public"_s;
        o.table = table;
        o.name = name;
        o.attrs = attrs;
        return o;
    }

    SchemaObject column(const QString &table, const QString &name, const QString &type)
    {
        return object(ObjectKind::Column, table, name, {{u"type"_s, type}, {u"not_null"_s, u"false"_s}});
    }

    SchemaObject table(const QString &name)
    {
        return object(ObjectKind::Table, {}, name, {{u"persistence"_s, u"p"_s}});
    }

    QString html(const QString &text)
    {
        return text.toHtmlEscaped().replace(u'\'', u"&#39;"_s);
    }

    /// Markdown with its backslash escapes taken out: the text a reader sees.
    QString unescaped(const QString &markdown)
    {
        return QString(markdown).remove(u'\\');
    }
}

class TestDiffReport final : public QObject
{
    Q_OBJECT

private:
    ops::DiffOutcome m_outcome;
    QString m_script;

    ops::DiffReportInput input(bool edited = false, const QStringList &selected = {}) const
    {
        ops::DiffReportInput in;
        in.outcome = &m_outcome;
        in.script = m_script;
        in.edited = edited;
        in.comparedAt = QDateTime(QDate(2026, 2, 3), QTime(10, 20, 30), Qt::UTC);
        in.selected = selected;
        return in;
    }

    const Change &changeOf(Change::Type type) const
    {
        for (const Change &c : m_outcome.diff.changes)
            if (c.type == type)
                return c;
        qFatal("no such change");
    }

private slots:
    void initTestCase()
    {
        Snapshot from, to;
        from.source = u"postgresql://prod/app"_s;
        to.source = u"migrations:db/migrations@HEAD"_s;
        from.objects = {table(u"orders"_s), column(u"orders"_s, u"id"_s, u"integer"_s), column(u"orders"_s, u"total"_s, u"numeric(12,2)"_s),
                        column(u"orders"_s, u"legacy"_s, u"text"_s)};
        to.objects = {table(u"orders"_s), column(u"orders"_s, u"id"_s, u"integer"_s), column(u"orders"_s, u"total"_s, u"integer"_s),
                      table(hostile), column(hostile, u"id"_s, u"integer"_s)};
        from.notCompared = {NotCompared{u"foreign table"_s, u"public.remote_orders"_s, u"not modelled by dbops"_s}};
        from.finish();
        to.finish();
        auto d = diff(from, to);
        QVERIFY2(d, qPrintable(d ? QString() : d.error().toString()));
        m_outcome.diff = *d;
        m_outcome.fromLabel = u"production%1"_s; // a "%1" in a label stays as it is
        m_outcome.toLabel = u"migrations"_s;
        ops::SideRead a;
        a.option = u"--from"_s;
        a.label = m_outcome.fromLabel;
        a.backendPid = 4242;
        a.applicationName = u"dbops diff --from"_s;
        a.finishedMs = 40;
        a.objects = int(from.objects.size());
        a.note = u"read in one REPEATABLE READ snapshot"_s;
        ops::SideRead b;
        b.option = u"--to"_s;
        b.label = m_outcome.toLabel;
        b.startedMs = 2;
        b.finishedMs = 900;
        b.objects = int(to.objects.size());
        b.note = u"shadow database on PostgreSQL 15 (sandbox)"_s;
        m_outcome.reads = {a, b};
        m_outcome.readConcurrently = true;
        m_outcome.notes = {u"owners were ignored"_s, u"public."_s + hostile + u" was created by hand on *staging*"_s};
        auto plan = writeSql(m_outcome.diff, from, to);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error().toString()));
        m_outcome.plan = *plan;
        m_script = m_outcome.script();
        QVERIFY(!m_script.isEmpty());

        // The outcome holds what the assertions below need.
        QCOMPARE(m_outcome.diff.changes.size(), 3);
        QVERIFY(changeOf(Change::Type::Removed).has(Hazard::DataLoss));
        QVERIFY(!changeOf(Change::Type::Altered).hazards.isEmpty());
        QVERIFY(changeOf(Change::Type::Added).object.contains(hostile));
        QVERIFY(!changeOf(Change::Type::Altered).before.isEmpty() && !changeOf(Change::Type::Altered).after.isEmpty());
        QVERIFY(!m_outcome.diff.notCompared.isEmpty());
    }

    void bothFormatsShowEveryChange()
    {
        const QString md = ops::diffReportMarkdown(input());
        const QString page = ops::diffReportHtml(input());
        for (const Change &c : m_outcome.diff.changes)
        {
            QVERIFY2(md.contains(c.object), qPrintable(c.object));
            QVERIFY2(page.contains(html(c.object)), qPrintable(c.object));
            const QString heading = u"%1 %2"_s.arg(toString(c.type), toString(c.kind));
            QVERIFY2(md.contains(heading), qPrintable(heading));
            QVERIFY2(page.contains(heading), qPrintable(heading));
            for (const HazardNote &h : c.hazards)
            {
                QVERIFY2(md.contains(u"**%1**"_s.arg(toString(h.hazard))), qPrintable(toString(h.hazard)));
                QVERIFY2(unescaped(md).contains(h.detail), qPrintable(h.detail));
                QVERIFY2(page.contains(u"<strong>%1</strong>: %2"_s.arg(html(toString(h.hazard)), html(h.detail))), qPrintable(h.detail));
            }
            for (const QString &ddl : {c.before, c.after})
                if (!ddl.isEmpty())
                {
                    QVERIFY2(md.contains(u"```sql\n"_s + ddl + u"\n```"_s), qPrintable(ddl));
                    QVERIFY2(page.contains(u"<pre><code>"_s + html(ddl) + u"</code></pre>"_s), qPrintable(ddl));
                }
        }
        QVERIFY(md.contains(u"Before:"_s) && md.contains(u"After:"_s));
        // The symbols stand beside the words.
        QVERIFY(md.contains(u"+ added"_s) && md.contains(u"\u2212 removed"_s) && md.contains(u"~ altered"_s));
        QVERIFY(page.contains(u"<span class=\"sign\" aria-hidden=\"true\">\u2212</span>removed"_s));
        QVERIFY(page.contains(u"<span class=\"sign\" aria-hidden=\"true\">+</span>added"_s));
        QVERIFY(page.contains(u"<span class=\"sign\" aria-hidden=\"true\">~</span>altered"_s));
    }

    void bothFormatsShowTheSidesTimeCountsAndScript()
    {
        const QString md = ops::diffReportMarkdown(input());
        const QString page = ops::diffReportHtml(input());
        const SchemaDiff &d = m_outcome.diff;
        for (const QString &text : {md, page})
        {
            QVERIFY(text.contains(u"2026-02-03 10:20:30 UTC"_s));
            QVERIFY(text.contains(u"production%1"_s));
            QVERIFY(text.contains(u"PostgreSQL session 4242"_s));
            QVERIFY(text.contains(u"read in one REPEATABLE READ snapshot"_s));
            QVERIFY(text.contains(u"shadow database on PostgreSQL 15 (sandbox)"_s));
            QVERIFY(text.contains(u"read at the same time"_s));
            QVERIFY(text.contains(u"owners were ignored"_s));
            QVERIFY(text.contains(u"was created by hand on"_s));
            QVERIFY(text.contains(u"public.remote_orders"_s));
            QVERIFY(text.contains(u"3 changes, all in the script."_s));
        }
        QVERIFY2(unescaped(md).contains(d.summary()), qPrintable(d.summary()));
        QVERIFY(page.contains(html(d.summary())));
        QVERIFY(md.contains(u"| `production%1` | 4 |"_s));

        // Per kind: one column removed and one altered, one table added; per hazard: each change counted once.
        QVERIFY2(md.contains(u"| column | 0 | 1 | 1 | 0 | 2 |"_s), qPrintable(md));
        QVERIFY(md.contains(u"| table | 1 | 0 | 0 | 0 | 1 |"_s));
        QVERIFY(page.contains(u"<tr><td>column</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">1</td>"
                              u"<td class=\"n\">0</td><td class=\"n\">2</td></tr>"_s));
        QMap<Hazard, int> perHazard;
        for (const Change &c : d.changes)
            for (const Hazard h : {Hazard::DataLoss, Hazard::TableRewrite, Hazard::Lock, Hazard::BlocksWrites, Hazard::FullScan,
                                   Hazard::BreaksRunningCode, Hazard::Irreversible, Hazard::Security})
                if (c.has(h))
                    perHazard[h]++;
        QVERIFY(!perHazard.isEmpty());
        for (auto it = perHazard.cbegin(); it != perHazard.cend(); ++it)
        {
            QVERIFY2(md.contains(u"| %1 | %2 |"_s.arg(toString(it.key())).arg(it.value())), qPrintable(toString(it.key())));
            QVERIFY(page.contains(u"<tr><td>%1</td><td class=\"n\">%2</td></tr>"_s.arg(html(toString(it.key()))).arg(it.value())));
        }

        QVERIFY(md.contains(u"## Script\n\n```sql\n"_s + m_script));
        QVERIFY(page.contains(u"<h2>Script</h2>\n<pre><code>"_s + html(m_script)));
        QVERIFY(!md.contains(u"edited"_s, Qt::CaseInsensitive));
        QVERIFY(!page.contains(u"Edited"_s));
    }

    void htmlEscapesEverythingAndLoadsNothing()
    {
        const QString page = ops::diffReportHtml(input(true));
        QVERIFY(page.startsWith(u"<!DOCTYPE html>"_s));
        QVERIFY(page.contains(u"evil&lt;script&gt;&amp;&quot;x"_s));
        QVERIFY(!page.contains(hostile));
        QVERIFY(!page.contains(u"<script"_s, Qt::CaseInsensitive));
        for (const QString &external : {u"http:"_s, u"https:"_s, u"src="_s, u"href="_s, u"<link"_s, u"@import"_s, u"url("_s})
            QVERIFY2(!page.contains(external, Qt::CaseInsensitive), qPrintable(external));
        QVERIFY(page.contains(u"<style>"_s));
        QVERIFY(page.contains(u"font: 18px"_s));
        // Every tag is one the page writes itself: the hostile '<' never opens one.
        static const QRegularExpression tag(u"<(/?)([a-zA-Z0-9!]+)"_s);
        const QStringList allowed = {u"!DOCTYPE"_s, u"html"_s, u"head"_s, u"meta"_s, u"title"_s, u"style"_s,  u"body"_s,  u"main"_s,
                                     u"h1"_s,       u"h2"_s,   u"h3"_s,   u"dl"_s,   u"dt"_s,    u"dd"_s,     u"table"_s, u"thead"_s,
                                     u"tbody"_s,    u"tr"_s,   u"th"_s,   u"td"_s,   u"p"_s,     u"strong"_s, u"code"_s,  u"pre"_s,
                                     u"section"_s,  u"span"_s, u"ul"_s,   u"li"_s,   u"br"_s};
        for (auto it = tag.globalMatch(page); it.hasNext();)
        {
            const QString name = it.next().captured(2);
            QVERIFY2(allowed.contains(name), qPrintable(name));
        }
    }

    void markdownKeepsHostileNamesInCodeSpans()
    {
        const QString md = ops::diffReportMarkdown(input());
        const QString object = changeOf(Change::Type::Added).object;
        QVERIFY2(md.contains(u'`' + object + u'`'), qPrintable(object));
        // Other text is escaped: the note that names it too.
        QVERIFY2(md.contains(u"- public.evil\\<script>\\&\"x was created by hand on \\*staging\\*\n"_s), qPrintable(md));
        // Outside code spans and fences no raw '<' is left for a renderer to read as HTML.
        QString outside;
        bool inFence = false;
        for (const QString &line : md.split(u'\n'))
        {
            if (line.startsWith(u"```"_s))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence)
                continue;
            static const QRegularExpression span(u"`[^`]*`"_s);
            outside += QString(line).remove(span) + u'\n';
        }
        static const QRegularExpression rawAngle(u"(?<!\\\\)<"_s);
        QVERIFY2(!rawAngle.match(outside).hasMatch(), qPrintable(outside));
    }

    void unselectedChangesAreMarked()
    {
        const Change &removed = changeOf(Change::Type::Removed);
        QStringList selected;
        for (const Change &c : m_outcome.diff.changes)
            if (c.id != removed.id)
                selected << c.id;
        const QString md = ops::diffReportMarkdown(input(false, selected));
        const QString page = ops::diffReportHtml(input(false, selected));
        QCOMPARE(md.count(u"**Not in the script:**"_s), 1);
        QCOMPARE(page.count(u"<span class=\"tag\">Not in the script</span>"_s), 1);
        QVERIFY(md.contains(u"3 changes, 2 of them in the script (1 not in the script)."_s));
        QVERIFY(page.contains(u"3 changes, 2 of them in the script (1 not in the script)."_s));
        // The mark sits in the removed change's own section.
        const qsizetype mark = md.indexOf(u"**Not in the script:**"_s);
        const qsizetype heading = md.lastIndexOf(u"\n### "_s, mark);
        QVERIFY2(md.mid(heading, mark - heading).contains(u"removed column"_s), qPrintable(md.mid(heading, mark - heading)));
        QVERIFY(page.contains(u"<section class=\"change removed excluded\">"_s));
        QCOMPARE(page.count(u" excluded\">"_s), 1);

        const QString all = ops::diffReportMarkdown(input());
        QVERIFY(!all.contains(u"Not in the script"_s));
        QVERIFY(!ops::diffReportHtml(input()).contains(u"Not in the script"_s));
    }

    void editedScriptIsMarked()
    {
        ops::DiffReportInput in = input(true);
        in.script = m_script + u"\n-- checked by hand\n"_s;
        const QString md = ops::diffReportMarkdown(in);
        const QString page = ops::diffReportHtml(in);
        QVERIFY(md.contains(u"## Script (edited)\n\n> **Edited** by the DBA"_s));
        QVERIFY(md.contains(u"-- checked by hand"_s));
        QVERIFY(page.contains(u"<h2>Script (edited)</h2>\n<p><span class=\"tag\">Edited</span> by the DBA"_s));
        QVERIFY(page.contains(u"-- checked by hand"_s));
    }

    void fencesOutgrowBackticks()
    {
        ops::DiffReportInput in = input();
        in.script = u"SELECT 1; -- ``` not the end\n"_s;
        const QString md = ops::diffReportMarkdown(in);
        QVERIFY(md.contains(u"````sql\nSELECT 1; -- ``` not the end\n````\n"_s));
    }

    void emptyOutcome()
    {
        ops::DiffReportInput in;
        const QString md = ops::diffReportMarkdown(in);
        const QString page = ops::diffReportHtml(in);
        QVERIFY(md.contains(u"no changes"_s));
        QVERIFY(md.contains(u"not recorded"_s));
        QVERIFY(md.contains(u"No script was written"_s));
        QVERIFY(page.contains(u"no changes"_s));
        QVERIFY(page.endsWith(u"</html>\n"_s));
    }
};

QTEST_GUILESS_MAIN(TestDiffReport)
#include "test_diff_report.moc"

// How a schema diff's outcome reads: the report text, the JSON document and the SQL script, apart
// from the job body in schemaops.cpp.
#include "core/ops/schemaops.h"

#include <QJsonArray>

using namespace Qt::Literals::StringLiterals;

namespace dbops::ops
{
    namespace
    {
        QString quoteValues(const QStringList &values)
        {
            QStringList q;
            for (const QString &v : values)
                q << u'\'' + v + u'\'';
            return q.join(u", "_s);
        }
    }

    QJsonObject SideRead::toJson() const
    {
        QJsonObject j{{u"option"_s, option},
                      {u"label"_s, label},
                      {u"objects"_s, objects},
                      {u"started_ms"_s, startedMs},
                      {u"finished_ms"_s, finishedMs}};
        if (backendPid)
        {
            j.insert(u"backend_pid"_s, backendPid);
            j.insert(u"application_name"_s, applicationName);
        }
        if (!note.isEmpty())
            j.insert(u"note"_s, note);
        return j;
    }

    QString DataFinding::text() const
    {
        return u"%1 holds %2 in %3 where the other side expects %4%5"_s.arg(side, quoteValues(values), column, quoteValues(expected),
                                                                            truncated ? u" (only the first distinct values were read)"_s
                                                                                      : QString());
    }

    QJsonObject DataFinding::toJson() const
    {
        return QJsonObject{{u"side"_s, side},
                           {u"column"_s, column},
                           {u"values"_s, QJsonArray::fromStringList(values)},
                           {u"expected"_s, QJsonArray::fromStringList(expected)},
                           {u"truncated"_s, truncated},
                           {u"text"_s, text()}};
    }

    QJsonObject Proof::toJson() const
    {
        QJsonArray left;
        for (const schema::Change &c : remaining)
            left.append(QJsonObject{{u"type"_s, schema::toString(c.type)}, {u"kind"_s, schema::toString(c.kind)}, {u"object"_s, c.object}});
        return QJsonObject{{u"proved"_s, proved}, {u"text"_s, text}, {u"how"_s, how}, {u"remaining"_s, left}};
    }

    QString DiffOutcome::script() const
    {
        return plan ? plan->script(fromLabel, toLabel) : QString();
    }

    QJsonObject DiffOutcome::toJson() const
    {
        QJsonObject json = diff.toJson();
        json.insert(u"from"_s, fromLabel);
        json.insert(u"to"_s, toLabel);
        QJsonArray sides;
        for (const SideRead &r : reads)
            sides.append(r.toJson());
        json.insert(u"sides"_s, sides);
        json.insert(u"read_concurrently"_s, readConcurrently);
        if (plan)
        {
            QJsonArray steps;
            for (const schema::PlanStep &step : plan->steps)
            {
                QJsonArray statements;
                for (const schema::PlanStatement &s : step.statements)
                {
                    QJsonObject st{{u"sql"_s, s.sql}, {u"change"_s, s.changeId}};
                    if (!s.why.isEmpty())
                        st.insert(u"why"_s, s.why);
                    if (s.outsideTransaction)
                        st.insert(u"outside_transaction"_s, true);
                    statements.append(st);
                }
                QJsonObject j{{u"statements"_s, statements}};
                if (!step.reason.isEmpty())
                    j.insert(u"reason"_s, step.reason);
                steps.append(j);
            }
            json.insert(u"plan"_s, QJsonObject{{u"online"_s, plan->online}, {u"steps"_s, steps}});
            json.insert(u"script"_s, script());
        }
        if (proof)
            json.insert(u"proof"_s, proof->toJson());
        if (dataChecked)
        {
            QJsonArray d;
            for (const DataFinding &f : data)
                d.append(f.toJson());
            json.insert(u"data"_s, d);
        }
        if (!notes.isEmpty())
            json.insert(u"notes"_s, QJsonArray::fromStringList(notes));
        return json;
    }

    QString DiffOutcome::toText() const
    {
        QString text = u"schema diff: %1 -> %2\n"_s.arg(fromLabel, toLabel);
        if (!diff.comparedAs.isEmpty())
            text += u"compared as: %1\n"_s.arg(diff.comparedAs);
        text += (diff.isEmpty() ? u"same: no changes\n"_s : u"summary: %1\n"_s.arg(diff.summary()));
        for (const schema::Change &c : diff.changes)
        {
            text += u"\n%1 %2 %3"_s.arg(schema::toString(c.type), schema::toString(c.kind), c.object);
            if (!c.attributes.isEmpty())
                text += u" (%1)"_s.arg(c.attributes.join(u", "_s));
            if (!c.fromId.isEmpty())
                text += u" from %1"_s.arg(c.fromId);
            text += u'\n';
            for (const auto &[a, b] : c.caseOnlyLabels)
                text += u"  label differs only by case: '%1' -> '%2'\n"_s.arg(a, b);
            if (c.caseOnlyLabels.isEmpty() && c.attributes.contains(u"labels"_s))
                text += u"  labels differ: %1 -> %2\n"_s.arg(labelChanges.value(c.id).first, labelChanges.value(c.id).second);
            if (c.type == schema::Change::Type::Altered && !c.before.isEmpty())
            {
                text += u"  before: %1\n"_s.arg(QString(c.before).replace(u'\n', u"\n          "_s));
                text += u"  after:  %1\n"_s.arg(QString(c.after).replace(u'\n', u"\n          "_s));
            }
            for (const schema::HazardNote &h : c.hazards)
                text += u"  hazard: %1%2\n"_s.arg(schema::toString(h.hazard), h.detail.isEmpty() ? QString() : u": "_s + h.detail);
        }
        if (!diff.possibleRenames.isEmpty())
        {
            text += u"\npossible renames (never assumed; accept one with --rename):\n"_s;
            for (const schema::RenameCandidate &r : diff.possibleRenames)
                text += u"  %1 %2 -> %3   (--rename %2=%3)\n"_s.arg(schema::toString(r.kind), r.from, r.to);
        }
        if (!diff.notCompared.isEmpty())
        {
            text += u"\nnot compared (kinds dbops does not model):\n"_s;
            for (const schema::NotCompared &n : diff.notCompared)
                text += u"  %1 %2%3\n"_s.arg(n.kind, n.name, n.reason.isEmpty() ? QString() : u" (" + n.reason + u')');
        }
        if (dataChecked)
        {
            text += data.isEmpty() ? u"\ndata: the stored values of the enum-like columns fit the other side's labels\n"_s : u"\ndata:\n"_s;
            for (const DataFinding &f : data)
                text += u"  %1\n"_s.arg(f.text());
        }
        if (proof)
            text += u"\n%1\n  (%2)\n"_s.arg(proof->text, proof->how);
        for (const QString &n : notes)
            text += u"note: %1\n"_s.arg(n);
        return text;
    }
}

// A schema made anew in a sandbox: the roles a snapshot names, a plan applied, and one side of a
// diff re-created on the other side's major version (issue 13: "the text of one side is
// re-created on a sandbox of the other's version before comparing").
#include "core/schema/recreate.h"

#include "core/db/pgconnection.h"
#include "core/jobs/job.h"
#include "core/sandbox/pgbinaries.h"
#include "core/sandbox/sandbox.h"
#include "core/schema/diff.h"
#include "core/schema/pgintrospect.h"
#include "core/schema/shadow.h"

#include <QRegularExpression>
#include <QSet>

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace dbops::schema
{
    QStringList rolesNamed(const Snapshot &snapshot)
    {
        QSet<QString> roles;
        static const QRegularExpression item(uR"(^("(?:[^"]|"")*"|[^=]*)=[^/]*/("(?:[^"]|"")*"|.*)$)"_s);
        const auto unquoted = [](QString r) {
            if (r.startsWith(u'"') && r.endsWith(u'"') && r.size() >= 2)
                r = r.mid(1, r.size() - 2).replace(u"\"\""_s, u"\""_s);
            return r;
        };
        for (const SchemaObject &o : snapshot.objects)
        {
            if (!o.attr(u"owner"_s).isEmpty())
                roles.insert(o.attr(u"owner"_s));
            for (const QString &acl : fromJsonList(o.attr(u"acl"_s)))
                if (const auto m = item.match(acl); m.hasMatch())
                {
                    if (!m.captured(1).isEmpty())
                        roles.insert(unquoted(m.captured(1)));
                    roles.insert(unquoted(m.captured(2)));
                }
            if (o.kind == ObjectKind::Policy)
                for (const QString &r : fromJsonList(o.attr(u"roles"_s)))
                    if (r != u"public"_s)
                        roles.insert(unquoted(r));
        }
        roles.remove(u"postgres"_s);
        roles.remove(QString());
        QStringList list(roles.cbegin(), roles.cend());
        list.sort();
        return list;
    }

    void createRoles(PgConnection &admin, const QStringList &roles)
    {
        for (const QString &r : roles)
            admin.exec(
                u"DO $dbops$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = %1) THEN CREATE ROLE %2 NOLOGIN; END IF; END $dbops$"_s
                    .arg(admin.escapeLiteral(r), admin.escapeIdentifier(r)));
    }

    void applyPlan(PgConnection &conn, const SqlPlan &plan)
    {
        const auto run = [&conn](const QString &statement) {
            if (auto done = conn.tryExec(statement); !done)
            {
                Error e = done.error();
                e.code = ErrorCode::OperationFailed;
                QString shown = statement.simplified();
                if (shown.endsWith(u';'))
                    shown.chop(1);
                e.context = shown.size() > 300 ? shown.left(300) + u"..."_s : shown;
                throw Exception(e);
            }
        };
        if (plan.online)
        {
            for (const QString &s : plan.statements())
                run(s);
            return;
        }
        conn.exec(u"BEGIN"_s);
        try
        {
            for (const QString &s : plan.statements())
                run(s);
            conn.exec(u"COMMIT"_s);
        }
        catch (...)
        {
            (void)conn.tryExec(u"ROLLBACK"_s);
            throw;
        }
    }

    bool isServerText(const QString &attribute)
    {
        static const QSet<QString> names{u"definition"_s, u"default"_s,      u"generated"_s,       u"using"_s, u"check"_s,
                                         u"checks"_s,     u"partition_by"_s, u"partition_bound"_s, u"result"_s};
        return names.contains(attribute);
    }

    QList<int> installedMajors()
    {
        QList<int> majors;
        for (const PgInstallation &i : findPgInstallations(u"initdb"_s))
            if (!majors.contains(i.major))
                majors << i.major;
        std::sort(majors.begin(), majors.end());
        return majors;
    }

    namespace
    {
        /// Leaves MAINTAIN ('m', PostgreSQL 17's privilege on relations; no other acl has an 'm') out
        /// of every acl of `side`; returns how many items had it.
        int withoutMaintain(Snapshot &side)
        {
            int changed = 0;
            for (SchemaObject &o : side.objects)
            {
                const auto it = o.attrs.find(u"acl"_s);
                if (it == o.attrs.end() || !it->contains(u'm'))
                    continue;
                QStringList items = fromJsonList(*it);
                QStringList kept;
                for (QString item : std::as_const(items))
                {
                    const qsizetype eq = item.lastIndexOf(u'='), slash = item.lastIndexOf(u'/');
                    if (eq < 0 || slash < eq)
                    {
                        kept << item;
                        continue;
                    }
                    QString privileges = item.mid(eq + 1, slash - eq - 1);
                    if (!privileges.contains(u'm'))
                    {
                        kept << item;
                        continue;
                    }
                    ++changed;
                    privileges.remove(u"m*"_s).remove(u'm');
                    if (!privileges.isEmpty())
                        kept << item.left(eq + 1) + privileges + item.mid(slash);
                }
                kept.sort();
                *it = kept.isEmpty() ? u"[]"_s : jsonList(kept); // "[]": every privilege revoked, not "the defaults"
            }
            return changed;
        }

        /// `side`'s schema made in a fresh database of a sandbox PostgreSQL `major`, snapshotted.
        Expected<Snapshot> recreate(const Snapshot &side, int major, JobContext &jc)
        {
            auto started = startScratchSandbox(major, jc);
            if (!started)
                return std::unexpected(started.error());
            std::unique_ptr<Sandbox> sandbox = std::move(*started);
            auto db = sandbox->createDatabase(u"dbops_recreate"_s);
            if (!db)
                return std::unexpected(db.error());
            try
            {
                auto admin = PgConnection::open(sandbox->connectParams(), {}, jc.token());
                createRoles(*admin, rolesNamed(side));
                auto conn = PgConnection::open(*db, {}, jc.token());
                auto empty = snapshotPostgres(*conn, {}, jc.token());
                if (!empty)
                    return std::unexpected(empty.error());
                auto changes = diff(*empty, side);
                if (!changes)
                    return std::unexpected(changes.error());
                auto plan = writeSql(*changes, *empty, side);
                if (!plan)
                    return std::unexpected(plan.error());
                applyPlan(*conn, *plan);
                return snapshotPostgres(*conn, {}, jc.token());
            }
            catch (const Exception &e)
            {
                return std::unexpected(e.error());
            }
        }

        /// Takes the server text of every object of `side` from `made` (the same objects made on
        /// another version); returns the ids of those `made` does not have.
        QStringList takeServerText(Snapshot &side, const Snapshot &made)
        {
            QStringList missing;
            for (SchemaObject &o : side.objects)
            {
                const SchemaObject *m = made.find(o.id());
                if (!m)
                {
                    missing << o.id();
                    continue;
                }
                for (auto it = o.attrs.begin(); it != o.attrs.end();)
                    it = isServerText(it.key()) && !m->attrs.contains(it.key()) ? o.attrs.erase(it) : std::next(it);
                for (auto it = m->attrs.cbegin(); it != m->attrs.cend(); ++it)
                    if (isServerText(it.key()))
                        o.attrs.insert(it.key(), it.value());
            }
            side.finish();
            return missing;
        }
    }

    QString alignMajorVersions(Snapshot &from, Snapshot &to, const QString &fromLabel, const QString &toLabel, JobContext &jc)
    {
        if (from.dialect != Dialect::PostgreSql || to.dialect != Dialect::PostgreSql)
            return {};
        const int fromMajor = from.serverVersionNum / 10000, toMajor = to.serverVersionNum / 10000;
        if (fromMajor <= 0 || toMajor <= 0 || fromMajor == toMajor)
            return {};
        // Privileges one version does not have are no drift: the older server can neither hold
        // nor grant them.
        QString maintain;
        if (std::max(fromMajor, toMajor) >= 17 && std::min(fromMajor, toMajor) < 17)
        {
            Snapshot &newer = fromMajor >= 17 ? from : to;
            if (const int items = withoutMaintain(newer); items > 0)
                maintain = u"; MAINTAIN (PostgreSQL 17 and later) is left out of %1 acl item(s) of %2, as PostgreSQL %3 has no such "
                           "privilege"_s.arg(items)
                               .arg(fromMajor >= 17 ? fromLabel : toLabel)
                               .arg(std::min(fromMajor, toMajor));
        }
        const QList<int> installed = installedMajors();
        const bool onFrom = installed.contains(fromMajor);
        if (!onFrom && !installed.contains(toMajor))
        {
            QStringList names;
            for (int m : installed)
                names << QString::number(m);
            return u"the sides are PostgreSQL %1 (%2) and %3 (%4), and neither version is installed here (found: %5): views, "
                   "functions, defaults, checks and other definitions are compared as each version prints them, so a difference "
                   "in them may be only how the two versions print the same object"_s.arg(fromMajor)
                       .arg(fromLabel)
                       .arg(toMajor)
                       .arg(toLabel, names.isEmpty() ? u"none"_s : names.join(u", "_s))
                   + maintain;
        }
        Snapshot &side = onFrom ? to : from;
        const QString &label = onFrom ? toLabel : fromLabel;
        const int sideMajor = onFrom ? toMajor : fromMajor, major = onFrom ? fromMajor : toMajor;
        jc.progress(0, 0, u"re-creating %1 (PostgreSQL %2) on a sandbox PostgreSQL %3"_s.arg(label).arg(sideMajor).arg(major));
        auto made = recreate(side, major, jc);
        if (!made)
        {
            const Error &e = made.error();
            if (e.code == ErrorCode::Cancelled)
                throw Exception(e); // the user's Cancel ends the diff, it is no note
            return u"%1 (PostgreSQL %2) could not be re-created on a sandbox PostgreSQL %3 (%4%5): its definitions are compared "
                   "as PostgreSQL %2 prints them, so a difference in them may be only how the two versions print the same "
                   "object"_s.arg(label)
                       .arg(sideMajor)
                       .arg(major)
                       .arg(e.context.isEmpty() ? QString() : e.context + u" failed: "_s, e.message)
                   + maintain;
        }
        const QStringList missing = takeServerText(side, *made);
        QString note = u"%1 (PostgreSQL %2) was re-created on a sandbox PostgreSQL %3, and its definitions are compared as "
                       "PostgreSQL %3 prints them"_s.arg(label)
                           .arg(sideMajor)
                           .arg(major);
        if (!missing.isEmpty())
            note += u"; %1 of its objects were not made there and keep PostgreSQL %2's text: %3%4"_s.arg(missing.size())
                        .arg(sideMajor)
                        .arg(missing.mid(0, 5).join(u", "_s), missing.size() > 5 ? u", ..."_s : QString());
        if (!onFrom)
            note +=
                u" (PostgreSQL %1 is not installed here: what the SQL re-creates on --from is PostgreSQL %2's text)"_s.arg(fromMajor).arg(
                    toMajor);
        return note + maintain;
    }
}

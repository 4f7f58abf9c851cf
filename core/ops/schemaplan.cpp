// What follows a comparison: the SQL plan for the changes chosen, and the drift check (a
// profile's database against what its applied migrations make).

#include "core/ops/schemaops.h"

#include "core/jobs/job.h"
#include "core/ops/migrateops.h"
#include "core/schema/selection.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::ops
{
    using schema::Side;
    using schema::Snapshot;

    Expected<schema::SqlPlan> planFor(const Comparison &comparison, const std::optional<QSet<int>> &chosen, bool online)
    {
        const DiffOutcome &outcome = comparison.outcome;
        const bool cross = comparison.from.dialect != comparison.to.dialect;
        if (comparison.from.dialect == schema::Dialect::Sqlite)
            return fail(ErrorCode::BadInput,
                        u"the SQL is PostgreSQL's, but %1 (the side to change) is a SQLite file: dbops writes no SQLite DDL"_s.arg(
                            outcome.fromLabel));
        // Across dialects the SQL is written from the sides as compared (the writer finds the
        // objects the diff names).
        const Snapshot &wf = comparison.comparedFrom();
        const Snapshot &wt = comparison.comparedTo();
        // An enum-like column whose labels differ across dialects: when the PostgreSQL side's
        // column is an enum and the labels differ only by case (seed 003), the SQL renames the
        // labels; any other label difference is not written across dialects.
        schema::SchemaDiff toWrite = chosen ? schema::chosenChanges(outcome.diff, *chosen) : outcome.diff;
        QStringList renames;
        if (cross)
        {
            const QList<schema::Change> all = toWrite.changes;
            toWrite.changes.clear();
            for (const schema::Change &c : all)
            {
                if (!(c.type == schema::Change::Type::Altered && c.attributes.contains(u"labels"_s)))
                {
                    toWrite.changes << c;
                    continue;
                }
                const schema::SchemaObject *column = comparison.from.find(c.id);
                const QString type = column ? column->attr(u"type"_s) : QString();
                const schema::SchemaObject *enumType = nullptr;
                for (const schema::SchemaObject &o : comparison.from.objects)
                    if (o.kind == schema::ObjectKind::Enum && schema::quoteIdent(o.schema) + u'.' + schema::quoteIdent(o.name) == type)
                        enumType = &o;
                if (c.attributes != QStringList{u"labels"_s} || c.caseOnlyLabels.isEmpty() || !enumType)
                    return fail(ErrorCode::BadInput,
                                u"--sql: %1's labels differ between the two sides in more than case (or the PostgreSQL column is "
                                "no enum); dbops does not write that change across dialects (see the labels with dbops diff "
                                "without --sql, and the stored values with --data)"_s.arg(c.object));
                for (const auto &[was, becomes] : c.caseOnlyLabels)
                {
                    const QString quotedWas = u'\'' + QString(was).replace(u'\'', u"''"_s) + u'\'';
                    const QString quotedBecomes = u'\'' + QString(becomes).replace(u'\'', u"''"_s) + u'\'';
                    const QString statement = u"ALTER TYPE %1 RENAME VALUE %2 TO %3;"_s.arg(type, quotedWas, quotedBecomes);
                    if (!renames.contains(statement))
                        renames << statement;
                }
            }
        }
        schema::SqlOptions options;
        options.online = online;
        auto plan = schema::writeSql(toWrite, wf, wt, options);
        if (!plan)
            return plan;
        if (!renames.isEmpty())
        {
            if (plan->steps.isEmpty())
                plan->steps << schema::PlanStep{};
            QList<schema::PlanStatement> first;
            for (const QString &r : renames)
                first << schema::PlanStatement{r, {}, u"the enum's labels differ only by case from the other side's"_s, false};
            plan->steps.first().statements = first + plan->steps.first().statements;
        }
        return plan;
    }

    QList<QList<int>> Comparison::needs() const
    {
        return schema::changeNeeds(outcome.diff, comparedFrom(), comparedTo());
    }

    QString DriftStatus::text() const
    {
        switch (state)
        {
        case State::NoDrift:
            return u"no drift: the schema is what the migrations up to %1 make"_s.arg(appliedVersion);
        case State::Drift:
            return u"drift: %1 change(s) against the migrations up to %2 (%3)"_s.arg(changes).arg(appliedVersion, summary);
        case State::NoHistory:
            return u"no migration applied yet: nothing to compare against"_s;
        }
        return {};
    }

    QJsonObject DriftStatus::toJson() const
    {
        return {{u"state"_s, state == State::NoDrift ? u"no drift"_s
                             : state == State::Drift ? u"drift"_s
                                                     : u"no history"_s},
                {u"applied_version"_s, appliedVersion},
                {u"changes"_s, changes},
                {u"summary"_s, summary},
                {u"text"_s, text()}};
    }

    DriftStatus driftCheck(const Target &target, const QString &migrationsDir, JobContext &jc)
    {
        MigrationRequest info;
        info.target = target;
        info.options.migrationsDir = migrationsDir;
        auto settings = settingsFromEnvironment();
        if (!settings)
            throw Exception(settings.error());
        info.options.settings = *settings;
        const Timeline timeline = ops::info(info, jc);
        DriftStatus status;
        status.appliedVersion = timeline.currentVersion;
        if (timeline.currentVersion.isEmpty())
            return status;
        DiffRequest request;
        request.from.kind = Side::Kind::Postgres;
        request.from.profile = target.profile;
        request.from.fromProfile = true;
        request.from.text = target.profile.name;
        request.from.password = target.password;
        request.to.kind = Side::Kind::Migrations;
        request.to.path = migrationsDir;
        request.to.version = timeline.currentVersion;
        request.to.text = u"migrations:%1@%2"_s.arg(migrationsDir, timeline.currentVersion);
        request.store = target.store;
        request.profiles = target.profiles;
        const DiffOutcome outcome = diffSchemas(request, jc);
        status.changes = int(outcome.diff.changes.size());
        status.state = outcome.diff.isEmpty() ? DriftStatus::State::NoDrift : DriftStatus::State::Drift;
        status.summary = outcome.diff.summary();
        jc.setSummary(status.text());
        return status;
    }
}

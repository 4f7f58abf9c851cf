#include "core/migrate/timeline.h"

#include <QJsonArray>

#include <map>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString toString(MigrationState state)
    {
        switch (state)
        {
        case MigrationState::Applied:
            return u"applied"_s;
        case MigrationState::Pending:
            return u"pending"_s;
        case MigrationState::Failed:
            return u"failed"_s;
        case MigrationState::ChecksumMismatch:
            return u"checksum_mismatch"_s;
        case MigrationState::MissingFile:
            return u"missing_file"_s;
        case MigrationState::OutOfOrder:
            return u"out_of_order"_s;
        case MigrationState::Baseline:
            return u"baseline"_s;
        case MigrationState::Dirty:
            return u"dirty"_s;
        }
        return {};
    }

    bool TimelineEntry::isApplied() const
    {
        return state == MigrationState::Applied || state == MigrationState::ChecksumMismatch
               || state == MigrationState::Baseline || state == MigrationState::MissingFile;
    }

    QJsonObject TimelineEntry::toJson() const
    {
        QJsonObject o{{u"version"_s, version.isEmpty() ? QJsonValue() : QJsonValue(version)},
                      {u"description"_s, description},
                      {u"state"_s, toString(state)},
                      {u"script"_s, script},
                      {u"repeatable"_s, repeatable},
                      {u"no_transaction"_s, noTransaction}};
        if (mismatch != MismatchKind::None)
            o[u"mismatch"_s] = toString(mismatch);
        if (row)
        {
            o[u"applied_at"_s] = row->installedOn.isValid() ? QJsonValue(row->installedOn.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
            // Unknown is null, never a made-up value (foreign histories often keep neither).
            o[u"applied_by"_s] = row->installedBy.isEmpty() ? QJsonValue()
                                 : QJsonValue(row->installedBy + (row->osUser.isEmpty() ? QString() : u" ("_s + row->osUser + u'@' + row->clientHost + u')'));
            o[u"duration_ms"_s] = row->executionMs < 0 ? QJsonValue() : QJsonValue(row->executionMs);
            if (row->outOfOrder)
                o[u"applied_out_of_order"_s] = true;
            if (row->markedByHand)
                o[u"marked_by_hand"_s] = true;
            if (!row->error.isEmpty())
                o[u"error"_s] = row->error;
            if (row->statementsTotal >= 0)
                o[u"statements"_s] = QJsonObject{{u"done"_s, row->statementsDone}, {u"total"_s, row->statementsTotal}};
        }
        if (resumeFrom > 0)
            o[u"resume_from_statement"_s] = resumeFrom + 1;
        if (!note.isEmpty())
            o[u"note"_s] = note;
        if (!invalidIndexes.isEmpty())
            o[u"invalid_indexes"_s] = QJsonArray::fromStringList(invalidIndexes);
        return o;
    }

    QList<TimelineProblem> Timeline::problems() const
    {
        QList<TimelineProblem> out;
        for (const TimelineEntry &e : entries)
        {
            const QString name = e.repeatable ? e.description : e.version;
            switch (e.state)
            {
            case MigrationState::ChecksumMismatch:
                out.append({name, e.state, e.mismatch,
                            u"%1 was applied but its file %2 changed since (%3)%4"_s.arg(name, e.script, toString(e.mismatch),
                                                                                      e.row && !e.row->note.isEmpty() ? u"; "_s + e.row->note : QString())});
                break;
            case MigrationState::MissingFile:
                if (!e.acknowledgedMissing)
                    out.append({name, e.state, MismatchKind::None, u"%1 (%2) was applied but its file is missing"_s.arg(name, e.script)});
                break;
            case MigrationState::Failed:
                out.append({name, e.state, MismatchKind::None,
                            u"%1 failed: %2"_s.arg(name, e.row ? e.row->error : QString())});
                break;
            case MigrationState::Dirty:
                if (e.row && e.row->statementsTotal >= 0)
                    out.append({name, e.state, MismatchKind::None,
                                u"%1 stopped part-way (%2 of %3 statements ran): %4"_s.arg(name)
                                    .arg(e.row->statementsDone)
                                    .arg(e.row->statementsTotal)
                                    .arg(e.row->error)});
                else
                    out.append({name, e.state, MismatchKind::None,
                                u"%1 is dirty: it stopped part-way and the %2 history cannot say how far (\"Dirty database version "
                                u"%1\"). Check its effects, then run: dbops repair --dirty=complete|reverted"_s.arg(name, historyFormat)});
                break;
            case MigrationState::OutOfOrder:
                out.append({name, e.state, MismatchKind::None,
                            u"%1 is pending below the current version %2 (out of order)"_s.arg(name, currentVersion)});
                break;
            default:
                break;
            }
            for (const QString &index : e.invalidIndexes)
                out.append({name, e.state, MismatchKind::None,
                            u"%1 (%2): index %3 is INVALID (pg_index.indisvalid = false): an interrupted CREATE INDEX CONCURRENTLY "
                            u"left it, and queries do not use it. Run 'dbops repair' to drop it so that the migration builds it again"_s
                                .arg(name, e.script, index)});
        }
        return out;
    }

    QList<const TimelineEntry *> Timeline::pending(const QString &target, bool allowOutOfOrder) const
    {
        QList<const TimelineEntry *> out;
        const Version limit(target);
        for (const TimelineEntry &e : entries)
        {
            if (e.migrationIndex < 0)
                continue;
            if (e.repeatable)
            {
                if (e.state == MigrationState::Pending)
                    out << &e;
                continue;
            }
            if (!target.isEmpty() && limit < Version(e.version))
                continue;
            if (e.state == MigrationState::Pending || (allowOutOfOrder && e.state == MigrationState::OutOfOrder))
                out << &e;
        }
        // Versioned first in version order (entries are sorted), repeatables last.
        std::stable_partition(out.begin(), out.end(), [](const TimelineEntry *e) { return !e->repeatable; });
        return out;
    }

    QJsonObject Timeline::toJson() const
    {
        QJsonArray arr;
        for (const TimelineEntry &e : entries)
            arr.append(e.toJson());
        QJsonObject o{{u"history_format"_s, historyFormat},
                      {u"history_table"_s, historyTable},
                      {u"history_exists"_s, historyExists},
                      {u"current_version"_s, currentVersion.isEmpty() ? QJsonValue() : QJsonValue(currentVersion)},
                      {u"migrations"_s, arr}};
        if (!baselineVersion.isEmpty())
            o[u"baseline_version"_s] = baselineVersion;
        if (!warnings.isEmpty())
            o[u"warnings"_s] = QJsonArray::fromStringList(warnings);
        if (!unchecked.isEmpty())
            o[u"unchecked"_s] = QJsonArray::fromStringList(unchecked);
        return o;
    }

    Timeline buildTimeline(const MigrationSet &set, const QList<HistoryRow> &rows, const HistoryAdapter &history)
    {
        Timeline t;
        t.historyFormat = history.format();
        t.historyTable = history.table();

        // The row that decides each version's state: the latest migration/undo row; DELETE rows
        // acknowledge a missing file; the latest baseline row sets the baseline.
        std::map<Version, HistoryRow> latest;
        std::map<Version, bool> acknowledged;
        std::map<QString, HistoryRow> repeatables;
        std::map<Version, QString> markedWhy; // repair --mark-applied: the REPAIR row that says why
        Version baseline;
        Version upTo; // golang-migrate: everything up to this version is applied
        for (const HistoryRow &row : rows)
        {
            switch (row.type)
            {
            case HistoryRow::Type::Migration:
            case HistoryRow::Type::Undo:
                latest[Version(row.version)] = row;
                acknowledged.erase(Version(row.version));
                break;
            case HistoryRow::Type::Deleted:
                acknowledged[Version(row.version)] = true;
                break;
            case HistoryRow::Type::Baseline:
                baseline = Version(row.version);
                t.baselineVersion = row.version;
                latest.try_emplace(Version(row.version), row);
                break;
            case HistoryRow::Type::Repeatable:
                repeatables[row.description.toLower()] = row;
                break;
            case HistoryRow::Type::UpTo:
                upTo = Version(row.version);
                latest[Version(row.version)] = row;
                break;
            case HistoryRow::Type::Repair:
                if (!row.version.isEmpty())
                    markedWhy[Version(row.version)] = row.description;
                break;
            case HistoryRow::Type::Other:
                break;
            }
        }

        Version highestApplied = baseline;
        for (const auto &[v, row] : latest)
            if ((row.type == HistoryRow::Type::Migration && row.success) || row.type == HistoryRow::Type::Baseline
                || (row.type == HistoryRow::Type::UpTo && row.success))
                if (highestApplied < v)
                    highestApplied = v;

        std::map<Version, bool> hasFile;
        for (int i = 0; i < set.migrations.size(); ++i)
        {
            const Migration &m = set.migrations[i];
            TimelineEntry e;
            e.version = m.version.text();
            e.description = m.description;
            e.repeatable = m.isRepeatable();
            e.noTransaction = m.up.noTransaction;
            e.hasDown = m.down.has_value();
            e.script = m.up.fileName;
            e.migrationIndex = i;
            if (m.isRepeatable())
            {
                auto it = repeatables.find(m.description.toLower());
                if (it == repeatables.end())
                    e.state = MigrationState::Pending;
                else
                {
                    e.row = it->second;
                    e.state = history.checksum(m.up) == it->second.checksum ? MigrationState::Applied : MigrationState::Pending;
                    if (e.state == MigrationState::Pending)
                        e.note = u"changed since it last ran: will run again"_s;
                }
                t.entries << e;
                continue;
            }
            hasFile[m.version] = true;
            auto it = latest.find(m.version);
            if (it != latest.end() && it->second.type != HistoryRow::Type::Undo)
            {
                const HistoryRow &row = it->second;
                e.row = row;
                if (row.type == HistoryRow::Type::Baseline)
                    e.state = MigrationState::Baseline;
                else if (!row.success)
                {
                    if (row.resumeFrom >= 0)
                    {
                        e.state = MigrationState::Pending;
                        e.resumeFrom = row.resumeFrom;
                        e.note = row.resumeFrom == 0 ? u"repaired: runs again from its first statement"_s
                                                     : u"repaired: resumes at statement %1"_s.arg(row.resumeFrom + 1);
                    }
                    else
                        e.state = row.dirty || row.statementsDone > 0 ? MigrationState::Dirty : MigrationState::Failed;
                }
                else if (!history.keepsChecksums() || row.checksum.isEmpty() || history.checksum(m.up) == row.checksum)
                    e.state = MigrationState::Applied;
                else
                {
                    e.state = MigrationState::ChecksumMismatch;
                    e.mismatch = classifyMismatch(
                        m.up.bytes, row.checksum, [&](const QByteArray &b) {
                            MigrationScript s;
                            s.bytes = b;
                            s.checksum = sha256(b);
                            return history.checksum(s);
                        },
                        row.appliedSql);
                }
                if (row.markedByHand && row.success)
                {
                    const auto why = markedWhy.find(m.version);
                    e.note = u"marked by hand by %1 (%2@%3) on %4%5"_s.arg(row.installedBy, row.osUser, row.clientHost,
                                                                        row.installedOn.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s),
                                                                        why == markedWhy.end() ? QString()
                                                                                               : u": "_s + why->second.section(u": "_s, 1));
                }
            }
            else if (!baseline.isEmpty() && !(baseline < m.version))
                e.state = MigrationState::Baseline;
            else if (!upTo.isEmpty() && m.version < upTo)
            {
                e.state = MigrationState::Applied;
                e.note = u"applied: the %1 history keeps only the current version"_s.arg(history.format());
            }
            else if (!highestApplied.isEmpty() && m.version < highestApplied)
                e.state = MigrationState::OutOfOrder;
            else
            {
                e.state = MigrationState::Pending;
                if (it != latest.end())
                    e.note = u"reverted by a down migration"_s;
            }
            t.entries << e;
        }

        // Applied versions whose file is gone.
        for (const auto &[v, row] : latest)
        {
            if (hasFile.count(v) || row.type == HistoryRow::Type::Undo || (!row.success && !row.dirty))
                continue;
            if (row.type == HistoryRow::Type::Baseline)
            {
                TimelineEntry e;
                e.version = row.version;
                e.description = row.description;
                e.state = MigrationState::Baseline;
                e.script = row.script;
                e.row = row;
                t.entries << e;
                continue;
            }
            TimelineEntry e;
            e.version = row.version;
            e.description = row.description;
            e.state = MigrationState::MissingFile;
            e.script = row.script;
            e.row = row;
            e.acknowledgedMissing = acknowledged.count(v) > 0;
            if (e.acknowledgedMissing)
                e.note = u"acknowledged by repair"_s;
            t.entries << e;
        }

        std::stable_sort(t.entries.begin(), t.entries.end(), [](const TimelineEntry &a, const TimelineEntry &b) {
            if (a.repeatable != b.repeatable)
                return !a.repeatable;
            if (a.repeatable)
                return a.description < b.description;
            return Version(a.version) < Version(b.version);
        });
        for (const TimelineEntry &e : t.entries)
            if (!e.repeatable && e.isApplied())
                t.currentVersion = e.version;
        // What the history cannot vouch for is said, not passed off as valid.
        for (TimelineEntry &e : t.entries)
        {
            if (e.repeatable || e.migrationIndex < 0 || (e.state != MigrationState::Applied && e.state != MigrationState::ChecksumMismatch))
                continue;
            if (e.row && !e.row->note.isEmpty())
                e.note = e.note.isEmpty() ? e.row->note : e.note + u"; "_s + e.row->note;
            const bool noChecksum = !history.keepsChecksums() || (e.row && e.row->type == HistoryRow::Type::Migration && e.row->checksum.isEmpty());
            if (e.state == MigrationState::Applied && noChecksum)
            {
                t.unchecked << e.version;
                if (history.keepsChecksums())
                    e.note = e.note.isEmpty() ? u"no checksum: edits to its file cannot be detected"_s
                                              : e.note + u"; no checksum: edits to its file cannot be detected"_s;
            }
        }
        if (!t.unchecked.isEmpty())
            t.warnings << (history.keepsChecksums()
                               ? u"%1 applied migration(s) have no checksum in the %2 history, so edits to their files cannot be detected: %3"_s
                                     .arg(t.unchecked.size())
                                     .arg(history.table(), t.unchecked.join(u", "_s))
                               : u"the %1 history %2 keeps no checksums, so edits to the files of its %3 applied migration(s) cannot be detected "
                                 u"('dbops adopt --record-checksums' records them from now on)"_s
                                     .arg(history.format(), history.table())
                                     .arg(t.unchecked.size()));
        return t;
    }
}

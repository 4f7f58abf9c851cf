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
        return state == MigrationState::Applied || state == MigrationState::ChecksumMismatch || state == MigrationState::Baseline
               || state == MigrationState::MissingFile;
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
            o[u"applied_at"_s] =
                row->installedOn.isValid() ? QJsonValue(row->installedOn.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
            // Unknown is null, never a made-up value (foreign histories often keep neither).
            o[u"applied_by"_s] =
                row->installedBy.isEmpty()
                    ? QJsonValue()
                    : QJsonValue(row->installedBy
                                 + (row->osUser.isEmpty() ? QString() : u" ("_s + row->osUser + u'@' + row->clientHost + u')'));
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
                out.append(
                    {name, e.state, e.mismatch,
                     u"%1 was applied but its file %2 changed since (%3)%4"_s.arg(
                         name, e.script, toString(e.mismatch), e.row && !e.row->note.isEmpty() ? u"; "_s + e.row->note : QString())});
                break;
            case MigrationState::MissingFile:
                if (!e.acknowledgedMissing)
                    out.append({name, e.state, MismatchKind::None, u"%1 (%2) was applied but its file is missing"_s.arg(name, e.script)});
                break;
            case MigrationState::Failed:
                out.append({name, e.state, MismatchKind::None, u"%1 failed: %2"_s.arg(name, e.row ? e.row->error : QString())});
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
                out.append(
                    {name, e.state, MismatchKind::None,
                     u"%1 (%2): index %3 is INVALID (pg_index.indisvalid = false): an interrupted CREATE INDEX CONCURRENTLY "
                     u"left it, and queries do not use it. Run 'dbops repair' to drop it so that the migration builds it again"_s.arg(
                         name, e.script, index)});
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

    namespace
    {
        /// The rows that decide each version's state: the latest migration/undo row; DELETE rows
        /// acknowledge a missing file; the latest baseline row sets the baseline.
        struct HistoryIndex
        {
            std::map<Version, HistoryRow> latest;
            std::map<Version, bool> acknowledged;
            std::map<QString, HistoryRow> repeatables;
            std::map<Version, QString> markedWhy; // repair --mark-applied: the REPAIR row that says why
            Version baseline;
            QString baselineText;
            Version upTo; // golang-migrate: everything up to this version is applied
            Version highestApplied;
        };

        HistoryIndex indexHistory(const QList<HistoryRow> &rows)
        {
            HistoryIndex h;
            for (const HistoryRow &row : rows)
            {
                switch (row.type)
                {
                case HistoryRow::Type::Migration:
                case HistoryRow::Type::Undo:
                    h.latest[Version(row.version)] = row;
                    h.acknowledged.erase(Version(row.version));
                    break;
                case HistoryRow::Type::Deleted:
                    h.acknowledged[Version(row.version)] = true;
                    break;
                case HistoryRow::Type::Baseline:
                    h.baseline = Version(row.version);
                    h.baselineText = row.version;
                    h.latest.try_emplace(Version(row.version), row);
                    break;
                case HistoryRow::Type::Repeatable:
                    h.repeatables[row.description.toLower()] = row;
                    break;
                case HistoryRow::Type::UpTo:
                    h.upTo = Version(row.version);
                    h.latest[Version(row.version)] = row;
                    break;
                case HistoryRow::Type::Repair:
                    if (!row.version.isEmpty())
                        h.markedWhy[Version(row.version)] = row.description;
                    break;
                case HistoryRow::Type::Other:
                    break;
                }
            }
            h.highestApplied = h.baseline;
            for (const auto &[v, row] : h.latest)
                if ((row.type == HistoryRow::Type::Migration && row.success) || row.type == HistoryRow::Type::Baseline
                    || (row.type == HistoryRow::Type::UpTo && row.success))
                    if (h.highestApplied < v)
                        h.highestApplied = v;
            return h;
        }

        /// A repeatable migration: applied while its checksum matches the row of its last run.
        void stateOfRepeatable(TimelineEntry &e, const Migration &m, const HistoryIndex &h, const HistoryAdapter &history)
        {
            auto it = h.repeatables.find(m.description.toLower());
            if (it == h.repeatables.end())
            {
                e.state = MigrationState::Pending;
                return;
            }
            e.row = it->second;
            e.state = history.checksum(m.up) == it->second.checksum ? MigrationState::Applied : MigrationState::Pending;
            if (e.state == MigrationState::Pending)
                e.note = u"changed since it last ran: will run again"_s;
        }

        /// A versioned migration that has a (non-undo) history row.
        void stateFromRow(TimelineEntry &e, const Migration &m, const HistoryRow &row, const HistoryIndex &h, const HistoryAdapter &history)
        {
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
                    m.up.bytes, row.checksum,
                    [&](const QByteArray &b) {
                        MigrationScript s;
                        s.bytes = b;
                        s.checksum = sha256(b);
                        return history.checksum(s);
                    },
                    row.appliedSql);
            }
            if (row.markedByHand && row.success)
            {
                const auto why = h.markedWhy.find(m.version);
                e.note = u"marked by hand by %1 (%2@%3) on %4%5"_s.arg(
                    row.installedBy, row.osUser, row.clientHost, row.installedOn.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s),
                    why == h.markedWhy.end() ? QString() : u": "_s + why->second.section(u": "_s, 1));
            }
        }

        /// The entry of one migration file.
        TimelineEntry entryForFile(const MigrationSet &set, int i, const HistoryIndex &h, const HistoryAdapter &history)
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
                stateOfRepeatable(e, m, h, history);
                return e;
            }
            auto it = h.latest.find(m.version);
            if (it != h.latest.end() && it->second.type != HistoryRow::Type::Undo)
                stateFromRow(e, m, it->second, h, history);
            else if (!h.baseline.isEmpty() && !(h.baseline < m.version))
                e.state = MigrationState::Baseline;
            else if (!h.upTo.isEmpty() && m.version < h.upTo)
            {
                e.state = MigrationState::Applied;
                e.note = u"applied: the %1 history keeps only the current version"_s.arg(history.format());
            }
            else if (!h.highestApplied.isEmpty() && m.version < h.highestApplied)
                e.state = MigrationState::OutOfOrder;
            else
            {
                e.state = MigrationState::Pending;
                if (it != h.latest.end())
                    e.note = u"reverted by a down migration"_s;
            }
            return e;
        }

        /// Applied versions whose file is gone (and baselines below the files).
        void addRowsWithoutFile(Timeline &t, const HistoryIndex &h, const std::map<Version, bool> &hasFile)
        {
            for (const auto &[v, row] : h.latest)
            {
                if (hasFile.count(v) || row.type == HistoryRow::Type::Undo || (!row.success && !row.dirty))
                    continue;
                TimelineEntry e;
                e.version = row.version;
                e.description = row.description;
                e.script = row.script;
                e.row = row;
                if (row.type == HistoryRow::Type::Baseline)
                    e.state = MigrationState::Baseline;
                else
                {
                    e.state = MigrationState::MissingFile;
                    e.acknowledgedMissing = h.acknowledged.count(v) > 0;
                    if (e.acknowledgedMissing)
                        e.note = u"acknowledged by repair"_s;
                }
                t.entries << e;
            }
        }

        /// Versioned in version order, repeatables last by name; the current version is the last applied.
        void sortAndSetCurrent(Timeline &t)
        {
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
        }

        /// What the history cannot vouch for is said, not passed off as valid.
        void noteUnchecked(Timeline &t, const HistoryAdapter &history)
        {
            for (TimelineEntry &e : t.entries)
            {
                if (e.repeatable || e.migrationIndex < 0
                    || (e.state != MigrationState::Applied && e.state != MigrationState::ChecksumMismatch))
                    continue;
                if (e.row && !e.row->note.isEmpty())
                    e.note = e.note.isEmpty() ? e.row->note : e.note + u"; "_s + e.row->note;
                const bool noChecksum =
                    !history.keepsChecksums() || (e.row && e.row->type == HistoryRow::Type::Migration && e.row->checksum.isEmpty());
                if (e.state == MigrationState::Applied && noChecksum)
                {
                    t.unchecked << e.version;
                    if (history.keepsChecksums())
                        e.note = e.note.isEmpty() ? u"no checksum: edits to its file cannot be detected"_s
                                                  : e.note + u"; no checksum: edits to its file cannot be detected"_s;
                }
            }
            if (!t.unchecked.isEmpty())
                t.warnings
                    << (history.keepsChecksums()
                            ? u"%1 applied migration(s) have no checksum in the %2 history, so edits to their files cannot be detected: %3"_s
                                  .arg(t.unchecked.size())
                                  .arg(history.table(), t.unchecked.join(u", "_s))
                            : u"the %1 history %2 keeps no checksums, so edits to the files of its %3 applied migration(s) cannot be "
                              u"detected "
                              u"('dbops adopt --record-checksums' records them from now on)"_s.arg(history.format(), history.table())
                                  .arg(t.unchecked.size()));
        }
    }

    Timeline buildTimeline(const MigrationSet &set, const QList<HistoryRow> &rows, const HistoryAdapter &history)
    {
        Timeline t;
        t.historyFormat = history.format();
        t.historyTable = history.table();
        const HistoryIndex h = indexHistory(rows);
        t.baselineVersion = h.baselineText;
        std::map<Version, bool> hasFile;
        for (int i = 0; i < set.migrations.size(); ++i)
        {
            t.entries << entryForFile(set, i, h, history);
            if (!set.migrations[i].isRepeatable())
                hasFile[set.migrations[i].version] = true;
        }
        addRowsWithoutFile(t, h, hasFile);
        sortAndSetCurrent(t);
        noteUnchecked(t, history);
        return t;
    }
}

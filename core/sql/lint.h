#pragma once

#include "core/sql/sqlsplitter.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace dbops
{
    enum class LintSeverity
    {
        Error,
        Warning,
        Info
    };

    QString toString(LintSeverity severity); ///< "error", "warning", "info"

    /// One rule: its id (squawk's name where squawk has the same rule, so that a team moving from
    /// squawk keeps its ignore lists), its default severity and what it guards against.
    struct LintRule
    {
        QString id;
        LintSeverity severity = LintSeverity::Warning;
        QString summary;
        /// How the live table decides the severity, when the lint knows the target's tables: BySize
        /// (a new or empty table: info; up to 1 GB: warning; larger: error), ByRows (a new or
        /// empty table: info; otherwise the rule's own severity), None (the rule's own).
        enum class Grade
        {
            None,
            BySize,
            ByRows
        } grade = Grade::None;
    };

    /// Every rule, in the order findings of one statement are listed.
    const QList<LintRule> &lintRules();
    const LintRule *findLintRule(const QString &id);

    /// What the lint knows of a live table (from the target's catalog).
    struct LintTableFacts
    {
        qint64 bytes = 0; ///< pg_total_relation_size
        qint64 rows = 0;  ///< reltuples, as estimated
    };

    /// One thing a rule found in a statement: where, the risk in one sentence, the safe rewrite.
    struct LintFinding
    {
        QString rule;
        LintSeverity severity = LintSeverity::Warning;
        QString file;      ///< the file's name (or the label of a script)
        int statement = 0; ///< 1-based statement number in the file; 0 for the file as a whole
        int line = 0;
        int column = 0;
        QString object; ///< the table, column, index or type the finding is about
        QString risk;   ///< one sentence: what can go wrong
        QString fix;    ///< the safe rewrite
        QString statementText;
        QString sizeNote;       ///< "public.orders: 52 GB, ~1,200,000,000 rows" when the size decided the severity
        QString ignoredBecause; ///< non-empty: suppressed by a `-- dbops:lint-ignore` comment with this reason

        bool ignored() const { return !ignoredBecause.isEmpty(); }
        /// "0003_orders.sql:12:1: error [require-concurrent-index-creation] … Fix: …"
        QString toText() const;
        QJsonObject toJson() const;
    };

    struct LintOptions
    {
        /// The file runs in one transaction (a dbops migration without `-- dbops:no-transaction`).
        bool inTransaction = true;
        /// The run itself sets lock_timeout / statement_timeout before each file (MigrationSettings).
        bool runSetsLockTimeout = false;
        bool runSetsStatementTimeout = false;
        /// Live tables by "schema.name" (unqualified names are looked up in public): with them,
        /// size-aware rules grade by size and a table absent from the target counts as new.
        std::optional<QHash<QString, LintTableFacts>> tables;
        /// Tables created by files linted before this one (pending migrations of one plan): new,
        /// so locking them harms nobody.
        QSet<QString> createdEarlier;
    };

    /// One script to lint: its statements as the splitter made them.
    struct LintInput
    {
        QString file;
        QString sql;
        QList<SqlStatement> statements;
    };

    struct LintResult
    {
        QList<LintFinding> findings; ///< ignored findings included (ignored() tells)
        QSet<QString> createdTables; ///< tables the script creates ("schema.name", public when unqualified)

        int count(LintSeverity severity, bool includeIgnored = false) const;
    };

    /// Lints one script with libpg_query's parse tree (never text matching). `-- dbops:lint-ignore
    /// RULE[,RULE] reason` on the lines before a statement (or at its line's end) suppresses those
    /// rules for it and records the reason; `-- dbops:lint-ignore-file RULE reason` for the whole
    /// file. An ignore without a reason or naming no known rule suppresses nothing and is a finding
    /// itself. Thread-safe; no I/O.
    LintResult lintScript(const LintInput &input, const LintOptions &options = {});
}

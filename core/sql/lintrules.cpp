// The lint's rule table: every rule's id, default severity and what it guards against. The
// checks themselves are in lint.cpp.

#include "core/sql/lint.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    QString toString(LintSeverity severity)
    {
        switch (severity)
        {
        case LintSeverity::Error:
            return u"error"_s;
        case LintSeverity::Warning:
            return u"warning"_s;
        case LintSeverity::Info:
            return u"info"_s;
        }
        return {};
    }

    const QList<LintRule> &lintRules()
    {
        using S = LintSeverity;
        using G = LintRule::Grade;
        static const QList<LintRule> rules{
            // Locks that block reads or writes of an existing table while work proportional to its size runs.
            {u"require-concurrent-index-creation"_s, S::Warning, u"CREATE INDEX without CONCURRENTLY blocks writes for the whole build"_s,
             G::BySize},
            {u"require-concurrent-index-deletion"_s, S::Warning, u"DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table"_s,
             G::None},
            {u"require-concurrent-reindex"_s, S::Warning, u"REINDEX without CONCURRENTLY blocks writes (and reads that use the index)"_s,
             G::BySize},
            {u"require-concurrent-partition-detach"_s, S::Warning,
             u"DETACH PARTITION without CONCURRENTLY takes ACCESS EXCLUSIVE on the parent"_s, G::BySize},
            {u"ban-concurrent-index-creation-in-transaction"_s, S::Error, u"CONCURRENTLY cannot run inside a transaction block"_s, G::None},
            {u"changing-column-type"_s, S::Error, u"ALTER COLUMN TYPE rewrites the table and its indexes under ACCESS EXCLUSIVE"_s,
             G::BySize},
            {u"adding-not-nullable-field"_s, S::Warning, u"SET NOT NULL scans the whole table under ACCESS EXCLUSIVE"_s, G::BySize},
            {u"adding-foreign-key-constraint"_s, S::Warning, u"a foreign key without NOT VALID scans the table and locks both tables"_s,
             G::BySize},
            {u"constraint-missing-not-valid"_s, S::Warning,
             u"a constraint without NOT VALID is validated under a lock that blocks writes"_s, G::BySize},
            {u"disallowed-unique-constraint"_s, S::Warning, u"ADD UNIQUE builds its index under ACCESS EXCLUSIVE"_s, G::BySize},
            {u"adding-serial-primary-key-field"_s, S::Warning,
             u"ADD PRIMARY KEY builds its index (and may scan for NULLs) under ACCESS EXCLUSIVE"_s, G::BySize},
            {u"changing-primary-key"_s, S::Warning, u"replacing a primary key drops and rebuilds it; every foreign key on it must follow"_s,
             G::BySize},
            {u"adding-field-with-default"_s, S::Warning, u"a volatile default or a stored generated column rewrites the whole table"_s,
             G::BySize},
            {u"adding-serial-column"_s, S::Warning, u"adding a serial or identity column fills every row: a full rewrite"_s, G::BySize},
            {u"adding-required-field"_s, S::Error, u"ADD COLUMN … NOT NULL without a default fails on a table that has rows"_s, G::ByRows},
            {u"vacuum-full"_s, S::Error, u"VACUUM FULL rewrites the table under ACCESS EXCLUSIVE"_s, G::BySize},
            {u"cluster"_s, S::Error, u"CLUSTER rewrites the table under ACCESS EXCLUSIVE"_s, G::BySize},
            {u"require-lock-timeout"_s, S::Warning,
             u"locking DDL without lock_timeout queues behind a long transaction and blocks everyone behind it"_s, G::None},
            {u"require-statement-timeout"_s, S::Info, u"a statement without statement_timeout can hold its lock for as long as it runs"_s,
             G::None},
            // Data that goes away.
            {u"ban-drop-table"_s, S::Error, u"DROP TABLE destroys the table and its data"_s, G::ByRows},
            {u"ban-drop-column"_s, S::Error, u"DROP COLUMN destroys the column's data and breaks code that reads it"_s, G::ByRows},
            {u"ban-truncate"_s, S::Error, u"TRUNCATE deletes every row"_s, G::ByRows},
            {u"ban-truncate-cascade"_s, S::Error, u"TRUNCATE … CASCADE also empties every table with a foreign key to it"_s, G::None},
            {u"ban-drop-schema-cascade"_s, S::Error, u"DROP SCHEMA … CASCADE drops every object in the schema"_s, G::None},
            {u"ban-drop-database"_s, S::Error, u"DROP DATABASE destroys a whole database"_s, G::None},
            {u"dml-without-where"_s, S::Error, u"UPDATE or DELETE without WHERE touches every row"_s, G::ByRows},
            {u"data-change-with-ddl"_s, S::Warning,
             u"a data change in the same transaction as DDL holds the DDL's locks for as long as it runs"_s, G::BySize},
            // Changes that break running code.
            {u"renaming-column"_s, S::Warning, u"renaming a column breaks every running client that uses the old name"_s, G::None},
            {u"renaming-table"_s, S::Warning, u"renaming a table breaks every running client that uses the old name"_s, G::None},
            {u"ban-drop-not-null"_s, S::Warning, u"dropping NOT NULL lets NULLs in that existing code may not expect"_s, G::None},
            // Transactions.
            {u"enum-value-used-in-transaction"_s, S::Error,
             u"a value added with ALTER TYPE … ADD VALUE cannot be used before its transaction commits"_s, G::None},
            {u"transaction-nesting"_s, S::Error, u"BEGIN/COMMIT inside a file dbops already runs in a transaction"_s, G::None},
            {u"ban-uncommitted-transaction"_s, S::Error, u"a BEGIN without COMMIT leaves the transaction open"_s, G::None},
            {u"prefer-robust-stmts"_s, S::Warning, u"a statement outside a transaction that cannot be re-run after a partial failure"_s,
             G::None},
            {u"ban-duplicate-column-assignments"_s, S::Error, u"UPDATE assigns the same column twice (the statement fails)"_s, G::None},
            // Types and names (schema hygiene).
            {u"require-enum-value-ordering"_s, S::Info, u"ADD VALUE without BEFORE/AFTER puts the value last"_s, G::None},
            {u"ban-create-domain-with-constraint"_s, S::Warning,
             u"a domain's constraint is checked on every column of the domain at once"_s, G::None},
            {u"ban-alter-domain-with-add-constraint"_s, S::Warning, u"ALTER DOMAIN … ADD CONSTRAINT scans every column of the domain"_s,
             G::None},
            {u"prefer-bigint-over-int"_s, S::Info, u"a 32-bit integer key runs out at 2,147,483,647"_s, G::None},
            {u"prefer-bigint-over-smallint"_s, S::Info, u"a 16-bit integer runs out at 32,767"_s, G::None},
            {u"prefer-identity"_s, S::Info, u"serial types make ownership and permissions of the sequence awkward"_s, G::None},
            {u"prefer-text-field"_s, S::Info, u"changing a varchar's length later takes ACCESS EXCLUSIVE"_s, G::None},
            {u"prefer-timestamptz"_s, S::Info, u"timestamp without time zone loses the offset of every value"_s, G::None},
            {u"ban-char-field"_s, S::Info, u"char(n) pads with spaces and compares surprisingly"_s, G::None},
            {u"identifier-too-long"_s, S::Warning, u"PostgreSQL truncates identifiers longer than 63 bytes"_s, G::None},
            // The lint's own comments.
            {u"lint-ignore-without-reason"_s, S::Warning, u"a dbops:lint-ignore comment must give its reason"_s, G::None},
            {u"lint-ignore-unknown-rule"_s, S::Warning, u"a dbops:lint-ignore comment names a rule that does not exist"_s, G::None},
            {u"unused-ignore"_s, S::Info, u"a dbops:lint-ignore comment suppresses nothing"_s, G::None},
        };
        return rules;
    }

    const LintRule *findLintRule(const QString &id)
    {
        for (const LintRule &r : lintRules())
            if (r.id == id)
                return &r;
        return nullptr;
    }
}

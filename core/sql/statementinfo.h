#pragma once

#include <QString>

#include <optional>

namespace dbops
{
    /// What the parse tree of one statement says, for the checks the migration engine makes.
    struct StatementInfo
    {
        bool parsed = false; ///< false when the text is not one statement PostgreSQL 15 parses
        /// The statement controls the transaction (a TransactionStmt: BEGIN, START TRANSACTION,
        /// COMMIT/END, ROLLBACK/ABORT, SAVEPOINT, RELEASE, ROLLBACK TO, PREPARE TRANSACTION,
        /// COMMIT/ROLLBACK PREPARED; or SET TRANSACTION / SET SESSION CHARACTERISTICS AS TRANSACTION):
        /// its canonical keyword(s), e.g. "COMMIT" for END. Empty otherwise.
        QString transactionControl;

        /// CREATE INDEX: the index it names and the relation's schema as written (empty: the
        /// search path decides). Unset for other statements and for an unnamed index.
        struct CreatedIndex
        {
            QString schema;
            QString name;
            QString table;
            bool concurrently = false;
            bool ifNotExists = false;
        };
        std::optional<CreatedIndex> createdIndex;
    };

    /// Parses one statement with libpg_query (the PostgreSQL 15 parser) and reads its tree: never
    /// text matching. Thread-safe.
    StatementInfo analyzeStatement(const QString &statement);
}

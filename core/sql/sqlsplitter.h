#pragma once

#include "core/error.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dbops
{
    /// One statement of a script, as PostgreSQL's own parser (libpg_query) delimits it.
    struct SqlStatement
    {
        QString text;   ///< the statement without its terminating semicolon
        int index = 0;  ///< 0-based position in the script
        int line = 1;   ///< 1-based line of the statement's first token in the script
        int column = 1; ///< 1-based column of that token
    };

    /// Splits a script into statements with the real PostgreSQL 15 parser: dollar quotes, BEGIN
    /// ATOMIC bodies, comments and strings are handled as the server would. A syntax error is
    /// BadInput with "file:line:column" in Error::context and the parser's message. Thread-safe.
    Expected<QList<SqlStatement>> splitStatements(const QString &sql, const QString &fileName = {});

    /// libpg_query's fingerprint of one statement: equal for statements that differ only in
    /// whitespace, comments and letter case of keywords. Empty when it does not parse.
    QString fingerprint(const QString &statement);

    /// A digest of the script's parse tree with every source location removed: equal exactly when
    /// two scripts differ only in whitespace, comments and line endings. Unlike fingerprint() it
    /// keeps literal values, so `VALUES (1)` and `VALUES (2)` differ. Empty when it does not parse.
    QByteArray normalizedDigest(const QString &sql);

    /// 1-based line and column of a character offset in text.
    void lineColumnAt(const QString &text, int offset, int *line, int *column);
}

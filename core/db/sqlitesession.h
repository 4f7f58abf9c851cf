#pragma once

#include "core/db/queryresult.h"
#include "core/error.h"

#include <QString>
#include <QVariantList>

#include <memory>

namespace dbops
{
    /// A SQLite database (a local target, e.g. seed 003's local SQLite) through QtSql, with the
    /// same read interface as PgConnection: exec() returns a QueryResult and throws dbops::Exception.
    /// Thread affinity: like every QSqlDatabase, used only on the thread that opened it.
    class SqliteSession final
    {
    public:
        ~SqliteSession();
        SqliteSession(const SqliteSession &) = delete;
        SqliteSession &operator=(const SqliteSession &) = delete;

        /// Opens an existing file (readOnly) or creates it. A missing file with readOnly, or a
        /// file that is not a SQLite database, is BadInput naming the path.
        static std::unique_ptr<SqliteSession> open(const QString &path, bool readOnly = false);

        QueryResult exec(const QString &sql, const QVariantList &params = {});
        QString path() const { return m_path; }
        QString sqliteVersion();

    private:
        SqliteSession(QString path, QString connectionName);
        QString m_path;
        QString m_connectionName;
    };
}

#include "core/db/sqlitesession.h"

#include "core/db/threadguard.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUuid>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    SqliteSession::SqliteSession(QString path, QString connectionName)
        : m_path(std::move(path))
        , m_connectionName(std::move(connectionName))
    {
    }

    SqliteSession::~SqliteSession()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_connectionName);
    }

    std::unique_ptr<SqliteSession> SqliteSession::open(const QString &path, bool readOnly)
    {
        noteStoreCall("SqliteSession::open");
        const QFileInfo info(path);
        if (readOnly && !info.exists())
            throw Exception(ErrorCode::BadInput, u"SQLite file does not exist: "_s + path);
        if (info.exists() && info.size() > 0)
        {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                throw Exception(ErrorCode::BadInput, u"cannot read SQLite file: "_s + path);
            if (!f.read(16).startsWith("SQLite format 3"))
                throw Exception(ErrorCode::BadInput, u"not a SQLite database: "_s + path);
        }
        const QString name = u"dbops-sqlite-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(path);
            if (readOnly)
                db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
            if (!db.open())
            {
                const QString why = db.lastError().text();
                db = QSqlDatabase();
                QSqlDatabase::removeDatabase(name);
                throw Exception(ErrorCode::BadInput, u"cannot open SQLite file "_s + path + u": "_s + why);
            }
        }
        return std::unique_ptr<SqliteSession>(new SqliteSession(path, name));
    }

    QueryResult SqliteSession::exec(const QString &sql, const QVariantList &params)
    {
        noteStoreCall("SqliteSession::exec");
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.prepare(sql))
            throw Exception(ErrorCode::OperationFailed, q.lastError().text(), m_path);
        for (const QVariant &p : params)
            q.addBindValue(p);
        if (!q.exec())
            throw Exception(ErrorCode::OperationFailed, q.lastError().text(), m_path);
        QueryResult out;
        const QSqlRecord rec = q.record();
        for (int c = 0; c < rec.count(); ++c)
        {
            out.columns << rec.fieldName(c);
            out.typeOids << 0;
        }
        out.indexColumns();
        while (q.next())
        {
            QList<QVariant> row;
            for (int c = 0; c < rec.count(); ++c)
                row << (q.isNull(c) ? QVariant() : q.value(c));
            out.rows << std::move(row);
        }
        out.affectedRows = q.numRowsAffected();
        return out;
    }

    QString SqliteSession::sqliteVersion()
    {
        return exec(u"select sqlite_version()"_s).value(0, 0).toString();
    }
}

#include "core/sql/statementinfo.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/sql/parsetree.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString transactionKeyword(const QString &kind)
        {
            static const QHash<QString, QString> words{
                {u"TRANS_STMT_BEGIN"_s, u"BEGIN"_s},
                {u"TRANS_STMT_START"_s, u"START TRANSACTION"_s},
                {u"TRANS_STMT_COMMIT"_s, u"COMMIT"_s},
                {u"TRANS_STMT_ROLLBACK"_s, u"ROLLBACK"_s},
                {u"TRANS_STMT_SAVEPOINT"_s, u"SAVEPOINT"_s},
                {u"TRANS_STMT_RELEASE"_s, u"RELEASE SAVEPOINT"_s},
                {u"TRANS_STMT_ROLLBACK_TO"_s, u"ROLLBACK TO SAVEPOINT"_s},
                {u"TRANS_STMT_PREPARE"_s, u"PREPARE TRANSACTION"_s},
                {u"TRANS_STMT_COMMIT_PREPARED"_s, u"COMMIT PREPARED"_s},
                {u"TRANS_STMT_ROLLBACK_PREPARED"_s, u"ROLLBACK PREPARED"_s},
            };
            return words.value(kind, u"transaction control"_s);
        }
    }

    StatementInfo analyzeStatement(const QString &statement)
    {
        StatementInfo info;
        const std::optional<QJsonArray> stmts = parseStatements(statement);
        if (!stmts || stmts->size() != 1)
            return info;
        info.parsed = true;
        const QJsonObject stmt = stmts->first().toObject();
        if (const QJsonValue t = stmt.value(u"TransactionStmt"_s); t.isObject())
            info.transactionControl = transactionKeyword(t.toObject().value(u"kind"_s).toString());
        else if (const QJsonValue v = stmt.value(u"VariableSetStmt"_s); v.isObject())
        {
            // SET TRANSACTION ..., SET TRANSACTION SNAPSHOT, SET SESSION CHARACTERISTICS AS TRANSACTION.
            const QString name = v.toObject().value(u"name"_s).toString();
            if (name == u"TRANSACTION"_s || name == u"TRANSACTION SNAPSHOT"_s)
                info.transactionControl = u"SET "_s + name;
            else if (name == u"SESSION CHARACTERISTICS"_s)
                info.transactionControl = u"SET SESSION CHARACTERISTICS AS TRANSACTION"_s;
        }
        else if (const QJsonValue i = stmt.value(u"IndexStmt"_s); i.isObject())
        {
            const QJsonObject o = i.toObject();
            const QString name = o.value(u"idxname"_s).toString();
            if (!name.isEmpty())
            {
                const QJsonObject rel = o.value(u"relation"_s).toObject();
                info.createdIndex =
                    StatementInfo::CreatedIndex{rel.value(u"schemaname"_s).toString(), name, rel.value(u"relname"_s).toString(),
                                                o.value(u"concurrent"_s).toBool(), o.value(u"if_not_exists"_s).toBool()};
            }
        }
        return info;
    }
}

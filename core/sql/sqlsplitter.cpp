#include "core/sql/sqlsplitter.h"

#include "core/sql/parsetree.h"

#include <QCryptographicHash>
#include <QRegularExpression>

#include <pg_query.h>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        struct SplitGuard
        {
            PgQuerySplitResult r;
            ~SplitGuard() { pg_query_free_split_result(r); }
        };
        struct FingerprintGuard
        {
            PgQueryFingerprintResult r;
            ~FingerprintGuard() { pg_query_free_fingerprint_result(r); }
        };

        /// Skips whitespace and comments from byte `pos`; returns the first byte of a token.
        qsizetype skipTrivia(const QByteArray &s, qsizetype pos, qsizetype end)
        {
            while (pos < end)
            {
                const char c = s[pos];
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
                    ++pos;
                else if (c == '-' && pos + 1 < end && s[pos + 1] == '-')
                {
                    while (pos < end && s[pos] != '\n')
                        ++pos;
                }
                else if (c == '/' && pos + 1 < end && s[pos + 1] == '*')
                {
                    int depth = 1; // PostgreSQL block comments nest
                    pos += 2;
                    while (pos < end && depth > 0)
                    {
                        if (s[pos] == '/' && pos + 1 < end && s[pos + 1] == '*')
                            ++depth, pos += 2;
                        else if (s[pos] == '*' && pos + 1 < end && s[pos + 1] == '/')
                            --depth, pos += 2;
                        else
                            ++pos;
                    }
                }
                else
                    break;
            }
            return pos;
        }
    }

    void lineColumnAt(const QString &text, int offset, int *line, int *column)
    {
        int l = 1, c = 1;
        const int end = std::min<int>(offset, int(text.size()));
        for (int i = 0; i < end; ++i)
        {
            if (text[i] == u'\n')
                ++l, c = 1;
            else
                ++c;
        }
        *line = l;
        *column = c;
    }

    Expected<QList<SqlStatement>> splitStatements(const QString &sql, const QString &fileName)
    {
        const QByteArray utf8 = sql.toUtf8();
        SplitGuard split{pg_query_split_with_parser(utf8.constData())};
        if (split.r.error)
        {
            // cursorpos is a 1-based character position in the script.
            int line = 1, column = 1;
            lineColumnAt(sql, std::max(0, split.r.error->cursorpos - 1), &line, &column);
            Error e = Error::make(ErrorCode::BadInput, QString::fromUtf8(split.r.error->message));
            e.position = split.r.error->cursorpos;
            e.context = (fileName.isEmpty() ? u"<sql>"_s : fileName) + u":%1:%2"_s.arg(line).arg(column);
            return std::unexpected(e);
        }
        QList<SqlStatement> out;
        out.reserve(split.r.n_stmts);
        // Byte offsets -> character offsets, walking forward once.
        qsizetype bytePos = 0;
        int charPos = 0, line = 1, column = 1;
        const auto advanceTo = [&](qsizetype target) {
            while (bytePos < target)
            {
                const uchar b = uchar(utf8[bytePos]);
                if (b == '\n')
                    ++line, column = 1;
                else if ((b & 0xC0) != 0x80)
                    ++column;
                if ((b & 0xC0) != 0x80)
                    charPos += (b >= 0xF0) ? 2 : 1; // 4-byte UTF-8 is a surrogate pair in QString
                ++bytePos;
            }
        };
        for (int i = 0; i < split.r.n_stmts; ++i)
        {
            const qsizetype start = split.r.stmts[i]->stmt_location;
            const qsizetype end = start + split.r.stmts[i]->stmt_len;
            const qsizetype token = skipTrivia(utf8, start, end);
            if (token >= end)
                continue; // only comments
            advanceTo(token);
            SqlStatement st;
            st.index = int(out.size());
            st.line = line;
            st.column = column;
            st.text = QString::fromUtf8(utf8.constData() + token, end - token).trimmed();
            out << st;
        }
        return out;
    }

    QString fingerprint(const QString &statement)
    {
        const QByteArray utf8 = statement.toUtf8();
        FingerprintGuard fp{pg_query_fingerprint(utf8.constData())};
        if (fp.r.error || !fp.r.fingerprint_str)
            return {};
        return QString::fromLatin1(fp.r.fingerprint_str);
    }

    QByteArray normalizedDigest(const QString &sql)
    {
        const QByteArray tree = parseTreeJson(sql);
        if (tree.isEmpty())
            return {};
        static const QRegularExpression locations(u"\"(?:location|stmt_location|stmt_len)\":-?\\d+,?"_s);
        QString normalized = QString::fromUtf8(tree);
        normalized.remove(locations);
        return QCryptographicHash::hash(normalized.toUtf8(), QCryptographicHash::Sha256);
    }
}

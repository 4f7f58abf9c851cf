#include "ui/widgets/sqlhighlighter.h"

#include <QColor>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QSet<QString> wordSet(const QString &words)
        {
            QSet<QString> out;
            for (const QString &w : words.split(u' ', Qt::SkipEmptyParts))
                out.insert(w);
            return out;
        }

        QTextCharFormat makeFormat(const char *color, bool bold = false, bool italic = false)
        {
            QTextCharFormat f;
            f.setForeground(QColor(QLatin1StringView(color)));
            if (bold)
                f.setFontWeight(QFont::DemiBold);
            f.setFontItalic(italic);
            return f;
        }
    }

    SqlHighlighter::SqlHighlighter(QTextDocument *document)
        : QSyntaxHighlighter(document)
        , m_wordRe(u"[A-Za-z_\\x{80}-\\x{10FFFF}][A-Za-z0-9_$\\x{80}-\\x{10FFFF}]*"_s)
        , m_numberRe(u"(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?"_s)
        , m_dollarRe(u"\\$(?:[A-Za-z_][A-Za-z0-9_]*)?\\$|\\$\\d+"_s)
    {
        m_keywords = wordSet(u"ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND ANY ARRAY AS ASC BEFORE BEGIN BETWEEN BY CACHE "
                             u"CALL CASCADE CASE CAST CHECK COLLATE COLUMN COMMENT COMMIT CONCURRENTLY CONFLICT CONSTRAINT "
                             u"CONSTRAINTS COPY CREATE CROSS CURRENT_DATE CURRENT_TIMESTAMP CURRENT_USER CYCLE DATABASE DECLARE "
                             u"DEFAULT DEFERRABLE DEFERRED DELETE DESC DISTINCT DO DOMAIN DROP EACH ELSE ELSIF END ENUM ESCAPE "
                             u"EXCEPT EXCEPTION EXCLUDE EXECUTE EXISTS EXTENSION FALSE FETCH FILTER FIRST FOR FOREIGN FROM FULL "
                             u"FUNCTION GENERATED GRANT GROUP HAVING IDENTITY IF ILIKE IMMEDIATE IN INCLUDE INCREMENT INDEX "
                             u"INHERITS INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS JOIN KEY LANGUAGE LAST LATERAL LEFT LIKE "
                             u"LIMIT LOCAL LOCK LOOP MATERIALIZED MAXVALUE MINVALUE NO NOT NOTHING NOTICE NOWAIT NULL NULLS OF "
                             u"OFFSET ON ONLY OPTIONS OR ORDER OUTER OVER OWNED OWNER PARTITION PERFORM POLICY PRIMARY "
                             u"PROCEDURE PUBLICATION RAISE RANGE RECURSIVE REFERENCES REFRESH RENAME REPLACE RESTRICT RETURN "
                             u"RETURNING RETURNS REVOKE RIGHT ROLE ROLLBACK ROW ROWS RULE SAVEPOINT SCHEMA SECURITY SELECT "
                             u"SEQUENCE SESSION SET SETOF SHARE SHOW SOME START STATEMENT STORED STRICT TABLE TABLESPACE TEMP "
                             u"TEMPORARY THEN TO TRIGGER TRUE TRUNCATE TYPE UNION UNIQUE UNLOGGED UPDATE USING VACUUM VALID "
                             u"VALIDATE VALUES VIEW VOLATILE STABLE IMMUTABLE WHEN WHERE WHILE WINDOW WITH WITHOUT ZONE"_s);
        m_types = wordSet(u"BIGINT BIGSERIAL BIT BOOL BOOLEAN BYTEA CHAR CHARACTER CIDR CITEXT DATE DATERANGE DECIMAL DOUBLE "
                          u"FLOAT FLOAT4 FLOAT8 INET INT INT2 INT4 INT8 INTEGER INTERVAL JSON JSONB MONEY NUMERIC OID PRECISION "
                          u"REAL REGCLASS SERIAL SMALLINT SMALLSERIAL TEXT TIME TIMESTAMP TIMESTAMPTZ TIMETZ TSQUERY TSRANGE "
                          u"TSTZRANGE TSVECTOR UUID VARCHAR VARYING VOID XML"_s);

        m_keyword = makeFormat("#1f4ea8", true);
        m_type = makeFormat("#7b3294");
        m_function = makeFormat("#00627a");
        m_string = makeFormat("#2f7d32");
        m_identifier = makeFormat("#8a4b08");
        m_dollar = makeFormat("#9c27b0", true);
        m_number = makeFormat("#1750eb");
        m_comment = makeFormat("#7c7c7c", false, true);
    }

    int SqlHighlighter::highlightWord(const QString &text, int start)
    {
        const auto m = m_wordRe.match(text, start, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
        if (!m.hasMatch())
            return start + 1;
        const QString upper = m.captured().toUpper();
        const int end = int(m.capturedEnd());
        if (m_keywords.contains(upper))
            setFormat(start, end - start, m_keyword);
        else if (m_types.contains(upper))
            setFormat(start, end - start, m_type);
        else
        {
            int next = end;
            while (next < text.size() && text.at(next).isSpace())
                ++next;
            if (next < text.size() && text.at(next) == u'(')
                setFormat(start, end - start, m_function);
        }
        return end;
    }

    void SqlHighlighter::highlightBlock(const QString &text)
    {
        const int n = int(text.size());
        int i = 0;
        setCurrentBlockState(Normal);

        // Continue a block comment or a string from the previous line.
        const int previous = previousBlockState();
        if (previous == InBlockComment)
        {
            const int end = int(text.indexOf(u"*/"_s));
            if (end < 0)
            {
                setFormat(0, n, m_comment);
                setCurrentBlockState(InBlockComment);
                return;
            }
            setFormat(0, end + 2, m_comment);
            i = end + 2;
        }
        else if (previous == InString)
        {
            int j = 0;
            while (j < n)
            {
                if (text.at(j) == u'\'' && j + 1 < n && text.at(j + 1) == u'\'')
                    j += 2;
                else if (text.at(j) == u'\'')
                    break;
                else
                    ++j;
            }
            if (j >= n)
            {
                setFormat(0, n, m_string);
                setCurrentBlockState(InString);
                return;
            }
            setFormat(0, j + 1, m_string);
            i = j + 1;
        }

        while (i < n)
        {
            const QChar c = text.at(i);
            const QChar next = i + 1 < n ? text.at(i + 1) : QChar();
            if (c == u'-' && next == u'-')
            {
                setFormat(i, n - i, m_comment);
                return;
            }
            if (c == u'/' && next == u'*')
            {
                const int end = int(text.indexOf(u"*/"_s, i + 2));
                if (end < 0)
                {
                    setFormat(i, n - i, m_comment);
                    setCurrentBlockState(InBlockComment);
                    return;
                }
                setFormat(i, end + 2 - i, m_comment);
                i = end + 2;
                continue;
            }
            if (c == u'\'')
            {
                int j = i + 1;
                while (j < n)
                {
                    if (text.at(j) == u'\'' && j + 1 < n && text.at(j + 1) == u'\'')
                        j += 2;
                    else if (text.at(j) == u'\'')
                        break;
                    else
                        ++j;
                }
                if (j >= n)
                {
                    setFormat(i, n - i, m_string);
                    setCurrentBlockState(InString);
                    return;
                }
                setFormat(i, j + 1 - i, m_string);
                i = j + 1;
                continue;
            }
            if (c == u'"')
            {
                const int end = int(text.indexOf(u'"', i + 1));
                const int stop = end < 0 ? n : end + 1;
                setFormat(i, stop - i, m_identifier);
                i = stop;
                continue;
            }
            if (c == u'$')
            {
                const auto m = m_dollarRe.match(text, i, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
                if (m.hasMatch())
                {
                    setFormat(i, int(m.capturedLength()), m_dollar);
                    i = int(m.capturedEnd());
                    continue;
                }
                ++i;
                continue;
            }
            if (c.isDigit() || (c == u'.' && next.isDigit()))
            {
                const auto m = m_numberRe.match(text, i, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
                const int len = m.hasMatch() ? int(m.capturedLength()) : 1;
                setFormat(i, len, m_number);
                i += len;
                continue;
            }
            if (c.isLetter() || c == u'_')
            {
                i = highlightWord(text, i);
                continue;
            }
            ++i;
        }
    }
}

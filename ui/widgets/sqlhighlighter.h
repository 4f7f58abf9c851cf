#pragma once

#include <QRegularExpression>
#include <QSet>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace dbops
{
    /// PostgreSQL colouring for SQL views: keywords, type names, function calls, strings, quoted
    /// identifiers, dollar-quote delimiters, $n parameters, numbers, and -- and /* */ comments
    /// (block comments and strings may span lines). Reusable by any QTextDocument.
    class SqlHighlighter final : public QSyntaxHighlighter
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(SqlHighlighter)

    public:
        explicit SqlHighlighter(QTextDocument *document);

    protected:
        void highlightBlock(const QString &text) override;

    private:
        enum BlockState
        {
            Normal = 0,
            InBlockComment = 1,
            InString = 2
        };

        int highlightWord(const QString &text, int start);

        QSet<QString> m_keywords;
        QSet<QString> m_types;
        QRegularExpression m_wordRe;
        QRegularExpression m_numberRe;
        QRegularExpression m_dollarRe;
        QTextCharFormat m_keyword;
        QTextCharFormat m_type;
        QTextCharFormat m_function;
        QTextCharFormat m_string;
        QTextCharFormat m_identifier;
        QTextCharFormat m_dollar;
        QTextCharFormat m_number;
        QTextCharFormat m_comment;
    };
}

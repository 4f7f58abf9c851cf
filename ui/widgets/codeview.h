#pragma once

#include <QPlainTextEdit>

namespace dbops
{
    class LineNumberArea;

    /// A read-only source view: monospace, no wrapping, a line-number gutter and the current line
    /// marked. Attach a highlighter (e.g. SqlHighlighter) to document() for colours.
    class CodeView final : public QPlainTextEdit
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(CodeView)

    public:
        explicit CodeView(QWidget *parent = nullptr);

        /// Replaces the text and scrolls to the top.
        void setCode(const QString &text);
        int gutterWidth() const;
        /// Called by the gutter widget.
        void paintGutter(QPaintEvent *event);

    protected:
        void resizeEvent(QResizeEvent *event) override;

    private:
        void updateGutterWidth();
        void updateGutter(const QRect &rect, int dy);
        void markCurrentLine();

        LineNumberArea *m_gutter;
    };
}

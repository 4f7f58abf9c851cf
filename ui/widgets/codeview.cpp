#include "ui/widgets/codeview.h"

#include "ui/widgets/linenumberarea.h"

#include <QFontDatabase>
#include <QPaintEvent>
#include <QPainter>
#include <QTextBlock>

namespace dbops
{
    CodeView::CodeView(QWidget *parent)
        : QPlainTextEdit(parent)
        , m_gutter(new LineNumberArea(this))
    {
        setReadOnly(true);
        setLineWrapMode(QPlainTextEdit::NoWrap);
        setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        mono.setStyleHint(QFont::Monospace);
        setFont(mono);
        setTabStopDistance(4 * fontMetrics().horizontalAdvance(QLatin1Char(' ')));

        connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeView::updateGutterWidth);
        connect(this, &QPlainTextEdit::updateRequest, this, &CodeView::updateGutter);
        connect(this, &QPlainTextEdit::cursorPositionChanged, this, &CodeView::markCurrentLine);
        updateGutterWidth();
    }

    void CodeView::setCode(const QString &text)
    {
        setPlainText(text);
        moveCursor(QTextCursor::Start);
        ensureCursorVisible();
    }

    int CodeView::gutterWidth() const
    {
        int digits = 1;
        for (int max = qMax(1, blockCount()); max >= 10; max /= 10)
            ++digits;
        digits = qMax(digits, 3);
        return 16 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits;
    }

    void CodeView::updateGutterWidth()
    {
        setViewportMargins(gutterWidth(), 0, 0, 0);
    }

    void CodeView::updateGutter(const QRect &rect, int dy)
    {
        if (dy != 0)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
        if (rect.contains(viewport()->rect()))
            updateGutterWidth();
    }

    void CodeView::resizeEvent(QResizeEvent *event)
    {
        QPlainTextEdit::resizeEvent(event);
        const QRect cr = contentsRect();
        m_gutter->setGeometry(QRect(cr.left(), cr.top(), gutterWidth(), cr.height()));
    }

    void CodeView::markCurrentLine()
    {
        QTextEdit::ExtraSelection line;
        line.format.setBackground(palette().alternateBase());
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = textCursor();
        line.cursor.clearSelection();
        setExtraSelections({line});
        m_gutter->update();
    }

    void CodeView::paintGutter(QPaintEvent *event)
    {
        QPainter painter(m_gutter);
        const QColor background = palette().color(QPalette::Window);
        painter.fillRect(event->rect(), background);
        painter.setPen(palette().color(QPalette::Mid));
        painter.drawLine(m_gutter->width() - 1, event->rect().top(), m_gutter->width() - 1, event->rect().bottom());

        const int current = textCursor().blockNumber();
        const QColor dim = palette().color(QPalette::PlaceholderText);
        const QColor strong = palette().color(QPalette::Text);
        painter.setFont(font());

        QTextBlock block = firstVisibleBlock();
        int number = block.blockNumber();
        int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
        int bottom = top + qRound(blockBoundingRect(block).height());
        const int lineHeight = fontMetrics().height();
        while (block.isValid() && top <= event->rect().bottom())
        {
            if (block.isVisible() && bottom >= event->rect().top())
            {
                painter.setPen(number == current ? strong : dim);
                painter.drawText(0, top, m_gutter->width() - 8, lineHeight, Qt::AlignRight | Qt::AlignVCenter, QString::number(number + 1));
            }
            block = block.next();
            top = bottom;
            bottom = top + qRound(blockBoundingRect(block).height());
            ++number;
        }
    }
}

#include "ui/widgets/elidedlabel.h"

#include <QPainter>

namespace dbops
{
    ElidedLabel::ElidedLabel(QWidget *parent, Qt::TextElideMode mode)
        : QFrame(parent)
        , m_mode(mode)
    {
        setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    }

    void ElidedLabel::setText(const QString &text)
    {
        if (text == m_text)
            return;
        m_text = text;
        updateGeometry();
        updateToolTip();
        update();
    }

    void ElidedLabel::setDetail(const QString &detail)
    {
        m_detail = detail;
        updateToolTip();
    }

    void ElidedLabel::setMinimumChars(int chars)
    {
        m_minimumChars = chars;
        updateGeometry();
    }

    QString ElidedLabel::shownText() const
    {
        return fontMetrics().elidedText(m_text, m_mode, contentsRect().width());
    }

    QSize ElidedLabel::sizeHint() const
    {
        const QFontMetrics fm = fontMetrics();
        const QMargins m = contentsMargins();
        return {fm.horizontalAdvance(m_text) + m.left() + m.right() + 2, fm.height() + m.top() + m.bottom()};
    }

    QSize ElidedLabel::minimumSizeHint() const
    {
        const QFontMetrics fm = fontMetrics();
        const QMargins m = contentsMargins();
        const int minimum = std::min(fm.horizontalAdvance(m_text) + 2, fm.averageCharWidth() * m_minimumChars);
        return {minimum + m.left() + m.right(), fm.height() + m.top() + m.bottom()};
    }

    void ElidedLabel::paintEvent(QPaintEvent *event)
    {
        QFrame::paintEvent(event);
        QPainter painter(this);
        painter.setPen(palette().color(foregroundRole()));
        painter.drawText(contentsRect(), Qt::AlignLeft | Qt::AlignVCenter, shownText());
    }

    void ElidedLabel::resizeEvent(QResizeEvent *event)
    {
        QFrame::resizeEvent(event);
        updateToolTip();
    }

    void ElidedLabel::updateToolTip()
    {
        // The whole text on hover, only when it is not all shown.
        QStringList parts;
        if (isElided())
            parts << m_text;
        if (!m_detail.isEmpty())
            parts << m_detail;
        setToolTip(parts.join(u'\n'));
    }
}

#pragma once

#include <QFrame>

namespace dbops
{
    /// A one-line plain-text label that never asks for the width of its text: when there is less
    /// room it elides (at the end, or in the middle where both ends carry the meaning, e.g. a
    /// host:port or a path) and the tooltip shows the whole text.
    class ElidedLabel final : public QFrame
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ElidedLabel)

    public:
        explicit ElidedLabel(QWidget *parent = nullptr, Qt::TextElideMode mode = Qt::ElideRight);

        void setText(const QString &text);
        QString text() const { return m_text; }
        /// The text as it is drawn now (with "…" when elided).
        QString shownText() const;
        bool isElided() const { return shownText() != m_text; }
        /// More to say on hover (after the whole text when it is elided).
        void setDetail(const QString &detail);
        /// The smallest width it asks for (default: about 12 characters).
        void setMinimumChars(int chars);

        QSize sizeHint() const override;
        QSize minimumSizeHint() const override;

    protected:
        void paintEvent(QPaintEvent *event) override;
        void resizeEvent(QResizeEvent *event) override;

    private:
        void updateToolTip();

        QString m_text;
        QString m_detail;
        Qt::TextElideMode m_mode;
        int m_minimumChars = 12;
    };
}

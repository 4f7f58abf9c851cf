#pragma once

#include <QWidget>

namespace dbops
{
    class CodeView;

    /// The gutter beside a CodeView: asks the view for its width and lets it paint the numbers.
    class LineNumberArea final : public QWidget
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(LineNumberArea)

    public:
        explicit LineNumberArea(CodeView *view);
        QSize sizeHint() const override;

    protected:
        void paintEvent(QPaintEvent *event) override;

    private:
        CodeView *m_view;
    };
}

#include "ui/widgets/linenumberarea.h"

#include "ui/widgets/codeview.h"

namespace dbops
{
    LineNumberArea::LineNumberArea(CodeView *view)
        : QWidget(view)
        , m_view(view)
    {
    }

    QSize LineNumberArea::sizeHint() const
    {
        return {m_view->gutterWidth(), 0};
    }

    void LineNumberArea::paintEvent(QPaintEvent *event)
    {
        m_view->paintGutter(event);
    }
}

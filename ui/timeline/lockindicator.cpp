#include "ui/timeline/lockindicator.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    LockIndicator::LockIndicator(QWidget *parent)
        : QLabel(parent)
    {
        setObjectName(u"lockIndicator"_s);
        setTextFormat(Qt::RichText);
        setContentsMargins(8, 2, 8, 2);
        setUnknown();
    }

    QString LockIndicator::formatAge(qint64 seconds)
    {
        if (seconds < 0)
            seconds = 0;
        if (seconds < 60)
            return u"%1 s"_s.arg(seconds);
        if (seconds < 3600)
            return u"%1 min %2 s"_s.arg(seconds / 60).arg(seconds % 60);
        return u"%1 h %2 min"_s.arg(seconds / 3600).arg((seconds % 3600) / 60);
    }

    void LockIndicator::show(Kind kind, const QString &html, const QString &tooltip)
    {
        m_kind = kind;
        setText(html);
        setToolTip(tooltip);
    }

    void LockIndicator::setUnknown()
    {
        m_pid = 0;
        show(Kind::Unknown, u"<span style='color:#8c959f'>◌ Migration lock: not checked</span>"_s, {});
    }

    void LockIndicator::setError(const QString &message)
    {
        m_pid = 0;
        show(Kind::Error, u"<span style='color:#8c959f'>◌ Migration lock: cannot check</span>"_s, message);
    }

    void LockIndicator::setStatus(const LockStatus &status, const QSet<int> &ourBackends)
    {
        const QString checked = u"advisory lock %1 (%2), checked %3"_s.arg(status.key)
                                    .arg(status.historyTable, status.checkedAt.toLocalTime().toString(u"HH:mm:ss"_s));
        if (!status.holder)
        {
            m_pid = 0;
            show(Kind::Free, u"<span style='color:#1a7f37'>○ Migration lock free</span>"_s, checked);
            return;
        }
        const LockHolder &h = *status.holder;
        m_pid = h.pid;
        const qint64 age = h.since.isValid() ? h.since.secsTo(QDateTime::currentDateTimeUtc()) : -1;
        const QString facts = u"pid %1 · %2 · %3%4"_s.arg(h.pid).arg(
            h.user.toHtmlEscaped(), (h.applicationName.isEmpty() ? u"(no application name)"_s : h.applicationName).toHtmlEscaped(),
            age >= 0 ? u" · "_s + formatAge(age) : QString());
        const QString tip = checked + u"\n"_s + h.toText() + (h.query.isEmpty() ? QString() : u"\nquery: "_s + h.query.left(300));
        if (ourBackends.contains(h.pid))
            show(Kind::HeldByUs, u"<span style='color:#0969da'><b>● Migration lock held by us</b> — %1</span>"_s.arg(facts), tip);
        else
            show(Kind::HeldByOther, u"<span style='color:#a05a00'><b>▲ Migration lock held by another session</b> — %1</span>"_s.arg(facts),
                 tip);
    }
}

#include "ui/timeline/statestyle.h"

#include <QFont>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

using namespace Qt::Literals::StringLiterals;

namespace dbops::statestyle
{
    QString label(MigrationState state)
    {
        switch (state)
        {
        case MigrationState::Applied:
            return u"Applied"_s;
        case MigrationState::Pending:
            return u"Pending"_s;
        case MigrationState::Failed:
            return u"Failed"_s;
        case MigrationState::ChecksumMismatch:
            return u"Checksum mismatch"_s;
        case MigrationState::MissingFile:
            return u"Missing file"_s;
        case MigrationState::OutOfOrder:
            return u"Out of order"_s;
        case MigrationState::Baseline:
            return u"Baseline"_s;
        case MigrationState::Dirty:
            return u"Dirty"_s;
        }
        return {};
    }

    QString glyph(MigrationState state)
    {
        switch (state)
        {
        case MigrationState::Applied:
            return u"✓"_s;
        case MigrationState::Pending:
            return u"…"_s;
        case MigrationState::Failed:
            return u"✕"_s;
        case MigrationState::ChecksumMismatch:
            return u"≠"_s;
        case MigrationState::MissingFile:
            return u"?"_s;
        case MigrationState::OutOfOrder:
            return u"↓"_s;
        case MigrationState::Baseline:
            return u"B"_s;
        case MigrationState::Dirty:
            return u"!"_s;
        }
        return {};
    }

    QColor color(MigrationState state)
    {
        switch (state)
        {
        case MigrationState::Applied:
            return QColor(0x1a, 0x7f, 0x37); // green
        case MigrationState::Pending:
            return QColor(0x57, 0x60, 0x6a); // slate
        case MigrationState::Failed:
            return QColor(0xcf, 0x22, 0x2e); // red
        case MigrationState::ChecksumMismatch:
            return QColor(0xa0, 0x5a, 0x00); // amber (dark enough for text)
        case MigrationState::MissingFile:
            return QColor(0x82, 0x50, 0xdf); // purple
        case MigrationState::OutOfOrder:
            return QColor(0x09, 0x69, 0xda); // blue
        case MigrationState::Baseline:
            return QColor(0x0e, 0x7c, 0x86); // teal
        case MigrationState::Dirty:
            return QColor(0xbc, 0x4c, 0x00); // orange-red
        }
        return {};
    }

    QColor tint(MigrationState state)
    {
        QColor c = color(state);
        if (state == MigrationState::Pending)
            return QColor(0xf3, 0xf4, 0xf6);
        // 12% of the accent over white.
        return QColor(255 - (255 - c.red()) * 12 / 100, 255 - (255 - c.green()) * 12 / 100, 255 - (255 - c.blue()) * 12 / 100);
    }

    bool isProblem(MigrationState state)
    {
        switch (state)
        {
        case MigrationState::Failed:
        case MigrationState::ChecksumMismatch:
        case MigrationState::MissingFile:
        case MigrationState::OutOfOrder:
        case MigrationState::Dirty:
            return true;
        default:
            return false;
        }
    }

    QString describe(MigrationState state, MismatchKind mismatch)
    {
        if (state == MigrationState::ChecksumMismatch && mismatch != MismatchKind::None)
            return label(state) + u" — "_s + toString(mismatch);
        return label(state);
    }

    namespace
    {
        QPixmap paint(MigrationState state, int size, qreal dpr)
        {
            QPixmap pm(QSize(size, size) * dpr);
            pm.setDevicePixelRatio(dpr);
            pm.fill(Qt::transparent);
            QPainter p(&pm);
            p.setRenderHint(QPainter::Antialiasing);
            const QColor c = color(state);
            const QRectF r(1.5, 1.5, size - 3, size - 3);
            bool filled = true;
            QPainterPath shape;
            switch (state)
            {
            case MigrationState::Applied:
            case MigrationState::OutOfOrder:
                shape.addEllipse(r);
                break;
            case MigrationState::Pending:
            case MigrationState::MissingFile:
                shape.addEllipse(r);
                filled = false;
                break;
            case MigrationState::Failed:
                shape.addRoundedRect(r, 2, 2);
                break;
            case MigrationState::ChecksumMismatch:
            case MigrationState::Dirty:
                shape.moveTo(r.center().x(), r.top());
                shape.lineTo(r.right(), r.bottom());
                shape.lineTo(r.left(), r.bottom());
                shape.closeSubpath();
                break;
            case MigrationState::Baseline:
                shape.moveTo(r.center().x(), r.top());
                shape.lineTo(r.right(), r.center().y());
                shape.lineTo(r.center().x(), r.bottom());
                shape.lineTo(r.left(), r.center().y());
                shape.closeSubpath();
                break;
            }
            QPen pen(c, 1.6);
            if (state == MigrationState::MissingFile)
                pen.setStyle(Qt::DashLine);
            p.setPen(pen);
            p.setBrush(filled ? QBrush(c) : QBrush(Qt::white));
            p.drawPath(shape);
            QFont f = p.font();
            f.setBold(true);
            f.setPixelSize(int(size * 0.62));
            p.setFont(f);
            p.setPen(filled ? Qt::white : c);
            QRectF textRect = r;
            if (state == MigrationState::ChecksumMismatch || state == MigrationState::Dirty)
                textRect.adjust(0, size * 0.18, 0, 0);
            p.drawText(textRect, Qt::AlignCenter, glyph(state));
            return pm;
        }
    }

    QIcon icon(MigrationState state)
    {
        static QHash<int, QIcon> cache;
        auto it = cache.constFind(int(state));
        if (it != cache.constEnd())
            return *it;
        QIcon icon;
        for (int size : {16, 20, 24})
        {
            icon.addPixmap(paint(state, size, 1.0));
            icon.addPixmap(paint(state, size, 2.0));
        }
        cache.insert(int(state), icon);
        return icon;
    }
}

#include "ui/timeline/sidebysidemodel.h"

#include <QColor>
#include <QFontDatabase>

#include <dtl/dtl.hpp>

#include <string>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QStringList splitLines(const QString &text)
        {
            QStringList lines = text.split(u'\n');
            if (!lines.isEmpty() && lines.last().isEmpty())
                lines.removeLast();
            return lines;
        }

        QString shown(QString line)
        {
            line.replace(u'\r', u"\\r"_s);
            line.replace(u'\t', u"    "_s);
            return line;
        }
    }

    SideBySideModel::SideBySideModel(QObject *parent)
        : QAbstractTableModel(parent)
    {
    }

    QList<SideBySideModel::Row> SideBySideModel::compare(const QString &left, const QString &right)
    {
        const QStringList a = splitLines(left), b = splitLines(right);
        std::vector<std::string> va, vb;
        va.reserve(a.size());
        vb.reserve(b.size());
        for (const QString &l : a)
            va.push_back(l.toStdString());
        for (const QString &l : b)
            vb.push_back(l.toStdString());
        dtl::Diff<std::string> diff(va, vb);
        diff.compose();

        // A run of changes between unchanged lines: its i-th removed line faces its i-th added line.
        QList<Row> rows, removed, added;
        auto flush = [&] {
            const qsizetype n = qMax(removed.size(), added.size());
            for (qsizetype i = 0; i < n; ++i)
            {
                if (i < removed.size() && i < added.size())
                    rows.append({removed.at(i).leftLine, added.at(i).rightLine, removed.at(i).left, added.at(i).right, Kind::Changed});
                else
                    rows.append(i < removed.size() ? removed.at(i) : added.at(i));
            }
            removed.clear();
            added.clear();
        };
        for (const auto &[elem, info] : diff.getSes().getSequence())
        {
            Q_UNUSED(elem);
            switch (info.type)
            {
            case dtl::SES_COMMON:
                flush();
                rows.append(
                    {int(info.beforeIdx), int(info.afterIdx), shown(a.at(info.beforeIdx - 1)), shown(b.at(info.afterIdx - 1)), Kind::Same});
                break;
            case dtl::SES_DELETE:
                removed.append({int(info.beforeIdx), 0, shown(a.at(info.beforeIdx - 1)), {}, Kind::Removed});
                break;
            case dtl::SES_ADD:
                added.append({0, int(info.afterIdx), {}, shown(b.at(info.afterIdx - 1)), Kind::Added});
                break;
            }
        }
        flush();
        return rows;
    }

    void SideBySideModel::setTexts(const QString &left, const QString &right, const QString &leftTitle, const QString &rightTitle)
    {
        beginResetModel();
        m_rows = compare(left, right);
        m_leftTitle = leftTitle;
        m_rightTitle = rightTitle;
        endResetModel();
    }

    int SideBySideModel::changedRows() const
    {
        int n = 0;
        for (const Row &r : m_rows)
            n += r.kind != Kind::Same;
        return n;
    }

    int SideBySideModel::rowCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    int SideBySideModel::columnCount(const QModelIndex &parent) const
    {
        return parent.isValid() ? 0 : NB_COLUMNS;
    }

    QVariant SideBySideModel::data(const QModelIndex &index, int role) const
    {
        if (!index.isValid() || index.row() >= m_rows.size())
            return {};
        const Row &r = m_rows.at(index.row());
        const bool leftSide = index.column() <= LeftText;
        switch (role)
        {
        case Qt::DisplayRole:
            switch (index.column())
            {
            case LeftLine:
                return r.leftLine ? QVariant(r.leftLine) : QVariant();
            case LeftText:
                return r.left;
            case RightLine:
                return r.rightLine ? QVariant(r.rightLine) : QVariant();
            case RightText:
                return r.right;
            default:
                return {};
            }
        case Qt::FontRole:
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        case Qt::BackgroundRole: {
            const bool gap = leftSide ? r.leftLine == 0 : r.rightLine == 0;
            if (r.kind == Kind::Same)
                return {};
            if (gap)
                return QColor(0xf3, 0xf4, 0xf6);
            return leftSide ? QColor(0xff, 0xeb, 0xe9) : QColor(0xda, 0xfb, 0xe1);
        }
        case Qt::ForegroundRole:
            if (index.column() == LeftLine || index.column() == RightLine)
                return QColor(0x8c, 0x95, 0x9f);
            return {};
        case Qt::TextAlignmentRole:
            if (index.column() == LeftLine || index.column() == RightLine)
                return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case KindRole:
            return int(r.kind);
        default:
            return {};
        }
    }

    QVariant SideBySideModel::headerData(int section, Qt::Orientation orientation, int role) const
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
            return {};
        switch (section)
        {
        case LeftText:
            return m_leftTitle;
        case RightText:
            return m_rightTitle;
        default:
            return QString();
        }
    }
}

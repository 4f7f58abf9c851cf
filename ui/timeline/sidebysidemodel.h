#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace dbops
{
    /// Two texts side by side, line by line (dtl's shortest edit script): unchanged lines face
    /// each other, removed lines sit on the left with a gap on the right, added lines on the
    /// right, and a removed line directly followed by an added one is shown as a changed pair.
    /// A carriage return is shown as "\\r" so that line-ending-only changes are visible.
    class SideBySideModel final : public QAbstractTableModel
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(SideBySideModel)

    public:
        enum Column
        {
            LeftLine,
            LeftText,
            RightLine,
            RightText,
            NB_COLUMNS
        };
        enum class Kind
        {
            Same,
            Removed,
            Added,
            Changed
        };
        enum Role
        {
            KindRole = Qt::UserRole
        };
        struct Row
        {
            int leftLine = 0; ///< 1-based, 0 = gap
            int rightLine = 0;
            QString left;
            QString right;
            Kind kind = Kind::Same;
        };

        explicit SideBySideModel(QObject *parent = nullptr);

        void setTexts(const QString &left, const QString &right, const QString &leftTitle, const QString &rightTitle);
        /// The pure computation, for tests.
        static QList<Row> compare(const QString &left, const QString &right);
        int changedRows() const;

        int rowCount(const QModelIndex &parent = {}) const override;
        int columnCount(const QModelIndex &parent = {}) const override;
        QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
        QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    private:
        QList<Row> m_rows;
        QString m_leftTitle;
        QString m_rightTitle;
    };
}

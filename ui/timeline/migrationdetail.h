#pragma once

#include "ui/timeline/timelinesnapshot.h"

#include <QWidget>

class QLabel;
class QTabWidget;
class QTableView;
class QTextBrowser;

namespace dbops
{
    class CodeView;
    class SideBySideModel;

    /// The selected migration: its SQL (highlighted, line numbers), its statements as libpg_query
    /// split them, its history row, and for a checksum mismatch the applied SQL beside the file's
    /// SQL with the classification on top.
    class MigrationDetail final : public QWidget
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(MigrationDetail)

    public:
        enum Tab
        {
            SqlTab,
            StatementsTab,
            HistoryTab,
            DiffTab
        };

        explicit MigrationDetail(QWidget *parent = nullptr);

        void showRow(const TimelineRow &row, const QString &historyTable);
        void clear(const QString &placeholder = {});
        /// Shows the SQL tab with the cursor on `line` (1-based) and that line selected.
        void showLine(int line);

        QString shownVersion() const { return m_version; }
        CodeView *sqlView() const { return m_sql; }
        CodeView *statementsView() const { return m_statements; }
        QTabWidget *tabs() const { return m_tabs; }
        QLabel *diffHeader() const { return m_diffHeader; }
        SideBySideModel *diffModel() const { return m_diffModel; }
        QTextBrowser *historyView() const { return m_history; }

    private:
        void showDiff(const TimelineRow &row);

        QString m_version;
        QLabel *m_header;
        QTabWidget *m_tabs;
        CodeView *m_sql;
        CodeView *m_statements;
        QTextBrowser *m_history;
        QWidget *m_diffPage;
        QLabel *m_diffHeader;
        SideBySideModel *m_diffModel;
        QTableView *m_diffView;
    };
}

#include "ui/timeline/migrationdetail.h"

#include "core/remedy.h"

#include "ui/timeline/sidebysidemodel.h"
#include "ui/timeline/statestyle.h"
#include "ui/timeline/timelinemodel.h"
#include "ui/widgets/codeview.h"
#include "ui/widgets/sqlhighlighter.h"

#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QTableView>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        QString esc(const QString &s)
        {
            return s.toHtmlEscaped();
        }

        QString field(const QString &name, const QString &value)
        {
            return u"<tr><td style='color:#57606a;padding-right:14px'>%1</td><td>%2</td></tr>"_s.arg(name,
                                                                                                     value.isEmpty() ? u"—"_s : value);
        }
    }

    MigrationDetail::MigrationDetail(QWidget *parent)
        : QWidget(parent)
        , m_header(new QLabel(this))
        , m_tabs(new QTabWidget(this))
        , m_sql(new CodeView(this))
        , m_statements(new CodeView(this))
        , m_history(new QTextBrowser(this))
        , m_diffPage(new QWidget(this))
        , m_diffHeader(new QLabel(this))
        , m_diffModel(new SideBySideModel(this))
        , m_diffView(new QTableView(this))
    {
        setObjectName(u"migrationDetail"_s);
        new SqlHighlighter(m_sql->document());
        new SqlHighlighter(m_statements->document());
        m_sql->setObjectName(u"detailSql"_s);
        m_statements->setObjectName(u"detailStatements"_s);
        m_history->setObjectName(u"detailHistory"_s);
        m_history->setOpenLinks(false);
        m_header->setObjectName(u"detailHeader"_s);
        m_header->setTextFormat(Qt::RichText);
        m_header->setWordWrap(true);
        m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_header->setContentsMargins(8, 6, 8, 4);

        m_diffHeader->setObjectName(u"diffHeader"_s);
        m_diffHeader->setTextFormat(Qt::RichText);
        m_diffHeader->setWordWrap(true);
        m_diffHeader->setContentsMargins(8, 6, 8, 6);
        m_diffHeader->setAutoFillBackground(true);
        m_diffView->setObjectName(u"diffView"_s);
        m_diffView->setModel(m_diffModel);
        m_diffView->setShowGrid(false);
        m_diffView->setWordWrap(false);
        m_diffView->verticalHeader()->hide();
        m_diffView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        m_diffView->verticalHeader()->setDefaultSectionSize(m_diffView->fontMetrics().height() + 4);
        m_diffView->setSelectionBehavior(QAbstractItemView::SelectRows);
        m_diffView->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_diffView->horizontalHeader()->setSectionResizeMode(SideBySideModel::LeftLine, QHeaderView::ResizeToContents);
        m_diffView->horizontalHeader()->setSectionResizeMode(SideBySideModel::RightLine, QHeaderView::ResizeToContents);
        m_diffView->horizontalHeader()->setSectionResizeMode(SideBySideModel::LeftText, QHeaderView::Stretch);
        m_diffView->horizontalHeader()->setSectionResizeMode(SideBySideModel::RightText, QHeaderView::Stretch);
        m_diffView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        auto *diffLayout = new QVBoxLayout(m_diffPage);
        diffLayout->setContentsMargins(0, 0, 0, 0);
        diffLayout->setSpacing(0);
        diffLayout->addWidget(m_diffHeader);
        diffLayout->addWidget(m_diffView, 1);

        m_tabs->setObjectName(u"detailTabs"_s);
        m_tabs->setDocumentMode(true);
        m_tabs->addTab(m_sql, u"SQL"_s);
        m_tabs->addTab(m_statements, u"Statements"_s);
        m_tabs->addTab(m_history, u"History row"_s);
        m_tabs->addTab(m_diffPage, u"Applied vs file"_s);

        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        layout->addWidget(m_header);
        layout->addWidget(m_tabs, 1);
        clear();
    }

    void MigrationDetail::clear(const QString &placeholder)
    {
        m_version.clear();
        m_header->setText(placeholder.isEmpty() ? u"<span style='color:#57606a'>Select a migration to see its SQL and history.</span>"_s
                                                : esc(placeholder));
        m_sql->setCode({});
        m_statements->setCode({});
        m_history->clear();
        m_diffModel->setTexts({}, {}, {}, {});
        m_tabs->setTabEnabled(DiffTab, false);
    }

    void MigrationDetail::showRow(const TimelineRow &row, const QString &historyTable)
    {
        const TimelineEntry &e = row.entry;
        const bool sameRow = m_version == (e.repeatable ? e.description : e.version);
        m_version = e.repeatable ? e.description : e.version;
        const QColor c = statestyle::color(e.state);
        QString header = u"<b style='font-size:11pt'>%1</b> &nbsp;%2 &nbsp;<span style='color:%3;font-weight:600'>%4 %5</span>"_s.arg(
            esc(e.repeatable ? u"R"_s : e.version), esc(e.description), c.name(), statestyle::glyph(e.state),
            esc(statestyle::describe(e.state, e.mismatch)));
        QStringList facts;
        if (!e.script.isEmpty())
            facts << esc(row.path.isEmpty() ? e.script : row.path);
        if (e.noTransaction)
            facts << u"<b>runs outside a transaction</b>"_s;
        if (row.hasFile)
            facts << u"%1 statement(s)"_s.arg(row.statements.size());
        if (!e.note.isEmpty())
            facts << esc(consoleText(e.note));
        if (!facts.isEmpty())
            header += u"<br><span style='color:#57606a'>%1</span>"_s.arg(facts.join(u" · "_s));
        m_header->setText(header);

        m_sql->setCode(row.hasFile ? row.sql : u"-- the file of this migration is missing from the folder"_s);
        QString statements;
        for (const SqlStatement &st : row.statements)
            statements +=
                u"-- statement %1 of %2 · line %3\n%4;\n\n"_s.arg(st.index + 1).arg(row.statements.size()).arg(st.line).arg(st.text);
        m_statements->setCode(row.hasFile ? statements : QString());

        if (e.row)
        {
            const HistoryRow &h = *e.row;
            QString html = u"<table cellspacing=2>"_s;
            html += field(u"History"_s, esc(row.historyFormat + u" · "_s + historyTable));
            html += field(u"Rank"_s, QString::number(h.rank));
            html += field(u"Type"_s, esc(toString(h.type)));
            html += field(u"Version"_s, esc(h.version));
            html += field(u"Description"_s, esc(h.description));
            html += field(u"Script"_s, esc(h.script));
            html += field(u"Installed on (local)"_s,
                          h.installedOn.isValid() ? h.installedOn.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : QString());
            html += field(u"Installed on (UTC)"_s,
                          h.installedOn.isValid() ? h.installedOn.toUTC().toString(u"yyyy-MM-dd HH:mm:ss.zzz"_s) : QString());
            html += field(u"Installed by"_s, esc(h.installedBy));
            html += field(u"OS user"_s, esc(h.osUser));
            html += field(u"Client host"_s, esc(h.clientHost));
            html += field(u"Duration"_s, TimelineModel::formatDuration(h.executionMs));
            html += field(u"Success"_s, h.success ? u"yes"_s : u"<b>no</b>"_s);
            if (h.dirty)
                html += field(u"Dirty"_s, u"<b>yes</b> — stopped part-way"_s);
            if (h.statementsTotal >= 0)
                html += field(u"Statements"_s, u"%1 of %2 done"_s.arg(h.statementsDone).arg(h.statementsTotal));
            html += field(u"Checksum"_s, u"<code>%1</code>"_s.arg(esc(QString::fromLatin1(h.checksum.toHex()))));
            html += field(u"Out of order"_s, h.outOfOrder ? u"yes"_s : u"no"_s);
            html += field(u"Approval"_s, esc(h.approvalId));
            html += field(u"Backup"_s, esc(h.backupId));
            html += field(u"dbops version"_s, esc(h.dbopsVersion));
            if (!h.error.isEmpty())
                html += field(u"Error"_s, u"<span style='color:#cf222e'>%1</span>"_s.arg(esc(h.error)));
            html += u"</table>"_s;
            m_history->setHtml(html);
        }
        else
            m_history->setHtml(u"<p style='color:#57606a'>Not in the history yet: this migration has not been applied.</p>"_s);

        showDiff(row);
        if (e.state == MigrationState::ChecksumMismatch)
            m_tabs->setCurrentIndex(DiffTab);
        else if (!sameRow && m_tabs->currentIndex() == DiffTab)
            m_tabs->setCurrentIndex(SqlTab);
    }

    void MigrationDetail::showDiff(const TimelineRow &row)
    {
        const TimelineEntry &e = row.entry;
        const bool mismatch = e.state == MigrationState::ChecksumMismatch;
        m_tabs->setTabEnabled(DiffTab, mismatch);
        if (!mismatch)
        {
            m_diffModel->setTexts({}, {}, {}, {});
            return;
        }
        const QString applied = e.row ? e.row->appliedSql : QString();
        QPalette pal = m_diffHeader->palette();
        pal.setColor(QPalette::Window, statestyle::tint(MigrationState::ChecksumMismatch));
        m_diffHeader->setPalette(pal);
        QString explain;
        switch (e.mismatch)
        {
        case MismatchKind::LineEndings:
            explain =
                u"Only the line endings differ (CRLF, shown as \\r, vs LF), typically git on Windows. Repair can re-stamp the checksum safely."_s;
            break;
        case MismatchKind::Bom:
            explain = u"Only a UTF-8 byte order mark was added or removed. Repair can re-stamp the checksum safely."_s;
            break;
        case MismatchKind::WhitespaceComments:
            explain = u"Same parse tree: only whitespace or comments changed. Repair can re-stamp the checksum safely."_s;
            break;
        case MismatchKind::SqlChanged:
            explain =
                u"The SQL itself changed since it was applied. The database has the left side; repair refuses unless you accept the change."_s;
            break;
        default:
            explain = u"The history does not keep the applied SQL, so the change cannot be shown."_s;
            break;
        }
        m_diffHeader->setText(u"<b style='color:%1'>≠ %2</b><br>%3"_s.arg(statestyle::color(MigrationState::ChecksumMismatch).name(),
                                                                          esc(toString(e.mismatch)), esc(explain)));
        if (applied.isNull())
            m_diffModel->setTexts({}, row.sql, u"applied SQL (not kept by this history)"_s, u"file: "_s + e.script);
        else
            m_diffModel->setTexts(applied, row.sql, u"applied SQL (in the database)"_s, u"file: "_s + e.script);
    }

    void MigrationDetail::showLine(int line)
    {
        m_tabs->setCurrentIndex(SqlTab);
        const QTextBlock block = m_sql->document()->findBlockByNumber(qMax(0, line - 1));
        if (!block.isValid())
            return;
        QTextCursor cursor(block);
        cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        m_sql->setTextCursor(cursor);
        m_sql->centerCursor();
    }
}

#include "ui/timeline/plandialog.h"

#include "core/ops/operation.h"
#include "core/remedy.h"
#include "ui/widgets/codeview.h"
#include "ui/widgets/sqlhighlighter.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTextDocumentFragment>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    PlanDialog::PlanDialog(const ConnectionProfile &profile, PlanContent content, QWidget *parent)
        : QDialog(parent)
        , m_profile(profile)
        , m_content(std::move(content))
        , m_items(new QTreeWidget(this))
        , m_sql(new CodeView(this))
    {
        setObjectName(u"planDialog"_s);
        // Core messages name their remedies as the CLI takes them; the console names its controls.
        m_content.summaryHtml = consoleText(m_content.summaryHtml);
        m_content.refusalHtml = consoleText(m_content.refusalHtml);
        for (PlanContent::Item &it : m_content.items)
        {
            it.title = consoleText(it.title);
            it.flag = consoleText(it.flag);
        }
        setWindowTitle(m_content.title);
        new SqlHighlighter(m_sql->document());
        m_sql->setObjectName(u"planSql"_s);
        const bool readOnly = m_content.acceptText.isEmpty();
        if (profile.isProduction() && !readOnly)
            m_required = ops::confirmationWord(profile);

        // The target, in the environment's colour, always first.
        auto *target = new QLabel(this);
        target->setObjectName(u"planTarget"_s);
        target->setTextFormat(Qt::RichText);
        target->setWordWrap(true);
        target->setContentsMargins(10, 7, 10, 7);
        target->setAutoFillBackground(true);
        QPalette pal = target->palette();
        pal.setColor(QPalette::Window, QColor(environmentColor(profile.environment)));
        pal.setColor(QPalette::WindowText, Qt::white);
        target->setPalette(pal);
        target->setText(u"<b>%1</b> &nbsp;·&nbsp; %2 &nbsp;·&nbsp; %3"_s.arg(
            toString(profile.environment).toUpper(), profile.name.toHtmlEscaped(), profile.targetDescription().toHtmlEscaped()));

        auto *summary = new QLabel(m_content.summaryHtml, this);
        summary->setObjectName(u"planSummary"_s);
        summary->setTextFormat(Qt::RichText);
        summary->setWordWrap(true);
        summary->setContentsMargins(2, 4, 2, 4);

        QLabel *refusal = nullptr;
        if (!m_content.refusalHtml.isEmpty())
        {
            refusal = new QLabel(m_content.refusalHtml, this);
            refusal->setObjectName(u"planRefusal"_s);
            refusal->setTextFormat(Qt::RichText);
            refusal->setWordWrap(true);
            refusal->setContentsMargins(8, 6, 8, 6);
            refusal->setAutoFillBackground(true);
            refusal->setTextInteractionFlags(Qt::TextSelectableByMouse);
            QPalette rp = refusal->palette();
            rp.setColor(QPalette::Window, QColor(0xff, 0xeb, 0xe9));
            refusal->setPalette(rp);
        }

        m_items->setObjectName(u"planItems"_s);
        m_items->setColumnCount(2);
        m_items->setHeaderLabels({u"Step"_s, u"Note"_s});
        m_items->setRootIsDecorated(false);
        m_items->setUniformRowHeights(true);
        m_items->setAlternatingRowColors(true);
        m_items->header()->setStretchLastSection(false);
        m_items->header()->setSectionResizeMode(0, QHeaderView::Stretch);
        m_items->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
        if (!m_content.fullSql.isEmpty())
        {
            auto *all = new QTreeWidgetItem(m_items, {u"Everything, in order"_s, QString()});
            QFont f = all->font(0);
            f.setItalic(true);
            all->setFont(0, f);
            all->setData(0, Qt::UserRole, -1);
        }
        for (int i = 0; i < m_content.items.size(); ++i)
        {
            const PlanContent::Item &it = m_content.items.at(i);
            auto *item = new QTreeWidgetItem(m_items, {it.title, it.flag});
            item->setData(0, Qt::UserRole, i);
            if (it.warn || !it.flag.isEmpty())
            {
                item->setForeground(1, QColor(0xa0, 0x5a, 0x00));
                QFont f = item->font(1);
                f.setBold(true);
                item->setFont(1, f);
            }
        }

        auto *splitter = new QSplitter(Qt::Horizontal, this);
        splitter->addWidget(m_items);
        splitter->addWidget(m_sql);
        splitter->setStretchFactor(0, 2);
        splitter->setStretchFactor(1, 3);
        splitter->setSizes({340, 560});
        splitter->setChildrenCollapsible(false);

        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 10);
        layout->setSpacing(6);
        layout->addWidget(target);
        auto *body = new QVBoxLayout;
        body->setContentsMargins(10, 0, 10, 0);
        body->setSpacing(6);
        body->addWidget(summary);
        if (refusal)
            body->addWidget(refusal);
        body->addWidget(splitter, 1);

        auto *buttons = new QDialogButtonBox(this);
        auto *copy = buttons->addButton(u"Copy SQL"_s, QDialogButtonBox::ActionRole);
        copy->setObjectName(u"copySql"_s);
        auto *save = buttons->addButton(u"Save SQL…"_s, QDialogButtonBox::ActionRole);
        save->setObjectName(u"saveSql"_s);
        copy->setEnabled(!m_content.fullSql.isEmpty());
        save->setEnabled(!m_content.fullSql.isEmpty());
        connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_content.fullSql); });
        connect(save, &QPushButton::clicked, this, &PlanDialog::saveSql);
        for (const PlanContent::Fix &fix : m_content.fixes)
        {
            auto *b = buttons->addButton(fix.text, QDialogButtonBox::ActionRole);
            b->setObjectName(u"fix-"_s + fix.id);
            b->setToolTip(consoleText(fix.tip));
            b->setAutoDefault(false);
            connect(b, &QPushButton::clicked, this, [this, id = fix.id] {
                reject();
                emit fixChosen(id);
            });
        }
        if (readOnly)
        {
            buttons->addButton(QDialogButtonBox::Close);
        }
        else
        {
            if (!m_content.optionText.isEmpty())
            {
                m_option = new QCheckBox(m_content.optionText, this);
                m_option->setObjectName(u"planOption"_s);
                m_option->setToolTip(consoleText(m_content.optionTip));
                body->addWidget(m_option);
            }
            if (!m_content.reasonPrompt.isEmpty())
            {
                auto *reasonLabel = new QLabel(m_content.reasonPrompt.toHtmlEscaped(), this);
                reasonLabel->setWordWrap(true);
                m_reason = new QLineEdit(this);
                m_reason->setObjectName(u"planReason"_s);
                m_reason->setPlaceholderText(u"required: it is recorded"_s);
                body->addWidget(reasonLabel);
                body->addWidget(m_reason);
                connect(m_reason, &QLineEdit::textChanged, this, &PlanDialog::updateAccept);
            }
            if (!m_required.isEmpty())
            {
                auto *confirmLabel =
                    new QLabel(u"<b>This is production.</b> Type the database name <b><code>%1</code></b> to confirm:"_s.arg(
                                   m_required.toHtmlEscaped()),
                               this);
                confirmLabel->setTextFormat(Qt::RichText);
                confirmLabel->setWordWrap(true);
                m_confirm = new QLineEdit(this);
                m_confirm->setObjectName(u"confirmDatabase"_s);
                m_confirm->setPlaceholderText(m_required);
                body->addWidget(confirmLabel);
                body->addWidget(m_confirm);
                connect(m_confirm, &QLineEdit::textChanged, this, &PlanDialog::updateAccept);
            }
            m_accept = buttons->addButton(m_content.acceptText, QDialogButtonBox::AcceptRole);
            m_accept->setObjectName(u"acceptPlan"_s);
            buttons->addButton(QDialogButtonBox::Cancel);
            if (m_content.destructive || profile.isProduction())
            {
                QPalette bp = m_accept->palette();
                bp.setColor(QPalette::ButtonText, QColor(0xcf, 0x22, 0x2e));
                m_accept->setPalette(bp);
            }
            m_accept->setDefault(false);
            m_accept->setAutoDefault(false);
        }
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        body->addWidget(buttons);
        layout->addLayout(body, 1);

        connect(m_items, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
            if (item)
                showItem(item->data(0, Qt::UserRole).toInt());
        });
        if (m_items->topLevelItemCount() > 0)
            m_items->setCurrentItem(m_items->topLevelItem(0));
        updateAccept();
        resize(960, 620);
    }

    void PlanDialog::showItem(int index)
    {
        if (index < 0)
            m_sql->setCode(m_content.fullSql);
        else if (index < m_content.items.size())
            m_sql->setCode(m_content.items.at(index).sql);
    }

    QString PlanDialog::typedConfirmation() const
    {
        return m_confirm ? m_confirm->text() : QString();
    }

    void PlanDialog::updateAccept()
    {
        if (!m_accept)
            return;
        const bool confirmed = m_required.isEmpty() || (m_confirm && m_confirm->text() == m_required);
        const bool refused = !m_content.refusalHtml.isEmpty();
        m_accept->setEnabled(!refused && confirmed && (!m_reason || !reason().isEmpty()));
        m_accept->setToolTip(refused ? u"It would be refused: "_s + QTextDocumentFragment::fromHtml(m_content.refusalHtml).toPlainText()
                                     : QString());
    }

    bool PlanDialog::optionChecked() const
    {
        return m_option && m_option->isChecked();
    }

    QPushButton *PlanDialog::fixButton(const QString &id) const
    {
        return findChild<QPushButton *>(u"fix-"_s + id);
    }

    QStringList PlanDialog::shownMessages() const
    {
        QStringList out;
        for (const QLabel *l : findChildren<QLabel *>())
            out << (l->textFormat() == Qt::PlainText ? l->text() : QTextDocumentFragment::fromHtml(l->text()).toPlainText())
                << l->toolTip();
        for (const QAbstractButton *b : findChildren<QAbstractButton *>())
            out << b->text() << b->toolTip();
        for (int i = 0; i < m_items->topLevelItemCount(); ++i)
            out << m_items->topLevelItem(i)->text(0) << m_items->topLevelItem(i)->text(1);
        out << windowTitle();
        out.removeAll(QString());
        return out;
    }

    QString PlanDialog::reason() const
    {
        return m_reason ? m_reason->text().trimmed() : QString();
    }

    void PlanDialog::saveSql()
    {
        const QString path = QFileDialog::getSaveFileName(this, u"Save the SQL"_s, u"plan.sql"_s, u"SQL files (*.sql)"_s);
        if (path.isEmpty())
            return;
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(m_content.fullSql.toUtf8()) < 0)
            QMessageBox::warning(this, u"Save the SQL"_s, u"Cannot write %1: %2"_s.arg(path, file.errorString()));
    }
}

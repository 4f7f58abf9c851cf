#pragma once

#include "core/db/profile.h"

#include <QDialog>
#include <QList>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace dbops
{
    class CodeView;

    /// What a plan dialog shows: every step of an action before it runs.
    struct PlanContent
    {
        struct Item
        {
            QString title; ///< "0012  add index"
            QString flag;  ///< "no transaction", "missing down file", ... (shown in amber)
            QString sql;   ///< what the step runs (shown when selected)
            bool warn = false;
        };
        QString title;       ///< window title: "Apply pending migrations"
        QString summaryHtml; ///< one paragraph above the list
        QString acceptText;  ///< "Apply 3 migrations"; empty: a read-only view (dry run)
        QList<Item> items;
        QString fullSql; ///< everything in order (dry run, copy and save)
        bool destructive = false;
        /// Non-empty: a reason must be typed (the label says what for) before accepting.
        QString reasonPrompt;
        /// Non-empty: the operation would be refused, and why (shown above the list, in red). The
        /// accept button stays disabled, its tooltip saying why; `fixes` offer what resolves it.
        QString refusalHtml;
        /// A fix the dialog offers (a button); choosing one closes the dialog with fixChosen(id).
        struct Fix
        {
            QString id;   ///< "accept-changed", "resolve-dirty", "out-of-order", "adopt", "repair"
            QString text; ///< the button: "Accept the changed SQL…"
            QString tip;  ///< what it does
        };
        QList<Fix> fixes;
        /// Non-empty: a check box of that text above the buttons (an operation's option); read it
        /// with PlanDialog::optionChecked() when accepted.
        QString optionText;
        QString optionTip;
    };

    /// Shows a plan and asks for confirmation. The target environment is on top in its colour; on
    /// a production profile the accept button stays disabled until the DBA types the database
    /// name. Opened with open() (no nested event loop); the caller reacts to accepted().
    class PlanDialog final : public QDialog
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(PlanDialog)

    public:
        PlanDialog(const ConnectionProfile &profile, PlanContent content, QWidget *parent = nullptr);

        /// What must be typed on production (the database name), empty elsewhere.
        QString requiredConfirmation() const { return m_required; }
        QLineEdit *confirmEdit() const { return m_confirm; }
        /// What was typed in the confirmation field (empty off production). The operation checks
        /// it (ops::requireConfirmed); the dialog only keeps Accept disabled until it matches.
        QString typedConfirmation() const;
        /// The reason field (null unless PlanContent::reasonPrompt is set) and what it holds.
        QLineEdit *reasonEdit() const { return m_reason; }
        QString reason() const;
        QPushButton *acceptButton() const { return m_accept; }
        CodeView *sqlView() const { return m_sql; }
        QTreeWidget *itemsView() const { return m_items; }
        const PlanContent &content() const { return m_content; }
        /// The button of a fix (null when not offered).
        QPushButton *fixButton(const QString &id) const;
        /// PlanContent::optionText's check box (null when none) and whether it is checked.
        QCheckBox *optionBox() const { return m_option; }
        bool optionChecked() const;
        /// Every message the dialog shows (target, summary, refusal, steps and notes, tooltips; not
        /// the SQL), as plain text: what tests check for CLI flags.
        QStringList shownMessages() const;

    signals:
        /// The DBA chose one of PlanContent::fixes; the dialog closed (rejected) first.
        void fixChosen(const QString &id);

    private:
        void showItem(int index);
        void updateAccept();
        void saveSql();

        ConnectionProfile m_profile;
        PlanContent m_content;
        QString m_required;
        QTreeWidget *m_items;
        CodeView *m_sql;
        QLineEdit *m_confirm = nullptr;
        QLineEdit *m_reason = nullptr;
        QCheckBox *m_option = nullptr;
        QPushButton *m_accept = nullptr;
    };
}

#pragma once

#include "core/backup/restoreservice.h"
#include "core/ops/operation.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace dbops
{
    /// Where to restore an archive: a new database (the default) on a chosen profile, or replace
    /// an existing one, which needs its name typed again. Produces a RestoreRequest (the view runs
    /// it as a job); holds no SQL (STYLE P4).
    class RestoreDialog final : public QDialog
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(RestoreDialog)

    public:
        /// `what` describes the archive ("backup 12 of shop, 3 h ago" or a path).
        RestoreDialog(const QString &what, const QList<ConnectionProfile> &profiles, const QString &currentProfile,
                      const QString &suggestedName, QWidget *parent = nullptr);

        /// The request without archive or connection (the view fills those).
        RestoreRequest request() const;
        /// What the person typed to confirm a replace (the operation checks it, not the dialog;
        /// the dialog only keeps Restore disabled until it matches).
        ops::Confirmation confirmation() const;
        QString profileName() const;

        QLineEdit *newNameEdit() const { return m_newName; }
        QLineEdit *replaceNameEdit() const { return m_replaceName; }
        QLineEdit *confirmEdit() const { return m_confirm; }
        QRadioButton *replaceButton() const { return m_replace; }
        QPushButton *okButton() const { return m_ok; }

    private:
        void updateState();

        QList<ConnectionProfile> m_profiles;
        QComboBox *m_profile;
        QRadioButton *m_new;
        QRadioButton *m_replace;
        QLineEdit *m_newName;
        QLineEdit *m_replaceName;
        QLineEdit *m_confirm;
        QCheckBox *m_terminate;
        QLabel *m_warning;
        QPushButton *m_ok;
    };
}

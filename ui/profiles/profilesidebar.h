#pragma once

#include "core/db/profile.h"

#include <QWidget>

class QPushButton;
class QToolButton;
class QTreeView;

namespace dbops
{
    class ProfileTreeModel;

    /// The connection profiles, grouped by environment. Pure view: it asks for actions through
    /// signals and never talks to the store or the database itself.
    class ProfileSidebar final : public QWidget
    {
        Q_OBJECT
        Q_DISABLE_COPY_MOVE(ProfileSidebar)

    public:
        explicit ProfileSidebar(QWidget *parent = nullptr);

        /// Replaces the list, keeping the selection when the selected profile still exists.
        void setProfiles(const QList<ConnectionProfile> &profiles);
        void setConnectedProfile(const QString &name);
        void selectProfile(const QString &name);
        QString currentProfileName() const;
        QString connectedProfile() const { return m_connected; }
        QPushButton *connectButton() const { return m_connect; }

        ProfileTreeModel *model() const { return m_model; }
        QTreeView *view() const { return m_view; }

    signals:
        void currentProfileChanged(const QString &name);
        void connectRequested(const QString &name);
        /// The connect button (or menu) on the connected profile: it says Disconnect.
        void disconnectRequested(const QString &name);
        void testRequested(const QString &name);
        void editRequested(const QString &name);
        void deleteRequested(const QString &name);
        void newRequested();

    private:
        void showContextMenu(const QPoint &pos);
        void updateButtons();

        ProfileTreeModel *m_model;
        QTreeView *m_view;
        QToolButton *m_new;
        QToolButton *m_edit;
        QToolButton *m_delete;
        QPushButton *m_connect;
        QPushButton *m_test;
        QString m_connected;
    };
}

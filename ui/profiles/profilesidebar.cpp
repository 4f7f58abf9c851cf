#include "ui/profiles/profilesidebar.h"

#include "ui/profiles/profileitemdelegate.h"
#include "ui/profiles/profiletreemodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ProfileSidebar::ProfileSidebar(QWidget *parent)
        : QWidget(parent)
        , m_model(new ProfileTreeModel(this))
        , m_view(new QTreeView(this))
        , m_new(new QToolButton(this))
        , m_edit(new QToolButton(this))
        , m_delete(new QToolButton(this))
        , m_connect(new QPushButton(u"Connect"_s, this))
        , m_test(new QPushButton(u"Test"_s, this))
    {
        auto *title = new QLabel(u"Profiles"_s, this);
        QFont titleFont = title->font();
        titleFont.setBold(true);
        title->setFont(titleFont);

        const auto setupTool = [](QToolButton *b, const QString &text, const QString &tip, const QString &name) {
            b->setText(text);
            b->setToolTip(tip);
            b->setObjectName(name);
            b->setAutoRaise(true);
            b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        };
        setupTool(m_new, u"New…"_s, u"Create a connection profile"_s, u"newProfileButton"_s);
        setupTool(m_edit, u"Edit…"_s, u"Edit the selected profile"_s, u"editProfileButton"_s);
        setupTool(m_delete, u"Delete"_s, u"Delete the selected profile"_s, u"deleteProfileButton"_s);
        m_connect->setObjectName(u"connectButton"_s);
        m_connect->setDefault(true);
        m_test->setObjectName(u"testButton"_s);
        m_test->setToolTip(u"Test the selected profile: version, latency, SSL, user"_s);

        m_view->setObjectName(u"profileTree"_s);
        m_view->setModel(m_model);
        m_view->setHeaderHidden(true);
        m_view->setRootIsDecorated(false);
        m_view->setItemsExpandable(false);
        m_view->setIndentation(14);
        m_view->setItemDelegate(new ProfileItemDelegate(m_view));
        m_view->setSelectionMode(QAbstractItemView::SingleSelection);
        m_view->setContextMenuPolicy(Qt::CustomContextMenu);
        m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        m_view->setFrameShape(QFrame::NoFrame);

        auto *header = new QHBoxLayout;
        header->setContentsMargins(8, 6, 4, 2);
        header->setSpacing(0);
        header->addWidget(title, 1);
        header->addWidget(m_new);
        header->addWidget(m_edit);
        header->addWidget(m_delete);

        auto *buttons = new QHBoxLayout;
        buttons->setContentsMargins(6, 4, 6, 6);
        buttons->addWidget(m_test);
        buttons->addWidget(m_connect, 1);

        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(0);
        layout->addLayout(header);
        layout->addWidget(m_view, 1);
        layout->addLayout(buttons);

        connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
            updateButtons();
            emit currentProfileChanged(currentProfileName());
        });
        connect(m_view, &QTreeView::doubleClicked, this, [this](const QModelIndex &index) {
            if (const ConnectionProfile *p = m_model->profile(index))
                emit connectRequested(p->name);
        });
        connect(m_view, &QWidget::customContextMenuRequested, this, &ProfileSidebar::showContextMenu);
        connect(m_new, &QToolButton::clicked, this, &ProfileSidebar::newRequested);
        connect(m_edit, &QToolButton::clicked, this, [this] { emit editRequested(currentProfileName()); });
        connect(m_delete, &QToolButton::clicked, this, [this] { emit deleteRequested(currentProfileName()); });
        connect(m_connect, &QPushButton::clicked, this, [this] {
            const QString name = currentProfileName();
            if (!name.isEmpty() && name == m_connected)
                emit disconnectRequested(name);
            else
                emit connectRequested(name);
        });
        connect(m_test, &QPushButton::clicked, this, [this] { emit testRequested(currentProfileName()); });
        updateButtons();
    }

    void ProfileSidebar::setProfiles(const QList<ConnectionProfile> &profiles)
    {
        const QString selected = currentProfileName();
        m_model->setProfiles(profiles);
        m_view->expandAll();
        const QModelIndex again = m_model->indexOfProfile(selected);
        if (again.isValid())
            m_view->setCurrentIndex(again);
        updateButtons();
        if (!again.isValid() && !selected.isEmpty())
            emit currentProfileChanged(QString());
    }

    void ProfileSidebar::setConnectedProfile(const QString &name)
    {
        m_connected = name;
        m_model->setConnectedProfile(name);
        updateButtons();
    }

    void ProfileSidebar::selectProfile(const QString &name)
    {
        const QModelIndex index = m_model->indexOfProfile(name);
        if (index.isValid())
            m_view->setCurrentIndex(index);
    }

    QString ProfileSidebar::currentProfileName() const
    {
        const ConnectionProfile *p = m_model->profile(m_view->currentIndex());
        return p ? p->name : QString();
    }

    void ProfileSidebar::updateButtons()
    {
        const bool has = !currentProfileName().isEmpty();
        m_edit->setEnabled(has);
        m_delete->setEnabled(has);
        m_connect->setEnabled(has);
        m_test->setEnabled(has);
        // The selected profile is the connected one: the button does what is left to do.
        const bool isTarget = has && currentProfileName() == m_connected;
        m_connect->setText(isTarget ? u"Disconnect"_s : u"Connect"_s);
        m_connect->setToolTip(isTarget ? u"Disconnect from %1: the views then act on nothing"_s.arg(m_connected)
                                       : u"Connect to the selected profile (runs as a job)"_s);
    }

    void ProfileSidebar::showContextMenu(const QPoint &pos)
    {
        const ConnectionProfile *p = m_model->profile(m_view->indexAt(pos));
        QMenu menu(this);
        if (p)
        {
            const QString name = p->name;
            if (name == m_connected)
                menu.addAction(u"Disconnect"_s, this, [this, name] { emit disconnectRequested(name); });
            else
                menu.addAction(u"Connect"_s, this, [this, name] { emit connectRequested(name); });
            menu.addAction(u"Test connection"_s, this, [this, name] { emit testRequested(name); });
            menu.addSeparator();
            menu.addAction(u"Edit…"_s, this, [this, name] { emit editRequested(name); });
            menu.addAction(u"Delete…"_s, this, [this, name] { emit deleteRequested(name); });
            menu.addSeparator();
        }
        menu.addAction(u"New profile…"_s, this, &ProfileSidebar::newRequested);
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    }
}

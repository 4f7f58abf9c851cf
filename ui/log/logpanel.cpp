#include "ui/log/logpanel.h"

#include "ui/log/logfiltermodel.h"
#include "ui/log/logmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    LogPanel::LogPanel(LogBuffer *buffer, QWidget *parent)
        : QWidget(parent)
        , m_model(new LogModel(buffer, this))
        , m_filter(new LogFilterModel(this))
        , m_level(new QComboBox(this))
        , m_text(new QLineEdit(this))
        , m_count(new QLabel(this))
        , m_view(new QTreeView(this))
    {
        m_filter->setSourceModel(m_model);

        m_level->setObjectName(u"logLevelFilter"_s);
        m_level->addItem(u"Debug and above"_s, int(LogLevel::Debug));
        m_level->addItem(u"Info and above"_s, int(LogLevel::Info));
        m_level->addItem(u"Warnings and errors"_s, int(LogLevel::Warning));
        m_level->addItem(u"Errors only"_s, int(LogLevel::Error));
        m_level->setCurrentIndex(1);
        m_filter->setMinimumLevel(LogLevel::Info);

        m_text->setObjectName(u"logTextFilter"_s);
        m_text->setPlaceholderText(u"Filter messages…"_s);
        m_text->setClearButtonEnabled(true);
        m_count->setObjectName(u"logCount"_s);
        m_count->setForegroundRole(QPalette::PlaceholderText);

        m_view->setObjectName(u"logView"_s);
        m_view->setModel(m_filter);
        m_view->setRootIsDecorated(false);
        m_view->setUniformRowHeights(true);
        m_view->setAlternatingRowColors(true);
        m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
        m_view->setTextElideMode(Qt::ElideRight);
        m_view->header()->setStretchLastSection(true);
        m_view->header()->setSectionResizeMode(LogModel::Time, QHeaderView::ResizeToContents);
        m_view->header()->setSectionResizeMode(LogModel::Level, QHeaderView::ResizeToContents);

        auto *bar = new QHBoxLayout;
        bar->setContentsMargins(0, 0, 0, 0);
        bar->addWidget(m_level);
        bar->addWidget(m_text, 1);
        bar->addWidget(m_count);
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(4, 4, 4, 4);
        layout->setSpacing(4);
        layout->addLayout(bar);
        layout->addWidget(m_view, 1);

        connect(m_level, &QComboBox::currentIndexChanged, this, [this] {
            m_filter->setMinimumLevel(LogLevel(m_level->currentData().toInt()));
            updateCount();
        });
        connect(m_text, &QLineEdit::textChanged, this, [this](const QString &text) {
            m_filter->setText(text);
            updateCount();
        });
        connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
                [this](int value) { m_follow = value >= m_view->verticalScrollBar()->maximum() - 2; });
        connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
            if (m_follow)
                m_view->scrollToBottom();
            updateCount();
        });
        connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &LogPanel::updateCount);
        updateCount();
        m_view->scrollToBottom();
    }

    void LogPanel::updateCount()
    {
        m_count->setText(u"%1 of %2"_s.arg(m_filter->rowCount()).arg(m_model->rowCount()));
    }
}

#include "ui/jobs/jobspanel.h"

#include "core/jobs/jobmanager.h"
#include "ui/jobs/jobdelegate.h"
#include "ui/jobs/jobmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    JobsPanel::JobsPanel(JobManager *jobs, QWidget *parent)
        : QWidget(parent)
        , m_jobs(jobs)
        , m_model(new JobModel(jobs, this))
        , m_view(new QTreeView(this))
        , m_summary(new QLabel(this))
    {
        auto *delegate = new JobDelegate(this);
        m_view->setObjectName(u"jobsView"_s);
        m_view->setModel(m_model);
        m_view->setItemDelegate(delegate);
        m_view->setRootIsDecorated(false);
        m_view->setUniformRowHeights(true);
        m_view->setAlternatingRowColors(true);
        m_view->setMouseTracking(true);
        m_view->setSelectionMode(QAbstractItemView::SingleSelection);
        m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        QHeaderView *header = m_view->header();
        header->setStretchLastSection(false);
        header->setSectionResizeMode(JobModel::Title, QHeaderView::Interactive);
        header->setSectionResizeMode(JobModel::State, QHeaderView::ResizeToContents);
        header->setSectionResizeMode(JobModel::Progress, QHeaderView::Fixed);
        header->setSectionResizeMode(JobModel::Message, QHeaderView::Stretch);
        header->setSectionResizeMode(JobModel::Action, QHeaderView::Fixed);
        header->resizeSection(JobModel::Title, 210);
        header->resizeSection(JobModel::Progress, 120);
        header->resizeSection(JobModel::Action, fontMetrics().horizontalAdvance(u"Cancel"_s) + 40);

        m_summary->setObjectName(u"jobsSummary"_s);
        m_summary->setForegroundRole(QPalette::PlaceholderText);
        auto *clear = new QPushButton(u"Clear finished"_s, this);
        clear->setObjectName(u"clearFinishedJobs"_s);

        auto *bar = new QHBoxLayout;
        bar->setContentsMargins(0, 0, 0, 0);
        bar->addWidget(m_summary, 1);
        bar->addWidget(clear);
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(4, 4, 4, 4);
        layout->setSpacing(4);
        layout->addLayout(bar);
        layout->addWidget(m_view, 1);

        connect(delegate, &JobDelegate::cancelClicked, this, [this](quint64 id) { m_jobs->cancel(id); });
        connect(clear, &QPushButton::clicked, m_model, &JobModel::clearFinished);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, &JobsPanel::updateSummary);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &JobsPanel::updateSummary);
        connect(m_model, &QAbstractItemModel::dataChanged, this, &JobsPanel::updateSummary);
        updateSummary();
    }

    void JobsPanel::updateSummary()
    {
        int running = 0;
        int failed = 0;
        for (int row = 0; row < m_model->rowCount(); ++row)
        {
            const JobState s = m_model->record(row).state;
            running += (s == JobState::Running || s == JobState::Queued) ? 1 : 0;
            failed += s == JobState::Failed && !m_model->record(row).asksForInput ? 1 : 0;
        }
        QString text = running == 0 ? u"No job running"_s : u"%1 running"_s.arg(running);
        if (failed > 0)
            text += u" · %1 failed"_s.arg(failed);
        m_summary->setText(text);
        if (running != m_running || failed != m_failed)
        {
            m_running = running;
            m_failed = failed;
            emit countsChanged(running, failed);
        }
    }

    void JobsPanel::showJob(quint64 id)
    {
        const int row = m_model->rowOf(id);
        if (row < 0)
            return;
        const QModelIndex index = m_model->index(row, JobModel::Title);
        m_view->setCurrentIndex(index);
        m_view->scrollTo(index);
    }
}

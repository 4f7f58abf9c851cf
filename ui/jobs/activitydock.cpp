#include "ui/jobs/activitydock.h"

#include "core/jobs/jobmanager.h"
#include "ui/jobs/jobspanel.h"
#include "ui/log/logpanel.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QMouseEvent>
#include <QSettings>
#include <QTabWidget>
#include <QToolButton>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    ActivityDock::ActivityDock(JobManager *jobs, JobsPanel *jobsPanel, LogPanel *logPanel, QWidget *parent)
        : QDockWidget(u"Jobs and log"_s, parent)
        , m_jobs(jobs)
        , m_jobsPanel(jobsPanel)
        , m_logPanel(logPanel)
        , m_strip(new QWidget(this))
        , m_last(new QLabel(m_strip))
        , m_counts(new QLabel(m_strip))
        , m_open(new QToolButton(m_strip))
        , m_tabs(new QTabWidget(this))
        , m_toggle(new QAction(u"&Jobs and log"_s, this))
    {
        setObjectName(u"activityDock"_s);
        // Docked at the bottom, never closed (the strip is the closed state), never floating.
        setFeatures(QDockWidget::NoDockWidgetFeatures);
        setAllowedAreas(Qt::BottomDockWidgetArea);

        m_strip->setObjectName(u"activityStrip"_s);
        m_last->setObjectName(u"activityLast"_s);
        m_counts->setObjectName(u"activityCounts"_s);
        m_open->setObjectName(u"activityOpen"_s);
        m_last->setTextFormat(Qt::PlainText);
        m_last->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // elided by the width, never widens the window
        // As wide as its usual longest text: the strip does not shift while jobs start and end,
        // and a grab between a new text and the next layout pass never clips it.
        m_counts->setMinimumWidth(m_counts->fontMetrics().horizontalAdvance(u"no job running · 99 failed"_s));
        m_counts->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_open->setAutoRaise(true);
        m_open->setToolButtonStyle(Qt::ToolButtonTextOnly);
        auto *strip = new QHBoxLayout(m_strip);
        strip->setContentsMargins(6, 1, 4, 1);
        strip->setSpacing(12);
        strip->addWidget(m_last, 1);
        strip->addWidget(m_counts);
        strip->addWidget(m_open);
        m_strip->installEventFilter(this);
        m_last->installEventFilter(this);
        m_counts->installEventFilter(this);
        m_strip->setCursor(Qt::PointingHandCursor);
        setTitleBarWidget(m_strip);

        m_tabs->setObjectName(u"activityTabs"_s);
        m_tabs->setDocumentMode(true);
        m_tabs->addTab(m_jobsPanel, u"Jobs"_s);
        m_tabs->addTab(m_logPanel, u"Log"_s);
        setWidget(m_tabs);

        m_toggle->setObjectName(u"toggleActivity"_s);
        m_toggle->setCheckable(true);
        connect(m_toggle, &QAction::toggled, this, &ActivityDock::setExpanded);
        connect(m_open, &QToolButton::clicked, this, [this] { setExpanded(!m_expanded); });
        connect(m_jobs, &JobManager::jobChanged, this, &ActivityDock::onJobChanged);
        connect(m_jobsPanel, &JobsPanel::countsChanged, this, &ActivityDock::updateStrip);
        setExpanded(false);
    }

    int ActivityDock::stripHeight() const
    {
        return m_strip->sizeHint().height();
    }

    void ActivityDock::setExpanded(bool expanded)
    {
        if (expanded == m_expanded)
            return;
        if (!expanded && m_tabs->height() > 0)
            m_openHeight = qMax(120, height());
        m_expanded = expanded;
        // Closed, the tabs get no height but stay shown: a dock whose content is hidden is only as
        // wide as its title (QDockWidgetLayout), which packed the strip into the bottom-left corner
        // and cut its last-job line to nothing.
        m_tabs->setMaximumHeight(expanded ? QWIDGETSIZE_MAX : 0);
        if (expanded)
        {
            setMinimumHeight(0);
            setMaximumHeight(QWIDGETSIZE_MAX);
        }
        else
            setFixedHeight(stripHeight()); // one line: the central view gets the height
        if (auto *window = qobject_cast<QMainWindow *>(parentWidget()); window && expanded)
            window->resizeDocks({this}, {m_openHeight}, Qt::Vertical);
        {
            const QSignalBlocker block(m_toggle);
            m_toggle->setChecked(expanded);
        }
        updateStrip();
    }

    void ActivityDock::onJobChanged(const JobRecord &record)
    {
        const bool ended = record.state == JobState::Succeeded || record.state == JobState::Failed || record.state == JobState::Cancelled;
        if (!ended)
            return updateStrip();
        // Updates are queued: a job that ended before another keeps its place.
        if (!m_lastFinished.finishedAt.isValid() || record.finishedAt >= m_lastFinished.finishedAt)
            m_lastFinished = record;
        updateStrip();
        if (record.state == JobState::Failed && !record.asksForInput)
        {
            m_tabs->setCurrentWidget(m_jobsPanel);
            setExpanded(true);
            m_jobsPanel->showJob(record.id);
        }
    }

    QString ActivityDock::stripText() const
    {
        QString text = m_last->text();
        if (!m_counts->text().isEmpty())
            text += u" · "_s + m_counts->text();
        return text;
    }

    void ActivityDock::updateStrip()
    {
        if (m_lastFinished.id == 0)
            m_last->setText(u"No job finished yet"_s);
        else
            m_last->setText(u"Last: %1: %2 (%3)"_s.arg(m_lastFinished.title, m_lastFinished.message, toString(m_lastFinished.state)));
        m_last->setToolTip(m_lastFinished.id == 0 ? QString() : m_lastFinished.title + u"\n"_s + m_lastFinished.message);
        const int running = m_jobsPanel->runningCount();
        const int failed = m_jobsPanel->failedCount();
        QStringList counts;
        counts << (running == 0 ? u"no job running"_s : u"%1 running"_s.arg(running));
        if (failed > 0)
            counts << u"%1 failed"_s.arg(failed);
        m_counts->setText(counts.join(u" · "_s));
        m_counts->setStyleSheet(failed > 0 ? u"color:#b71c1c"_s : QString());
        m_open->setText(m_expanded ? u"Hide jobs and log ▾"_s : u"Show jobs and log ▴"_s);
    }

    bool ActivityDock::eventFilter(QObject *watched, QEvent *event)
    {
        if (event->type() == QEvent::MouseButtonRelease && static_cast<QMouseEvent *>(event)->button() == Qt::LeftButton)
        {
            setExpanded(!m_expanded);
            return true;
        }
        return QDockWidget::eventFilter(watched, event);
    }

    void ActivityDock::saveTo(QSettings &settings) const
    {
        settings.setValue(u"window/activityExpanded"_s, m_expanded);
        settings.setValue(u"window/activityHeight"_s, m_expanded ? height() : m_openHeight);
    }

    void ActivityDock::restoreFrom(QSettings &settings)
    {
        const int openHeight = qMax(120, settings.value(u"window/activityHeight"_s, m_openHeight).toInt());
        const bool expanded = settings.value(u"window/activityExpanded"_s, false).toBool();
        // restoreState may have given the dock any height: apply the saved state again.
        m_openHeight = openHeight;
        m_expanded = !expanded;
        setExpanded(expanded);
        m_openHeight = openHeight;
    }
}

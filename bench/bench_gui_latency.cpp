// Issue 5: the GUI stays responsive while a 2,000-migration apply runs in the background.
// An event-loop latency probe (a 5 ms timer recording its worst lateness) runs on the GUI thread
// while the timeline view applies 2,000 small migrations to a sandbox through its own code path
// (plan job, plan dialog accepted, apply job, reload). Prints the worst stall; target < 50 ms.
// Issue 14: then the drift view compares an empty database with those 2,000 tables (both sides
// read as jobs, the comparison, the tree filled, the script shown); target: worst stall < 16 ms.

#include "core/db/threadguard.h"
#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/sandbox/sandbox.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "ui/diff/difftree.h"
#include "ui/diff/diffview.h"
#include "ui/timeline/plandialog.h"
#include "ui/timeline/timelineactions.h"
#include "ui/timeline/timelinemodel.h"
#include "ui/timeline/timelineview.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;

namespace
{
    constexpr int kMigrations = 2000;
    constexpr int kTickMs = 5;
    constexpr qint64 kTargetMs = 50;
    constexpr qint64 kDiffTargetMs = 16;

    /// Records how late a 5 ms timer fires: the longest the event loop was blocked.
    class LatencyProbe final : public QObject
    {
    public:
        LatencyProbe()
        {
            m_timer.setTimerType(Qt::PreciseTimer);
            m_timer.setInterval(kTickMs);
            QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
                const qint64 now = m_clock.nsecsElapsed();
                if (m_recording && m_last > 0 && now - m_last - kTickMs * 1'000'000LL > m_worstNs)
                {
                    m_worstNs = now - m_last - kTickMs * 1'000'000LL;
                    m_worstPhase = m_phase;
                }
                m_last = now;
                ++m_ticks;
            });
            m_clock.start();
            m_timer.start();
        }
        void record(bool on)
        {
            m_recording = on;
            m_last = 0;
        }
        void setPhase(const char *phase) { m_phase = phase; }
        const char *worstPhase() const { return m_worstPhase; }
        double worstMs() const { return std::max<qint64>(0, m_worstNs) / 1e6; }
        qint64 ticks() const { return m_ticks; }

    private:
        QTimer m_timer;
        QElapsedTimer m_clock;
        qint64 m_last = 0;
        qint64 m_worstNs = 0;
        qint64 m_ticks = 0;
        bool m_recording = false;
        const char *m_phase = "";
        const char *m_worstPhase = "";
    };

    bool waitFor(const std::function<bool()> &done, int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (!done() && t.elapsed() < timeoutMs)
        {
            QEventLoop loop;
            QTimer::singleShot(20, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return done();
    }

    int fail(const QString &why)
    {
        std::fprintf(stderr, "bench_gui_latency: %s\n", qPrintable(why));
        return 2;
    }
}

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QTemporaryDir home;
    qputenv("DBOPS_HOME", home.path().toUtf8());
    qputenv("DBOPS_KEYCHAIN", "off");
    QApplication app(argc, argv);
    logging::Options logOptions;
    logOptions.toStderr = false;
    logOptions.toFile = false;
    logging::init(logOptions);

    QTemporaryDir dir;
    for (int i = 1; i <= kMigrations; ++i)
    {
        QFile f(dir.filePath(u"%1_create_t%1.sql"_s.arg(i, 4, 10, QLatin1Char('0'))));
        if (!f.open(QIODevice::WriteOnly))
            return fail(u"cannot write the migrations"_s);
        f.write(
            QStringLiteral("CREATE TABLE t_%1 (id bigint PRIMARY KEY, note text);\nINSERT INTO t_%1 VALUES (1, 'x');\n").arg(i).toUtf8());
    }

    std::fprintf(stderr, "starting a sandbox...\n");
    Sandbox sandbox;
    if (auto started = sandbox.start(); !started)
        return fail(started.error().toString());
    auto params = sandbox.createDatabase(u"bench_gui"_s);
    if (!params)
        return fail(params.error().toString());

    Store store(home.filePath(u"store.sqlite"_s));
    if (auto opened = store.open(); !opened)
        return fail(opened.error().toString());
    ProfileStore profiles(store);
    JobManager jobs;
    // The drift view's two sides: an empty database and the one the timeline fills (saved before the
    // GUI thread is watched: the view reads them in its jobs).
    auto empty = sandbox.createDatabase(u"bench_gui_empty"_s);
    if (!empty)
        return fail(empty.error().toString());
    ConnectionProfile emptyProfile;
    emptyProfile.name = u"bench-empty"_s;
    emptyProfile.environment = Environment::Development;
    emptyProfile.host = empty->value(u"host"_s);
    emptyProfile.port = empty->value(u"port"_s).toInt();
    emptyProfile.user = empty->value(u"user"_s);
    emptyProfile.database = empty->value(u"dbname"_s);
    if (auto saved = profiles.save(emptyProfile); !saved)
        return fail(saved.error().toString());
    setGuiThread(QThread::currentThread());

    ConnectionProfile profile;
    profile.name = u"bench"_s;
    profile.environment = Environment::Development;
    profile.host = params->value(u"host"_s);
    profile.port = params->value(u"port"_s).toInt();
    profile.user = params->value(u"user"_s);
    profile.database = params->value(u"dbname"_s);
    profile.migrationsDir = dir.path();
    setGuiThread(nullptr);
    if (auto saved = profiles.save(profile); !saved)
        return fail(saved.error().toString());
    setGuiThread(QThread::currentThread());

    TimelineView view(&jobs, &profiles, &store);
    view.resize(1300, 800);
    view.show();
    int loads = 0;
    QObject::connect(&view, &TimelineView::timelineLoaded, &view, [&loads](int) { ++loads; });
    view.setProfile(profile);
    if (!waitFor([&] { return loads >= 1; }, 120000))
        return fail(u"the timeline did not load"_s);

    LatencyProbe probe;
    bool applying = false, done = false;
    QElapsedTimer applyClock;
    QObject::connect(view.actions(), &TimelineActions::planShown, &view, [](PlanDialog *dialog) { dialog->accept(); });
    QObject::connect(view.actions(), &TimelineActions::busyChanged, &view, [&](bool busy, const QString &title) {
        if (busy && title.startsWith(u"Apply"_s))
        {
            applying = true;
            applyClock.start();
            probe.setPhase("while the apply job ran");
            probe.record(true);
        }
        else if (!busy && applying)
            probe.setPhase("showing the result and reloading 2,000 rows");
    });
    QString summary;
    QString failure;
    QObject::connect(view.actions(), &TimelineActions::actionFinished, &view, [&](bool ok, const QString &text) {
        summary = text;
        if (!ok)
            failure = text;
    });
    const int loadsBefore = loads;
    QObject::connect(&view, &TimelineView::timelineLoaded, &view, [&](int) {
        if (applying && loads > loadsBefore)
            done = true; // the reload after the apply is on screen
    });
    // The view's own path: the Apply button's action (plan job, plan dialog, apply job, reload).
    view.actions()->applyPending();
    if (!waitFor([&] { return done || !failure.isEmpty(); }, 600000) || !failure.isEmpty())
        return fail(u"the apply did not finish: "_s + summary);
    probe.record(false);
    const qint64 applyMs = applyClock.elapsed();

    int applied = 0;
    for (int r = 0; r < view.model()->rowCount(); ++r)
        applied += view.model()->index(r, 0).data(TimelineModel::StateRole).toInt() == int(MigrationState::Applied);
    if (applied != kMigrations)
        return fail(u"%1 of %2 rows applied (%3)"_s.arg(applied).arg(kMigrations).arg(summary));

    const double worst = probe.worstMs();
    std::printf("apply of %d migrations through the timeline view: %lld ms, %lld probe ticks, GUI-thread database calls: %llu\n",
                kMigrations, static_cast<long long>(applyMs), static_cast<long long>(probe.ticks()),
                static_cast<unsigned long long>(guiThreadDatabaseCalls()));
    std::printf("worst GUI stall during %d-migration apply: %.1f ms (target < %lld ms) %s\n", kMigrations, worst,
                static_cast<long long>(kTargetMs), worst < kTargetMs ? "PASS" : "MISS");
    std::printf("  (the worst stall happened %s)\n", probe.worstPhase());

    // Issue 14: the drift view, empty database versus the 2,000 tables.
    LatencyProbe diffProbe;
    DiffView diff(&store, &profiles, &jobs, nullptr);
    diff.resize(1300, 800);
    diff.show();
    diff.setTarget(emptyProfile, {});
    diff.setSide(DiffView::Which::From, {DiffView::SideKind::Profile, emptyProfile.name, {}});
    diff.setSide(DiffView::Which::To, {DiffView::SideKind::Profile, profile.name, {}});
    waitFor([] { return false; }, 300); // the view's first layout and paint (its profile list read) are not the diff's
    bool diffCompared = false;          // the tree filled and the script shown (compared() comes last)
    QObject::connect(&diff, &DiffView::compared, &diff, [&] {
        diffCompared = true;
        diffProbe.setPhase("laying out and painting the tree and the script");
    });
    QObject::connect(&diff, &DiffView::sideLoaded, &diff,
                     [&](DiffView::Which, bool) { diffProbe.setPhase("comparing and filling the tree"); });
    QElapsedTimer diffClock;
    diffClock.start();
    diffProbe.setPhase("reading both sides");
    diffProbe.record(true);
    diff.loadBoth();
    if (!waitFor([&] { return diffCompared && !diff.isFillingScript(); }, 600000))
        return fail(u"the drift view did not compare: "_s + diff.summaryLabel()->text());
    // A few frames after: the tree and the editor laid out and painted.
    waitFor([] { return false; }, 200);
    diffProbe.record(false);
    const qint64 diffMs = diffClock.elapsed();
    int changes = 0;
    for (int r = 0; r < diff.model()->rowCount(); ++r)
        for (int k = 0; k < diff.model()->rowCount(diff.model()->index(r, 0)); ++k)
            changes += diff.model()->rowCount(diff.model()->index(k, 0, diff.model()->index(r, 0)));
    const double diffWorst = diffProbe.worstMs();
    std::printf("drift view, empty database versus %d tables: %lld ms to compare and show %d change rows (%d script lines)\n", kMigrations,
                static_cast<long long>(diffMs), changes, int(diff.script().count(u'\n')));
    std::printf("worst GUI stall while the %d-table diff loads and its tree fills: %.1f ms (target < %lld ms, one frame) %s\n", kMigrations,
                diffWorst, static_cast<long long>(kDiffTargetMs), diffWorst < kDiffTargetMs ? "PASS" : "MISS");
    std::printf("  (the worst stall happened %s); GUI-thread database calls: %llu\n", diffProbe.worstPhase(),
                static_cast<unsigned long long>(guiThreadDatabaseCalls()));
    jobs.shutdown(10000);
    return worst < kTargetMs && diffWorst < kDiffTargetMs && guiThreadDatabaseCalls() == 0 ? 0 : 1;
}

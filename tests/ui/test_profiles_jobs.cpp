// The console's profile writes run in jobs, never on the GUI thread (issue 11): new/edit/delete
// through ProfileActions and the dialog, the window's list and connect, with the GUI-thread guard
// watching the whole suite (no libpq and no SQLite call on the GUI thread).

#include "core/jobs/jobmanager.h"
#include "core/logging/log.h"
#include "core/store/profilestore.h"
#include "core/store/store.h"
#include "tests/support/guithreadwatch.h"
#include "ui/jobs/viewjobs.h"
#include "ui/main/mainwindow.h"
#include "ui/profiles/profileactions.h"
#include "ui/profiles/profiledialog.h"
#include "ui/profiles/profilesidebar.h"
#include "ui/profiles/profiletreemodel.h"
#include "tests/support/pgfixture.h"

#include <QApplication>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWidget>

using namespace Qt::Literals::StringLiterals;
using namespace dbops;
using dbops::test::fixture;

namespace
{
    ConnectionProfile plainProfile(const QString &name, Environment env)
    {
        ConnectionProfile p;
        p.name = name;
        p.environment = env;
        p.host = u"db.example.com"_s;
        p.database = u"app"_s;
        return p;
    }

    /// Acts on the next modal profile dialog from inside its own event loop.
    void onNextDialog(QObject *context, std::function<void(ProfileDialog *)> act)
    {
        auto *poll = new QTimer(context);
        QObject::connect(poll, &QTimer::timeout, context, [poll, act] {
            if (auto *dialog = qobject_cast<ProfileDialog *>(QApplication::activeModalWidget()))
            {
                poll->stop();
                poll->deleteLater();
                act(dialog);
            }
        });
        poll->start(10);
    }
}

class TestProfilesJobs final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        qputenv("DBOPS_HOME", m_home.path().toUtf8());
        qputenv("DBOPS_KEYCHAIN", "off");
        dbops::test::quietLogging();
        dbops::test::watchGuiThread();
    }

    void init()
    {
        m_store = std::make_unique<Store>(m_home.filePath(u"store-%1.sqlite"_s.arg(++m_counter)));
        QVERIFY(fixture([&] { return m_store->open(); }).has_value());
        m_profiles = std::make_unique<ProfileStore>(*m_store);
        m_jobs = std::make_unique<JobManager>();
    }

    void cleanup()
    {
        m_jobs->shutdown(5000);
        m_jobs.reset();
        m_profiles.reset();
        m_store.reset();
    }

    void cleanupTestCase() { dbops::test::verifyGuiThreadClean(); }

    void deleteRunsInJobs()
    {
        QVERIFY(fixture([&] { return m_profiles->save(plainProfile(u"old-dev"_s, Environment::Development)); }).has_value());
        QWidget parent;
        ProfileActions actions(*m_profiles, *m_jobs, &parent);
        ConnectionProfile confirmed;
        actions.setConfirm([&](const ConnectionProfile &p) {
            confirmed = p;
            return true;
        });
        QSignalSpy changed(&actions, &ProfileActions::profilesChanged);
        actions.deleteProfile(u"old-dev"_s);
        QCOMPARE(changed.size(), 0); // returns at once: the read and the removal are jobs
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 60000);
        QCOMPARE(confirmed.name, u"old-dev"_s); // confirmed with the stored profile
        QCOMPARE(fixture([&] { return m_profiles->get(u"old-dev"_s); }).error().code, ErrorCode::NotFound);
    }

    void deleteOfAnUnknownProfileSaysSo()
    {
        QWidget parent;
        ProfileActions actions(*m_profiles, *m_jobs, &parent);
        bool asked = false;
        actions.setConfirm([&](const ConnectionProfile &) { return asked = true; });
        QSignalSpy changed(&actions, &ProfileActions::profilesChanged);
        // The error is shown in a message box: close it from its own loop.
        QTimer closer;
        connect(&closer, &QTimer::timeout, this, [] {
            if (QWidget *box = QApplication::activeModalWidget())
                box->close();
        });
        closer.start(10);
        actions.deleteProfile(u"nobody"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!actions.jobs()->isBusy() && m_jobs->activeCount() == 0 && !m_jobs->records().isEmpty()
                                     && m_jobs->records().last().state == JobState::Failed,
                                 60000);
        QVERIFY(!asked);
        QCOMPARE(changed.size(), 0);
    }

    void editSavesInAJob()
    {
        QVERIFY(fixture([&] { return m_profiles->save(plainProfile(u"orders-dev"_s, Environment::Development)); }).has_value());
        QWidget parent;
        ProfileActions actions(*m_profiles, *m_jobs, &parent);
        QSignalSpy changed(&actions, &ProfileActions::profilesChanged);
        bool wasAcceptedAtOnce = true;
        onNextDialog(this, [&](ProfileDialog *dialog) {
            dialog->findChild<QLineEdit *>(u"host"_s)->setText(u"db2.example.com"_s);
            dialog->accept();
            wasAcceptedAtOnce = dialog->result() == QDialog::Accepted; // no: accepted once stored
        });
        actions.editProfile(u"orders-dev"_s);
        QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 60000);
        QVERIFY(!wasAcceptedAtOnce);
        QCOMPARE(changed.at(0).at(0).toString(), u"orders-dev"_s);
        QCOMPARE(fixture([&] { return m_profiles->get(u"orders-dev"_s); })->host, u"db2.example.com"_s);
    }

    void newProfileSavesInAJobAndShowsInTheWindow()
    {
        MainWindow window({m_store.get(), m_profiles.get(), m_jobs.get()});
        QSignalSpy loaded(&window, &MainWindow::profilesLoaded);
        onNextDialog(this, [](ProfileDialog *dialog) {
            dialog->findChild<QLineEdit *>(u"profileName"_s)->setText(u"shop-staging"_s);
            dialog->findChild<QLineEdit *>(u"host"_s)->setText(u"db.example.com"_s);
            dialog->findChild<QLineEdit *>(u"database"_s)->setText(u"shop"_s);
            dialog->accept();
        });
        window.profileActions()->newProfile();
        QTRY_VERIFY_WITH_TIMEOUT(window.sidebar()->model()->profile(u"shop-staging"_s), 60000);
        QCOMPARE(window.sidebar()->currentProfileName(), u"shop-staging"_s);
        QVERIFY(fixture([&] { return m_profiles->get(u"shop-staging"_s); }).has_value());
    }

private:
    QTemporaryDir m_home;
    int m_counter = 0;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ProfileStore> m_profiles;
    std::unique_ptr<JobManager> m_jobs;
};

QTEST_MAIN(TestProfilesJobs)
#include "test_profiles_jobs.moc"

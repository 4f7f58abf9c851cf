#include "app/cli/common.h"

#include "core/jobs/job.h"
#include "core/sandbox/localsandbox.h"
#include "core/store/profilestore.h"

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    int cmdSandbox(Context &ctx)
    {
        QCommandLineParser parser;
        parser.addPositionalArgument(u"action"_s, u"start, stop, url or status."_s, u"start|stop|url|status"_s);
        int code = 0;
        if (!parse(parser, ctx,
                   u"The embedded local PostgreSQL behind the 'Local sandbox' profile: a persistent cluster in the "
                   u"app data folder with the demo database. 'start' prints its URL."_s,
                   &code, 1))
            return code;
        const QStringList pos = parser.positionalArguments();
        if (pos.size() != 1)
            return report(Error::make(ErrorCode::Usage, u"sandbox needs one action: start, stop, url or status"_s));
        const QString action = pos.first();
        if (action == u"start"_s)
        {
            if (auto created = LocalSandbox::ensureDefaultProfile(*ctx.profiles); !created)
                return report(created.error());
            auto result = runJob(ctx, u"Sandbox"_s, [&](JobContext &jc) {
                jc.progress(0, 1, u"starting the local sandbox in "_s + LocalSandbox::dataDir());
                auto profile = LocalSandbox::start(*ctx.profiles, jc.token());
                if (!profile)
                    throw Exception(profile.error());
                auto url = LocalSandbox::url();
                if (!url)
                    throw Exception(url.error());
                return QVariant(*url);
            });
            if (!result)
                return report(result.error());
            out() << result->toString() << Qt::endl;
            return 0;
        }
        if (action == u"stop"_s)
        {
            auto result = runJob(ctx, u"Sandbox"_s, [](JobContext &jc) {
                jc.progress(0, 1, u"stopping the local sandbox"_s);
                if (auto stopped = LocalSandbox::stop(); !stopped)
                    throw Exception(stopped.error());
                return QVariant();
            });
            if (!result)
                return report(result.error());
            out() << "Local sandbox stopped." << Qt::endl;
            return 0;
        }
        if (action == u"url"_s)
        {
            auto url = LocalSandbox::url();
            if (!url)
                return report(url.error());
            out() << *url << Qt::endl;
            return 0;
        }
        if (action == u"status"_s)
        {
            const bool running = LocalSandbox::isRunning();
            out() << (running ? "running" : "stopped") << " (" << LocalSandbox::dataDir() << ")" << Qt::endl;
            return running ? 0 : 3;
        }
        return report(Error::make(ErrorCode::Usage, u"unknown sandbox action '%1' (start, stop, url or status)"_s.arg(action)));
    }
}

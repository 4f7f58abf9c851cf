#include "app/cli/commands.h"

#include "core/jobs/job.h"
#include "core/sandbox/localsandbox.h"
#include "core/store/profilestore.h"

#include <QJsonObject>

using namespace Qt::Literals::StringLiterals;

namespace dbops::cli
{
    namespace
    {
        Output start(Context &ctx)
        {
            if (auto created = LocalSandbox::ensureDefaultProfile(*ctx.profiles); !created)
                return Output::failure(created.error());
            auto result = runTyped(ctx, makeJob<QString>(u"Sandbox"_s, [&ctx](JobContext &jc) {
                                       jc.progress(0, 1, u"starting the local sandbox in "_s + LocalSandbox::dataDir());
                                       if (auto profile = LocalSandbox::start(*ctx.profiles, jc.token()); !profile)
                                           throw Exception(profile.error());
                                       auto url = LocalSandbox::url();
                                       if (!url)
                                           throw Exception(url.error());
                                       return *url;
                                   }));
            if (!result.ok())
                return Output::failure(*result.error);
            return Output::document({}, *result.value + u'\n');
        }

        Output stop(Context &ctx)
        {
            auto result = runTyped(ctx, makeJob<bool>(u"Sandbox"_s, [](JobContext &jc) {
                                       jc.progress(0, 1, u"stopping the local sandbox"_s);
                                       if (auto stopped = LocalSandbox::stop(); !stopped)
                                           throw Exception(stopped.error());
                                       return true;
                                   }));
            if (!result.ok())
                return Output::failure(*result.error);
            return Output::document({}, u"Local sandbox stopped.\n"_s);
        }

        Output sandbox(Invocation &in)
        {
            const QString action = in.values.arg(u"start|stop|url|status"_s);
            if (action == u"start"_s)
                return start(in.ctx);
            if (action == u"stop"_s)
                return stop(in.ctx);
            if (action == u"url"_s)
            {
                auto url = LocalSandbox::url();
                if (!url)
                    return Output::failure(url.error());
                return Output::document({}, *url + u'\n');
            }
            const bool running = LocalSandbox::isRunning();
            return Output::document({}, u"%1 (%2)\n"_s.arg(running ? u"running"_s : u"stopped"_s, LocalSandbox::dataDir()),
                                    running ? 0 : 3);
        }
    }

    CommandSpec sandboxCommand()
    {
        ArgumentSpec action{u"start|stop|url|status"_s, ValueType::Choice, u"start, stop, url or status."_s};
        action.choices = {u"start"_s, u"stop"_s, u"url"_s, u"status"_s};
        action.what = u"sandbox action"_s;
        return {u"sandbox"_s,
                u"The embedded local PostgreSQL: start, stop, url, status"_s,
                u"The embedded local PostgreSQL behind the 'Local sandbox' profile: a persistent cluster in the app data folder with "
                u"the demo database. 'start' prints its URL."_s,
                {action},
                {},
                {},
                {},
                {},
                &sandbox};
    }
}

#include "core/migrate/sqldiff.h"

#include <QStringList>

#include <dtl/dtl.hpp>

#include <sstream>

#include <string>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        std::vector<std::string> lines(const QString &text)
        {
            std::vector<std::string> out;
            for (QString line : text.split(u'\n'))
            {
                line.replace(u"\r"_s, u"\\r"_s);
                out.push_back(line.toStdString());
            }
            if (!out.empty() && out.back().empty())
                out.pop_back();
            return out;
        }
    }

    QString unifiedDiff(const QString &before, const QString &after, const QString &beforeName, const QString &afterName)
    {
        const std::vector<std::string> a = lines(before), b = lines(after);
        dtl::Diff<std::string> diff(a, b);
        diff.compose();
        diff.composeUnifiedHunks();
        std::ostringstream out;
        diff.printUnifiedFormat(out);
        const QString body = QString::fromStdString(out.str());
        if (body.isEmpty())
            return {};
        return u"--- "_s + beforeName + u"\n+++ "_s + afterName + u'\n' + body;
    }
}

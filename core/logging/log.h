#pragma once

#include <QString>

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

/// Lets spdlog format QString arguments: spdlog::info("applied {}", name).
template <>
struct fmt::formatter<QString> : fmt::formatter<std::string_view>
{
    template <typename FormatContext>
    auto format(const QString &s, FormatContext &ctx) const
    {
        const QByteArray utf8 = s.toUtf8();
        return fmt::formatter<std::string_view>::format(std::string_view(utf8.constData(), size_t(utf8.size())), ctx);
    }
};

namespace dbops::logging
{
    struct Options
    {
        bool toStderr = true; ///< the CLI logs to stderr
        bool toFile = true;   ///< rotating file in the app data folder
        bool toBuffer = true; ///< the in-app Log pane
        spdlog::level::level_enum stderrLevel = spdlog::level::info;
        QString fileDir; ///< default: <appDataDir>/logs
    };

    /// Installs the default logger: every sink sits behind one redacting sink, so no password or
    /// secret reaches a file, the Log pane or stderr. Safe to call again (replaces the sinks).
    void init(const Options &options);
    /// The log file path in use, or empty.
    QString logFilePath();
    void setStderrLevel(spdlog::level::level_enum level);
}

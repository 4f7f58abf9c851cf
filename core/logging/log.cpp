#include "core/logging/log.h"

#include "core/logging/logbuffer.h"
#include "core/logging/redact.h"
#include "core/paths.h"

#include <QDir>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

using namespace Qt::Literals::StringLiterals;

namespace dbops::logging
{
    namespace
    {
        QString s_logFile;
        std::shared_ptr<spdlog::sinks::sink> s_stderrSink;

        LogLevel fromSpd(spdlog::level::level_enum level)
        {
            switch (level)
            {
            case spdlog::level::trace:
                return LogLevel::Trace;
            case spdlog::level::debug:
                return LogLevel::Debug;
            case spdlog::level::info:
                return LogLevel::Info;
            case spdlog::level::warn:
                return LogLevel::Warning;
            case spdlog::level::err:
                return LogLevel::Error;
            default:
                return LogLevel::Critical;
            }
        }

        /// Feeds the in-app ring buffer.
        class BufferSink final : public spdlog::sinks::base_sink<std::mutex>
        {
        protected:
            void sink_it_(const spdlog::details::log_msg &msg) override
            {
                LogRecord r;
                r.time = QDateTime::fromMSecsSinceEpoch(
                    std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count());
                r.level = fromSpd(msg.level);
                r.logger = QString::fromUtf8(msg.logger_name.data(), qsizetype(msg.logger_name.size()));
                r.message = QString::fromUtf8(msg.payload.data(), qsizetype(msg.payload.size()));
                LogBuffer::instance()->append(std::move(r));
            }
            void flush_() override {}
        };

        /// Redacts every record once, then hands it to the real sinks.
        class RedactingSink final : public spdlog::sinks::base_sink<std::mutex>
        {
        public:
            explicit RedactingSink(std::vector<spdlog::sink_ptr> sinks)
                : m_sinks(std::move(sinks))
            {
            }

        protected:
            void sink_it_(const spdlog::details::log_msg &msg) override
            {
                const std::string clean = redactSecrets(std::string_view(msg.payload.data(), msg.payload.size()));
                spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, clean);
                copy.thread_id = msg.thread_id;
                for (const auto &sink : m_sinks)
                    if (sink->should_log(copy.level))
                        sink->log(copy);
            }
            void flush_() override
            {
                for (const auto &sink : m_sinks)
                    sink->flush();
            }

        private:
            std::vector<spdlog::sink_ptr> m_sinks;
        };
    }

    void init(const Options &options)
    {
        // A re-init replaces every sink: forget the previous file and stderr sink.
        s_logFile.clear();
        s_stderrSink.reset();
        std::vector<spdlog::sink_ptr> sinks;
        if (options.toStderr)
        {
            s_stderrSink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic);
            s_stderrSink->set_pattern("%^%l%$: %v");
            s_stderrSink->set_level(options.stderrLevel);
            sinks.push_back(s_stderrSink);
        }
        if (options.toFile)
        {
            const QString dir = options.fileDir.isEmpty() ? paths::appDataDir() + u"/logs"_s : options.fileDir;
            QDir().mkpath(dir);
            s_logFile = dir + u"/dbops.log"_s;
            try
            {
                auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(s_logFile.toStdString(), 5 * 1024 * 1024, 5);
                file->set_pattern("%Y-%m-%d %H:%M:%S.%e [%l] [%t] %v");
                file->set_level(spdlog::level::debug);
                sinks.push_back(file);
            }
            catch (const spdlog::spdlog_ex &)
            {
                s_logFile.clear(); // a read-only home must not stop the tool; stderr still works
            }
        }
        if (options.toBuffer)
        {
            auto buffer = std::make_shared<BufferSink>();
            buffer->set_level(spdlog::level::debug);
            sinks.push_back(buffer);
        }
        auto redacting = std::make_shared<RedactingSink>(std::move(sinks));
        auto logger = std::make_shared<spdlog::logger>("dbops", redacting);
        logger->set_level(spdlog::level::debug);
        logger->flush_on(spdlog::level::warn);
        spdlog::set_default_logger(logger);
    }

    QString logFilePath()
    {
        return s_logFile;
    }

    void setStderrLevel(spdlog::level::level_enum level)
    {
        if (s_stderrSink)
            s_stderrSink->set_level(level);
    }
}

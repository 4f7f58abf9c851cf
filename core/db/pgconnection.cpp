#include "core/db/pgconnection.h"

#include "core/db/threadguard.h"
#include "core/jobs/canceltoken.h"
#include "core/logging/log.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMultiHash>
#include <QMutex>

#include <libpq-fe.h>

#include <optional>
#include <vector>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    namespace
    {
        using PgConnPtr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
        using PgResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;
        using PgCancelPtr = std::unique_ptr<PGcancel, decltype(&PQfreeCancel)>;

        constexpr quint32 kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26, kFloat4Oid = 700,
                          kFloat8Oid = 701;

        QString field(const PGresult *res, int code)
        {
            const char *v = PQresultErrorField(res, code);
            return v ? QString::fromUtf8(v) : QString();
        }

        Error connectError(PGconn *conn)
        {
            const QString text = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
            Error e = Error::make(ErrorCode::Connect, text);
            const QString lower = text.toLower();
            if (lower.contains(u"password authentication failed"_s) || lower.contains(u"no password supplied"_s)
                || lower.contains(u"authentication failed"_s) || lower.contains(u"pg_hba.conf"_s))
                e.code = ErrorCode::Auth;
            else if (lower.contains(u"invalid connection option"_s) || lower.contains(u"invalid sslmode"_s)
                     || lower.contains(u"definition of service"_s) || lower.contains(u"invalid uri"_s) || lower.contains(u"invalid port"_s)
                     || lower.contains(u"invalid integer value"_s) || lower.contains(u"invalid target_session_attrs"_s)
                     || lower.contains(u"invalid gssencmode"_s))
                e.code = ErrorCode::BadInput;
            if (lower.contains(u"does not exist"_s) && lower.contains(u"database"_s))
                e.code = ErrorCode::NotFound;
            return e;
        }

        QVariant convert(const PGresult *res, int row, int col, quint32 oid)
        {
            if (PQgetisnull(res, row, col))
                return {};
            const char *v = PQgetvalue(res, row, col);
            switch (oid)
            {
            case kBoolOid:
                return QVariant(v[0] == 't');
            case kInt2Oid:
            case kInt4Oid:
            case kInt8Oid:
            case kOidOid:
                return QVariant(QByteArray(v).toLongLong());
            case kFloat4Oid:
            case kFloat8Oid:
                return QVariant(QByteArray(v).toDouble());
            case kByteaOid: {
                size_t len = 0;
                unsigned char *raw = PQunescapeBytea(reinterpret_cast<const unsigned char *>(v), &len);
                QByteArray bytes(reinterpret_cast<const char *>(raw), qsizetype(len));
                PQfreemem(raw);
                return QVariant(bytes);
            }
            default:
                return QVariant(QString::fromUtf8(v, PQgetlength(res, row, col)));
            }
        }

        QueryResult toResult(const PGresult *res)
        {
            QueryResult out;
            out.commandTag = QString::fromUtf8(PQcmdStatus(const_cast<PGresult *>(res)));
            out.affectedRows = QByteArray(PQcmdTuples(const_cast<PGresult *>(res))).toLongLong();
            const int nf = PQnfields(res);
            const int nr = PQntuples(res);
            out.columns.reserve(nf);
            for (int c = 0; c < nf; ++c)
            {
                out.columns << QString::fromUtf8(PQfname(res, c));
                out.typeOids << quint32(PQftype(res, c));
            }
            out.indexColumns();
            out.rows.reserve(nr);
            for (int r = 0; r < nr; ++r)
            {
                QList<QVariant> row;
                row.reserve(nf);
                for (int c = 0; c < nf; ++c)
                    row << convert(res, r, c, out.typeOids[c]);
                out.rows << std::move(row);
            }
            return out;
        }

        /// Text (or binary, for QByteArray) parameter values kept alive for one libpq call.
        struct Params
        {
            std::vector<QByteArray> storage;
            std::vector<const char *> values;
            std::vector<int> lengths;
            std::vector<int> formats;
            std::vector<Oid> types;

            explicit Params(const QVariantList &list)
            {
                storage.reserve(size_t(list.size()));
                for (const QVariant &v : list)
                {
                    Oid type = 0;
                    int format = 0;
                    if (!v.isValid() || v.isNull())
                    {
                        storage.emplace_back();
                        values.push_back(nullptr);
                        lengths.push_back(0);
                        formats.push_back(0);
                        types.push_back(0);
                        continue;
                    }
                    QByteArray bytes;
                    switch (v.metaType().id())
                    {
                    case QMetaType::Bool:
                        bytes = v.toBool() ? "t" : "f";
                        break;
                    case QMetaType::QByteArray:
                        bytes = v.toByteArray();
                        format = 1;
                        type = kByteaOid;
                        break;
                    case QMetaType::QDateTime:
                        bytes = v.toDateTime().toUTC().toString(Qt::ISODateWithMs).toUtf8();
                        break;
                    default:
                        bytes = v.toString().toUtf8();
                    }
                    storage.push_back(bytes);
                    values.push_back(storage.back().constData());
                    lengths.push_back(int(storage.back().size()));
                    formats.push_back(format);
                    types.push_back(type);
                }
            }
        };

        void noticeReceiver(void *arg, const PGresult *res);

        /// This process's open connections, by server ("host:port" as answeredBy() says) and
        /// backend pid: how a restore tells dbops's own sessions from everybody else's.
        struct OwnBackends
        {
            QMutex mutex;
            QMultiHash<QString, int> pids;
        };
        OwnBackends &ownBackends()
        {
            static OwnBackends own;
            return own;
        }
    }

    struct PgConnection::Impl
    {
        PgConnPtr conn{nullptr, &PQfinish};
        PgCancelPtr cancel{nullptr, &PQfreeCancel};
        ConnectParams params;
        std::function<void(const QString &, const QString &)> noticeListener;
        QString ownServer; ///< set once registered in ownBackends(); removed before PQfinish
        int ownPid = 0;

        Impl() = default;
        Impl(const Impl &) = delete;
        Impl &operator=(const Impl &) = delete;
        ~Impl()
        {
            if (ownPid == 0)
                return;
            QMutexLocker locked(&ownBackends().mutex);
            ownBackends().pids.remove(ownServer, ownPid);
        }

        Error resultError(const PGresult *res, CancelToken *token) const
        {
            Error e;
            e.code = ErrorCode::OperationFailed;
            e.sqlstate = field(res, PG_DIAG_SQLSTATE);
            e.message = field(res, PG_DIAG_MESSAGE_PRIMARY);
            if (e.message.isEmpty())
                e.message = QString::fromUtf8(res ? PQresultErrorMessage(res) : PQerrorMessage(conn.get())).trimmed();
            if (e.message.isEmpty())
                e.message = QString::fromUtf8(PQerrorMessage(conn.get())).trimmed();
            e.detail = field(res, PG_DIAG_MESSAGE_DETAIL);
            e.hint = field(res, PG_DIAG_MESSAGE_HINT);
            e.position = field(res, PG_DIAG_STATEMENT_POSITION).toInt();
            if (PQstatus(conn.get()) == CONNECTION_BAD)
            {
                e.code = ErrorCode::Connect;
                if (e.sqlstate.isEmpty())
                    e.sqlstate = u"08006"_s;
            }
            if (e.sqlstate == u"57014"_s && token && token->isCancelled())
                e.code = ErrorCode::Cancelled;
            return e;
        }

        void checkOpen() const
        {
            if (PQstatus(conn.get()) != CONNECTION_OK)
            {
                Error e = Error::make(ErrorCode::Connect, u"no connection to the server"_s);
                e.sqlstate = u"08003"_s;
                throw Exception(e);
            }
        }

        /// Hooks a libpq cancel request to the token for the duration of one call.
        CancelHookScope cancelScope(CancelToken *token)
        {
            PGcancel *c = cancel.get();
            return CancelHookScope(token, [c] {
                if (!c)
                    return;
                char err[256];
                PQcancel(c, err, sizeof err);
            });
        }
    };

    namespace
    {
        void noticeReceiver(void *arg, const PGresult *res)
        {
            auto *impl = static_cast<PgConnection::Impl *>(arg);
            const QString severity = field(res, PG_DIAG_SEVERITY_NONLOCALIZED);
            const QString message = field(res, PG_DIAG_MESSAGE_PRIMARY);
            if (severity == u"WARNING"_s)
                spdlog::warn("server {}: {}", severity, message);
            else
                spdlog::info("server {}: {}", severity, message);
            if (impl->noticeListener)
                impl->noticeListener(severity, message);
        }
    }

    PgConnection::PgConnection(std::unique_ptr<Impl> impl)
        : d(std::move(impl))
    {
    }

    PgConnection::~PgConnection() = default;

    std::unique_ptr<PgConnection> PgConnection::open(const ConnectParams &params, const ConnectOptions &options, CancelToken *token)
    {
        noteDatabaseCall("open");
        ConnectParams effective = params;
        if (!effective.has(u"application_name"_s) && !options.applicationName.isEmpty())
            effective.set(u"application_name"_s, options.applicationName);
        if (!effective.has(u"connect_timeout"_s) && options.connectTimeoutSec > 0)
            effective.set(u"connect_timeout"_s, QString::number(options.connectTimeoutSec));

        const QString what = u"connecting to "_s + effective.shortName();
        // The connect_timeout asked for (the URL's, else ours); with a budget, each attempt gets at
        // most what is left of it. A value libpq cannot read is left for libpq to refuse.
        bool timeoutOk = false;
        const int askedTimeout = effective.value(u"connect_timeout"_s).toInt(&timeoutOk);
        const auto attempt = [&] {
            if (token)
                token->throwIfCancelled();
            if (options.budget && timeoutOk && options.budget->maxWaitMs() >= 0)
            {
                const qint64 left = (options.budget->remainingMs() + 999) / 1000;
                const int cut = int(std::max<qint64>(1, std::min<qint64>(askedTimeout > 0 ? askedTimeout : left, left)));
                effective.set(u"connect_timeout"_s, QString::number(cut));
            }
            std::vector<QByteArray> keys, vals;
            for (const auto &[k, v] : effective.keywords)
            {
                keys.push_back(k.toUtf8());
                vals.push_back(v.toUtf8());
            }
            if (!effective.password.isEmpty())
            {
                keys.push_back("password");
                vals.push_back(effective.password.toUtf8());
            }
            std::vector<const char *> kp, vp;
            for (size_t i = 0; i < keys.size(); ++i)
            {
                kp.push_back(keys[i].constData());
                vp.push_back(vals[i].constData());
            }
            kp.push_back(nullptr);
            vp.push_back(nullptr);

            auto impl = std::make_unique<Impl>();
            impl->params = effective;
            impl->conn.reset(PQconnectdbParams(kp.data(), vp.data(), 0));
            // Scrub our copies of the password.
            for (auto &v : vals)
                v.fill('\0');
            if (!impl->conn)
                throw Exception(ErrorCode::Connect, u"out of memory creating a connection"_s);
            if (PQstatus(impl->conn.get()) != CONNECTION_OK)
                throw Exception(connectError(impl->conn.get()));
            impl->cancel.reset(PQgetCancel(impl->conn.get()));
            PQsetNoticeReceiver(impl->conn.get(), &noticeReceiver, impl.get());
            impl->ownServer = QString::fromUtf8(PQhost(impl->conn.get())) + u':' + QString::fromUtf8(PQport(impl->conn.get()));
            impl->ownPid = PQbackendPID(impl->conn.get());
            {
                QMutexLocker locked(&ownBackends().mutex);
                ownBackends().pids.insert(impl->ownServer, impl->ownPid);
            }
            auto connected = std::unique_ptr<PgConnection>(new PgConnection(std::move(impl)));
            // With several hosts, say which one answered (libpq tried them in order).
            if (effective.hostPorts().size() > 1)
                spdlog::info("connected to {} (answered by {})", effective.shortName(), connected->answeredBy());
            else
                spdlog::debug("connected to {} (server {}, pid {})", effective.shortName(), QString::number(connected->serverVersionNum()),
                              connected->backendPid());
            return connected;
        };
        if (!options.budget)
            return withRetry(options.retry, token, what, attempt);
        // One budget for the whole operation: this loop and the caller's draw on it together.
        for (;;)
        {
            QElapsedTimer timer;
            timer.start();
            try
            {
                auto conn = attempt();
                options.budget->spend(timer.elapsed());
                return conn;
            }
            catch (const Exception &e)
            {
                options.budget->spend(timer.elapsed());
                if (!isTransient(e.error()))
                    throw;
                options.budget->noteFailure(what, e.error());
                if (!options.budget->retry(options.retry, token))
                    throw Exception(options.budget->exhausted(e.error()));
            }
        }
    }

    Expected<std::unique_ptr<PgConnection>> PgConnection::tryOpen(const ConnectParams &params, const ConnectOptions &options,
                                                                  CancelToken *token)
    {
        return catchErrors([&] { return open(params, options, token); });
    }

    QueryResult PgConnection::exec(const QString &sql, const QVariantList &params, CancelToken *token)
    {
        noteDatabaseCall("exec");
        d->checkOpen();
        if (token)
            token->throwIfCancelled();
        const QByteArray text = sql.toUtf8();
        auto scope = d->cancelScope(token);
        // A cancel between the check above and the hook ran its (no-op) PQcancel already; without
        // this second check the query would then run to its end.
        if (token)
            token->throwIfCancelled();
        PgResultPtr res(nullptr, &PQclear);
        if (params.isEmpty())
            res.reset(PQexec(d->conn.get(), text.constData()));
        else
        {
            Params p(params);
            res.reset(PQexecParams(d->conn.get(), text.constData(), int(p.values.size()), p.types.data(), p.values.data(), p.lengths.data(),
                                   p.formats.data(), 0));
        }
        const ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
            throw Exception(d->resultError(res.get(), token));
        return toResult(res.get());
    }

    Expected<QueryResult> PgConnection::tryExec(const QString &sql, const QVariantList &params, CancelToken *token)
    {
        return catchErrors([&] { return exec(sql, params, token); });
    }

    QList<QueryResult> PgConnection::execPipeline(const QList<PipelineStep> &steps, CancelToken *token, int *failedStep,
                                                  const std::function<void(int)> &onStepDone)
    {
        noteDatabaseCall("execPipeline");
        d->checkOpen();
        if (token)
            token->throwIfCancelled();
        if (failedStep)
            *failedStep = -1;
        PGconn *c = d->conn.get();
        if (PQenterPipelineMode(c) != 1)
            throw Exception(ErrorCode::Internal, u"could not enter pipeline mode: "_s + QString::fromUtf8(PQerrorMessage(c)));
        auto scope = d->cancelScope(token);
        if (token && token->isCancelled())
        {
            PQexitPipelineMode(c);
            token->throwIfCancelled();
        }
        struct ExitPipeline
        {
            PGconn *c;
            ~ExitPipeline() { PQexitPipelineMode(c); }
        } exitGuard{c};

        for (const PipelineStep &step : steps)
        {
            Params p(step.params);
            const QByteArray text = step.sql.toUtf8();
            if (PQsendQueryParams(c, text.constData(), int(p.values.size()), p.types.data(), p.values.data(), p.lengths.data(),
                                  p.formats.data(), 0)
                != 1)
                throw Exception(d->resultError(nullptr, token));
        }
        if (PQpipelineSync(c) != 1)
            throw Exception(d->resultError(nullptr, token));

        QList<QueryResult> results;
        std::optional<Error> firstError;
        int index = 0;
        // Each step yields its result then a NULL; the sync yields PGRES_PIPELINE_SYNC.
        for (;;)
        {
            PgResultPtr res(PQgetResult(c), &PQclear);
            if (!res)
            {
                if (PQstatus(c) == CONNECTION_BAD)
                    throw Exception(d->resultError(nullptr, token));
                continue;
            }
            const ExecStatusType status = PQresultStatus(res.get());
            if (status == PGRES_PIPELINE_SYNC)
                break;
            if (status == PGRES_PIPELINE_ABORTED)
            {
                ++index;
                continue;
            }
            if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
            {
                results << toResult(res.get());
                if (onStepDone)
                    onStepDone(index);
            }
            else if (!firstError)
            {
                firstError = d->resultError(res.get(), token);
                if (failedStep)
                    *failedStep = index;
            }
            ++index;
        }
        if (firstError)
            throw Exception(*firstError);
        return results;
    }

    QString PgConnection::escapeIdentifier(const QString &identifier) const
    {
        const QByteArray utf8 = identifier.toUtf8();
        char *escaped = PQescapeIdentifier(d->conn.get(), utf8.constData(), size_t(utf8.size()));
        if (!escaped)
            throw Exception(ErrorCode::BadInput, u"cannot quote identifier: "_s + QString::fromUtf8(PQerrorMessage(d->conn.get())));
        QString out = QString::fromUtf8(escaped);
        PQfreemem(escaped);
        return out;
    }

    QString PgConnection::escapeLiteral(const QString &literal) const
    {
        const QByteArray utf8 = literal.toUtf8();
        char *escaped = PQescapeLiteral(d->conn.get(), utf8.constData(), size_t(utf8.size()));
        if (!escaped)
            throw Exception(ErrorCode::BadInput, u"cannot quote literal: "_s + QString::fromUtf8(PQerrorMessage(d->conn.get())));
        QString out = QString::fromUtf8(escaped);
        PQfreemem(escaped);
        return out;
    }

    bool PgConnection::isOk() const
    {
        return PQstatus(d->conn.get()) == CONNECTION_OK;
    }

    int PgConnection::serverVersionNum() const
    {
        return PQserverVersion(d->conn.get());
    }

    QString PgConnection::serverVersion() const
    {
        const QString v = parameterStatus(u"server_version"_s);
        return v.section(u' ', 0, 0);
    }

    int PgConnection::backendPid() const
    {
        return PQbackendPID(d->conn.get());
    }

    bool PgConnection::sslInUse() const
    {
        return PQsslInUse(d->conn.get()) == 1;
    }

    QString PgConnection::sslAttribute(const QString &name) const
    {
        const char *v = PQsslAttribute(d->conn.get(), name.toUtf8().constData());
        return v ? QString::fromUtf8(v) : QString();
    }

    QString PgConnection::user() const
    {
        return QString::fromUtf8(PQuser(d->conn.get()));
    }

    QString PgConnection::database() const
    {
        return QString::fromUtf8(PQdb(d->conn.get()));
    }

    QString PgConnection::host() const
    {
        return QString::fromUtf8(PQhost(d->conn.get()));
    }

    QString PgConnection::port() const
    {
        return QString::fromUtf8(PQport(d->conn.get()));
    }

    QString PgConnection::answeredBy() const
    {
        return host() + u':' + port();
    }

    QList<int> PgConnection::ownBackendPids() const
    {
        QMutexLocker locked(&ownBackends().mutex);
        return ownBackends().pids.values(answeredBy());
    }

    QString PgConnection::parameterStatus(const QString &name) const
    {
        const char *v = PQparameterStatus(d->conn.get(), name.toUtf8().constData());
        return v ? QString::fromUtf8(v) : QString();
    }

    const ConnectParams &PgConnection::params() const
    {
        return d->params;
    }

    void PgConnection::setNoticeListener(std::function<void(const QString &, const QString &)> listener)
    {
        d->noticeListener = std::move(listener);
    }
}

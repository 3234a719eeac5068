// divcheckd: the divcheck gRPC server. See `divcheckd --help` and
// proto/divcheck/v1/scan_service.proto.
//
// Threads: gRPC's own threads run the handlers; one signal thread waits in
// sigwait() for SIGHUP (reload lexicons and questionnaires) and SIGTERM/SIGINT
// (graceful stop); with --watch_lexicons_seconds a watcher thread polls the
// lexicon files.
// The signals are blocked in every thread — the mask is set first thing in
// main(), before any thread exists, and inherited — so no async signal
// handler ever runs.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "analyzers/engine.h"
#include "api/assessment_api.h"
#include "api/scan_api.h"
#include "assessment/questionnaire.h"
#include "assessment/repository.h"
#include "base/data_dir.h"
#include "base/file.h"
#include "grpc/support/log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "service/api_keys.h"
#include "service/assessment_service.h"
#include "service/call_start.h"
#include "service/grpc_log.h"
#include "service/http_server.h"
#include "service/json_log.h"
#include "service/lexicon_watch.h"
#include "service/metrics.h"
#include "service/reload.h"
#include "service/scan_service.h"
#include "service/server_help.h"
#include "service/server_options.h"
#include "service/storage.h"
#include "service/tls_credentials.h"

namespace divcheck::service {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitStartupError = 1;
constexpr int kExitUsage = 2;

constexpr char kServiceName[] = "divcheck.v1.ScanService";
constexpr char kAssessmentServiceName[] = "divcheck.v1.AssessmentService";

std::string DefaultLexiconDir() {
  return FindDataDir("DIVCHECK_LEXICONS", "lexicons", DIVCHECK_SOURCE_LEXICONS);
}

std::string DefaultQuestionnaireDir() {
  return FindDataDir("DIVCHECK_QUESTIONNAIRES", "questionnaires",
                     DIVCHECK_SOURCE_QUESTIONNAIRES);
}

// `status` with its message prefixed by `what` ("what: message").
absl::Status Prefixed(absl::string_view what, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(what, ": ", status.message()));
}

// The HTTP port's settings from divcheckd's.
HttpServerOptions HttpOptionsFor(const ServerOptions& options) {
  HttpServerOptions http;
  http.listen = options.http_listen;
  http.threads = static_cast<int>(options.http_threads);
  http.max_body_bytes = std::min<size_t>(
      size_t{3} * options.max_text_bytes + (64 << 10), size_t{4} << 30);
  http.cors_origins = options.http_cors_origins;
  http.deadline = options.http_deadline;
  http.log_requests = options.log_requests;
  http.version = DIVCHECK_VERSION;
  if (options.config.has_tls()) {
    http.cert_file = options.config.tls().cert_file();
    http.key_file = options.config.tls().key_file();
    http.client_ca_file = options.config.tls().client_ca_file();
  }
  return http;
}

// Waits up to `drain` while the server keeps serving; a second SIGTERM or
// SIGINT ends the wait early, SIGHUP is ignored meanwhile.
void Drain(const sigset_t& signals, std::chrono::seconds drain) {
  const auto until = std::chrono::steady_clock::now() + drain;
  for (;;) {
    const auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds::zero()) return;
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    const timespec timeout{static_cast<time_t>(ns / 1000000000),
                           static_cast<long>(ns % 1000000000)};
    const int sig = sigtimedwait(&signals, nullptr, &timeout);
    if (sig == SIGTERM || sig == SIGINT) return;
  }
}

// Runs on its own thread until SIGTERM or SIGINT has stopped the servers;
// `reload` runs on SIGHUP. `http` may be null.
void HandleSignals(const sigset_t& signals, const std::function<void()>& reload,
                   const std::function<void()>& before_stop,
                   grpc::Server& server, HttpServer* http,
                   std::chrono::seconds grace, std::chrono::seconds drain,
                   JsonLog& log) {
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      reload();
      continue;
    }
    log.Info("shutting down",
             {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
              {"drain_seconds", static_cast<int64_t>(drain.count())},
              {"grace_seconds", static_cast<int64_t>(grace.count())}});
    // Load balancers watching health stop sending first, while calls are
    // still served for the drain delay; then new calls are refused
    // (UNAVAILABLE) and in-flight ones get the grace period before
    // cancellation.
    before_stop();
    grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
    if (health != nullptr) health->SetServingStatus(false);
    if (drain.count() > 0) {
      Drain(signals, drain);
      log.Info("drained: refusing new calls");
    }
    if (http != nullptr) http->SetNotReady();
    // From here a call that reaches a handler is refused as UNAVAILABLE
    // (gRPC itself would reset calls that arrive after Shutdown as
    // CANCELLED), while streams already running go on for the grace period.
    // Both ports drain at once: HTTP requests being served finish (their
    // deadlines bound them).
    StopAcceptingCalls();
    if (health != nullptr) health->Shutdown();
    std::thread http_stop([http] {
      if (http != nullptr) http->Stop();
    });
    const auto deadline = std::chrono::system_clock::now() + grace;
    while (StreamsInFlight() > 0 &&
           std::chrono::system_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server.Shutdown(deadline);
    http_stop.join();
    return;
  }
}

// Everything divcheckd serves from, loaded before the server starts.
struct Backends {
  std::unique_ptr<Engine> engine;
  std::string questionnaire_dir;
  std::shared_ptr<const assessment::QuestionnaireSet> questionnaires;
  // Null without --database and --data_dir.
  std::unique_ptr<assessment::AssessmentRepository> repository;
  std::string assessment_db;  // the SQLite file, or "postgresql"
  std::optional<ApiKeys> keys;
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Null without --metrics_listen.
  std::unique_ptr<ServerMetrics> metrics;
  int metrics_port = 0;
  // The soft limit on open files after RaiseOpenFileLimit.
  uint64_t max_open_files = 0;
};

// Raises the soft limit on open files to the hard limit and returns the
// limit in force: gRPC 1.51's accept loop stops for good when accept() fails
// with EMFILE, so the server must not run out of descriptors first.
uint64_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return static_cast<uint64_t>(limit.rlim_cur);
}

// Loads the lexicons and questionnaires, opens the storage, reads keys and
// TLS files and starts the metrics server. On error logs every problem and
// returns a status whose message starts with what failed.
absl::Status LoadBackends(const ServerOptions& options, JsonLog& log,
                          Backends* out) {
  out->max_open_files = RaiseOpenFileLimit();
  if (out->max_open_files < 4096) {
    log.Warning(
        "the open-file limit is low: a few thousand idle connections can "
        "stop the gRPC listener for good; raise the hard limit (ulimit -Hn, "
        "systemd LimitNOFILE=) or limit connections in a proxy",
        {{"max_open_files", out->max_open_files}});
  }
  if (!options.data_dir.empty()) {
    std::error_code ec;
    // Created owner-only (0700): it holds the self-assessments. An existing
    // directory keeps the mode its operator gave it.
    if (std::filesystem::create_directories(options.data_dir, ec) && !ec) {
      std::filesystem::permissions(options.data_dir,
                                   std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::replace, ec);
    }
    if (ec) {
      return absl::InternalError(absl::StrCat(
          "cannot create data_dir: ", options.data_dir, ": ", ec.message()));
    }
  }
  EngineOptions engine_options;
  engine_options.lexicon_dir = options.lexicon_dir;
  engine_options.max_input_bytes = options.max_text_bytes;
  std::vector<LexiconProblem> problems;
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(engine_options, &problems);
  if (!engine.ok()) {
    LogProblems(log, problems);
    return Prefixed("cannot load lexicons", engine.status());
  }
  out->engine = *std::move(engine);
  out->questionnaire_dir = options.questionnaire_dir.empty()
                               ? DefaultQuestionnaireDir()
                               : options.questionnaire_dir;
  std::vector<DataProblem> questionnaire_problems;
  absl::StatusOr<std::shared_ptr<const assessment::QuestionnaireSet>>
      questionnaires = assessment::QuestionnaireSet::Load(
          out->questionnaire_dir, &questionnaire_problems);
  if (!questionnaires.ok()) {
    for (const DataProblem& p : questionnaire_problems) {
      log.Error("questionnaire problem", {{"where", p.ToString()}});
    }
    return Prefixed("cannot load questionnaires", questionnaires.status());
  }
  out->questionnaires = *std::move(questionnaires);
  absl::StatusOr<Storage> storage = OpenStorage(options);
  if (!storage.ok()) {
    return Prefixed("cannot open assessment storage", storage.status());
  }
  out->repository = std::move(storage->repository);
  out->assessment_db = std::move(storage->description);
  absl::StatusOr<ApiKeys> keys = ApiKeys::FromConfig(options.config.api_keys());
  if (!keys.ok()) return Prefixed("bad api_keys in config", keys.status());
  out->keys.emplace(*std::move(keys));
  out->keys->set_failure_limiter(std::make_shared<AuthFailureLimiter>(
      options.max_auth_failures_per_peer, options.auth_failure_window, &log));
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      Credentials(options.config);
  if (!credentials.ok()) {
    return Prefixed("cannot set up TLS", credentials.status());
  }
  out->credentials = *std::move(credentials);
  if (!options.metrics_listen.empty()) {
    out->metrics = std::make_unique<ServerMetrics>();
    out->metrics->SetLexicons(*out->engine->lexicons());
    absl::StatusOr<int> port = out->metrics->Serve(options.metrics_listen);
    if (!port.ok()) return Prefixed("cannot serve metrics", port.status());
    out->metrics_port = *port;
  }
  return absl::OkStatus();
}

// The limits against exhaustion (issue 17; docs/SECURITY.md).
void ApplyLimits(const ServerOptions& options, grpc::ServerBuilder& builder) {
  // A compressed request would be inflated in full before any size limit:
  // refuse compressed requests (UNIMPLEMENTED, logged by gRPC) and never
  // inflate one.
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_DEFLATE, false);
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
  builder.AddChannelArgument(GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION, 0);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             static_cast<int>(options.max_concurrent_streams));
  // Milliseconds; 0 seconds: never.
  const auto ms = [](std::chrono::seconds s) {
    return s.count() == 0 ? INT_MAX
                          : static_cast<int>(std::min<int64_t>(
                                int64_t{s.count()} * 1000, INT_MAX));
  };
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             ms(options.max_connection_idle));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             ms(options.max_connection_age));
  builder.AddChannelArgument(
      GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
      static_cast<int>(options.max_connection_age_grace.count() * 1000));
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
                             ms(options.handshake_timeout));
  grpc::ResourceQuota quota("divcheckd");
  quota.Resize(static_cast<size_t>(options.memory_quota_bytes));
  builder.SetResourceQuota(quota);
}

// Builds and starts the gRPC server with both services, reflection and
// health. Returns null when it cannot listen; *port is the bound port.
std::unique_ptr<grpc::Server> StartServer(
    const ServerOptions& options, const Backends& backends,
    ScanServiceImpl& service, AssessmentServiceImpl& assessment_service,
    int* port) {
  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection) {
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, backends.credentials, port);
  builder.RegisterService(&service);
  builder.RegisterService(&assessment_service);
  // Texts over the limit must reach the handler to get a proper error; gRPC
  // refuses anything much larger itself.
  const size_t max_message = std::min<size_t>(
      INT_MAX,
      std::max<size_t>(4 << 20, 2 * options.max_text_bytes + (64 << 10)));
  builder.SetMaxReceiveMessageSize(static_cast<int>(max_message));
  ApplyLimits(options, builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || *port == 0) return nullptr;
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(kServiceName, true);
  // PostgreSQL: NOT_SERVING until the StorageMonitor has reached it.
  health->SetServingStatus(kAssessmentServiceName, options.database.empty());
  return server;
}

void LogListening(const ServerOptions& options, const Backends& backends,
                  int port, int http_port, JsonLog& log) {
  std::string host;
  int configured_port = 0;
  (void)SplitHostPort(options.listen, &host, &configured_port);
  const std::string address = absl::StrCat(host, ":", port);
  const std::shared_ptr<const LexiconSet> lexicons =
      backends.engine->lexicons();
  log.Info(absl::StrCat("listening on ", address),
           {{"address", address},
            {"port", port},
            {"lexicon_dir", options.lexicon_dir},
            {"lexicon_version", lexicons->content_hash()},
            {"lexicon_entries", static_cast<uint64_t>(lexicons->entry_count())},
            {"reflection", options.reflection},
            {"tls", options.config.has_tls()},
            {"api_keys", backends.keys->enabled()},
            {"max_text_bytes", static_cast<uint64_t>(options.max_text_bytes)},
            {"max_open_files", backends.max_open_files},
            {"max_concurrent_streams", options.max_concurrent_streams},
            {"memory_quota_bytes", options.memory_quota_bytes},
            {"max_auth_failures_per_peer", options.max_auth_failures_per_peer},
            {"drain_seconds", static_cast<int64_t>(options.drain.count())},
            {"metrics_port", backends.metrics_port},
            {"http_port", http_port},
            {"watch_lexicons_seconds",
             static_cast<int64_t>(options.watch_lexicons.count())},
            {"questionnaire_dir", backends.questionnaire_dir},
            {"assessment_db", backends.assessment_db},
            {"pid", static_cast<int64_t>(getpid())}});
}

// Serves until SIGTERM or SIGINT; returns the exit status.
int Serve(const ServerOptions& options, const sigset_t& signals, JsonLog& log) {
  // Taken before the lexicons are loaded: a change made meanwhile is seen.
  const std::string lexicon_fingerprint =
      options.watch_lexicons.count() > 0
          ? DirectoryFingerprint(options.lexicon_dir)
          : std::string();
  Backends backends;
  if (absl::Status s = LoadBackends(options, log, &backends); !s.ok()) {
    log.Error("start-up failed", {{"error", std::string(s.message())}});
    return kExitStartupError;
  }
  Engine& engine = *backends.engine;
  ServerMetrics* metrics = backends.metrics.get();
  api::ScanApi api(&engine, options.max_text_bytes);
  api.set_default_gender_form(options.default_gender_form);
  ScanServiceImpl::Options service_options;
  service_options.log_requests = options.log_requests;
  ScanServiceImpl service(&api, &*backends.keys, &log, metrics,
                          service_options);
  api::AssessmentApi assessment_api(backends.questionnaires,
                                    backends.repository.get());
  AssessmentServiceImpl assessment_service(&assessment_api, &*backends.keys,
                                           &log, metrics, options.log_requests);
  int port = 0;
  std::unique_ptr<grpc::Server> server =
      StartServer(options, backends, service, assessment_service, &port);
  if (server == nullptr) {
    log.Error("cannot listen",
              {{"error", absl::StrCat("cannot listen on ", options.listen)}});
    return kExitStartupError;
  }
  std::unique_ptr<HttpServer> http;
  int http_port_bound = 0;  // 0: no HTTP port
  if (!options.http_listen.empty()) {
    http = std::make_unique<HttpServer>(&api, &assessment_api, &*backends.keys,
                                        &log, metrics, HttpOptionsFor(options));
    absl::StatusOr<int> http_port = http->Start();
    if (!http_port.ok()) {
      log.Error("cannot listen",
                {{"error", std::string(http_port.status().message())}});
      server->Shutdown();
      return kExitStartupError;
    }
    http_port_bound = *http_port;
  }
  // Assessment health follows the database (storage.h).
  std::unique_ptr<StorageMonitor> storage_monitor;
  if (backends.repository != nullptr) {
    grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
    storage_monitor = std::make_unique<StorageMonitor>(
        backends.repository.get(), &log,
        [health](bool serving) {
          health->SetServingStatus(kAssessmentServiceName, serving);
        },
        std::chrono::seconds(2));
  }
  LogListening(options, backends, port, http_port_bound, log);

  std::unique_ptr<DirectoryWatcher> watcher;
  if (options.watch_lexicons.count() > 0) {
    watcher = std::make_unique<DirectoryWatcher>(
        options.lexicon_dir, options.watch_lexicons, lexicon_fingerprint,
        [&engine, &log, metrics, &options] {
          log.Info("lexicon files changed: reloading",
                   {{"dir", options.lexicon_dir}});
          ReloadLexicons(engine, options.allow_lexicon_shrink, log, metrics);
        });
  }
  const std::string& questionnaire_dir = backends.questionnaire_dir;
  const std::function<void()> reload = [&] {
    log.Info("SIGHUP: reloading lexicons and questionnaires",
             {{"lexicon_dir", options.lexicon_dir},
              {"questionnaire_dir", questionnaire_dir}});
    ReloadLexicons(engine, options.allow_lexicon_shrink, log, metrics);
    ReloadQuestionnaires(questionnaire_dir, assessment_api, log);
    ReloadApiKeys(absl::GetFlag(FLAGS_config), *backends.keys, log);
    if (http != nullptr) {
      absl::StatusOr<ServerOptions> next =
          ServerOptionsFromFlags(DefaultLexiconDir());
      ReloadHttp(
          next.ok() ? http->Reload(HttpOptionsFor(*next)) : next.status(), log);
    }
  };
  const std::function<void()> before_stop = [&storage_monitor] {
    if (storage_monitor != nullptr) storage_monitor->Stop();
  };
  std::thread signal_thread(
      HandleSignals, std::cref(signals), std::cref(reload),
      std::cref(before_stop), std::ref(*server), http.get(),
      options.shutdown_grace, options.drain, std::ref(log));
  server->Wait();
  signal_thread.join();
  if (watcher != nullptr) watcher->Stop();
  log.Info("stopped");
  return kExitOk;
}

// Abseil's --version, and file names in its --helpfull.
void ConfigureFlagUsage() {
  absl::FlagsUsageConfig usage;
  usage.version_string = [] {
    return absl::StrCat("divcheckd ", DIVCHECK_VERSION, "\n");
  };
  usage.normalize_filename = [](absl::string_view file) {
    return std::string(file.substr(file.rfind('/') + 1));
  };
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage(kServerHelp);
}

int Run(int argc, char** argv) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  // Debian's Abseil is built with Mutex deadlock detection on, and gRPC 1.51
  // locks absl::Mutex on every call: the cycle bookkeeping costs a few per
  // cent of the server's CPU for nothing in production.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // Abseil prints a bad flag's error (exit 1) and --version (exit 0).
  ConfigureFlagUsage();
  std::vector<std::string> args = NormalizeFlagNames(argc, argv);
  if (WantsHelp(args)) {
    PrintHelp(std::cout);
    return kExitOk;
  }
  std::vector<char*> arg_ptrs;
  for (std::string& a : args) arg_ptrs.push_back(a.data());
  const std::vector<char*> positional = absl::ParseCommandLine(
      static_cast<int>(arg_ptrs.size()), arg_ptrs.data());
  if (positional.size() > 1) {
    std::cerr << "divcheckd: unexpected argument \"" << positional[1]
              << "\" (see --help)\n";
    return kExitUsage;
  }
  absl::StatusOr<ServerOptions> options =
      ServerOptionsFromFlags(DefaultLexiconDir());
  if (!options.ok()) {
    std::cerr << "divcheckd: " << options.status().message() << "\n";
    return kExitUsage;
  }
  // Per-call lines are written in batches, at least every 100 ms.
  JsonLog log(stdout, std::chrono::milliseconds(100));
  if (options->migrate_only) return MigrateOnly(*options, log);
  SetGrpcLogTarget(&log);
  gpr_set_log_function(ForwardGrpcLog);
  const int status = Serve(*options, signals, log);
  SetGrpcLogTarget(nullptr);
  return status;
}

}  // namespace
}  // namespace divcheck::service

int main(int argc, char** argv) { return divcheck::service::Run(argc, argv); }

#include "tests/service/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "grpcpp/generic/generic_stub.h"

extern char** environ;

namespace divcheck::testing {
namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = (fs::temp_directory_path() /
           absl::StrCat("divcheck_service_test_", ::getpid(), "_", counter++))
              .string();
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void TempDir::Write(const std::string& name, const std::string& content) const {
  const fs::path target = fs::path(path_) / name;
  fs::create_directories(target.parent_path());
  const fs::path tmp =
      target.parent_path() / ("." + target.filename().string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary);
    out << content;
  }
  fs::rename(tmp, target);
}

void CopyTree(const std::string& from, const std::string& to) {
  fs::create_directories(to);
  fs::copy(from, to,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

std::string DivcheckdPath() { return DIVCHECK_DIVCHECKD; }
std::string TestLexiconDir() { return DIVCHECK_TEST_LEXICONS; }

ServerProcess::ServerProcess(std::vector<std::string> args)
    : args_(std::move(args)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

bool ServerProcess::Start(std::chrono::seconds timeout) {
  std::vector<std::string> argv_strings = {DivcheckdPath(),
                                           "--listen=127.0.0.1:0"};
  argv_strings.insert(argv_strings.end(), args_.begin(), args_.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  const std::string out = dir_.path() + "/stdout.log";
  const std::string err = dir_.path() + "/stderr.log";
  if (nofile_hard_ > 0) {
    // fork, then only async-signal-safe calls until exec.
    const rlimit limit{static_cast<rlim_t>(nofile_soft_),
                       static_cast<rlim_t>(nofile_hard_)};
    pid_ = ::fork();
    if (pid_ == 0) {
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (o < 0 || e < 0 || ::dup2(o, STDOUT_FILENO) < 0 ||
          ::dup2(e, STDERR_FILENO) < 0 || ::setrlimit(RLIMIT_NOFILE, &limit)) {
        ::_exit(127);
      }
      // Nothing else of the test's may stay open in the server.
      for (int fd = 3; fd < 1024; ++fd) ::close(fd);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execve(argv[0], argv.data(), environ);
      ::_exit(127);
    }
    if (pid_ < 0) return false;
  } else if (!Spawn(argv, out, err)) {
    return false;
  }
  return WaitUntilListening(out, timeout);
}

bool ServerProcess::Spawn(std::vector<char*>& argv, const std::string& out,
                          const std::string& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  const int rc =
      posix_spawn(&pid_, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    pid_ = -1;
    return false;
  }
  return true;
}

bool ServerProcess::WaitUntilListening(const std::string& out,
                                       std::chrono::seconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    for (absl::string_view line : absl::StrSplit(ReadFile(out), '\n')) {
      // {"…","msg":"listening on 127.0.0.1:PORT",…,"port":PORT,…}
      const size_t at = line.find("\"port\":");
      if (line.find("listening on") == absl::string_view::npos ||
          at == absl::string_view::npos) {
        continue;
      }
      absl::string_view rest = line.substr(at + 7);
      rest = rest.substr(0, rest.find_first_of(",}"));
      if (absl::SimpleAtoi(rest, &port_) && port_ > 0) return true;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string ServerProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

void ServerProcess::Signal(int sig) const {
  if (pid_ > 0) ::kill(pid_, sig);
}

int ServerProcess::WaitForExit(std::chrono::seconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (pid_ > 0 && std::chrono::steady_clock::now() < until) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

int ServerProcess::ListeningField(const std::string& key) const {
  for (absl::string_view line : absl::StrSplit(Log(), '\n')) {
    if (line.find("listening on") == absl::string_view::npos) continue;
    const std::string needle = "\"" + key + "\":";
    const size_t at = line.find(needle);
    if (at == absl::string_view::npos) return -1;
    absl::string_view rest = line.substr(at + needle.size());
    rest = rest.substr(0, rest.find_first_of(",}"));
    int value = -1;
    return absl::SimpleAtoi(rest, &value) ? value : -1;
  }
  return -1;
}

std::string HttpGet(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::write(fd, request.data(), request.size()) ==
        static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof(buf))) > 0)
        response.append(buf, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  const size_t body = response.find("\r\n\r\n");
  return body == std::string::npos ? "" : response.substr(body + 4);
}

std::string ServerProcess::Log() const {
  return ReadFile(dir_.path() + "/stdout.log") +
         ReadFile(dir_.path() + "/stderr.log");
}

int ServerProcess::CountLogLines(const std::string& text) const {
  int n = 0;
  for (absl::string_view line : absl::StrSplit(Log(), '\n')) {
    if (line.find(text) != absl::string_view::npos) ++n;
  }
  return n;
}

bool ServerProcess::WaitForLogLines(const std::string& text, int n,
                                    std::chrono::seconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (CountLogLines(text) >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::vector<int> OpenIdleConnections(int port, int n, bool http2_preface) {
  // The client preface, then a SETTINGS frame without settings.
  static constexpr char kPreface[] =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0";
  std::vector<int> fds;
  for (int i = 0; i < n; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) break;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd);
      break;
    }
    if (http2_preface) {
      (void)!::write(fd, kPreface, sizeof(kPreface) - 1);
    }
    fds.push_back(fd);
  }
  return fds;
}

bool WaitForClose(int fd, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n <= 0) return true;
  }
}

grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method, const std::string& bytes,
                          std::string* response) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer reply;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, method, grpc::StubOptions(), &request, &reply,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status status = done.get_future().get();
  std::vector<grpc::Slice> slices;
  if (status.ok() && reply.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return status;
}

}  // namespace divcheck::testing

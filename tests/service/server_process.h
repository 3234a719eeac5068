// ServerProcess: runs the real divcheckd binary for integration tests.
//
//   ServerProcess server({"--lexicons=" + dir});
//   ASSERT_TRUE(server.Start()) << server.Log();
//   auto channel = grpc::CreateChannel(server.address(), ...);
//
// The server listens on 127.0.0.1:0; the port it picked is read from its
// "listening on" log line. Standard output (the JSON log) and standard error
// go to files in a temporary directory, so the server never blocks on a full
// pipe. The destructor kills a server that is still running.
#ifndef DIVCHECK_TESTS_SERVICE_SERVER_PROCESS_H_
#define DIVCHECK_TESTS_SERVICE_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"

namespace divcheck::testing {

// A fresh temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `content` to path()/name atomically (write, then rename), creating
  // directories.
  void Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// Copies a directory tree.
void CopyTree(const std::string& from, const std::string& to);

// The whole content of a file; empty if it cannot be read.
std::string ReadFile(const std::string& path);

class ServerProcess {
 public:
  // `args` come after the binary and --listen=127.0.0.1:0.
  explicit ServerProcess(std::vector<std::string> args);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Runs the server with this RLIMIT_NOFILE (set in the child before exec,
  // like `ulimit -n`). Call before Start(); hard may not exceed the test's.
  void set_open_file_limit(uint64_t soft, uint64_t hard) {
    nofile_soft_ = soft;
    nofile_hard_ = hard;
  }

  // Starts the server and waits for its "listening on" line. False when it
  // exits or does not get ready in time.
  bool Start(std::chrono::seconds timeout = std::chrono::seconds(60));

  // "127.0.0.1:PORT".
  std::string address() const;
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  void Signal(int sig) const;
  // Waits for the process to exit; returns its wait status, or -1 on
  // timeout.
  int WaitForExit(std::chrono::seconds timeout);

  // An integer field of the "listening on" log line, e.g. "metrics_port";
  // -1 when absent.
  int ListeningField(const std::string& key) const;

  // Everything the server logged so far (stdout, then stderr).
  std::string Log() const;
  // Number of log lines containing `text`.
  int CountLogLines(const std::string& text) const;
  // Waits until CountLogLines(text) >= n; false on timeout.
  bool WaitForLogLines(
      const std::string& text, int n,
      std::chrono::seconds timeout = std::chrono::seconds(60)) const;

 private:
  bool Spawn(std::vector<char*>& argv, const std::string& out,
             const std::string& err);
  bool WaitUntilListening(const std::string& out, std::chrono::seconds timeout);

  std::vector<std::string> args_;
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  uint64_t nofile_soft_ = 0;
  uint64_t nofile_hard_ = 0;
};

// Opens `n` TCP connections to 127.0.0.1:`port`; with `http2_preface`, each
// sends the HTTP/2 client preface and an empty SETTINGS frame and then stays
// idle. Returns the descriptors (fewer if connect fails).
std::vector<int> OpenIdleConnections(int port, int n, bool http2_preface);

// True when the server has closed `fd` (a read gives end of file or an
// error) within `timeout`; reads and drops what the server sends.
bool WaitForClose(int fd, std::chrono::milliseconds timeout);

// GET http://127.0.0.1:`port``path` over plain HTTP/1.0; the body, or "" on
// failure.
std::string HttpGet(int port, const std::string& path);

// Sends `bytes` as the request of the unary `method`
// ("/divcheck.v1.ScanService/ScanText"), with a 10 s deadline, and appends
// the answer's bytes to *response. C++ stubs will not send a proto3 string
// that is not UTF-8, or bytes that are no message, but other clients can.
grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& method, const std::string& bytes,
                          std::string* response);

// Path of the divcheckd binary under test.
std::string DivcheckdPath();
// The fixture lexicons of the unit tests.
std::string TestLexiconDir();

}  // namespace divcheck::testing

#endif  // DIVCHECK_TESTS_SERVICE_SERVER_PROCESS_H_

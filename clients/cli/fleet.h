// Bulk scans through a fleet of divcheckd replicas (`divcheck scan
// --server=…` over many files, `divcheck audit --server=…`).
//
// FleetScanner keeps up to `concurrency` ScanText calls in flight on one
// gRPC channel whose target is --server (ParseServer, connection.h: a list
// of addresses or one DNS name resolving to several) with the round_robin
// load-balancing policy, so the calls are spread over every replica that
// answers. A call that fails with UNAVAILABLE (its replica went away, or
// could not be reached) is retried by gRPC on another pick (service config
// retryPolicy: at most kFleetMaxAttempts attempts with backoff); what still
// fails is given to the caller with the server named. Results come back in
// input order.
//
// Progress prints "done/total ads, N ads/s, M s left" to standard error
// while a bulk run goes on, when standard error is a terminal.
//
// FleetScanner: one Run at a time; `make` runs on the calling thread and
// `done` one call at a time (on gRPC's threads or the calling one).
// Progress: thread-safe.
#ifndef DIVCHECK_CLIENTS_CLI_FLEET_H_
#define DIVCHECK_CLIENTS_CLI_FLEET_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "clients/cli/connection.h"
#include "divcheck/v1/report.pb.h"
#include "divcheck/v1/scan_service.pb.h"

namespace divcheck::cli {

// Attempts per call (gRPC caps retry policies at 5).
constexpr int kFleetMaxAttempts = 5;

// The channel's service config for `concurrency` calls in flight:
// round_robin, ScanText retried on UNAVAILABLE, retries throttled.
std::string FleetServiceConfig(int concurrency);

// The default of --concurrency: calls in flight.
constexpr int kDefaultConcurrency = 32;

// --concurrency=N (1 to 1024) into *out when given. For a bad value prints
// the usage error with `help` and returns exit status 2; else nullopt.
std::optional<int> ParseConcurrency(const std::optional<std::string>& value,
                                    int* out, const char* help);

// For a --server that ParseServer refuses, prints its error with `help`
// and returns exit status 2; else nullopt.
std::optional<int> CheckServerFlag(const ConnectionFlags& flags,
                                   const char* help);

// Fills the request of item i; a non-OK status (the input could not be
// read) is given to `done` without a call.
using MakeScanRequest =
    std::function<absl::Status(size_t i, v1::ScanTextRequest* request)>;
// The outcome of item i: OK and its report, or why it failed.
using ScanDone = std::function<void(size_t i, const absl::Status& status,
                                    const v1::Report& report)>;

class FleetScanner {
 public:
  FleetScanner(const Connection& connection, int concurrency);
  ~FleetScanner();

  // Scans items 0..n-1: make(i) in order, then done(i, …) for each in
  // order, with up to `concurrency` calls in flight. Stops making new
  // calls once *stop is true (nullptr: never); returns when every call
  // made is done (done was called for items 0..k-1 and no others).
  void Run(size_t n, const MakeScanRequest& make, const ScanDone& done,
           const std::atomic<bool>* stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// While it lives, and standard error is a terminal, prints the progress of
// `total` items of which `done` are done every half second.
class Progress {
 public:
  Progress(size_t total, const std::atomic<size_t>* done);
  ~Progress();  // clears the line

  // Prints `line` (ending in a newline) to standard error without mixing
  // it into the progress line.
  void Print(const std::string& line);

 private:
  void Loop();

  const size_t total_;
  const std::atomic<size_t>* done_;
  std::mutex mu_;  // standard error
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace divcheck::cli

#endif  // DIVCHECK_CLIENTS_CLI_FLEET_H_

// RemoteClient: one thread's connection to bitshd, the fake BITS as a service (bitshd/daemon.h),
// and RemoteBackend, the Backend over it: the same calls, answers and HRESULTs as the fake in
// process, from another process.
//
//   auto client = RemoteClient::Open(url, token);        // or FromListeningLine(bitshd's first line)
//   std::unique_ptr<Backend> bits = (*client)->Connect("user");
//   bits->CreateJob("album", JobType::kDownload); ...
//   (*client)->WaitUntil([&] { return transferred; }, std::chrono::hours(1));  // virtual time
//
// Threads: a client and its Backends belong to the thread that opened it, like a COM
// single-threaded apartment (remote/protocol.h). Callbacks registered through its Backends run
// on that thread, only while it is inside one of the client's calls (every Backend call, the
// clock calls, Pump): that is where an event of the service that calls them waits for their
// answer. A callback may call the Backend.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "remote/protocol.h"
#include "remote/rpc_http.h"

namespace bitsh::remote {

class RemoteClient {
 public:
  // How this client names local files: host paths, or Windows paths ("C:\Music\01.wma"), which
  // bitshd translates through the drives it was given (--wine-prefix; docs/bitshd.md). The
  // Windows build uses Windows paths.
  enum class PathStyle { kHost, kWindows };
#ifdef _WIN32
  static constexpr PathStyle kNativePaths = PathStyle::kWindows;
#else
  static constexpr PathStyle kNativePaths = PathStyle::kHost;
#endif

  // Opens an apartment at `url` ("http://127.0.0.1:PORT"), authenticating with `token`. E_FAIL
  // naming the URL when bitshd does not answer or (Windows paths) maps no drive, E_ACCESSDENIED
  // when it refuses the token.
  static Result<std::unique_ptr<RemoteClient>> Open(const std::string& url, const std::string& token,
                                                    PathStyle paths = kNativePaths);
  // Open from bitshd's first line of output ("bitshd listening on URL token-file PATH"), reading
  // the token from the file it names. E_INVALIDARG for another line; E_FAIL naming the file.
  static Result<std::unique_ptr<RemoteClient>> FromListeningLine(std::string_view line);
  ~RemoteClient();  // closes the apartment; callbacks registered through it fail from then on
  RemoteClient(const RemoteClient&) = delete;
  RemoteClient& operator=(const RemoteClient&) = delete;

  // The Backend of `user` (added as a logged-on standard user if bitshd does not know it yet).
  // It must not outlive this client.
  std::unique_ptr<Backend> Connect(const std::string& user);

  // --- The service's clock and controls --------------------------------------------------------
  Result<TimePoint> Now();
  // Runs the service's events one at a time until done() holds (asked before the first and after
  // each) or `limit` of virtual time has passed, when the clock stands at the limit. True when
  // done. One request per event: done() is this process's.
  bool WaitUntil(const std::function<bool()>& done, Duration limit);
  // Runs every event of the next `by` of virtual time; the clock then stands at now + by.
  Status AdvanceBy(Duration by);
  // Runs events until nothing can happen any more unless a caller acts (sim::Machine::Idle), or
  // `limit` has passed.
  Status RunUntilIdle(Duration limit);
  Status AddUser(const std::string& name, bool is_admin = false, bool logged_on = true);
  // A simulated service restart (the queue is kept, callbacks are forgotten).
  Status Restart();
  // A new machine in place of the old one: no jobs, no users but those added again, a new file
  // server (its URL changes), the clock at its start. For a test run that shares one bitshd.
  Status Reset();
  // A new machine, the one the scenario file at `path` (on bitshd's side) describes: its server,
  // faults, network timeline, users and seed (bitshd --scenario). E_INVALIDARG listing the file's
  // errors (file:line:column), and the machine is left as it was.
  Status LoadScenario(const std::string& path);
  // The service's event log, one line per event, in the fake's trace format.
  Result<std::vector<std::string>> Trace();
  // The machine's file server: its base URL, a generated file to serve, a fault. Parameters have
  // the names and units of the control API and of a scenario's `server:` section
  // (docs/control-api.md): {"path": "/a.wma", "size": "4MiB"}, {"path": "/a.wma", "kind":
  // "close_after_bytes", "after": "1MiB"}. AddServerFault returns the fault's id.
  Result<std::string> ServerUrl();
  Status AddServerFile(const std::map<std::string, std::string>& params);
  Result<int> AddServerFault(const std::map<std::string, std::string>& params);
  // The file server's request log: every request BITS sent it, with the answer.
  Result<std::string> ServerRequests();
  // The network from now on: up or down (FakeBitsService::SetNetworkAvailable), and every open
  // connection broken (DropConnections).
  Status SetNetworkAvailable(bool available);
  Status DropConnections();
  // Asks bitshd to stop (it answers first). The apartment is gone with it.
  Status Shutdown();
  // Runs the callbacks whose notifications arrive within `wait` of real time: for a client that
  // waits while bitshd advances its clock by itself (--auto-advance).
  Status Pump(std::chrono::milliseconds wait);

  // --- For RemoteBackend ---------------------------------------------------------------------
  // Runs `method` as `user` and returns the result object ({"hr", "message", "value"}), running
  // this apartment's callbacks as their notifications arrive meanwhile. A transport failure is
  // E_FAIL naming the method.
  Json Call(const std::string& user, std::string_view method, Json args);
  // The number this client gives `callback` (the same number for the same object, for the
  // client's life), and back; null for a number of another apartment or none given.
  std::uint64_t NumberOf(const std::shared_ptr<JobCallback>& callback);
  std::shared_ptr<JobCallback> CallbackNumbered(std::uint64_t apartment, std::uint64_t number) const;
  std::uint64_t apartment() const { return apartment_; }

 private:
  RemoteClient(std::string url, std::string token);
  // POSTs `body` to `path`; the answer's JSON, or E_FAIL naming the path and what went wrong.
  Result<Json> Post(const std::string& path, const Json& body);
  // Runs the callbacks an Answer brings, replying to each, until it brings the call's result.
  Json Finish(Result<Json> answer, std::string_view method);
  Status RunCallback(const Json& notification);
  Status ServiceCall(std::string_view method, Json args);

  std::string url_;
  std::string token_;
  std::unique_ptr<RpcHttp> http_;
  std::uint64_t apartment_ = 0;
  std::map<std::uint64_t, std::shared_ptr<JobCallback>> callbacks_;  // by number
  std::map<const JobCallback*, std::uint64_t> numbers_;
};

}  // namespace bitsh::remote

// CallServer: the server end of the bitshd protocol (remote/protocol.h) on a loopback port. It
// keeps the clients' apartments, hands each call to the thread that runs RunNext (the machine's
// thread: the fake is single-threaded), and carries the fake's callbacks back to the clients.
// What a call does is the owner's: bitshd's Daemon answers the Backend's methods and its clock and
// service calls; ServeOneUser answers one user's Backend, for a program run against a scenario's
// machine or a certification's (external/external_program.h).
//
//   auto server = CallServer::Start(options, handler);   // binds, writes the token file
//   while (...) (*server)->RunNext(std::chrono::milliseconds(10));
//
// Who may call: a process on this machine that can read the token file (mode 0600, the user's
// own), and never a web page: requests must carry the token, and a Host and Origin that are
// loopback (server/control_guard.h).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "backend/backend.h"
#include "backend/status.h"
#include "serving/backend_calls.h"
#include "serving/exchange.h"
#include "serving/windows_paths.h"

namespace httplib {
class Server;
}

namespace bitsh::serving {

struct CallServerOptions {
  std::string host = "127.0.0.1";  // a loopback address only; anything else is refused at Start
  int port = 0;                    // 0: an ephemeral port (url() tells which)
  std::filesystem::path token_file;  // REQUIRED: created new (mode 0600), removed with the server
  std::chrono::milliseconds callback_timeout{30'000};  // a client's callback must answer by then
  // The drives of Windows clients (a Wine prefix's: WindowsPaths::FromWinePrefix). A client that
  // opens its apartment with Windows paths needs them.
  WindowsPaths windows_paths;
};

class CallServer {
 public:
  // The answer to one call (its "result" member), on the thread that runs RunNext. `user` is ""
  // for a call that is not the Backend's; `context` carries the client's callbacks and, for a
  // client with Windows paths, its drives.
  using Handler = std::function<remote::Json(const std::string& user, const std::string& method,
                                             const remote::Json& args, const CallContext& context)>;

  // Listens and writes the token file. E_INVALIDARG for a host that is not loopback; E_FAIL
  // naming the address or the file when it cannot bind or write the token. `exclusive(method)`:
  // calls that need the machine to themselves (Exchange::Submit); unset: none.
  static Result<std::unique_ptr<CallServer>> Start(CallServerOptions options, Handler handler,
                                                   std::function<bool(std::string_view method)> exclusive = {});
  ~CallServer();  // stops listening, fails what is still waiting, removes the token file
  CallServer(const CallServer&) = delete;
  CallServer& operator=(const CallServer&) = delete;

  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
  const std::filesystem::path& token_file() const { return token_file_; }
  const WindowsPaths& windows_paths() const { return options_.windows_paths; }

  // Runs the next call waiting, or waits up to `wait` for one. True when it ran one.
  bool RunNext(std::chrono::milliseconds wait) { return exchange_->RunNext(wait); }
  // Calls still to come fail "stopping"; callable from any thread (Exchange::BeginStop).
  void BeginStop() { exchange_->BeginStop(); }
  // Fails every call and callback still waiting (Exchange::Shutdown).
  void Shutdown() { exchange_->Shutdown(); }

  // Steady-clock nanoseconds of the last request that carried the token, and of the last that
  // was not a pump (a pump waits for callbacks: it does not hold virtual time).
  std::int64_t last_request_ns() const { return last_request_ns_; }
  std::int64_t last_call_ns() const { return last_call_ns_; }

 private:
  CallServer(CallServerOptions options, Handler handler, std::function<bool(std::string_view)> exclusive);
  Status Listen();
  remote::Json Run(const std::string& user, const std::string& method, const remote::Json& args, bool windows_paths);

  CallServerOptions options_;
  Handler handler_;
  std::function<bool(std::string_view)> exclusive_;
  // Shared with the callbacks it makes, which may outlive the server (remote_callback.h).
  std::shared_ptr<Exchange> exchange_ = std::make_shared<Exchange>();
  CallContext context_;
  std::unique_ptr<httplib::Server> http_;
  std::thread http_thread_;
  std::string url_;
  std::filesystem::path token_file_;
  std::string token_;
  std::atomic<std::int64_t> last_request_ns_{0};
  std::atomic<std::int64_t> last_call_ns_{0};
};

// A Handler that serves `user`'s Backend and nothing else: another user is E_ACCESSDENIED, a
// clock or service call E_NOTIMPL (a program under test has no business with them).
CallServer::Handler ServeOneUser(Backend& backend, std::string user);

// Steady-clock nanoseconds now, the unit of last_request_ns().
std::int64_t SteadyNanoseconds();

}  // namespace bitsh::serving

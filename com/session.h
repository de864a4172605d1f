// Session: the COM server's one connection to bitshd, the fake BITS as a service, and the Backend
// (RemoteBackend) every COM object of the server calls. A COM method is a thin translation: its
// arguments to the Backend's types, the Backend call, the Status back to the HRESULT the method
// returns. The numbers are the same on both sides (backend/hresult.h holds BITS's own codes), so
// a client sees the fake's answer unchanged.
//
// Threads: the server's one single-threaded apartment. Every COM call arrives on it, so does the
// pump timer that lets the fake's callbacks through (RemoteClient::Pump), and every callback to a
// client leaves from it. While a callback is out, COM dispatches the client's calls back into the
// server (Complete from JobTransferred), which bitshd serves while its event waits.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "com/server_object.h"
#include "remote/remote_client.h"

namespace bitsh::com {

class CallbackBridge;

struct SessionOptions {
  std::string url;         // bitshd's address, http://127.0.0.1:PORT
  std::string token_file;  // the file bitshd wrote its token to (readable by this user only)
  std::string user = "user";  // the BITS user the jobs belong to
  std::string log_file;    // failed calls are appended here; none when empty
  UINT pump_interval_ms = 10;
};

class Session {
 public:
  explicit Session(SessionOptions options) : options_(std::move(options)) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  // Connects to bitshd on first use. RPC_S_SERVER_UNAVAILABLE (as HRESULT) when it cannot be
  // reached, E_ACCESSDENIED when it refuses the token; the reason goes to the log.
  HRESULT Connect();
  // Valid after Connect succeeded.
  Backend& bits() { return *bits_; }

  // The HRESULT of `status`. A failure is logged with `what` and the fake's message, which COM
  // cannot carry: the log is where a developer reads why a call failed.
  HRESULT Answer(const Status& status, const std::string& what);
  void Log(const std::string& line) const;

  // Watches a registered callback, which keeps the server running (CallbackBridge): about once a
  // second the pump lets the client's object go when its job is final or gone - ended through
  // another connection (another user, the test's own), a reset or a restart of bitshd's machine -
  // or when the client's process is known to be gone (CallbackBridge::ClientGone). When bitshd
  // itself is gone every callback is let go and the class withdrawn, so the server ends.
  void Track(const std::shared_ptr<CallbackBridge>& bridge);

 private:
  static void CALLBACK PumpTimer(HWND, UINT, UINT_PTR, DWORD);
  void Pump();
  void ReleaseEndedCallbacks();
  void ReleaseAllCallbacks();

  SessionOptions options_;
  std::unique_ptr<remote::RemoteClient> client_;
  std::unique_ptr<Backend> bits_;
  UINT_PTR pump_timer_ = 0;
  bool pumping_ = false;  // a pump's callback pumps messages: no pump inside a pump
  unsigned pumps_ = 0;
  std::vector<std::weak_ptr<CallbackBridge>> callbacks_;
};

}  // namespace bitsh::com

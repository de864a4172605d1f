#include "com/session.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "backend/hresult.h"
#include "com/callback_bridge.h"
#include "com/server_lifetime.h"

namespace bitsh::com {
namespace {

Session* pumped = nullptr;  // the session the pump timer serves (one per process)

constexpr HRESULT kServerUnavailable = static_cast<HRESULT>(0x800706BA);  // RPC_S_SERVER_UNAVAILABLE
constexpr unsigned kPumpsBetweenSweeps = 100;  // about a second at the 10 ms pump

}  // namespace

Session::~Session() {
  if (pump_timer_ != 0) KillTimer(nullptr, pump_timer_);
  if (pumped == this) pumped = nullptr;
  bits_.reset();
  client_.reset();
}

HRESULT Session::Connect() {
  if (bits_) return S_OK;
  std::ifstream file(options_.token_file, std::ios::binary);
  std::ostringstream token;
  token << file.rdbuf();
  if (!file) {
    Log("cannot read bitshd's token file '" + options_.token_file + "'");
    return E_ACCESSDENIED;
  }
  std::string text = token.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  Result<std::unique_ptr<remote::RemoteClient>> client = remote::RemoteClient::Open(options_.url, text);
  if (!client.ok()) {
    Log("cannot reach bitshd at " + options_.url + ": " + client.status().message());
    return client.status().code() == hr::kAccessDenied ? E_ACCESSDENIED : kServerUnavailable;
  }
  client_ = std::move(client).value();
  bits_ = client_->Connect(options_.user);
  pumped = this;
  pump_timer_ = SetTimer(nullptr, 0, options_.pump_interval_ms, PumpTimer);
  return S_OK;
}

HRESULT Session::Answer(const Status& status, const std::string& what) {
  if (!status.ok()) Log(what + ": " + HResultHex(status.code()) + " " + status.message());
  return static_cast<HRESULT>(status.code());
}

void Session::Log(const std::string& line) const {
  if (options_.log_file.empty()) return;
  std::ofstream log(options_.log_file, std::ios::app);
  log << line << '\n';
}

void CALLBACK Session::PumpTimer(HWND, UINT, UINT_PTR, DWORD) {
  if (pumped != nullptr) pumped->Pump();
}

// One pump request: the callbacks whose notifications are waiting run now, inside it. A pump
// does not hold bitshd's auto-advance back (docs/bitshd.md), so an idle client lets time jump.
void Session::Pump() {
  if (pumping_ || !client_) return;
  pumping_ = true;
  if (Status pumped_status = client_->Pump(std::chrono::milliseconds(0)); !pumped_status.ok()) {
    Log("pump: " + pumped_status.message() + "; no more callbacks");  // bitshd is gone: say it once
    KillTimer(nullptr, pump_timer_);
    pump_timer_ = 0;
    ReleaseAllCallbacks();
    ServerLifetime::RevokeClass();  // a new client starts a new server, which says why it fails
  } else if (++pumps_ % kPumpsBetweenSweeps == 0) {
    ReleaseEndedCallbacks();
  }
  pumping_ = false;
}

void Session::Track(const std::shared_ptr<CallbackBridge>& bridge) { callbacks_.push_back(bridge); }

void Session::ReleaseEndedCallbacks() {
  // A copy: GetState delivers pending notifications, and a client's callback may register another.
  const std::vector<std::weak_ptr<CallbackBridge>> watched = callbacks_;
  for (const std::weak_ptr<CallbackBridge>& weak : watched) {
    const std::shared_ptr<CallbackBridge> bridge = weak.lock();
    if (!bridge || bridge->client() == nullptr) continue;
    if (bridge->ClientGone()) {
      Log("the client holding the callback of " + bridge->job().ToString() + " is gone; its callback is let go");
      bridge->Release();
      continue;
    }
    const Result<JobState> state = bits_->GetState(bridge->job());
    if (state.ok() ? IsFinal(*state) : state.status().code() == hr::kNotFound) bridge->Release();
  }
  std::erase_if(callbacks_, [](const std::weak_ptr<CallbackBridge>& weak) {
    const std::shared_ptr<CallbackBridge> bridge = weak.lock();
    return !bridge || bridge->client() == nullptr;
  });
}

void Session::ReleaseAllCallbacks() {
  for (const std::weak_ptr<CallbackBridge>& weak : callbacks_) {
    if (const std::shared_ptr<CallbackBridge> bridge = weak.lock()) bridge->Release();
  }
  callbacks_.clear();
}

}  // namespace bitsh::com

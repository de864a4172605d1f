#include "server/guarded_http_server.h"

#include <sys/socket.h>

#include <algorithm>

#include "server/deadline_stream.h"

namespace bitsh::server {
namespace {

// The connection Serve is serving on this thread, for ServingSocket and CloseAfterThisRequest.
thread_local int serving_socket = -1;
thread_local bool close_after_request = false;

}  // namespace

int GuardedHttpServer::ServingSocket() { return serving_socket; }

void GuardedHttpServer::CloseAfterThisRequest() { close_after_request = true; }

// The task queue httplib's accept loop feeds: a job is process_and_close_socket(sock), which only
// admits the socket to the gate, so it runs right away on the accept thread.
class GuardedHttpServer::GateQueue : public httplib::TaskQueue {
 public:
  explicit GateQueue(GuardedHttpServer& server) : server_(server) {}
  void enqueue(std::function<void()> job) override { job(); }
  void shutdown() override { server_.StopServing(); }

 private:
  GuardedHttpServer& server_;
};

GuardedHttpServer::GuardedHttpServer(HttpLimits limits) : limits_(limits) {
  set_payload_max_length(limits_.max_body_bytes);
  set_keep_alive_max_count(static_cast<std::size_t>(std::max(limits_.keep_alive_max_requests, 1)));
  set_keep_alive_timeout(std::max<time_t>(limits_.keep_alive_idle.count() / 1000, 1));
  new_task_queue = [this] {
    StartServing();
    return new GateQueue(*this);
  };
}

GuardedHttpServer::~GuardedHttpServer() { StopServing(); }

int GuardedHttpServer::Bind(const std::string& host, int port) {
  const int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  // Listening again on a listening socket only sets its queue length (listen(2)).
  if (bound > 0 && ::listen(svr_sock_, SOMAXCONN) != 0) return -1;
  return bound;
}

void GuardedHttpServer::StartServing() {
  stopping_ = false;
  workers_ = std::make_unique<httplib::ThreadPool>(static_cast<std::size_t>(std::max(limits_.threads, 1)));
  gate_ = std::make_unique<HeadGate>(limits_, [this](WaitingConnection connection) {
    // std::function needs a copyable job; the connection moves in through a shared_ptr.
    auto held = std::make_shared<WaitingConnection>(std::move(connection));
    workers_->enqueue([this, held] { Serve(std::move(*held)); });
  });
  gate_->Start();
}

void GuardedHttpServer::StopServing() {
  stopping_ = true;
  // The gate first: it feeds the workers. Workers then finish the request in hand (a download
  // ends or fails on its write timeout, as with httplib's own pool) and close their connections.
  if (gate_) gate_->Stop();
  if (workers_) {
    workers_->shutdown();
    workers_.reset();
  }
  gate_.reset();
}

bool GuardedHttpServer::process_and_close_socket(socket_t sock) {
  if (limits_.send_buffer_bytes > 0) {
    const int bytes = limits_.send_buffer_bytes;
    ::setsockopt(sock, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);  // a hint: on failure the default stays
  }
  gate_->Admit(sock);
  return true;
}

void GuardedHttpServer::Serve(WaitingConnection connection) {
  if (stopping_) {
    CloseConnection(connection.fd);
    return;
  }
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  using std::chrono::microseconds;
  const auto read_timeout = std::chrono::duration_cast<milliseconds>(seconds(read_timeout_sec_) +
                                                                     microseconds(read_timeout_usec_));
  const auto write_timeout = std::chrono::duration_cast<milliseconds>(seconds(write_timeout_sec_) +
                                                                      microseconds(write_timeout_usec_));
  DeadlineStream stream(connection.fd, std::move(connection.pending),
                        DeadlineStream::Clock::now() + limits_.head_timeout, read_timeout, write_timeout);
  ++connection.served;
  const bool last = connection.served >= limits_.keep_alive_max_requests;
  bool closed_by_client = false;
  serving_socket = connection.fd;
  close_after_request = false;
  const bool served = process_request(stream, last, closed_by_client, nullptr);
  serving_socket = -1;
  if (!served || closed_by_client || last || stopping_ || stream.read_failed() || close_after_request) {
    CloseConnection(connection.fd);
    return;
  }
  connection.pending = stream.TakeUnread();
  gate_->Park(std::move(connection));
}

}  // namespace bitsh::server

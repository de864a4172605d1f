// DeadlineStream: the httplib::Stream a GuardedHttpServer worker serves one request over. It first
// replays the bytes HeadGate already read (the whole head, perhaps more), then reads the socket,
// and refuses to read past a deadline, so a body trickled in one byte at a time cannot hold a
// worker longer than the request time limit. cpp-httplib 0.11.4 as packaged keeps its own
// SocketStream out of the installed header, hence this one.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>

namespace bitsh::server {

class DeadlineStream : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  // `pending`: bytes already read from `fd` for this request. `read_deadline`: no read returns
  // data after it. The timeouts bound a single wait for the socket, as httplib's own do.
  DeadlineStream(int fd, std::string pending, Clock::time_point read_deadline, std::chrono::milliseconds read_timeout,
                 std::chrono::milliseconds write_timeout);

  // httplib polls before reading a body; true while replayed bytes remain, else waits for the
  // socket (never past the deadline).
  bool is_readable() const override;
  // httplib checks this before each write; false once the peer has closed, so a download to a
  // vanished client stops.
  bool is_writable() const override;
  // Replayed bytes first, then the socket; -1 past the deadline or on a socket error.
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  // httplib puts these in Request::remote_addr and local_port (the control API's loopback check and
  // the reset fault use them).
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

  // Bytes read but not consumed by this request (a pipelined next request), for HeadGate.
  std::string TakeUnread();
  // A read failed (deadline, timeout, error or end of stream): httplib may still answer (400), but
  // the bytes left on the connection are not a request boundary, so it must be closed.
  bool read_failed() const { return read_failed_; }

 private:
  bool WaitFor(short events, std::chrono::milliseconds limit) const;

  int fd_;
  std::string pending_;
  std::size_t consumed_ = 0;
  bool read_failed_ = false;
  Clock::time_point read_deadline_;
  std::chrono::milliseconds read_timeout_;
  std::chrono::milliseconds write_timeout_;
};

}  // namespace bitsh::server

// BitshdProcess: the bitshd program as a child process of a test (Linux only): started with its stdout
// on a pipe, whose first line says where it listens; waited for at the end (the test asks it to
// stop with service.shutdown), and killed if it has not stopped within five seconds. It also stops
// by itself if the test process dies (--exit-with-parent) or goes quiet for ten minutes.
#pragma once

#include <string>

#include <sys/types.h>

namespace bitsh::conformance {

class BitshdProcess {
 public:
  // Throws std::runtime_error when it cannot start or prints no listening line within 20 s.
  explicit BitshdProcess(const std::string& program);
  ~BitshdProcess();
  BitshdProcess(const BitshdProcess&) = delete;
  BitshdProcess& operator=(const BitshdProcess&) = delete;

  const std::string& listening_line() const { return line_; }

 private:
  pid_t pid_ = -1;
  std::string line_;
};

}  // namespace bitsh::conformance

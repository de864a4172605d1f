// Where the conformance suite's downloads come from: the local file server, either started inside
// the test process (Linux builds) or running as `bitsh-serve --control` in another process and
// driven over loopback — the only way for a Windows test program under Wine, which cannot host the
// Linux server, and for one on a Windows machine talking to a server elsewhere on loopback.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "backend/status.h"
#include "server/server_faults.h"

namespace bitsh::conformance {

class TestFileServer {
 public:
  virtual ~TestFileServer() = default;
  // "http://127.0.0.1:PORT", no trailing slash.
  virtual std::string base_url() const = 0;
  // Serves `size` bytes generated from `seed` at `path`.
  virtual Status AddGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed) = 0;
  virtual Status AddFault(const server::ServerFault& fault) = 0;
};

// The environment variable naming a running `bitsh-serve --control` by its URL.
inline constexpr const char* kFileServerVariable = "BITSH_FILE_SERVER";

// The server named by BITSH_FILE_SERVER when it is set; otherwise a new one in this process.
// Fails with the reason (no in-process server in this build, the port could not be bound).
Result<std::unique_ptr<TestFileServer>> OpenTestFileServer();

// A new file server on 127.0.0.1 inside this process. Defined per platform: the Windows build has
// none and says how to use BITSH_FILE_SERVER instead.
Result<std::unique_ptr<TestFileServer>> StartInProcessFileServer();

}  // namespace bitsh::conformance

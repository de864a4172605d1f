// StartInProcessFileServer for Windows builds: there is none (the server is built on Debian's
// cpp-httplib, a Linux library), so the suite needs a `bitsh-serve --control` to talk to.
#include "conformance/test_file_server.h"

namespace bitsh::conformance {

Result<std::unique_ptr<TestFileServer>> StartInProcessFileServer() {
  return Status(hr::kNotImpl, std::string("this Windows build has no in-process file server: start `bitsh-serve "
                                          "--control` on loopback and set ") +
                                  kFileServerVariable + " to the URL it prints (tools/wine-conformance.sh does)");
}

}  // namespace bitsh::conformance

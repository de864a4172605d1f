#include "conformance/test_file_server.h"

#include <cstdlib>

#include "server/remote_file_server.h"

namespace bitsh::conformance {
namespace {

class RemoteTestFileServer final : public TestFileServer {
 public:
  explicit RemoteTestFileServer(std::string base_url) : remote_(std::move(base_url)) {}
  std::string base_url() const override { return remote_.base_url(); }
  Status AddGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed) override {
    return remote_.AddGeneratedFile(path, size, seed);
  }
  Status AddFault(const server::ServerFault& fault) override { return remote_.AddFault(fault); }

 private:
  server::RemoteFileServer remote_;
};

}  // namespace

Result<std::unique_ptr<TestFileServer>> OpenTestFileServer() {
  const char* url = std::getenv(kFileServerVariable);
  if (url == nullptr || *url == '\0') return StartInProcessFileServer();
  std::string base_url = url;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return std::unique_ptr<TestFileServer>(std::make_unique<RemoteTestFileServer>(base_url));
}

}  // namespace bitsh::conformance

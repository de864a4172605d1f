// StartInProcessFileServer for Linux builds: the file server on a thread of the test process.
#include "conformance/test_file_server.h"
#include "server/file_server.h"

namespace bitsh::conformance {
namespace {

class InProcessFileServer final : public TestFileServer {
 public:
  InProcessFileServer() : server_(server::FileServerOptions{}) {}
  Status Start() { return server_.Start(); }
  std::string base_url() const override { return server_.base_url(); }
  Status AddGeneratedFile(const std::string& path, std::uint64_t size, std::uint64_t seed) override {
    server_.AddGeneratedFile(path, size, seed);
    return Status::Ok();
  }
  Status AddFault(const server::ServerFault& fault) override {
    server_.AddFault(fault);
    return Status::Ok();
  }

 private:
  server::FileServer server_;
};

}  // namespace

Result<std::unique_ptr<TestFileServer>> StartInProcessFileServer() {
  auto server = std::make_unique<InProcessFileServer>();
  if (Status started = server->Start(); !started.ok()) return started;
  return std::unique_ptr<TestFileServer>(std::move(server));
}

}  // namespace bitsh::conformance

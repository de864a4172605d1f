#include "conformance/bitshd_backend_factory.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "remote/remote_client.h"

extern char** environ;

namespace bitsh::conformance {
namespace {

// bitshd as a child process: started with its stdout on a pipe, whose first line says where it
// listens; asked to stop at the end, and killed if it does not within a few seconds.
class BitshdProcess {
 public:
  explicit BitshdProcess(const std::string& program) {
    int pipe_ends[2];
    if (::pipe(pipe_ends) != 0) throw std::runtime_error("pipe() failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
    posix_spawn_file_actions_addclose(&actions, pipe_ends[1]);
    // It stops by itself if this test process dies, or after ten idle minutes.
    std::vector<std::string> args = {program, "--exit-with-parent", "--exit-when-idle", "600"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_ends[1]);
    if (spawned != 0) {
      ::close(pipe_ends[0]);
      throw std::runtime_error("cannot start " + program + ": " + std::strerror(spawned));
    }
    line_ = ReadFirstLine(pipe_ends[0], std::chrono::seconds(20));
    ::close(pipe_ends[0]);
    if (line_.empty()) throw std::runtime_error(program + " printed no listening line within 20 s");
  }
  ~BitshdProcess() {
    // The client asked it to stop already; a stuck one is killed.
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  BitshdProcess(const BitshdProcess&) = delete;
  BitshdProcess& operator=(const BitshdProcess&) = delete;

  const std::string& listening_line() const { return line_; }

 private:
  static std::string ReadFirstLine(int fd, std::chrono::seconds limit) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd ready{fd, POLLIN, 0};
      if (::poll(&ready, 1, 100) <= 0) continue;
      char c;
      if (::read(fd, &c, 1) != 1) break;
      if (c == '\n') return line;
      line += c;
    }
    return {};
  }

  pid_t pid_ = -1;
  std::string line_;
};

class BitshdBackendUnderTest final : public BackendUnderTest {
 public:
  explicit BitshdBackendUnderTest(const std::string& program) : process_(program) {
    Result<std::unique_ptr<remote::RemoteClient>> client =
        remote::RemoteClient::FromListeningLine(process_.listening_line());
    if (!client.ok()) throw std::runtime_error("cannot reach bitshd: " + client.status().ToString());
    client_ = std::move(client).value();
    for (const Status& added : {client_->AddUser("user"), client_->AddUser("other"), client_->AddUser("admin", true)}) {
      if (!added.ok()) throw std::runtime_error("bitshd refused a user: " + added.ToString());
    }
    user_ = client_->Connect("user");
    other_ = client_->Connect("other");
    admin_ = client_->Connect("admin");
  }
  ~BitshdBackendUnderTest() override {
    user_.reset();
    other_.reset();
    admin_.reset();
    static_cast<void>(client_->Shutdown());
    client_.reset();
  }

  Backend& user() override { return *user_; }
  Backend& other_user() override { return *other_; }
  Backend& admin() override { return *admin_; }
  bool WaitUntil(const std::function<bool()>& done, Duration limit) override { return client_->WaitUntil(done, limit); }
  void RestartService() override {
    if (Status restarted = client_->Restart(); !restarted.ok()) {
      ADD_FAILURE() << "bitshd's service did not restart: " << restarted.ToString();
    }
  }
  bool Has(Capability) const override { return true; }  // virtual time, users, restart: all served

 private:
  BitshdProcess process_;
  std::unique_ptr<remote::RemoteClient> client_;
  std::unique_ptr<Backend> user_, other_, admin_;
};

}  // namespace

std::unique_ptr<BackendUnderTest> BitshdBackendFactory::Create() {
  return std::make_unique<BitshdBackendUnderTest>(program_);
}

}  // namespace bitsh::conformance

// queue_one_job: the smallest external program of the tests - a store's queuing code as its own
// process, reaching the Backend through the environment RunProgram gives it (BITSHD_URL,
// BITSHD_TOKEN_FILE, BITSHD_USER).
//
//   queue_one_job URL LOCAL_NAME DISPLAY_NAME [--no-resume] [--notify] [--as USER] [--exit N]
//                 [--wait-transferred SECONDS]
//
// Creates a download job named DISPLAY_NAME with one file, resumes it (unless --no-resume), sets
// a notify interface that counts its calls (--notify), prints "queued {job id}" and exits N
// (default 0). With --wait-transferred it then polls the job every 200 ms of real time, as a
// store's progress page does, completes it once TRANSFERRED and prints "completed", or exits 3
// after SECONDS. Exits 2, printing the HRESULT, when a call fails.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "backend/job_callback.h"
#include "remote/remote_client.h"

namespace {

class CountingCallback final : public bitsh::JobCallback {
 public:
  bitsh::Status JobTransferred(const bitsh::JobId&) override { return bitsh::Status::Ok(); }
  bitsh::Status JobError(const bitsh::JobId&, const bitsh::JobError&) override { return bitsh::Status::Ok(); }
};

int Fail(const char* what, const bitsh::Status& status) {
  std::printf("%s failed: %s\n", what, status.ToString().c_str());
  return 2;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 3) {
    std::fprintf(stderr, "usage: queue_one_job URL LOCAL_NAME DISPLAY_NAME [--no-resume] [--notify] [--as USER] [--exit N]\n");
    return 64;
  }
  bool resume = true, notify = false;
  int exit_code = 0, wait_seconds = -1;
  std::string user = Env("BITSHD_USER");
  for (std::size_t i = 3; i < args.size(); ++i) {
    if (args[i] == "--no-resume") resume = false;
    else if (args[i] == "--notify") notify = true;
    else if (args[i] == "--as" && i + 1 < args.size()) user = args[++i];
    else if (args[i] == "--exit" && i + 1 < args.size()) exit_code = std::atoi(args[++i].c_str());
    else if (args[i] == "--wait-transferred" && i + 1 < args.size()) wait_seconds = std::atoi(args[++i].c_str());
  }
  std::ifstream token_file(Env("BITSHD_TOKEN_FILE"));
  std::string token;
  token_file >> token;
  auto client = bitsh::remote::RemoteClient::Open(Env("BITSHD_URL"), token);
  if (!client.ok()) return Fail("Open", client.status());
  std::unique_ptr<bitsh::Backend> bits = (*client)->Connect(user);

  const bitsh::Result<bitsh::JobId> job = bits->CreateJob(args[2], bitsh::JobType::kDownload);
  if (!job.ok()) return Fail("CreateJob", job.status());
  if (bitsh::Status added = bits->AddFile(*job, args[0], args[1]); !added.ok()) return Fail("AddFile", added);
  if (notify) {
    if (bitsh::Status set = bits->SetNotifyInterface(*job, std::make_shared<CountingCallback>()); !set.ok()) {
      return Fail("SetNotifyInterface", set);
    }
  }
  if (resume) {
    if (bitsh::Status resumed = bits->Resume(*job); !resumed.ok()) return Fail("Resume", resumed);
  }
  std::printf("queued %s\n", job->ToString().c_str());
  std::fflush(stdout);
  if (wait_seconds < 0) return exit_code;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    const bitsh::Result<bitsh::JobState> state = bits->GetState(*job);
    if (!state.ok()) return Fail("GetState", state.status());
    if (*state == bitsh::JobState::kTransferred) {
      if (bitsh::Status completed = bits->Complete(*job); !completed.ok()) return Fail("Complete", completed);
      std::printf("completed\n");
      return exit_code;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  std::printf("not transferred within %d s\n", wait_seconds);
  return 3;
}

// What a call through bitshd costs: a Backend call and a clock call,
// each from a RemoteClient to an in-process Daemon over loopback, next to the same Backend call
// on the fake in process (docs/bitshd.md, "Why JSON over HTTP").
//   build/default/bench/bitshd_bench
// Each benchmark's time is one round trip (real time: the work is in two threads).
#include <benchmark/benchmark.h>

#include <fstream>
#include <stdexcept>
#include <thread>

#include "bitshd/daemon.h"
#include "remote/remote_client.h"
#include "sim/machine.h"

namespace bitsh::bitshd {
namespace {

// A daemon on its own thread for the whole benchmark, and one client of it.
class Served {
 public:
  Served() {
    Result<std::unique_ptr<Daemon>> started = Daemon::Start({});
    if (!started.ok()) throw std::runtime_error(started.status().ToString());
    daemon_ = std::move(started).value();
    thread_ = std::thread([this] { daemon_->Run(); });
    std::ifstream file(daemon_->token_file());
    std::string token;
    std::getline(file, token);
    Result<std::unique_ptr<remote::RemoteClient>> client = remote::RemoteClient::Open(daemon_->url(), token);
    if (!client.ok()) throw std::runtime_error(client.status().ToString());
    client_ = std::move(client).value();
  }
  ~Served() {
    client_.reset();
    daemon_->Stop();
    thread_.join();
  }
  remote::RemoteClient& client() { return *client_; }

 private:
  std::unique_ptr<Daemon> daemon_;
  std::thread thread_;
  std::unique_ptr<remote::RemoteClient> client_;
};

void BM_GetStateInProcess(benchmark::State& state) {
  Result<std::unique_ptr<sim::Machine>> machine = sim::Machine::Start();
  Backend& bits = (*machine)->Connection("user");
  const JobId job = *bits.CreateJob("job", JobType::kDownload);
  for (auto _ : state) benchmark::DoNotOptimize(bits.GetState(job));
}
BENCHMARK(BM_GetStateInProcess);

void BM_GetStateThroughBitshd(benchmark::State& state) {
  Served served;
  std::unique_ptr<Backend> bits = served.client().Connect("user");
  const JobId job = *bits->CreateJob("job", JobType::kDownload);
  for (auto _ : state) benchmark::DoNotOptimize(bits->GetState(job));
}
BENCHMARK(BM_GetStateThroughBitshd)->UseRealTime();

// One clock.advance of a second with nothing scheduled: a clock call's cost, about that of a step
// of RemoteClient::WaitUntil (clock.step), which makes one per event.
void BM_ClockAdvanceThroughBitshd(benchmark::State& state) {
  Served served;
  for (auto _ : state) benchmark::DoNotOptimize(served.client().AdvanceBy(std::chrono::seconds(1)));
}
BENCHMARK(BM_ClockAdvanceThroughBitshd)->UseRealTime();

}  // namespace
}  // namespace bitsh::bitshd

BENCHMARK_MAIN();

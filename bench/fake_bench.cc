// How fast the fake simulates: virtual seconds per wall second.
//   build/default/bench/fake_bench
// Counters: virtual_s_per_wall_s (higher is better), events/s, jobs (for the queue benchmark).
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>

#include "backend/testing/scratch_folder.h"
#include "fake/fake_service.h"
#include "fake/scripted_transport.h"

namespace bitsh::fake {
namespace {


// One job whose server answers 503 for 14 days: a retry every 600 s until the no-progress timeout.
void BM_FourteenDaysOfRetries(benchmark::State& state) {
  const testing::ScratchFolder scratch("bitsh-bench");
  const std::filesystem::path& folder = scratch.path();
  double virtual_seconds = 0;
  std::uint64_t events = 0;
  for (auto _ : state) {
    ScriptedTransport transport;
    transport.AddFile("http://127.0.0.1/x.wma", 1000, 1);
    transport.FailNext("http://127.0.0.1/x.wma", hr::FromHttpStatus(503), 1'000'000);
    FakeBitsService service(FakeOptions{}, transport);
    auto user = service.Connect("user");
    const JobId job = *user->CreateJob("retrying", JobType::kDownload);
    (void)user->AddFile(job, "http://127.0.0.1/x.wma", (folder / "x.wma").string());
    (void)user->Resume(job);
    const TimePoint start = service.Now();
    service.RunUntilIdle();
    if (*user->GetState(job) != JobState::kError) state.SkipWithError("job did not reach ERROR");
    virtual_seconds += std::chrono::duration<double>(service.Now() - start).count();
    events += service.events().events_run();
  }
  state.counters["virtual_s_per_wall_s"] = benchmark::Counter(virtual_seconds, benchmark::Counter::kIsRate);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FourteenDaysOfRetries)->Unit(benchmark::kMillisecond);

// N queued 64 KiB downloads, run to TRANSFERRED at 10 MiB/s.
void BM_QueuedJobs(benchmark::State& state) {
  const auto jobs = static_cast<std::size_t>(state.range(0));
  const testing::ScratchFolder scratch("bitsh-bench");
  const std::filesystem::path& folder = scratch.path();
  double virtual_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ScriptedTransport transport;
    FakeOptions options;
    options.max_jobs_per_user = options.max_jobs_per_machine = jobs;
    FakeBitsService service(options, transport);
    auto user = service.Connect("user");
    for (std::size_t i = 0; i < jobs; ++i) {
      const std::string url = "http://127.0.0.1/" + std::to_string(i);
      transport.AddFile(url, 64 * 1024, i);
      const JobId job = *user->CreateJob("job", JobType::kDownload);
      (void)user->AddFile(job, url, (folder / (std::to_string(i) + ".wma")).string());
      (void)user->Resume(job);
    }
    state.ResumeTiming();
    const TimePoint start = service.Now();
    service.RunUntilIdle();
    virtual_seconds += std::chrono::duration<double>(service.Now() - start).count();
    state.PauseTiming();
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    state.ResumeTiming();
  }
  state.counters["virtual_s_per_wall_s"] = benchmark::Counter(virtual_seconds, benchmark::Counter::kIsRate);
  state.counters["jobs"] = static_cast<double>(jobs);
}
BENCHMARK(BM_QueuedJobs)->Arg(1000)->Arg(10'000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace bitsh::fake

BENCHMARK_MAIN();

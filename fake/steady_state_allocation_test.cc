// The engine's steady state allocates nothing: once its lists and its log have grown, a job
// retrying for days costs no heap allocation per event. A run of weeks is millions of events, and
// an allocation and a free per event were a third of their cost (docs/performance.md).
//
// This test binary replaces the global operator new to count its calls; it is a binary of its own
// so that no other test runs under the replacement.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <new>

#include "backend/testing/scratch_folder.h"
#include "fake/fake_service.h"

namespace {
std::uint64_t allocations = 0;  // the engine is single-threaded, and so is this test
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

namespace bitsh::fake {
namespace {

// A server that answers every request 503, with an error text short enough to need no memory of
// its own: what is counted is the engine's, not the transport's answer.
class UnavailableServer final : public Transport {
 public:
  ProbeResult Probe(const ProbeRequest&) override {
    ProbeResult result;
    result.error = {hr::FromHttpStatus(503), ErrorContext::kRemoteFile, "503", false};
    return result;
  }
  FetchResult Fetch(const FetchRequest&, ByteSink&) override {
    ADD_FAILURE() << "a file that never answers a HEAD is never fetched";
    return {};
  }
};

TEST(SteadyStateAllocationTest, ADayOfRetriesAfterTheFirstAllocatesNothingPerEvent) {
  const testing::ScratchFolder scratch("bitsh-allocation");
  UnavailableServer server;
  FakeOptions options;
  options.log_lines_kept = 1000;  // full within the first day: the log then reuses its memory
  FakeBitsService service(options, server);
  auto user = service.Connect("user");
  const JobId job = *user->CreateJob("retrying", JobType::kDownload);
  ASSERT_TRUE(user->AddFile(job, "http://127.0.0.1/x.wma", (scratch.path() / "x.wma").string()).ok());
  ASSERT_TRUE(user->SetMinimumRetryDelay(job, 60).ok());
  ASSERT_TRUE(user->Resume(job).ok());
  service.AdvanceBy(std::chrono::hours(24));  // lists and log grow to their working size

  const std::uint64_t events_before = service.events().events_run();
  const std::uint64_t allocations_before = allocations;
  service.AdvanceBy(std::chrono::hours(24));
  const std::uint64_t events = service.events().events_run() - events_before;
  const std::uint64_t allocated = allocations - allocations_before;

  ASSERT_EQ(*user->GetState(job), JobState::kTransientError);
  EXPECT_GT(events, 4'000u) << "a retry a minute, three events each";
  // What may still allocate: the list of every state the job entered, which the log keeps whole
  // and which doubles now and then (a few times a day, not once per event).
  EXPECT_LE(allocated, 4u) << events << " events";
}

}  // namespace
}  // namespace bitsh::fake

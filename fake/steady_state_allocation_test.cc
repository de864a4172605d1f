// The engine's steady state allocates nothing: once its lists and its log have grown, a job
// retrying for days costs no heap allocation per event. A run of weeks is millions of events, and
// an allocation and a free per event were a third of their cost (docs/performance.md).
//
// This test binary replaces the global operator new to count its calls; it is a binary of its own
// so that no other test runs under the replacement.
#include <gtest/gtest.h>

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "backend/testing/scratch_folder.h"
#include "fake/fake_service.h"

namespace {
// The engine is single-threaded, and so is this test.
std::uint64_t allocations = 0;
std::size_t live_bytes = 0, peak_live_bytes = 0;  // as malloc_usable_size counts them

// Every form of new and delete this code reaches goes through this pair, so that each allocation
// and its release match (under AddressSanitizer, a replaced delete freeing the runtime's own new is
// a reported mismatch). The over-aligned forms are left to the runtime, new and delete together:
// nothing here is over-aligned, and they would go uncounted, not mismatched.
void* Allocate(std::size_t size) noexcept {
  void* memory = std::malloc(size == 0 ? 1 : size);
  if (memory == nullptr) return nullptr;
  ++allocations;
  live_bytes += malloc_usable_size(memory);
  peak_live_bytes = std::max(peak_live_bytes, live_bytes);
  return memory;
}
void Release(void* memory) noexcept {
  if (memory != nullptr) live_bytes -= malloc_usable_size(memory);
  std::free(memory);
}
}  // namespace

void* operator new(std::size_t size) {
  if (void* memory = Allocate(size)) return memory;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return Allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return Allocate(size); }
void operator delete(void* memory) noexcept { Release(memory); }
void operator delete[](void* memory) noexcept { Release(memory); }
void operator delete(void* memory, std::size_t) noexcept { Release(memory); }
void operator delete[](void* memory, std::size_t) noexcept { Release(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { Release(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { Release(memory); }

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
  ASSERT_GT(allocations_before, 0u) << "the counting operator new is not in effect";
  service.AdvanceBy(std::chrono::hours(24));
  const std::uint64_t events = service.events().events_run() - events_before;
  const std::uint64_t allocated = allocations - allocations_before;

  ASSERT_EQ(*user->GetState(job), JobState::kTransientError);
  EXPECT_GT(events, 4'000u) << "a retry a minute, three events each";
  // What may still allocate: the list of every state the job entered, which the log keeps whole
  // and which doubles now and then (a few times a day, not once per event).
  EXPECT_LE(allocated, 4u) << events << " events";
}

// An instant that never ends: an event that schedules the next one for the same instant, as a
// runaway engine would (the run's event limit stops it). The events run must not stay in memory.
TEST(SteadyStateAllocationTest, AnInstantThatNeverEndsHoldsNoMoreMemoryAsItGoesOn) {
  VirtualClock clock(DefaultVirtualEpoch());
  EventQueue queue(clock);
  std::function<void()> again = [&] { queue.ScheduleAfter(Duration::zero(), again); };
  queue.ScheduleAfter(Duration::zero(), again);
  for (int i = 0; i < 10'000; ++i) ASSERT_TRUE(queue.RunNext());
  const std::size_t settled = live_bytes;
  peak_live_bytes = live_bytes;
  for (int i = 0; i < 200'000; ++i) ASSERT_TRUE(queue.RunNext());  // 4.8 MB of events, if kept
  EXPECT_EQ(clock.Now(), DefaultVirtualEpoch());
  EXPECT_LE(peak_live_bytes, settled + 64 * 1024) << "after 200,000 events at one instant";
}

}  // namespace
}  // namespace bitsh::fake

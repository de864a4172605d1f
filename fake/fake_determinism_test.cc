// Same inputs and seed => the same event log, byte for byte.
#include <sstream>

#include "fake/job_id.h"
#include "fake/random.h"
#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {
namespace {

// A randomized workload: jobs of random sizes and priorities for three users, with random 503s,
// 404s and drops, random suspends, cancels, logoffs, outages and bandwidth changes, all drawn from
// `seed`. Returns the event log text.
std::string RunRandomWorkload(std::uint64_t seed, const std::filesystem::path& dir) {
  Random random(seed);
  ScriptedTransport transport;
  FakeOptions options;
  options.seed = seed;
  options.bandwidth_bytes_per_s = 200'000;
  options.chunk_bytes = 64 * 1024;
  options.background_time_slice = std::chrono::seconds(5);
  FakeBitsService service(options, transport);
  std::vector<std::unique_ptr<Backend>> users;
  for (const char* name : {"ann", "ben", "cat"}) users.push_back(service.Connect(name));

  std::vector<std::pair<Backend*, JobId>> jobs;
  for (int step = 0; step < 200; ++step) {
    Backend& user = *users[random.Uniform(users.size())];
    switch (random.Uniform(8)) {
      case 0:
      case 1:
      case 2: {
        const std::string name = "f" + std::to_string(step) + ".wma";
        const std::string url = "http://127.0.0.1/" + name;
        if (!random.OneIn(10)) transport.AddFile(url, random.Uniform(2'000'000), random.Next());
        if (random.OneIn(4)) transport.FailNext(url, hr::FromHttpStatus(503), static_cast<int>(random.Uniform(3)) + 1);
        if (random.OneIn(4)) transport.DropAt(url, random.Uniform(1'000'000));
        Result<JobId> job = user.CreateJob(name, JobType::kDownload);
        if (!job.ok()) break;
        (void)user.AddFile(*job, url, (dir / name).string());
        (void)user.SetPriority(*job, static_cast<JobPriority>(random.Uniform(4)));
        (void)user.SetMinimumRetryDelay(*job, static_cast<std::uint32_t>(5 + random.Uniform(120)));
        (void)user.Resume(*job);
        jobs.emplace_back(&user, *job);
        break;
      }
      case 3:
        if (!jobs.empty()) {
          auto& [owner, job] = jobs[random.Uniform(jobs.size())];
          (void)(random.OneIn(2) ? owner->Suspend(job) : owner->Resume(job));
        }
        break;
      case 4:
        if (!jobs.empty()) {
          auto& [owner, job] = jobs[random.Uniform(jobs.size())];
          (void)(random.OneIn(2) ? owner->Cancel(job) : owner->Complete(job));
        }
        break;
      case 5:
        service.SetNetworkAvailable(!service.network_available());
        break;
      case 6: {
        const std::string name = random.OneIn(2) ? "ann" : "ben";
        if (random.OneIn(2)) service.LogOff(name); else service.LogOn(name);
        break;
      }
      default:
        service.SetBandwidth(50'000 + random.Uniform(500'000));
        break;
    }
    service.AdvanceBy(std::chrono::milliseconds(random.Uniform(20'000)));
  }
  service.SetNetworkAvailable(true);
  service.RunUntilIdle(std::chrono::hours(24 * 30));
  return service.log().ToText();
}

class FakeDeterminismTest : public FakeServiceTest {
 protected:
  // Runs the workload in the same fresh folder each time (the log names local paths).
  std::string Run(std::uint64_t seed) {
    const std::filesystem::path folder = dir_ / "work";
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return RunRandomWorkload(seed, folder);
  }
};

TEST_F(FakeDeterminismTest, TheSameSeedGivesAByteIdenticalEventLog) {
  const std::string first = Run(7);
  const std::string second = Run(7);
  EXPECT_GT(std::count(first.begin(), first.end(), '\n'), 500);  // a real workload, not a trivial one
  EXPECT_NE(first.find("TRANSIENT_ERROR"), std::string::npos);
  EXPECT_NE(first.find("TRANSFERRED"), std::string::npos);
  EXPECT_NE(first.find("network lost"), std::string::npos);
  EXPECT_TRUE(first == second) << EventLog::FirstDifference(first, second);
}

TEST_F(FakeDeterminismTest, ADifferentSeedGivesADifferentRun) {
  const std::string seven = Run(7);
  const std::string eight = Run(8);
  EXPECT_FALSE(seven == eight);
}

TEST(RandomTest, IsAPureFunctionOfTheSeed) {
  Random a(42), b(42), c(43);
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t value = a.Next();
    EXPECT_EQ(value, b.Next());
    if (i == 0) {
      EXPECT_NE(value, c.Next());
    }
  }
}

TEST(JobIdTest, TheIdsOfASeedAreTheSameOnEveryPlatformAndRelease) {
  EXPECT_EQ(MakeJobId(1, 1).ToString(), "{C982F6DB-67F8-4FE9-A981-72B24CF82F38}");
  EXPECT_EQ(MakeJobId(1, 2).ToString(), "{5E5532FB-EEA2-43F8-8BC9-42EE9086C171}");
  EXPECT_EQ(MakeJobId(7, 3).ToString(), "{C2D0DAED-E1B6-4E28-B179-B7AED87BDF90}");
}

TEST(RandomTest, GivesTheSameNumbersOnEveryPlatformAndRelease) {
  Random random(42);
  EXPECT_EQ(random.Next(), 0x15780B2E0C2EC716ull);
  EXPECT_EQ(random.Next(), 0x6104D9866D113A7Eull);
  EXPECT_EQ(random.Next(), 0xAE17533239E499A1ull);
}

}  // namespace
}  // namespace bitsh::fake::testing

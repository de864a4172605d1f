// bitsh-demo: a store queues an album against the fake BITS under a bad network, and the report
// shows what happened to each track in virtual time. Exit code 0 when every outcome matched what
// BITS documents, 1 otherwise.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backend/testing/scratch_folder.h"
#include "content/generated_content.h"
#include "fake/fake_service.h"
#include "fake/scripted_transport.h"
#include "wmp/convention.h"

namespace {

using namespace bitsh;

struct Track {
  const char* file;
  std::uint64_t size;
  const char* what_happens;
  JobState expected;
};

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

int main() {
  const bitsh::testing::ScratchFolder folder("bitsh-demo");  // removed on return
  const std::filesystem::path& music = folder.path();

  const Track tracks[] = {
      {"01.wma", 3'000'000, "clean download", JobState::kAcknowledged},
      {"02.wma", 5'000'000, "server answers 503 twice, then serves", JobState::kAcknowledged},
      {"03.wma", 8'000'000, "connection dropped at byte 2,500,000", JobState::kAcknowledged},
      {"04.wma", 2'000'000, "network down for 2 hours mid-album", JobState::kAcknowledged},
      {"05.wma", 1'000'000, "URL not on the server (404)", JobState::kError},
  };

  fake::ScriptedTransport server;
  fake::FakeOptions options;
  options.bandwidth_bytes_per_s = 256 * 1024;  // a slow line: the album takes minutes, virtually
  fake::FakeBitsService service(options, server);
  std::unique_ptr<Backend> bits = service.Connect("customer");

  std::vector<JobId> jobs;
  for (std::size_t i = 0; i < std::size(tracks); ++i) {
    const std::string url = std::string("http://127.0.0.1/album/") + tracks[i].file;
    if (i != 4) server.AddFile(url, tracks[i].size, i + 1);
    if (i == 1) server.FailNext(url, hr::FromHttpStatus(503), 2);
    if (i == 2) server.DropAt(url, 2'500'000);
    wmp::ConventionRecord record{.service_id = 3735928559u, .provider = "ContosoMusic",
                                 .album_artist = "The Artists", .album_title = "Demo Album",
                                 .track_number = std::to_string(i + 1), .title = tracks[i].file,
                                 .duration = "215", .rating = "50"};
    const JobId job = *bits->CreateJob(tracks[i].file, JobType::kDownload);
    (void)bits->SetDescription(job, *wmp::FormatDescription(record));
    (void)bits->SetMinimumRetryDelay(job, 60);
    (void)bits->AddFile(job, url, (music / tracks[i].file).string());
    (void)bits->Resume(job);
    jobs.push_back(job);
  }
  service.AdvanceBy(std::chrono::seconds(20));
  service.SetNetworkAvailable(false);
  service.AdvanceBy(std::chrono::hours(2));
  service.SetNetworkAvailable(true);
  service.RunUntilIdle();
  for (const JobId& job : jobs) {
    if (*bits->GetState(job) == JobState::kTransferred) (void)bits->Complete(job);
  }

  std::printf("bits-harness demo: an album queued against the fake BITS (virtual time)\n\n");
  std::printf("%-7s %-40s %-13s %-7s %-24s %s\n", "track", "condition", "final state", "errors",
              "last error", "bytes");
  int mismatches = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const JobState state = *bits->GetState(jobs[i]);
    std::string last_error = "-";
    if (Result<JobError> error = bits->GetError(jobs[i]); error.ok()) last_error = HResultName(error->code);
    std::string bytes = "-";
    if (state == JobState::kAcknowledged) {
      const bool same = Slurp(music / tracks[i].file) == content::GeneratedBytes(i + 1, 0, tracks[i].size);
      bytes = same ? "identical" : "DIFFERENT";
      mismatches += same ? 0 : 1;
    }
    const bool as_expected = state == tracks[i].expected;
    mismatches += as_expected ? 0 : 1;
    std::printf("%-7s %-40s %-13s %-7u %-24s %s%s\n", tracks[i].file, tracks[i].what_happens,
                std::string(ToString(state)).c_str(), *bits->GetErrorCount(jobs[i]), last_error.c_str(),
                bytes.c_str(), as_expected ? "" : "  <-- unexpected");
  }
  const auto virtual_s = std::chrono::duration_cast<std::chrono::seconds>(service.Now() - options.start_time);
  std::printf("\nvirtual time: %llds; events: %llu; temporary files left: ",
              static_cast<long long>(virtual_s.count()),
              static_cast<unsigned long long>(service.events().events_run()));
  int temps = 0;
  for (const auto& entry : std::filesystem::directory_iterator(music)) {
    temps += entry.path().extension() == ".tmp" ? 1 : 0;
  }
  std::printf("%d\n", temps);
  std::printf("%s\n", mismatches == 0 && temps == 0 ? "RESULT: all outcomes as documented" : "RESULT: FAILED");
  return mismatches == 0 && temps == 0 ? 0 : 1;
}

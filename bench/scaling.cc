// How the fake's cost grows with the work: one measurement per process, so that the peak RSS
// bench/scaling.sh reads (/usr/bin/time) is this workload's alone. Prints one line of figures;
// nothing is asserted.
//   scaling jobs N       N jobs created (CreateJob, AddFile, SetDescription in the WMP convention),
//                        enumerated (EnumJobs), and validated the way the Player does (GetDescription,
//                        GetFiles, wmp::ValidateJob)
//   scaling transfers N  N foreground 64 KiB downloads at once, run to TRANSFERRED
//   scaling days D [J]   J jobs (100 unless given) whose server answers 503, retried every 10
//                        minutes for D virtual days until their no-progress timeout ends them
// Bytes come from a ScriptedTransport: this measures the engine, not HTTP. Each measured part is a
// function of its own (CreateJobs, EnumerateJobs, ValidateJobs, RunEvents), so that
// bench/scaling.sh --instructions can read what each costs in instructions from callgrind.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/testing/scratch_folder.h"
#include "fake/fake_service.h"
#include "fake/scripted_transport.h"
#include "wmp/convention.h"

namespace bitsh::fake {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

FakeOptions ManyJobs(std::size_t jobs) {
  FakeOptions options;
  options.max_jobs_per_user = options.max_jobs_per_machine = jobs;
  return options;
}

std::string Description(std::size_t i) {
  wmp::ConventionRecord record{.kind = wmp::RecordKind::kJob, .service_id = 7, .provider = "ContosoMusic",
                               .album_artist = "Artist", .album_title = "Album", .track_number = std::to_string(i % 99 + 1),
                               .title = "Track " + std::to_string(i), .duration = "215", .rating = "75"};
  Result<std::string> text = wmp::FormatDescription(record);
  return text.ok() ? *text : "";
}

// The three phases of the jobs workload.
[[gnu::noinline]] void CreateJobs(Backend& user, std::size_t count, const std::filesystem::path& folder) {
  for (std::size_t i = 0; i < count; ++i) {
    const JobId job = *user.CreateJob("track", JobType::kDownload);
    (void)user.AddFile(job, "http://127.0.0.1/" + std::to_string(i) + ".wma", (folder / (std::to_string(i) + ".wma")).string());
    (void)user.SetDescription(job, Description(i));
  }
}

[[gnu::noinline]] std::vector<JobId> EnumerateJobs(Backend& user) {
  Result<std::vector<JobId>> enumerated = user.EnumJobs(EnumScope::kCurrentUser);
  return enumerated.ok() ? std::move(*enumerated) : std::vector<JobId>{};
}

// How many of `listed` the Player would take.
[[gnu::noinline]] std::size_t ValidateJobs(Backend& user, const std::vector<JobId>& listed) {
  const wmp::ValidationOptions known{.known_store_keys = {"ContosoMusic"}};
  std::size_t valid = 0;
  for (const JobId& job : listed) {
    const Result<std::vector<FileStatus>> files = user.GetFiles(job);
    const Result<std::string> description = user.GetDescription(job);
    if (!files.ok() || !description.ok()) continue;
    std::vector<std::string> locals;
    for (const FileStatus& file : *files) locals.push_back(file.local_name);
    if (!wmp::HasErrors(wmp::ValidateJob(*description, locals, known))) ++valid;
  }
  return valid;
}

int Jobs(std::size_t count, const std::filesystem::path& folder) {
  ScriptedTransport transport;
  FakeBitsService service(ManyJobs(count), transport);
  auto user = service.Connect("user");
  Clock::time_point start = Clock::now();
  CreateJobs(*user, count, folder);
  const double create = SecondsSince(start);
  start = Clock::now();
  const std::vector<JobId> listed = EnumerateJobs(*user);
  const double enumerate = SecondsSince(start);
  start = Clock::now();
  const std::size_t valid = ValidateJobs(*user, listed);
  const double validate = SecondsSince(start);
  if (listed.size() != count || valid != count) {
    std::fprintf(stderr, "scaling: %zu jobs listed, %zu valid, of %zu\n", listed.size(), valid, count);
    return 1;
  }
  std::printf("jobs %zu: create %.3f s (%.2f us/job), enumerate %.3f s (%.3f us/job), validate %.3f s (%.2f us/job)\n",
              count, create, create * 1e6 / static_cast<double>(count), enumerate, enumerate * 1e6 / static_cast<double>(count),
              validate, validate * 1e6 / static_cast<double>(count));
  return 0;
}

// The engine's part of the transfers and days workloads.
[[gnu::noinline]] void RunEvents(FakeBitsService& service, Duration limit) { service.RunUntilIdle(limit); }

int Transfers(std::size_t count, const std::filesystem::path& folder) {
  ScriptedTransport transport;
  FakeBitsService service(ManyJobs(count), transport);
  auto user = service.Connect("user");
  std::vector<JobId> jobs;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string url = "http://127.0.0.1/" + std::to_string(i) + ".wma";
    transport.AddFile(url, 64 * 1024, i);
    const JobId job = *user->CreateJob("track", JobType::kDownload);
    (void)user->AddFile(job, url, (folder / (std::to_string(i) + ".wma")).string());
    (void)user->SetPriority(job, JobPriority::kForeground);  // foreground jobs all transfer at once
    (void)user->Resume(job);
    jobs.push_back(job);
  }
  const Clock::time_point start = Clock::now();
  RunEvents(service, std::chrono::hours(24 * 365));  // RunUntilIdle's own default
  const double wall = SecondsSince(start);
  for (const JobId& job : jobs) {
    if (*user->GetState(job) != JobState::kTransferred) {
      std::fprintf(stderr, "scaling: job %s is not TRANSFERRED\n", job.ToString().c_str());
      return 1;
    }
  }
  const std::uint64_t events = service.events().events_run();
  std::printf("transfers %zu: %.3f s, %llu events (%.2f us/event, %.1f us/job)\n", count, wall,
              static_cast<unsigned long long>(events), wall * 1e6 / static_cast<double>(events),
              wall * 1e6 / static_cast<double>(count));
  return 0;
}

int Days(std::uint32_t days, std::size_t jobs_count, const std::filesystem::path& folder) {
  ScriptedTransport transport(/*record_requests=*/false);  // weeks of retries: millions of requests
  FakeBitsService service(ManyJobs(jobs_count), transport);
  auto user = service.Connect("user");
  std::vector<JobId> jobs;
  for (std::size_t i = 0; i < jobs_count; ++i) {
    const std::string url = "http://127.0.0.1/" + std::to_string(i) + ".wma";
    transport.AddFile(url, 1000, i);
    transport.FailNext(url, hr::FromHttpStatus(503), 1'000'000'000);
    const JobId job = *user->CreateJob("retrying", JobType::kDownload);
    (void)user->AddFile(job, url, (folder / (std::to_string(i) + ".wma")).string());
    (void)user->SetNoProgressTimeout(job, days * 86'400);
    (void)user->Resume(job);
    jobs.push_back(job);
  }
  const Clock::time_point start = Clock::now();
  RunEvents(service, std::chrono::hours(24 * (days + 1)));
  const double wall = SecondsSince(start);
  for (const JobId& job : jobs) {
    if (*user->GetState(job) != JobState::kError) {
      std::fprintf(stderr, "scaling: job %s did not reach ERROR\n", job.ToString().c_str());
      return 1;
    }
  }
  const std::uint64_t events = service.events().events_run();
  std::printf("days %u: %zu jobs, %.3f s, %llu events (%.2f us/event), %llu log lines\n", days, jobs_count, wall,
              static_cast<unsigned long long>(events), wall * 1e6 / static_cast<double>(events),
              static_cast<unsigned long long>(service.log().added()));
  return 0;
}

}  // namespace
}  // namespace bitsh::fake

int main(int argc, char** argv) {
  const std::string kind = argc == 3 || argc == 4 ? argv[1] : "";
  const long long n = kind.empty() ? 0 : std::atoll(argv[2]);
  const long long jobs = argc == 4 ? std::atoll(argv[3]) : 100;  // only "days" takes a job count
  if ((kind != "jobs" && kind != "transfers" && kind != "days") || n <= 0 || jobs <= 0 || (argc == 4 && kind != "days")) {
    std::fprintf(stderr, "usage: scaling jobs N | transfers N | days D [JOBS]\n");
    return 2;
  }
  const bitsh::testing::ScratchFolder scratch("bitsh-scaling");
  if (kind == "jobs") return bitsh::fake::Jobs(static_cast<std::size_t>(n), scratch.path());
  if (kind == "transfers") return bitsh::fake::Transfers(static_cast<std::size_t>(n), scratch.path());
  return bitsh::fake::Days(static_cast<std::uint32_t>(n), static_cast<std::size_t>(jobs), scratch.path());
}

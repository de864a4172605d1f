// http_vs_curl [--size-mib N] [--pairs P] [--fake-fetch PATH]: serves a generated file (1 GiB by
// default) from the local file server, then downloads it in P paired runs (5 by default) of
// `curl -o` and fake_fetch (the fake's HTTP transport), as child processes. Prints each pair's
// wall times and ratio fake/curl, the same for CPU time (user + system), their medians, the file
// server's own CPU time serving each side, how often each side slept waiting for bytes, the peak
// RSS of each side (from wait4), and checks the files' SHA-256 against the source.
// Targets: ratio fake/curl <= 1.00 for 1 GiB and 4 GiB (issue 17), fake peak RSS < 64 MiB.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "backend/testing/scratch_folder.h"
#include "content/sha256.h"
#include "server/file_server.h"

namespace {

struct Run {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system, from wait4
  double server_cpu_seconds = 0;  // this process's (the file server's) user + system meanwhile
  long peak_rss_kib = 0;
  long sleeps = 0;  // voluntary context switches: the times the client waited for the server
  int status = -1;
};

double SecondsOf(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

// This process's CPU time so far: the file server's threads, while the main thread waits.
double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return SecondsOf(usage.ru_utime) + SecondsOf(usage.ru_stime);
}

Run RunChild(const std::vector<std::string>& command) {
  const double server_cpu_before = OwnCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const std::string& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  Run run;
  rusage usage{};
  wait4(pid, &run.status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_kib = usage.ru_maxrss;
  run.sleeps = usage.ru_nvcsw;
  run.cpu_seconds = SecondsOf(usage.ru_utime) + SecondsOf(usage.ru_stime);
  run.server_cpu_seconds = OwnCpuSeconds() - server_cpu_before;
  return run;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Downloads one generated file over loopback with curl and with the fake's HTTP transport, in pairs"};
  std::uint64_t mib = 1024;
  int pairs = 5;
  std::string fake_fetch = (std::filesystem::canonical("/proc/self/exe").parent_path() / "fake_fetch").string();
  app.add_option("--size-mib", mib, "size of the file, MiB")->capture_default_str();
  app.add_option("--pairs", pairs, "paired runs; the figures are their medians")->capture_default_str()->check(CLI::Range(1, 100));
  app.add_option("--fake-fetch", fake_fetch, "the fake_fetch to measure (another build's, for a before/after)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const std::uint64_t size = mib * 1024 * 1024;
  const bitsh::testing::ScratchFolder scratch("bitsh-http-bench");
  const std::filesystem::path& work = scratch.path();
  bitsh::server::FileServer server({});
  server.AddGeneratedFile("/big.bin", size, 1);
  if (!server.Start().ok()) return 1;
  const std::string url = server.base_url() + "/big.bin";
  const std::filesystem::path curl_file = work / "curl.bin", fake_file = work / "fake.bin";
  const std::vector<std::string> curl_command = {"curl", "-s", "-o", curl_file.string(), url};
  const std::vector<std::string> fake_command = {fake_fetch, url, fake_file.string()};

  // Each pair runs both, in alternating order, so that a slow spell of a shared machine lands on
  // both sides of some pairs; the ratio is taken per pair, then its median.
  std::printf("%llu MiB generated file over loopback, %d pairs\n", static_cast<unsigned long long>(mib), pairs);
  std::printf("%-5s %10s %10s %8s %12s %12s %10s\n", "pair", "curl s", "fake s", "ratio", "curl cpu s", "fake cpu s", "cpu ratio");
  std::vector<double> curl_seconds, fake_seconds, ratios, curl_cpu, fake_cpu, cpu_ratios, curl_server_cpu, fake_server_cpu, curl_sleeps, fake_sleeps;
  long curl_rss = 0, fake_rss = 0;
  bool sizes_ok = true;
  const std::string expected = bitsh::content::GeneratedSha256Hex(1, size);
  bool curl_ok = true, fake_ok = true;
  for (int pair = 0; pair < pairs; ++pair) {
    Run curl, fake;
    for (int side = 0; side < 2; ++side) {
      const bool curl_now = (side == 0) == (pair % 2 == 0);
      const std::filesystem::path& output = curl_now ? curl_file : fake_file;
      // Each run starts from the same state: no output file of either side (so the pages the run
      // before it wrote are freed right before this one writes, whichever side wrote them) and a
      // clean disk (no run pays for writing back another's file). Without the first, the side
      // whose own old file had been freed earlier ran up to 3x slower on this VM.
      std::filesystem::remove(curl_file);
      std::filesystem::remove(fake_file);
      ::sync();
      (curl_now ? curl : fake) = RunChild(curl_now ? curl_command : fake_command);
      std::error_code error;
      sizes_ok = sizes_ok && std::filesystem::file_size(output, error) == size && !error;
      if (pair == pairs - 1) {  // the last pair's files are checked whole (every run's size was)
        (curl_now ? curl_ok : fake_ok) = bitsh::content::FileSha256Hex(output) == expected;
      }
    }
    if (curl.status != 0 || fake.status != 0) {
      std::fprintf(stderr, "http_vs_curl: a download failed (curl status %d, fake_fetch status %d)\n", curl.status, fake.status);
      return 1;
    }
    curl_seconds.push_back(curl.seconds);
    fake_seconds.push_back(fake.seconds);
    ratios.push_back(fake.seconds / curl.seconds);
    curl_cpu.push_back(curl.cpu_seconds);
    fake_cpu.push_back(fake.cpu_seconds);
    cpu_ratios.push_back(fake.cpu_seconds / curl.cpu_seconds);
    curl_server_cpu.push_back(curl.server_cpu_seconds);
    fake_server_cpu.push_back(fake.server_cpu_seconds);
    curl_sleeps.push_back(static_cast<double>(curl.sleeps));
    fake_sleeps.push_back(static_cast<double>(fake.sleeps));
    curl_rss = std::max(curl_rss, curl.peak_rss_kib);
    fake_rss = std::max(fake_rss, fake.peak_rss_kib);
    std::printf("%-5d %10.3f %10.3f %8.2f %12.3f %12.3f %10.2f\n", pair + 1, curl.seconds, fake.seconds, ratios.back(),
                curl.cpu_seconds, fake.cpu_seconds, cpu_ratios.back());
  }
  curl_ok = curl_ok && sizes_ok;
  fake_ok = fake_ok && sizes_ok;
  server.Stop();

  std::printf("median%10.3f %10.3f %8.2f %12.3f %12.3f %10.2f   (ratios: medians of the pairs' ratios)\n",
              Median(curl_seconds), Median(fake_seconds), Median(ratios), Median(curl_cpu), Median(fake_cpu),
              Median(cpu_ratios));
  std::printf("file server's CPU s (median): serving curl %.3f, serving the fake %.3f\n", Median(curl_server_cpu),
              Median(fake_server_cpu));
  // Each time a client sleeps for want of bytes, the server's next send wakes it: on this VM a
  // cross-CPU interrupt the file server pays for (docs/performance.md, "Waking the reader once per
  // megabyte").
  std::printf("client sleeps (voluntary context switches, median): curl %.0f, fake %.0f\n", Median(curl_sleeps),
              Median(fake_sleeps));
  std::printf("peak RSS MiB: curl %.1f, fake %.1f; sha256: curl %s, fake %s\n", static_cast<double>(curl_rss) / 1024,
              static_cast<double>(fake_rss) / 1024, curl_ok ? "ok" : "BAD", fake_ok ? "ok" : "BAD");
  std::printf("targets: ratio fake/curl <= 1.00 (issue 17), fake peak RSS < 64 MiB\n");
  return curl_ok && fake_ok ? 0 : 1;
}

// fake_fetch URL FILE: downloads one URL through the fake BITS and its HTTP transport, as fast as
// the wire allows (unlimited virtual bandwidth), and completes the job to FILE. Used by
// http_vs_curl to compare the fake's transport with curl; prints the virtual time taken.
#include <cstdio>
#include <filesystem>

#include "fake/fake_service.h"
#include "fake/http_transport.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fake_fetch URL FILE\n");
    return 2;
  }
  bitsh::fake::HttpTransport http;
  bitsh::fake::FakeOptions options;
  options.bandwidth_bytes_per_s = 0;
  options.chunk_bytes = 1 << 20;
  bitsh::fake::FakeBitsService service(options, http);
  auto bits = service.Connect("bench");
  const bitsh::JobId job = *bits->CreateJob("fetch", bitsh::JobType::kDownload);
  const std::string file = std::filesystem::absolute(argv[2]).string();
  if (bitsh::Status s = bits->AddFile(job, argv[1], file); !s.ok()) {
    std::fprintf(stderr, "fake_fetch: %s\n", s.ToString().c_str());
    return 1;
  }
  (void)bits->Resume(job);
  service.RunUntilIdle();
  if (*bits->GetState(job) != bitsh::JobState::kTransferred) {
    std::fprintf(stderr, "fake_fetch: job ended %s\n", std::string(bitsh::ToString(*bits->GetState(job))).c_str());
    return 1;
  }
  return bits->Complete(job).ok() ? 0 : 1;
}

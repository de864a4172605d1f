// A partner's program built against the installed bits-harness: prints the WMP convention
// findings for the description given as the first argument, then queues it on the fake BITS
// (served by the local file server) to show the installed libraries link and run together.
// Exit code: 0 when the description has no errors and the job transferred, 1 otherwise.
#include <filesystem>
#include <iostream>

#include "backend/testing/scratch_folder.h"
#include "fake/fake_service.h"
#include "fake/http_transport.h"
#include "server/file_server.h"
#include "wmp/convention.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lint_description DESCRIPTION\n";
    return 2;
  }
  const bitsh::wmp::ParseResult result = bitsh::wmp::ParseDescription(argv[1]);
  for (const bitsh::wmp::Finding& finding : result.findings) {
    std::cout << bitsh::wmp::ToString(finding) << "\n";
  }
  if (bitsh::wmp::HasErrors(result.findings)) return 1;

  bitsh::server::FileServer server({});
  server.AddGeneratedFile("/track.wma", 100'000, 1);
  if (!server.Start().ok()) return 1;
  bitsh::fake::HttpTransport http;
  bitsh::fake::FakeBitsService service({}, http);
  auto bits = service.Connect("partner");
  const bitsh::JobId job = *bits->CreateJob("consumer", bitsh::JobType::kDownload);
  const bitsh::testing::ScratchFolder folder("bitsh-consumer");  // a fresh folder per run, removed at exit
  const std::string local = (folder / "track.wma").string();
  if (!bits->SetDescription(job, argv[1]).ok() || !bits->AddFile(job, server.base_url() + "/track.wma", local).ok() ||
      !bits->Resume(job).ok()) {
    return 1;
  }
  service.RunUntilIdle();
  const bool transferred = *bits->GetState(job) == bitsh::JobState::kTransferred;
  (void)bits->Cancel(job);
  std::cout << "fake BITS job: " << (transferred ? "TRANSFERRED" : "not transferred") << "\n";
  return transferred ? 0 : 1;
}

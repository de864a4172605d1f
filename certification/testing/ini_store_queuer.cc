// ini_store_queuer: a store's queuer as a program of its own (Linux), for the tests of
// `bitsh certify --exe`: it reads the purchase file (program_queuer.h) given as its last argument
// and queues one ::WMP_JOB job per track through the protocol (BITSHD_URL, BITSHD_TOKEN_FILE,
// BITSHD_USER). --forget-resume leaves the jobs SUSPENDED, a store's commonest mistake.
// examples/com/store_queuer.c is the same program for Windows, through COM.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "remote/remote_client.h"
#include "wmp/convention.h"

namespace {

using Section = std::map<std::string, std::string>;

// The file's sections by name ("purchase", "track1", ...).
std::map<std::string, Section> ReadIni(const char* path) {
  std::map<std::string, Section> sections;
  std::ifstream file(path);
  std::string line, current;
  while (std::getline(file, line)) {
    if (line.empty() || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      current = line.substr(1, line.size() - 2);
    } else if (const std::size_t equals = line.find('='); equals != std::string::npos) {
      sections[current][line.substr(0, equals)] = line.substr(equals + 1);
    }
  }
  return sections;
}

int Fail(const std::string& what, const bitsh::Status& status) {
  std::printf("%s failed: %s\n", what.c_str(), status.ToString().c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ini_store_queuer [--forget-resume] PURCHASE_FILE\n");
    return 64;
  }
  const bool resume = std::string(argv[1]) != "--forget-resume";
  std::map<std::string, Section> ini = ReadIni(argv[argc - 1]);
  Section& purchase = ini["purchase"];
  std::ifstream token_file(std::getenv("BITSHD_TOKEN_FILE"));
  std::string token;
  token_file >> token;
  auto client = bitsh::remote::RemoteClient::Open(std::getenv("BITSHD_URL"), token);
  if (!client.ok()) return Fail("Open", client.status());
  std::unique_ptr<bitsh::Backend> bits = (*client)->Connect(std::getenv("BITSHD_USER"));

  const int tracks = std::atoi(purchase["tracks"].c_str());
  for (int i = 1; i <= tracks; ++i) {
    Section& track = ini["track" + std::to_string(i)];
    bitsh::wmp::ConventionRecord record;
    record.kind = bitsh::wmp::RecordKind::kJob;
    record.service_id = static_cast<std::uint32_t>(std::strtoul(purchase["service_id"].c_str(), nullptr, 10));
    record.provider = purchase["store_key"];
    record.album_artist = track["album_artist"];
    record.album_title = track["album"];
    record.track_number = track["track_number"];
    record.title = track["title"];
    record.duration = track["duration"];
    record.rating = track["rating"];
    const bitsh::Result<std::string> description = bitsh::wmp::FormatDescription(record);
    if (!description.ok()) return Fail("FormatDescription", description.status());
    const bitsh::Result<bitsh::JobId> job = bits->CreateJob(track["title"], bitsh::JobType::kDownload);
    if (!job.ok()) return Fail("CreateJob", job.status());
    if (auto set = bits->SetDescription(*job, *description); !set.ok()) return Fail("SetDescription", set);
    const std::string local = purchase["download_folder"] + "/" + track["file_name"];
    if (auto added = bits->AddFile(*job, track["url"], local); !added.ok()) return Fail("AddFile", added);
    if (resume) {
      if (auto resumed = bits->Resume(*job); !resumed.ok()) return Fail("Resume", resumed);
    }
    std::printf("queued %s for track %d\n", job->ToString().c_str(), i);
  }
  return 0;
}

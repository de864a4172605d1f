#include "conformance/backend_conformance.h"

#include "content/sha256.h"

namespace bitsh::conformance {

// Defined in each themed file; referencing them keeps those files in the link.
int LifecycleTestsAnchor();
int TransferTestsAnchor();
int FilesTestsAnchor();
int UsersTestsAnchor();
int TimingTestsAnchor();

int LinkAllConformanceTests() {
  return LifecycleTestsAnchor() + TransferTestsAnchor() + FilesTestsAnchor() + UsersTestsAnchor() + TimingTestsAnchor();
}

std::string_view ToString(Capability capability) {
  switch (capability) {
    case Capability::kVirtualTime: return "virtual-time control";
    case Capability::kMultipleUsers: return "several users and an administrator";
    case Capability::kServiceRestart: return "a restartable service";
  }
  return "?";
}

std::string FactoryName(const ::testing::TestParamInfo<FactoryParam>& info) { return info.param->name(); }

void BackendConformanceTest::SetUp() {
  std::string pattern = (std::filesystem::temp_directory_path() / "bitsh-conformance-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
  server_ = std::make_unique<server::FileServer>(server::FileServerOptions{});
  ASSERT_TRUE(server_->Start().ok());
  backend_ = GetParam()->Create();
  ASSERT_NE(backend_, nullptr);
}

void BackendConformanceTest::TearDown() {
  backend_.reset();
  server_.reset();
  std::filesystem::remove_all(dir_);
}

std::uint64_t BackendConformanceTest::SeedOf(const std::string& path) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (char c : path) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return hash;
}

JobId BackendConformanceTest::QueueDownload(const std::string& path, std::uint64_t size, std::uint32_t retry_delay_s) {
  server_->AddGeneratedFile(path, size, SeedOf(path));
  Result<JobId> job = user().CreateJob("conformance " + path, JobType::kDownload);
  EXPECT_TRUE(job.ok()) << job.status().ToString();
  if (!job.ok()) return JobId();
  const std::string local = Local(path.substr(path.rfind('/') + 1)).string();
  EXPECT_TRUE(user().AddFile(*job, Url(path), local).ok());
  EXPECT_TRUE(user().SetMinimumRetryDelay(*job, retry_delay_s).ok());
  EXPECT_TRUE(user().Resume(*job).ok());
  return *job;
}

bool BackendConformanceTest::WaitForState(const JobId& job, JobState state, Duration limit) {
  return backend_->WaitUntil([&] {
    Result<JobState> now = user().GetState(job);
    return now.ok() && *now == state;
  }, limit);
}

bool BackendConformanceTest::HoldsServedBytes(const std::string& local, const std::string& path, std::uint64_t size) const {
  return content::FileSha256Hex(Local(local)) == content::GeneratedSha256Hex(SeedOf(path), size);
}

std::vector<std::string> BackendConformanceTest::TempFiles() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("BIT") && (name.ends_with(".tmp") || name.ends_with(".TMP"))) names.push_back(name);
  }
  return names;
}

}  // namespace bitsh::conformance

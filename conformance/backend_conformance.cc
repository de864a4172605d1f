#include "conformance/backend_conformance.h"

#include <cstdlib>

#include "content/generated_content.h"
#include "content/hashing.h"

namespace bitsh::conformance {

// Defined in each themed file; referencing them keeps those files in the link.
int LifecycleTestsAnchor();
int TransferTestsAnchor();
int FilesTestsAnchor();
int UsersTestsAnchor();
int TimingTestsAnchor();
int FinalJobTestsAnchor();
int LocalSourcesTestsAnchor();
int HttpOptionsTestsAnchor();
int ProxyTestsAnchor();
int FileOperationsTestsAnchor();
int NotificationTestsAnchor();
int JobPropertyTestsAnchor();

int LinkAllConformanceTests() {
  return LifecycleTestsAnchor() + TransferTestsAnchor() + FilesTestsAnchor() + UsersTestsAnchor() + TimingTestsAnchor() +
         FinalJobTestsAnchor() + LocalSourcesTestsAnchor() +
         HttpOptionsTestsAnchor() + ProxyTestsAnchor() + FileOperationsTestsAnchor() +
         NotificationTestsAnchor() + JobPropertyTestsAnchor();
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

namespace {

// The test's own name without the "/<backend>" the instantiation appends.
std::string CurrentTestName() {
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  return name.substr(0, name.find('/'));
}

}  // namespace

void BackendConformanceTest::SetUp() {
  const std::string deviation = GetParam()->KnownDeviation(CurrentTestName());
  if (!deviation.empty() && std::getenv(kRunKnownDeviationsVariable) == nullptr) {
    GTEST_SKIP() << kKnownDeviationSkip << GetParam()->name() << ": " << deviation;
  }
  scratch_ = std::make_unique<bitsh::testing::ScratchFolder>("bitsh-conformance");
  namespace_ = "/" + scratch_->path().filename().string();  // unique: the folder name is new
  Result<std::unique_ptr<TestFileServer>> server = OpenTestFileServer();
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  server_ = std::move(server).value();
  backend_ = GetParam()->Create();
  ASSERT_NE(backend_, nullptr);
}

void BackendConformanceTest::TearDown() {
  backend_.reset();
  server_.reset();
  scratch_.reset();
}

void BackendConformanceTest::Serve(const std::string& path, std::uint64_t size) {
  const Status added = server_->AddGeneratedFile(ServerPath(path), size, SeedOf(path));
  EXPECT_TRUE(added.ok()) << added.ToString();
}

void BackendConformanceTest::AddFault(const server::ServerFault& fault) {
  server::ServerFault ours = fault;
  ours.path = ServerPath(fault.path);
  if (ours.redirect_to.starts_with('/')) ours.redirect_to = ServerPath(fault.redirect_to);
  const Status added = server_->AddFault(ours);
  EXPECT_TRUE(added.ok()) << added.ToString();
}

std::uint64_t BackendConformanceTest::SeedOf(const std::string& path) { return content::Fnv1a(path); }

JobId BackendConformanceTest::CreateJob(const std::string& name) {
  Result<JobId> job = user().CreateJob(name, JobType::kDownload);
  EXPECT_TRUE(job.ok()) << "CreateJob(\"" << name << "\"): " << job.status().ToString();
  return job.ok() ? *job : JobId();
}

JobId BackendConformanceTest::QueueDownload(const std::string& path, std::uint64_t size, std::uint32_t retry_delay_s) {
  Serve(path, size);
  const JobId job = CreateJob("conformance " + path);
  const std::string local = Local(path.substr(path.rfind('/') + 1)).string();
  EXPECT_THAT(user().AddFile(job, Url(path), local), bitsh::testing::IsOk());
  EXPECT_THAT(user().SetMinimumRetryDelay(job, retry_delay_s), bitsh::testing::IsOk());
  EXPECT_THAT(user().Resume(job), bitsh::testing::IsOk());
  return job;
}

BackendConformanceTest::FinalJobs BackendConformanceTest::EndTwoJobs() {
  using bitsh::testing::IsOk;
  const auto prepare = [this](const JobId& job) { EXPECT_THAT(user().SetDescription(job, "kept"), IsOk()); };
  Serve("/final/a.wma", kFinalJobSize);
  FinalJobs jobs{CreateJob("final cancelled"), CreateJob("final acknowledged")};
  EXPECT_THAT(user().AddFile(jobs.cancelled, Url("/final/a.wma"), Local("cancelled.wma").string()), IsOk());
  prepare(jobs.cancelled);
  EXPECT_THAT(user().Cancel(jobs.cancelled), IsOk());
  EXPECT_THAT(user().AddFile(jobs.acknowledged, Url("/final/a.wma"), Local("acknowledged.wma").string()), IsOk());
  prepare(jobs.acknowledged);
  EXPECT_THAT(user().Resume(jobs.acknowledged), IsOk());
  EXPECT_TRUE(WaitForState(jobs.acknowledged, JobState::kTransferred));
  EXPECT_THAT(user().Complete(jobs.acknowledged), IsOk());
  return jobs;
}

::testing::AssertionResult BackendConformanceTest::WaitForState(const JobId& job, JobState state, Duration limit) {
  // A job leaves these states only through a call, and none is made while waiting: once the job
  // is in one of them and it is not `state`, waiting longer cannot help (a real service would
  // otherwise sit out the whole limit).
  const auto settled = [](JobState s) {
    return s == JobState::kError || s == JobState::kTransferred || s == JobState::kCancelled ||
           s == JobState::kAcknowledged;
  };
  Result<JobState> now = Status::Ok();
  const bool reached = backend_->WaitUntil([&] {
    now = user().GetState(job);
    return !now.ok() || *now == state || settled(*now);
  }, limit) && now.ok() && *now == state;
  if (reached) return ::testing::AssertionSuccess();
  ::testing::AssertionResult failure = ::testing::AssertionFailure() << "the job did not reach " << ToString(state);
  if (!now.ok()) return failure << ": GetState failed with " << now.status().ToString();
  failure << "; it is " << ToString(*now);
  if (*now != JobState::kError) return failure;
  if (Result<JobError> error = user().GetError(job); error.ok()) failure << " with " << HResultName(error->code);
  return failure;
}

::testing::AssertionResult BackendConformanceTest::HoldsServedBytes(const std::string& local, const std::string& path,
                                                                    std::uint64_t size) const {
  const std::string mismatch = content::MismatchWithGenerated(Local(local), SeedOf(path), size);
  if (mismatch.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << Local(local).string() << " " << mismatch;
}

std::vector<std::string> BackendConformanceTest::TempFiles() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(scratch_->path())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("BIT") && (name.ends_with(".tmp") || name.ends_with(".TMP"))) names.push_back(name);
  }
  return names;
}

}  // namespace bitsh::conformance

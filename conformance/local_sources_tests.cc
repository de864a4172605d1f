// Conformance: remote names that are not HTTP. BITS copies a plain local path or a file:// URL
// like an HTTP file (Microsoft's BG_FILE_INFO page: SMB names from BITS 2.0; Wine's qmgr tests
// test_AddFile, test_CompleteLocal and test_CompleteLocalURL, which run on Windows too).
#include "content/generated_content.h"
#include "conformance/backend_conformance.h"

#include <fstream>

namespace bitsh::conformance {

int LocalSourcesTestsAnchor() { return 0; }

namespace {

using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

// Writes `size` bytes generated from `seed` to `path` and returns the path as BITS takes it.
std::string WriteSource(const std::filesystem::path& path, std::uint64_t size, std::uint64_t seed) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content::GeneratedBytes(seed, 0, size);
  return path.string();
}

TEST_P(BackendConformanceTest, TwoLocalPathsAreAddedCopiedAndCompletedIntoIdenticalFiles) {
  const std::string first = WriteSource(Local("in") / "a.bin", 30'000, 1);
  const std::string second = WriteSource(Local("in") / "b.bin", 5'000, 2);
  const JobId job = CreateJob("local paths");
  ASSERT_THAT(user().AddFile(job, first, Local("a.bin").string()), IsOk());
  ASSERT_THAT(user().AddFile(job, second, Local("b.bin").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_THAT(user().GetState(job), bitsh::testing::HasState(JobState::kAcknowledged));
  EXPECT_EQ(content::MismatchWithGenerated(Local("a.bin"), 1, 30'000), "");
  EXPECT_EQ(content::MismatchWithGenerated(Local("b.bin"), 2, 5'000), "");
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty());
}

TEST_P(BackendConformanceTest, FileUrlsAreCopiedLikeLocalPaths) {
  // "file://" followed by the path as it is, the form Wine's test_CompleteLocalURL writes.
  const std::string source = WriteSource(Local("in") / "u.bin", 12'345, 3);
  const JobId job = CreateJob("file url");
  ASSERT_THAT(user().AddFile(job, "file://" + source, Local("u.bin").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kTransferred));
  EXPECT_EQ(user().GetFiles(job)->at(0).remote_url, "file://" + source);
  ASSERT_THAT(user().Complete(job), IsOk());
  EXPECT_EQ(content::MismatchWithGenerated(Local("u.bin"), 3, 12'345), "");
}

TEST_P(BackendConformanceTest, AMissingLocalSourceEndsTheJobInError) {
  const JobId job = CreateJob("missing source");
  ASSERT_THAT(user().AddFile(job, (Local("in") / "absent.bin").string(), Local("absent.bin").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  EXPECT_THAT(user().Cancel(job), IsOk());
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty());
}

// Which code is not documented; the fake's choice (the Windows error for a missing file, as a
// 404 is BITS's HTTP error for one) is in docs/decisions.md, "Sources that are not HTTP".
TEST_P(BackendConformanceTest, AMissingLocalSourceIsReportedAsFileNotFound) {
  std::filesystem::create_directories(Local("in"));  // the folder is there, the file is not
  const JobId job = CreateJob("missing source");
  ASSERT_THAT(user().AddFile(job, (Local("in") / "absent.bin").string(), Local("absent.bin").string()), IsOk());
  ASSERT_THAT(user().Resume(job), IsOk());
  ASSERT_TRUE(WaitForState(job, JobState::kError));
  const Result<JobError> error = user().GetError(job);
  ASSERT_THAT(error, IsOk());
  EXPECT_EQ(error->code, hr::kFileNotFound);
  EXPECT_EQ(error->context, ErrorContext::kRemoteFile);
  EXPECT_EQ(error->protocol, "file");
}

TEST_P(BackendConformanceTest, ARelativeOrUnknownSchemeRemoteNameIsInvalidArg) {
  const JobId job = CreateJob("bad names");
  EXPECT_THAT(user().AddFile(job, "in\\a.bin", Local("a.bin").string()), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(user().AddFile(job, "gopher://127.0.0.1/a.bin", Local("a.bin").string()), StatusIs(hr::kInvalidArg));
  EXPECT_TRUE(user().GetFiles(job)->empty());
}

}  // namespace
}  // namespace bitsh::conformance

// The fake downloading over real loopback HTTP from the local file server: bytes checked by
// SHA-256, requests checked in the server's log (spec §3.3-§3.6, issue "HTTP transport").
#include "fake/http_transport.h"

#include <httplib.h>

#include <thread>

#include "content/sha256.h"
#include "fake/testing/fake_service_fixture.h"
#include "server/file_server.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::ElementsAre;
using server::FaultKind;
using server::ServerFault;

constexpr std::uint64_t kTrackSize = 3 * 1024 * 1024 + 17;
constexpr std::uint64_t kTrackSeed = 4242;

class HttpTransferTest : public FakeServiceTest {
 protected:
  void SetUp() override {
    FakeServiceTest::SetUp();
    server_.AddGeneratedFile("/album/track.wma", kTrackSize, kTrackSeed);
    ASSERT_TRUE(server_.Start().ok());
  }
  void TearDown() override {
    alice_.reset();
    service_.reset();
    FakeServiceTest::TearDown();
    server_.Stop();
  }

  FakeBitsService& service() {
    if (!service_) service_ = std::make_unique<FakeBitsService>(options_, http_);
    return *service_;
  }
  Backend& alice() {
    if (!alice_) alice_ = service().Connect("alice");
    return *alice_;
  }

  JobId Queue(const std::string& path, JobPriority priority = JobPriority::kNormal) {
    const JobId job = *alice().CreateJob(path, JobType::kDownload);
    EXPECT_THAT(alice().AddFile(job, server_.base_url() + path, Local("track.wma")), IsOk());
    EXPECT_THAT(alice().SetPriority(job, priority), IsOk());
    EXPECT_THAT(alice().SetMinimumRetryDelay(job, 60), IsOk());
    EXPECT_THAT(alice().Resume(job), IsOk());
    return job;
  }

  // Completes the job and returns the SHA-256 of what landed at the local name.
  std::string CompleteAndHash(const JobId& job) {
    EXPECT_THAT(alice().Complete(job), IsOk());
    return content::FileSha256Hex(Local("track.wma")).value_or("(missing)");
  }

  std::vector<std::string> Requests() const {
    std::vector<std::string> lines;
    for (const auto& r : server_.log().Records()) {
      lines.push_back(r.method + " " + r.range + " " + std::to_string(r.status));
    }
    return lines;
  }

  server::FileServer server_{server::FileServerOptions{}};
  HttpTransport http_;
};

// More transfers at once than the file server has workers (16), each with a body larger than the
// loopback socket buffers hold: a worker is free again only once its body is read. The transport
// reads ahead on the other open responses while it waits for one (the HEAD of the last job, a
// piece of another), so no worker stays blocked on a response nobody reads, and every job
// completes without an error. (Without the read-ahead the server cuts the blocked responses after
// its 5 s write timeout. Bodies past about 10 MiB outgrow socket buffers plus kMaxReadAhead: with
// more such transfers than workers, give the server more workers, docs/decisions.md.)
TEST_F(HttpTransferTest, MoreTransfersAtOnceThanServerWorkersAllCompleteWithoutAnError) {
  constexpr int kJobs = 24;
  constexpr std::uint64_t kBigSize = 8 * 1024 * 1024;
  options_.chunk_bytes = 256 * 1024;
  std::vector<JobId> jobs;
  for (int i = 0; i < kJobs; ++i) {
    const std::string path = "/many/" + std::to_string(i) + ".wma";
    server_.AddGeneratedFile(path, kBigSize, static_cast<std::uint64_t>(i));
    const JobId job = *alice().CreateJob(path, JobType::kDownload);
    ASSERT_THAT(alice().AddFile(job, server_.base_url() + path, Local(std::to_string(i) + ".wma")), IsOk());
    ASSERT_THAT(alice().SetPriority(job, JobPriority::kForeground), IsOk());  // all of them at once
    ASSERT_THAT(alice().Resume(job), IsOk());
    jobs.push_back(job);
  }
  ASSERT_TRUE(service().RunUntilIdle());
  for (int i = 0; i < kJobs; ++i) {
    EXPECT_THAT(alice().GetState(jobs[i]), HasState(JobState::kTransferred)) << i;
    EXPECT_EQ(*alice().GetErrorCount(jobs[i]), 0u) << i;
  }
}

// The transport's own Accept and User-Agent are defaults: a job's custom header of the same name
// replaces them rather than going out beside them (a server would read the two as one joined value).
TEST_F(HttpTransferTest, ACustomUserAgentReplacesTheTransportsOwn) {
  server_.AddFault({.path = "/album/track.wma", .kind = FaultKind::kRequireHeader, .required_header = "User-Agent: WMP/12"});
  const JobId job = *alice().CreateJob("custom agent", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, server_.base_url() + "/album/track.wma", Local("track.wma")), IsOk());
  ASSERT_THAT(alice().SetCustomHeaders(job, "User-Agent: WMP/12\r\n"), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 206"));
}

TEST_F(HttpTransferTest, ACleanTransferIsOneHeadAndOneRangedGetWithIdenticalBytes) {
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 206"));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty());
}

class HttpDropTest : public HttpTransferTest, public ::testing::WithParamInterface<std::uint64_t> {};

// A drop at byte N: the retry asks for "bytes=N-", exactly the bytes the temporary file holds.
TEST_P(HttpDropTest, ResumesFromTheExactByteTheTemporaryFileHolds) {
  const std::uint64_t drop_at = GetParam();
  server_.AddFault({.path = "/album/track.wma", .request_number = 2, .kind = FaultKind::kCloseAfterBytes,
                    .after_bytes = drop_at});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 206", "GET bytes=" + std::to_string(drop_at) + "- 206"));
  EXPECT_EQ(server_.log().Records()[1].bytes_sent, drop_at);
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
  EXPECT_THAT(service().log(), TransitionedThrough(job, std::vector{JobState::kTransientError, JobState::kTransferred}));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

INSTANTIATE_TEST_SUITE_P(AtZeroOneMiddleAndLast, HttpDropTest,
                         ::testing::Values(0u, 1u, kTrackSize / 2, kTrackSize - 1));

TEST_F(HttpTransferTest, NotFoundIsAFatalRemoteFileError) {
  const JobId job = Queue("/album/missing.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, 0x80190194u);
  EXPECT_EQ(alice().GetError(job)->context, ErrorContext::kRemoteFile);
}

TEST_F(HttpTransferTest, ServiceUnavailableIsRetriedAfterTheDelayAndThenSucceeds) {
  server_.AddFault({.path = "/album/track.wma", .request_number = 1, .kind = FaultKind::kStatus, .status = 503,
                    .retry_after_s = 30});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kQueued, 2));
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  EXPECT_EQ(*TimeEntered(job, JobState::kQueued, 2) - *TimeEntered(job, JobState::kTransientError), seconds(60));
  EXPECT_THAT(Requests(), ElementsAre("HEAD  503", "HEAD  200", "GET bytes=0- 206"));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

class HttpInvalidResponseTest : public HttpTransferTest, public ::testing::WithParamInterface<int> {};

// bitsmsg.h says of these statuses that the response was not valid and BITS will try again: the
// job retries, although the 4xx rule alone would end it in ERROR. (304, the fourth such status,
// does not reach the table over HTTP: see the next test.)
TEST_P(HttpInvalidResponseTest, AStatusBitsmsgHCallsInvalidIsRetried) {
  const int status = GetParam();
  server_.AddFault({.path = "/album/track.wma", .request_number = 2, .kind = FaultKind::kStatus, .status = status});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  EXPECT_EQ(alice().GetError(job)->code, 0x80190000u + static_cast<HResult>(status));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- " + std::to_string(status), "GET bytes=0- 206"));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

INSTANTIATE_TEST_SUITE_P(ThatTheRuleWouldFail, HttpInvalidResponseTest, ::testing::Values(402, 415, 449));

struct BrokenFraming {
  FaultKind kind;
  HResult code;    // what the job records
  JobState state;  // where the first attempt leaves it
};

void PrintTo(const BrokenFraming& row, std::ostream* out) { *out << server::ToString(row.kind); }

class HttpBrokenFramingTest : public HttpTransferTest, public ::testing::WithParamInterface<BrokenFraming> {};

// A response that breaks HTTP/1.1's framing (the server writes it itself, raw_response.h) to the
// first GET: a head that cannot be read, a length that disagrees with the range or a chunk size
// that is not hexadecimal is BG_E_INVALID_SERVER_RESPONSE and retried; an
// HTTP/1.0 server is BG_E_INSUFFICIENT_HTTP_SUPPORT, fatal (docs/decisions.md).
TEST_P(HttpBrokenFramingTest, TheFirstGetFailsWithTheCodeBitsGivesAndNoByteIsKeptWrongly) {
  const BrokenFraming row = GetParam();
  server_.AddFault({.path = "/album/track.wma", .request_number = 1, .method = "GET", .kind = row.kind});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntil([&] {
    const JobState state = *alice().GetState(job);
    return state == JobState::kTransientError || state == JobState::kError;
  }));
  EXPECT_THAT(alice().GetState(job), HasState(row.state));
  EXPECT_EQ(HResultName(alice().GetError(job)->code), HResultName(row.code));
  EXPECT_EQ(alice().GetError(job)->context, ErrorContext::kRemoteFile);
  if (row.state == JobState::kError) return;
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

INSTANTIATE_TEST_SUITE_P(
    , HttpBrokenFramingTest,
    ::testing::Values(BrokenFraming{FaultKind::kBadStatusLine, hr::kInvalidServerResponse, JobState::kTransientError},
                      BrokenFraming{FaultKind::kTruncatedHeaders, hr::kInvalidServerResponse, JobState::kTransientError},
                      BrokenFraming{FaultKind::kContentLengthTooLarge, hr::kInvalidServerResponse, JobState::kTransientError},
                      BrokenFraming{FaultKind::kContentLengthTooSmall, hr::kInvalidServerResponse, JobState::kTransientError},
                      BrokenFraming{FaultKind::kBrokenChunked, hr::kInvalidServerResponse, JobState::kTransientError},
                      BrokenFraming{FaultKind::kHttp10, hr::kInsufficientHttpSupport, JobState::kError}),
    [](const auto& test) { return std::string(server::ToString(test.param.kind)); });

// The same faults on the HEAD: a head that cannot be read is an invalid response before any GET.
TEST_F(HttpTransferTest, AHeadAnswerThatCannotBeReadIsAnInvalidServerResponseBeforeAnyGet) {
  for (const FaultKind kind : {FaultKind::kBadStatusLine, FaultKind::kTruncatedHeaders}) {
    const std::string path = "/head/" + std::string(server::ToString(kind));
    server_.AddGeneratedFile(path, 1000, 1);
    server_.AddFault({.path = path, .method = "HEAD", .kind = kind});
    const JobId job = Queue(path);
    ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
    EXPECT_EQ(HResultName(alice().GetError(job)->code), "BG_E_INVALID_SERVER_RESPONSE") << path;
    EXPECT_THAT(alice().Cancel(job), IsOk());
  }
  for (const auto& record : server_.log().Records()) EXPECT_EQ(record.method, "HEAD") << record.path;
}

// RFC 6761: a name under .invalid never resolves. The fake says so at once, without a lookup.
TEST_F(HttpTransferTest, AHostThatDoesNotResolveIsANameResolutionFailureAndRetried) {
  const JobId job = *alice().CreateJob("unresolvable", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, "http://cdn.no-such-store.invalid/album/track.wma", Local("track.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  EXPECT_EQ(HResultName(alice().GetError(job)->code), "BG_E_NAME_RESOLUTION_FAILURE");
  EXPECT_EQ(alice().GetError(job)->context, ErrorContext::kRemoteFile);
}

// A reset (or a close) after the last byte of the body loses nothing: the job never notices.
TEST_F(HttpTransferTest, AResetAfterTheLastByteOfTheBodyIsNoError) {
  server_.AddFault({.path = "/album/track.wma", .method = "GET", .kind = FaultKind::kResetAfterBytes, .after_bytes = kTrackSize});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(*alice().GetErrorCount(job), 0u);
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 206"));
  EXPECT_EQ(server_.log().Records().back().bytes_sent, kTrackSize);
  EXPECT_EQ(server_.log().Records().back().note, "reset after the last byte");  // the fault did fire
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

// A redirect status without a Location cannot be followed: the status itself is the error, with
// its class from the table (302 is fatal, 304 is retried), as BITS records it.
TEST_F(HttpTransferTest, ARedirectStatusWithoutLocationIsItsOwnHttpError) {
  server_.AddFault({.path = "/album/track.wma", .request_number = 2, .kind = FaultKind::kStatus, .status = 302});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, hr::FromHttpStatus(302));
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 302"));
}

TEST_F(HttpTransferTest, ANotModifiedAnswerIsRetried) {
  server_.AddFault({.path = "/album/track.wma", .request_number = 2, .kind = FaultKind::kStatus, .status = 304});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  EXPECT_EQ(alice().GetError(job)->code, hr::FromHttpStatus(304));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
}

TEST_F(HttpTransferTest, ARedirectLoopEndsInRedirectFailed) {
  server_.AddFault({.path = "/loop/a.wma", .kind = FaultKind::kRedirect, .redirect_to = "/loop/b.wma"});
  server_.AddFault({.path = "/loop/b.wma", .kind = FaultKind::kRedirect, .redirect_to = "/loop/a.wma"});
  const JobId job = Queue("/loop/a.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kRedirectFailed);
  EXPECT_EQ(Requests().size(), 21u);  // the HEAD and 20 redirects it followed
}

TEST_F(HttpTransferTest, AServerIgnoringRangeFailsABackgroundJob) {
  server_.AddFault({.path = "/album/track.wma", .kind = FaultKind::kIgnoreRange});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kInsufficientRangeSupport);
}

TEST_F(HttpTransferTest, AForegroundJobMayTakeTheWholeBodyFromOffsetZero) {
  server_.AddFault({.path = "/album/track.wma", .kind = FaultKind::kIgnoreRange});
  const JobId job = Queue("/album/track.wma", JobPriority::kForeground);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(HttpTransferTest, AResumeSendsIfRangeAndAChangedFileIsRestartedFromZero) {
  server_.AddFault({.path = "/album/track.wma", .request_number = 2, .kind = FaultKind::kCloseAfterBytes,
                    .after_bytes = 100'000});
  server_.AddFault({.path = "/album/track.wma", .request_number = 3, .kind = FaultKind::kChangeFile,
                    .new_size = 2'000'000, .new_seed = 77});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  // The resume's If-Range no longer matches: the server answers 200 with the whole new file.
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 206", "GET bytes=100000- 200", "HEAD  200",
                                      "GET bytes=0- 206"));
  EXPECT_EQ(*alice().GetProgress(job), (JobProgress{2'000'000, 2'000'000, 1, 1}));
  const std::vector<server::RequestRecord> records = server_.log().Records();
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].if_range, "");  // from byte 0 there is nothing to keep
  EXPECT_EQ(records[2].range, "bytes=100000-");
  EXPECT_EQ(records[2].if_range, "\"g4242-3145745-v1\"");  // the strong ETag the HEAD saw
  EXPECT_EQ(records[2].status, 200);
  EXPECT_EQ(records[2].note, "If-Range did not match");
  EXPECT_EQ(records[4].range, "bytes=0-");  // the new version, from byte 0
  EXPECT_EQ(records[4].if_range, "");
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);  // the drop; a changed file is not an error
  EXPECT_THAT(service().log(), TransitionedThrough(job, std::vector{JobState::kTransientError, JobState::kTransferred}));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(77, 2'000'000));
}

TEST_F(HttpTransferTest, AFileThatChangesOnEveryRequestEndsInErrorAtTheNoProgressTimeout) {
  // Every answer is a new version, so no GET matches the HEAD before it. Each restart waits 1 s;
  // 5 in a row are BG_E_NO_PROGRESS, retried after 60 s: errors at 4, 68, 132, 196 and 260 s,
  // and the 300 s timeout from the first ends the job at 304 s, before the retry at 320 s.
  server_.AddFault({.path = "/album/track.wma", .kind = FaultKind::kChangeFile, .new_size = kTrackSize,
                    .new_seed = kTrackSeed});
  const JobId job = Queue("/album/track.wma");
  ASSERT_THAT(alice().SetNoProgressTimeout(job, 300), IsOk());
  service().AdvanceBy(seconds(4) - milliseconds(1));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferring));
  service().AdvanceBy(milliseconds(1));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kNoProgress);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kNoProgress);
  EXPECT_EQ(*alice().GetErrorCount(job), 5u);
  EXPECT_EQ(server_.log().Records().size(), 50u);  // 5 errors of 5 attempts, each a HEAD and a GET
  EXPECT_EQ(service().Now() - options_.start_time, seconds(304));
}

TEST_F(HttpTransferTest, AServerIgnoringRangeOnAResumeStillFails) {
  // The same 200 as for a changed file, but with the validators the HEAD saw: Range ignored.
  server_.AddFault({.path = "/album/track.wma", .request_number = 2, .kind = FaultKind::kCloseAfterBytes,
                    .after_bytes = 100'000});
  server_.AddFault({.path = "/album/track.wma", .request_number = 3, .kind = FaultKind::kIgnoreRange});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 206", "GET bytes=100000- 200"));
  EXPECT_EQ(server_.log().Records()[2].if_range, "\"g4242-3145745-v1\"");
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kInsufficientRangeSupport);
}

TEST_F(HttpTransferTest, RedirectsAreFollowedAndTheRemoteNameKept) {
  server_.AddFault({.path = "/old/track.wma", .kind = FaultKind::kRedirect, .redirect_to = "/album/track.wma",
                    .redirect_status = 301});
  const JobId job = Queue("/old/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(alice().GetFiles(job)->at(0).remote_url, server_.base_url() + "/old/track.wma");  // ALLOW_SILENT
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(HttpTransferTest, UnderAllowReportTheRemoteNameBecomesTheFinalUrl) {
  server_.AddFault({.path = "/old/track.wma", .kind = FaultKind::kRedirect, .redirect_to = "/mid/track.wma"});
  server_.AddFault({.path = "/mid/track.wma", .kind = FaultKind::kRedirect, .redirect_to = "/album/track.wma",
                    .redirect_status = 307});
  const JobId job = Queue("/old/track.wma");
  ASSERT_THAT(alice().SetSecurityFlags(job, security_flags::kRedirectAllowReport), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(alice().GetFiles(job)->at(0).remote_url, server_.base_url() + "/album/track.wma");
  // The GET goes to the final URL at once: the remote name changed after the HEAD.
  EXPECT_THAT(Requests(), ElementsAre("HEAD  302", "HEAD  307", "HEAD  200", "GET bytes=0- 206"));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(HttpTransferTest, UnderDisallowARedirectIsFatalWithTheWin32StatusAndTheTargetAsRemoteName) {
  server_.AddFault({.path = "/old/track.wma", .kind = FaultKind::kRedirect, .redirect_to = "/album/track.wma",
                    .redirect_status = 301});
  const JobId job = Queue("/old/track.wma");
  ASSERT_THAT(alice().SetSecurityFlags(job, security_flags::kRedirectDisallow), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(*alice().GetError(job), (JobError{ErrorContext::kRemoteFile, 0x8007012Du, 0, "http"}));  // HTTP_STATUS_MOVED
  EXPECT_EQ(*alice().GetErrorCount(job), 1u);
  EXPECT_EQ(alice().GetFiles(job)->at(0).remote_url, server_.base_url() + "/album/track.wma");
  EXPECT_THAT(Requests(), ElementsAre("HEAD  301"));
}

TEST_F(HttpTransferTest, UnderDisallowARedirectOfTheGetAloneIsFatalToo) {
  server_.AddFault({.path = "/album/track.wma", .method = "GET", .kind = FaultKind::kRedirect,
                    .redirect_to = "/elsewhere.wma"});
  const JobId job = Queue("/album/track.wma");
  ASSERT_THAT(alice().SetSecurityFlags(job, security_flags::kRedirectDisallow), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, hr::FromWin32(302));
  EXPECT_EQ(alice().GetFiles(job)->at(0).remote_url, server_.base_url() + "/elsewhere.wma");
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 302"));
}

TEST_F(HttpTransferTest, ABasicChallengeIsAnsweredWithTheJobsServerCredentials) {
  server_.AddFault({.path = "/album/track.wma", .kind = FaultKind::kRequireBasicAuth, .basic_credentials = "store:s3cret"});
  const JobId job = Queue("/album/track.wma");
  ASSERT_THAT(alice().SetCredentials(job, {AuthTarget::kServer, AuthScheme::kBasic, "store", "s3cret"}), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  // Each request is asked first without, then answered: BITS answers challenges, never sends first.
  EXPECT_THAT(Requests(), ElementsAre("HEAD  401", "HEAD  200", "GET bytes=0- 401", "GET bytes=0- 206"));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(HttpTransferTest, WithoutCredentialsOrWithWrongOnesA401IsFatal) {
  server_.AddFault({.path = "/album/track.wma", .kind = FaultKind::kRequireBasicAuth, .basic_credentials = "store:s3cret"});
  const JobId without = Queue("/album/track.wma");
  const JobId wrong = Queue("/album/track.wma");
  ASSERT_THAT(alice().SetCredentials(wrong, {AuthTarget::kServer, AuthScheme::kBasic, "store", "guess"}), IsOk());
  const JobId proxy_only = Queue("/album/track.wma");  // proxy credentials do not answer a server
  ASSERT_THAT(alice().SetCredentials(proxy_only, {AuthTarget::kProxy, AuthScheme::kBasic, "store", "s3cret"}), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  for (const JobId& job : {without, wrong, proxy_only}) {
    EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
    EXPECT_EQ(alice().GetError(job)->code, hr::FromHttpStatus(401));
  }
}

TEST_F(HttpTransferTest, ARangedFileAsksForEachRangeByItsEndsAndHoldsThemInOrder) {
  const JobId job = *alice().CreateJob("ranges", JobType::kDownload);
  const std::uint64_t tail = kTrackSize - 1000;
  ASSERT_THAT(alice().AddFileWithRanges(job, server_.base_url() + "/album/track.wma", Local("track.wma"),
                                        {{tail, kLengthToEof}, {0, 4096}}),
              IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=" + std::to_string(tail) + "-" + std::to_string(kTrackSize - 1) + " 206",
                                      "GET bytes=0-4095 206"));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_EQ(content::FileSha256Hex(Local("track.wma")),
            content::Sha256Hex(content::GeneratedBytes(kTrackSeed, tail, 1000) + content::GeneratedBytes(kTrackSeed, 0, 4096)));
}

TEST_F(HttpTransferTest, AfterReplaceRemotePrefixTheFileGoesOnFromTheNewServersSameCopy) {
  options_.bandwidth_bytes_per_s = 1024 * 1024;
  server_.AddGeneratedFile("/cdn1/track.wma", kTrackSize, kTrackSeed);  // the same bytes and validators...
  server_.AddGeneratedFile("/cdn2/track.wma", kTrackSize, kTrackSeed);  // ...on both servers
  const JobId job = Queue("/cdn1/track.wma");
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) >= 1024 * 1024; }));
  // What the temporary file holds (a piece may be in it already, not yet counted as progress).
  ASSERT_THAT(TempFiles(), ::testing::SizeIs(1));
  const std::uint64_t held = std::filesystem::file_size(dir_ / TempFiles()[0]);
  ASSERT_GE(held, 1024u * 1024u);
  ASSERT_THAT(alice().ReplaceRemotePrefix(job, server_.base_url() + "/cdn1", server_.base_url() + "/cdn2"), StatusIs(hr::kOk));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(alice().GetFiles(job)->at(0).remote_url, server_.base_url() + "/cdn2/track.wma");
  const auto records = server_.log().Records();
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().path, "/cdn2/track.wma");
  EXPECT_EQ(records.back().range, "bytes=" + std::to_string(held) + "-");  // resumed, not restarted
  EXPECT_EQ(records.back().status, 206);
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(HttpTransferTest, AfterReplaceRemotePrefixADifferentCopyIsFetchedAgainWhole) {
  options_.bandwidth_bytes_per_s = 1024 * 1024;
  server_.AddGeneratedFile("/cdn1/track.wma", kTrackSize, kTrackSeed);
  server_.AddGeneratedFile("/cdn2/track.wma", 200'000, 77);  // another version of the track
  const JobId job = Queue("/cdn1/track.wma");
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) >= 1024 * 1024; }));
  ASSERT_THAT(alice().ReplaceRemotePrefix(job, server_.base_url() + "/cdn1", server_.base_url() + "/cdn2"), StatusIs(hr::kOk));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(77, 200'000));
}

TEST_F(HttpTransferTest, TraversalIsRefusedAndTheJobFails) {
  const JobId job = Queue("/../../etc/passwd");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, 0x80190193u);
}

TEST_F(HttpTransferTest, AThrottledTransferTakesSizeOverBandwidthPlusLatency) {
  options_.bandwidth_bytes_per_s = 64 * 1024;
  options_.request_latency = milliseconds(20);
  server_.AddGeneratedFile("/album/exact.wma", 3 * 1024 * 1024, 1);  // 48 s at 64 KiB/s
  const JobId job = Queue("/album/exact.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  ASSERT_TRUE(Entered(job, JobState::kConnecting));
  const Duration took = *TimeEntered(job, JobState::kTransferred) - *TimeEntered(job, JobState::kConnecting);
  // The connection, then one GET read for 48 s: one latency each.
  EXPECT_EQ(std::chrono::duration_cast<milliseconds>(took), milliseconds(48'000 + 20 + 20));
}

class DiscardSink : public ByteSink {
 public:
  SinkWrite Write(std::string_view bytes) override { return {bytes.size(), {}}; }
};

struct IfRangeRow {
  std::string version;  // what the probe recorded: "size|Last-Modified|ETag"
  std::uint64_t offset;
  std::optional<std::string> if_range;  // what the GET must carry; nullopt: no If-Range
};

// Validators the probe may have recorded; RFC 9110 §13.1.5 forbids a weak tag in If-Range.
TEST(HttpProtocolTest, AResumeSendsTheStrongEtagElseLastModifiedAsIfRange) {
  const std::string date = "Thu, 01 Jan 2026 00:00:01 GMT";
  const std::vector<IfRangeRow> rows = {
      {"100|" + date + "|\"abc\"", 10, "\"abc\""},
      {"100|" + date + "|W/\"abc\"", 10, date},
      {"100|" + date + "|", 10, date},
      {"100||\"abc\"", 10, "\"abc\""},
      {"100|" + date + "|\"a|b\"", 10, "\"a|b\""},  // a tag may hold '|'
      {"100||W/\"abc\"", 10, std::nullopt},
      {"100||", 10, std::nullopt},
      {"100|" + date + "|\"abc\"", 0, std::nullopt},  // from byte 0: not a resume
  };
  for (const IfRangeRow& row : rows) {
    std::optional<std::string> sent;
    httplib::Server server;
    server.Get("/f", [&](const httplib::Request& request, httplib::Response& response) {
      if (request.has_header("If-Range")) sent = request.get_header_value("If-Range");
      response.status = 503;  // the answer does not matter here
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::thread thread([&] { server.listen_after_bind(); });
    DiscardSink sink;
    HttpTransport transport;
    const FetchResult result = transport.Fetch({.url = "http://127.0.0.1:" + std::to_string(port) + "/f",
                                                .offset = row.offset, .max_bytes = 10,
                                                .expected_version = row.version, .stream_key = "k"},
                                               sink);
    server.stop();
    thread.join();
    EXPECT_EQ(result.error.code, 0x801901F7u) << row.version;  // the 503 came back: the GET was sent
    EXPECT_EQ(sent, row.if_range) << row.version << " from " << row.offset;
  }
}

// A server's numbers are checked, not trusted: std::stoull read "-1" as 2^64 - 1 and "12abc" as 12.
TEST(HttpProtocolTest, AContentLengthThatIsNotANumberIsAnInvalidServerResponse) {
  for (const char* length : {"-1", "12abc", "18446744073709551616"}) {
    httplib::Server liar;
    liar.Get("/f", [&](const httplib::Request&, httplib::Response& response) {
      response.set_header("Content-Length", length);
    });
    const int port = liar.bind_to_any_port("127.0.0.1");
    std::thread thread([&] { liar.listen_after_bind(); });
    const ProbeResult probe = HttpTransport().Probe({.url = "http://127.0.0.1:" + std::to_string(port) + "/f"});
    liar.stop();
    thread.join();
    EXPECT_EQ(probe.error.code, hr::kInvalidServerResponse) << length;
    EXPECT_EQ(probe.info.size, kSizeUnknown) << length;
  }
}

TEST_F(HttpTransferTest, AStallAddsVirtualTimeNotWallTime) {
  server_.AddFault({.path = "/album/track.wma", .request_number = 2, .kind = FaultKind::kStall,
                    .stall = milliseconds(90'000)});
  const JobId job = Queue("/album/track.wma");
  const auto wall_start = std::chrono::steady_clock::now();
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_LT(std::chrono::steady_clock::now() - wall_start, seconds(30));
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  ASSERT_TRUE(Entered(job, JobState::kTransferring));
  EXPECT_GE(*TimeEntered(job, JobState::kTransferred) - *TimeEntered(job, JobState::kTransferring), seconds(90));
}

// A dribble holds the response to its pace whatever the network's bandwidth, piece after piece of
// the one GET: 3 MiB + 17 at 64 KiB/s takes 48 virtual seconds and a fraction.
TEST_F(HttpTransferTest, ADribbleHoldsTheWholeResponseToItsPace) {
  server_.AddFault({.path = "/album/track.wma", .method = "GET", .kind = FaultKind::kDribble, .rate_bytes_per_s = 64 * 1024});
  options_.bandwidth_bytes_per_s = 0;  // unlimited: the server alone sets the pace
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  ASSERT_TRUE(Entered(job, JobState::kTransferring));
  const Duration transferring = *TimeEntered(job, JobState::kTransferred) - *TimeEntered(job, JobState::kTransferring);
  EXPECT_GE(transferring, seconds(48));
  EXPECT_LT(transferring, seconds(49));
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200", "GET bytes=0- 206"));  // one response, dribbled throughout
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

// A body the close delimits is over at the close: the step with its last byte waits for it. The
// bytes are all there and none is lost.
TEST_F(HttpTransferTest, ASlowCloseHoldsTheLastStepUntilTheClose) {
  server_.AddFault({.path = "/album/track.wma", .method = "GET", .kind = FaultKind::kSlowClose, .close_delay = seconds(45)});
  options_.bandwidth_bytes_per_s = 0;  // the bytes take no time: what is left is the close
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  ASSERT_TRUE(Entered(job, JobState::kTransferred));
  ASSERT_TRUE(Entered(job, JobState::kTransferring));
  EXPECT_EQ(*TimeEntered(job, JobState::kTransferred) - *TimeEntered(job, JobState::kTransferring), seconds(45));
  EXPECT_EQ(*alice().GetErrorCount(job), 0u);
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

// The documentation networks of RFC 5737 answer nothing: the connect timeout passes in virtual
// time, then BG_E_TIMEOUT, transient, with no packet sent.
TEST_F(HttpTransferTest, AHostThatNeverAnswersTimesOutAfterTheConnectTimeout) {
  const JobId job = *alice().CreateJob("black hole", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, "http://198.51.100.7:8080/album/track.wma", Local("track.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  const auto wall_start = std::chrono::steady_clock::now();
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  EXPECT_LT(std::chrono::steady_clock::now() - wall_start, seconds(30));
  ASSERT_TRUE(Entered(job, JobState::kTransientError));
  EXPECT_EQ(*TimeEntered(job, JobState::kTransientError), seconds(60));  // HttpTransportOptions' default
  EXPECT_EQ(HResultName(alice().GetError(job)->code), "BG_E_TIMEOUT");
  EXPECT_EQ(alice().GetError(job)->context, ErrorContext::kRemoteFile);
}

// Packet loss costs time, never bytes: the same seed loses the same segments (the same time), and
// another seed others.
TEST_F(HttpTransferTest, PacketLossSlowsATransferByTheSameSegmentsOnEveryRun) {
  const auto transfer_time = [&](std::uint64_t seed) {
    service_.reset();
    alice_.reset();
    options_.seed = seed;
    options_.bandwidth_bytes_per_s = 1024 * 1024;
    options_.packet_loss = 0.02;
    const JobId job = Queue("/album/track.wma");
    EXPECT_TRUE(service().RunUntilIdle());
    const std::optional<Duration> started = TimeEntered(job, JobState::kTransferring);
    const std::optional<Duration> transferred = TimeEntered(job, JobState::kTransferred);
    EXPECT_TRUE(started && transferred) << "the job never reached TRANSFERRING and TRANSFERRED";
    EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
    std::filesystem::remove(Local("track.wma"));
    return started && transferred ? *transferred - *started : Duration::zero();
  };
  const Duration first = transfer_time(1);
  EXPECT_EQ(transfer_time(1), first);
  EXPECT_NE(transfer_time(2), first);
  // 2,155 segments at 2% lose about 43 (each retransmission may be lost again): 300 ms each on top
  // of the 3 s the bytes take.
  EXPECT_GT(first, seconds(3) + milliseconds(300) * 20);
  EXPECT_LT(first, seconds(3) + milliseconds(300) * 80);
}

// An empty file on the server is a file of size 0: the HEAD says so, no GET is needed, and Complete
// leaves an empty local file.
TEST_F(HttpTransferTest, AnEmptyServerFileCompletesAsAnEmptyLocalFile) {
  server_.AddGeneratedFile("/album/silence.wma", 0, 1);
  const JobId job = Queue("/album/silence.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(alice().GetProgress(job)->bytes_total, 0u);
  EXPECT_THAT(Requests(), ElementsAre("HEAD  200"));
  ASSERT_THAT(alice().Complete(job), IsOk());
  EXPECT_TRUE(std::filesystem::exists(Local("track.wma")));
  EXPECT_EQ(std::filesystem::file_size(Local("track.wma")), 0u);
}

TEST_F(HttpTransferTest, NoContentLengthIsMissingFileSize) {
  server_.AddFault({.path = "/album/track.wma", .kind = FaultKind::kOmitContentLength});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kMissingFileSize);
}

// DYNAMIC_CONTENT: "HEAD requests, the Content-Length header, and the Content-Range header" are all
// optional (the BITS_JOB_PROPERTY_ID page).
class DynamicContentTest : public HttpTransferTest {
 protected:
  JobId QueueDynamic(const std::string& path) {
    const JobId job = *alice().CreateJob(path, JobType::kDownload);
    EXPECT_THAT(alice().AddFile(job, server_.base_url() + path, Local("track.wma")), IsOk());
    JobPropertyValue dynamic;
    dynamic.enable = true;
    EXPECT_THAT(alice().SetJobProperty(job, JobPropertyId::kDynamicContent, dynamic), IsOk());
    EXPECT_THAT(alice().SetMinimumRetryDelay(job, 60), IsOk());
    EXPECT_THAT(alice().Resume(job), IsOk());
    return job;
  }
};

TEST_F(DynamicContentTest, ABodyWithNoLengthFromAServerWithoutRangesIsDownloadedWhole) {
  server_.AddFault({.path = "/album/track.wma", .kind = FaultKind::kOmitContentLength});
  server_.AddFault({.path = "/album/track.wma", .method = "HEAD", .kind = FaultKind::kStatus, .status = 405});
  const JobId job = QueueDynamic("/album/track.wma");
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) > 0; }));
  EXPECT_EQ(alice().GetProgress(job)->bytes_total, kSizeUnknown) << "no size until the body ends";
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(alice().GetProgress(job)->bytes_total, kTrackSize);
  EXPECT_THAT(Requests(), ElementsAre("GET  200")) << "no HEAD, no Range";
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(DynamicContentTest, AContentLengthGivesTheSizeAtOnceAndADropStartsTheFileAgainFromByteZero) {
  server_.AddFault({.path = "/album/track.wma", .request_number = 1, .kind = FaultKind::kCloseAfterBytes,
                    .after_bytes = 1'000'000});
  const JobId job = QueueDynamic("/album/track.wma");
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) > 0; }));
  EXPECT_EQ(alice().GetProgress(job)->bytes_total, kTrackSize);
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(Requests(), ElementsAre("GET  200", "GET  200")) << "the retry asked for the whole file again";
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(DynamicContentTest, ANewRequestMidFileStartsTheFileAgainRatherThanAppendingAWholeBody) {
  server_.AddGeneratedFile("/mirror/track.wma", kTrackSize, kTrackSeed);
  options_.bandwidth_bytes_per_s = 1024 * 1024;
  const JobId job = QueueDynamic("/album/track.wma");
  ASSERT_TRUE(service().RunUntil([&] { return BytesTransferred(alice(), job) >= 1024 * 1024; }));
  // The open response is for the old name: the next piece needs a new request, which cannot resume.
  ASSERT_THAT(alice().SetRemoteName(job, 0, server_.base_url() + "/mirror/track.wma"), IsOk());
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransferred));
  EXPECT_EQ(alice().GetProgress(job)->bytes_total, kTrackSize);
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(HttpTransferTest, AWrongContentRangeIsAnInvalidServerResponse) {
  server_.AddFault({.path = "/album/track.wma", .request_number = 2, .kind = FaultKind::kWrongContentRange});
  const JobId job = Queue("/album/track.wma");
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) == JobState::kTransientError; }));
  EXPECT_EQ(alice().GetError(job)->code, hr::kInvalidServerResponse);
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(HttpTransferTest, ADropAtAVirtualMomentIsRetriedFromTheBytesHeld) {
  options_.bandwidth_bytes_per_s = 1024 * 1024;
  const JobId job = Queue("/album/track.wma");
  service().AdvanceBy(milliseconds(1500));
  service().DropConnections();
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  const std::uint64_t held = BytesTransferred(alice(), job);
  EXPECT_EQ(held, 1'572'864u);  // six 256 KiB pieces in 1.5 s at 1 MiB/s
  ASSERT_TRUE(service().RunUntilIdle());
  EXPECT_EQ(Requests().back(), "GET bytes=" + std::to_string(held) + "- 206");
  EXPECT_EQ(CompleteAndHash(job), content::GeneratedSha256Hex(kTrackSeed, kTrackSize));
}

TEST_F(HttpTransferTest, CancelMidTransferDeletesTheTemporaryFile) {
  options_.bandwidth_bytes_per_s = 1024 * 1024;
  const JobId job = Queue("/album/track.wma");
  service().AdvanceBy(seconds(1));
  ASSERT_THAT(TempFiles(), ElementsAre("BIT0001.tmp"));
  ASSERT_THAT(alice().Cancel(job), IsOk());
  EXPECT_THAT(TempFiles(), ::testing::IsEmpty());
  EXPECT_FALSE(std::filesystem::exists(Local("track.wma")));
}

TEST_F(HttpTransferTest, AnUnreachableServerIsATransientConnectFailure) {
  const std::string url = server_.base_url() + "/album/track.wma";
  server_.Stop();
  const JobId job = *alice().CreateJob("gone", JobType::kDownload);
  ASSERT_THAT(alice().AddFile(job, url, Local("track.wma")), IsOk());
  ASSERT_THAT(alice().Resume(job), IsOk());
  ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(job) != JobState::kQueued &&
                                              *alice().GetState(job) != JobState::kConnecting; }));
  EXPECT_THAT(alice().GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(alice().GetError(job)->code, hr::kConnectFailure);
}

}  // namespace
}  // namespace bitsh::fake::testing

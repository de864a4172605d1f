// A server that breaks HTTP framing: a Content-Length that is negative, not a number, past 64 bits
// or given twice with different values, on the HEAD or on the GET. BITS records
// BG_E_INVALID_SERVER_RESPONSE (transient) for a server that broke the protocol; the fake must too,
// for foreground and background jobs alike, and never read a body it cannot frame (issue 21).
#include "fake/http_transport.h"
#include "fake/testing/fake_service_fixture.h"
#include "fake/testing/raw_server.h"

namespace bitsh::fake::testing {
namespace {

using std::chrono::seconds;

constexpr const char* kValidators = "ETag: \"v1\"\r\nLast-Modified: Sat, 01 Jan 2000 00:00:00 GMT\r\n";

std::string Head(const std::string& length_line) {
  return "HTTP/1.1 200 OK\r\n" + length_line + kValidators + "Connection: close\r\n\r\n";
}

std::string PartialGet(const std::string& length_line) {
  return "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-99/100\r\n" + length_line + kValidators +
         "Connection: close\r\n\r\n" + std::string(100, 'x');
}

struct Malformed {
  const char* name;
  const char* length_line;  // the Content-Length header line(s)
};

void PrintTo(const Malformed& malformed, std::ostream* out) { *out << malformed.name; }

const Malformed kMalformed[] = {
    {"Negative", "Content-Length: -1\r\n"},
    {"NotANumber", "Content-Length: abc\r\n"},
    {"PastSixtyFourBits", "Content-Length: 18446744073709551616\r\n"},
    {"TwoDifferentValues", "Content-Length: 100\r\nContent-Length: 99\r\n"},
};

class MalformedLengthTest : public FakeServiceTest,
                            public ::testing::WithParamInterface<std::tuple<Malformed, JobPriority>> {
 protected:
  void TearDown() override {
    alice_.reset();
    service_.reset();
    FakeServiceTest::TearDown();
  }

  // Runs one job from `server` for a virtual second: long enough for its first attempt, shorter
  // than its retry delay.
  JobId RunOneAttempt(const RawServer& server) {
    service_ = std::make_unique<FakeBitsService>(options_, http_);
    alice_ = service_->Connect("alice");
    const JobId job = *alice_->CreateJob("malformed", JobType::kDownload);
    EXPECT_THAT(alice_->AddFile(job, server.Url(), Local("track.wma")), IsOk());
    EXPECT_THAT(alice_->SetPriority(job, std::get<1>(GetParam())), IsOk());
    EXPECT_THAT(alice_->SetMinimumRetryDelay(job, 60), IsOk());
    EXPECT_THAT(alice_->Resume(job), IsOk());
    service_->AdvanceBy(seconds(1));
    return job;
  }

  HttpTransport http_;
};

TEST_P(MalformedLengthTest, OnTheHeadIsAnInvalidServerResponse) {
  RawServer server(Head(std::get<0>(GetParam()).length_line), PartialGet("Content-Length: 100\r\n"));
  const JobId job = RunOneAttempt(server);
  EXPECT_THAT(alice_->GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(alice_->GetError(job)->code, hr::kInvalidServerResponse);
  EXPECT_EQ(alice_->GetError(job)->context, ErrorContext::kRemoteFile);
  EXPECT_EQ(*alice_->GetErrorCount(job), 1u);
  EXPECT_EQ(server.requests(), 1);  // no GET for a file of unknown size
}

TEST_P(MalformedLengthTest, OnTheGetIsAnInvalidServerResponse) {
  RawServer server(Head("Content-Length: 100\r\n"), PartialGet(std::get<0>(GetParam()).length_line));
  const JobId job = RunOneAttempt(server);
  EXPECT_THAT(alice_->GetState(job), HasState(JobState::kTransientError));
  EXPECT_EQ(alice_->GetError(job)->code, hr::kInvalidServerResponse);
  EXPECT_EQ(alice_->GetError(job)->context, ErrorContext::kRemoteFile);
  EXPECT_EQ(*alice_->GetErrorCount(job), 1u);
  EXPECT_EQ(server.requests(), 2);
  EXPECT_EQ(alice_->GetProgress(job)->bytes_transferred, 0u);  // no byte of a body it cannot frame
}

INSTANTIATE_TEST_SUITE_P(, MalformedLengthTest,
                         ::testing::Combine(::testing::ValuesIn(kMalformed),
                                            ::testing::Values(JobPriority::kForeground, JobPriority::kNormal)),
                         [](const auto& test) {
                           return std::string(std::get<0>(test.param).name) +
                                  (std::get<1>(test.param) == JobPriority::kForeground ? "Foreground" : "Background");
                         });

}  // namespace
}  // namespace bitsh::fake::testing

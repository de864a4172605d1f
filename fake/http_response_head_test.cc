// The response head parser: what the fake takes for an HTTP/1.1 head, where it says a head is
// broken, and that it never holds more than its limits.
#include "fake/http_response_head.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bitsh::fake {
namespace {

using Outcome = HeadParse::Outcome;
using ::testing::HasSubstr;

TEST(ResponseHeadTest, AStatusLineAndFieldsAreReadAndTheHeadEndsAtTheEmptyLine) {
  const std::string bytes =
      "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-9/100\r\ncontent-length:10\r\nETag:  \"v1\"  \r\n\r\n0123456789";
  const HeadParse parse = ParseResponseHead(bytes);
  ASSERT_EQ(parse.outcome, Outcome::kComplete) << parse.error;
  EXPECT_EQ(parse.length, bytes.size() - 10);  // the body is not the head's
  EXPECT_EQ(parse.head.version, "HTTP/1.1");
  EXPECT_EQ(parse.head.status, 206);
  EXPECT_EQ(parse.head.reason, "Partial Content");
  EXPECT_EQ(parse.head.Value("Content-Length"), "10");  // names compare without case
  EXPECT_EQ(parse.head.Value("etag"), "\"v1\"");         // the spaces around a value are not its
  EXPECT_EQ(parse.head.Value("Last-Modified"), "");
  EXPECT_FALSE(parse.head.Has("Last-Modified"));
}

TEST(ResponseHeadTest, RepeatedFieldsAreKeptInOrder) {
  const HeadParse parse = ParseResponseHead("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
  ASSERT_EQ(parse.outcome, Outcome::kComplete);
  EXPECT_EQ(parse.head.Count("content-length"), 2u);
  EXPECT_EQ(parse.head.Value("Content-Length", 0), "1");
  EXPECT_EQ(parse.head.Value("Content-Length", 1), "2");
  EXPECT_EQ(parse.head.Value("Content-Length", 2), "");
}

TEST(ResponseHeadTest, AStatusLineWithoutAReasonAndAnHttp10AnswerAreHeads) {
  HeadParse parse = ParseResponseHead("HTTP/1.1 404\r\n\r\n");
  ASSERT_EQ(parse.outcome, Outcome::kComplete);
  EXPECT_EQ(parse.head.status, 404);
  EXPECT_EQ(parse.head.reason, "");
  parse = ParseResponseHead("HTTP/1.0 200 OK\r\n\r\n");
  ASSERT_EQ(parse.outcome, Outcome::kComplete);
  EXPECT_EQ(parse.head.version, "HTTP/1.0");  // the transport refuses it: BG_E_INSUFFICIENT_HTTP_SUPPORT
}

TEST(ResponseHeadTest, InterimAnswersAreSkippedAndTheFinalHeadIsTheResponse) {
  const std::string bytes = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  const HeadParse parse = ParseResponseHead(bytes);
  ASSERT_EQ(parse.outcome, Outcome::kComplete);
  EXPECT_EQ(parse.head.status, 200);
  EXPECT_FALSE(parse.head.Has("Link"));  // the interim answer's fields are not the response's
  EXPECT_EQ(parse.length, bytes.size());
}

TEST(ResponseHeadTest, AHeadThatHasNotEndedAsksForMoreAtEveryByte) {
  const std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_EQ(ParseResponseHead(bytes.substr(0, cut)).outcome, Outcome::kIncomplete) << "cut at " << cut;
  }
  EXPECT_EQ(ParseResponseHead(bytes).outcome, Outcome::kComplete);
}

struct BrokenHead {
  const char* name;
  std::string bytes;
  std::size_t offset;  // where the parser says the fault is
  const char* says;
};

void PrintTo(const BrokenHead& row, std::ostream* out) { *out << row.name; }

class BrokenHeadTest : public ::testing::TestWithParam<BrokenHead> {};

TEST_P(BrokenHeadTest, IsMalformedAtTheByteOfTheFault) {
  const HeadParse parse = ParseResponseHead(GetParam().bytes);
  ASSERT_EQ(parse.outcome, Outcome::kMalformed);
  EXPECT_EQ(parse.length, GetParam().offset);
  EXPECT_THAT(parse.error, HasSubstr(GetParam().says));
}

INSTANTIATE_TEST_SUITE_P(
    , BrokenHeadTest,
    ::testing::Values(
        BrokenHead{"NotHttp", "SSH-2.0-OpenSSH\r\n\r\n", 0, "status line"},
        BrokenHead{"Http2", "HTTP/2 200\r\n\r\n", 0, "status line"},
        BrokenHead{"TwoDigitStatus", "HTTP/1.1 20 OK\r\n\r\n", 0, "status line"},
        BrokenHead{"StatusBelow100", "HTTP/1.1 099 Odd\r\n\r\n", 0, "status line"},
        BrokenHead{"NoSpaceAfterStatus", "HTTP/1.1 200OK\r\n\r\n", 0, "status line"},
        BrokenHead{"BareLf", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", 15, "LF without CR"},
        BrokenHead{"FieldWithoutColon", "HTTP/1.1 200 OK\r\nContent-Length 0\r\n\r\n", 17, "not a field line"},
        BrokenHead{"SpaceBeforeColon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", 17, "not a field line"},
        BrokenHead{"ObsFold", "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n", 25, "obs-fold"},
        BrokenHead{"NulInAField", std::string("HTTP/1.1 200 OK\r\nX-A: a\0b\r\n\r\n", 29), 17, "CR or NUL"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST(ResponseHeadTest, AHeadLongerThanTheLimitIsMalformedBeforeItEnds) {
  std::string bytes = "HTTP/1.1 200 OK\r\nX-Long: ";
  bytes.append(kMaxResponseHeadBytes, 'a');  // no end in sight
  const HeadParse parse = ParseResponseHead(bytes);
  ASSERT_EQ(parse.outcome, Outcome::kMalformed);
  EXPECT_EQ(parse.length, kMaxResponseHeadBytes);
  EXPECT_THAT(parse.error, HasSubstr("longer than 65536 bytes"));
  // Just under the limit, the same line is still a head being read.
  EXPECT_EQ(ParseResponseHead(bytes.substr(0, kMaxResponseHeadBytes)).outcome, Outcome::kIncomplete);
}

TEST(ResponseHeadTest, MoreFieldsThanTheLimitIsMalformed) {
  std::string bytes = "HTTP/1.1 200 OK\r\n";
  for (std::size_t i = 0; i < kMaxResponseFields; ++i) bytes += "X-F: " + std::to_string(i) + "\r\n";
  EXPECT_EQ(ParseResponseHead(bytes + "\r\n").outcome, Outcome::kComplete);
  const HeadParse parse = ParseResponseHead(bytes + "X-F: one too many\r\n\r\n");
  ASSERT_EQ(parse.outcome, Outcome::kMalformed);
  EXPECT_EQ(parse.length, bytes.size());
  EXPECT_THAT(parse.error, HasSubstr("more than 100 header fields"));
}

}  // namespace
}  // namespace bitsh::fake

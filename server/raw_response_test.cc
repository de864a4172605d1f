// The bytes of each response that breaks HTTP/1.1's framing, as the file server writes them.
#include "server/raw_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bitsh::server {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

ResponseOutline Ranged(std::uint64_t length) {
  return {.status = 206, .headers = {{"Content-Range", "bytes 0-" + std::to_string(length - 1) + "/" + std::to_string(length)}},
          .content_type = "application/octet-stream", .body_length = length};
}

TEST(RawResponseTest, ABadStatusLineHasNoThreeDigitCodeAndTheRestIsWellFormed) {
  const RawResponse raw = LayOutRawResponse(FaultKind::kBadStatusLine, Ranged(100));
  EXPECT_THAT(raw.before, StartsWith("HTTP/1.1 2OO Partial Content\r\n"));
  EXPECT_THAT(raw.before, HasSubstr("Content-Length: 100\r\n"));
  EXPECT_THAT(raw.before, EndsWith("\r\n\r\n"));
  EXPECT_EQ(raw.body_bytes, 100u);
}

TEST(RawResponseTest, TruncatedHeadersEndInsideAFieldLineWithNoBlankLine) {
  const RawResponse raw = LayOutRawResponse(FaultKind::kTruncatedHeaders, Ranged(100));
  EXPECT_THAT(raw.before, StartsWith("HTTP/1.1 206 Partial Content\r\n"));
  EXPECT_THAT(raw.before, Not(HasSubstr("\r\n\r\n")));
  EXPECT_THAT(raw.before, Not(EndsWith("\r\n")));
  EXPECT_EQ(raw.body_bytes, 0u);
  EXPECT_EQ(raw.after, "");
}

TEST(RawResponseTest, ContentLengthsOneOffTheBodyStillSendTheWholeBody) {
  const RawResponse large = LayOutRawResponse(FaultKind::kContentLengthTooLarge, Ranged(100));
  EXPECT_THAT(large.before, HasSubstr("Content-Length: 101\r\n"));
  EXPECT_EQ(large.body_bytes, 100u);
  const RawResponse small = LayOutRawResponse(FaultKind::kContentLengthTooSmall, Ranged(100));
  EXPECT_THAT(small.before, HasSubstr("Content-Length: 99\r\n"));
  EXPECT_EQ(small.body_bytes, 100u);
}

TEST(RawResponseTest, ABrokenChunkedBodyIsOneGoodChunkOfHalfThenASizeThatIsNotHex) {
  const RawResponse raw = LayOutRawResponse(FaultKind::kBrokenChunked, Ranged(100));
  EXPECT_THAT(raw.before, HasSubstr("Transfer-Encoding: chunked\r\n"));
  EXPECT_THAT(raw.before, Not(HasSubstr("Content-Length")));
  EXPECT_THAT(raw.before, EndsWith("\r\n\r\n32\r\n"));  // 50 bytes, in hex
  EXPECT_EQ(raw.body_bytes, 50u);
  EXPECT_EQ(raw.after, "\r\nzz\r\n");
}

TEST(RawResponseTest, AnHttp10AnswerSaysSoAndClosesTheConnection) {
  const RawResponse raw = LayOutRawResponse(FaultKind::kHttp10, Ranged(100));
  EXPECT_THAT(raw.before, StartsWith("HTTP/1.0 206 Partial Content\r\n"));
  EXPECT_THAT(raw.before, HasSubstr("Connection: close\r\n"));
  EXPECT_EQ(raw.body_bytes, 100u);
}

TEST(RawResponseTest, AHeadAnswerHasNoBodyWhateverTheFault) {
  ResponseOutline head = Ranged(100);
  head.head_only = true;
  for (const FaultKind kind : {FaultKind::kBadStatusLine, FaultKind::kContentLengthTooLarge, FaultKind::kBrokenChunked,
                               FaultKind::kHttp10, FaultKind::kSlowClose}) {
    const RawResponse raw = LayOutRawResponse(kind, head);
    EXPECT_EQ(raw.body_bytes, 0u) << ToString(kind);
    EXPECT_EQ(raw.after, "") << ToString(kind);
    EXPECT_THAT(raw.before, EndsWith("\r\n\r\n")) << ToString(kind);
  }
}

// A slow close delimits the body by the close: no Content-Length and no chunks on a GET; a HEAD,
// which has no body to delimit, keeps the length.
TEST(RawResponseTest, ASlowCloseDelimitsTheBodyByTheClose) {
  const RawResponse get = LayOutRawResponse(FaultKind::kSlowClose, Ranged(100));
  EXPECT_THAT(get.before, StartsWith("HTTP/1.1 206 Partial Content\r\n"));
  EXPECT_THAT(get.before, Not(HasSubstr("Content-Length")));
  EXPECT_THAT(get.before, Not(HasSubstr("Transfer-Encoding")));
  EXPECT_THAT(get.before, HasSubstr("Connection: close\r\n"));
  EXPECT_EQ(get.body_bytes, 100u);
  EXPECT_EQ(get.after, "");
  ResponseOutline head = Ranged(100);
  head.head_only = true;
  EXPECT_THAT(LayOutRawResponse(FaultKind::kSlowClose, head).before, HasSubstr("Content-Length: 100\r\n"));
}

TEST(RawResponseTest, EveryKindWrittenRawIsNamedAndOnlyThose) {
  for (const std::string_view name : {"bad_status_line", "truncated_headers", "content_length_too_large",
                                      "content_length_too_small", "broken_chunked", "http_1_0", "slow_close"}) {
    ASSERT_TRUE(ParseFaultKind(name)) << name;
    EXPECT_TRUE(WrittenRaw(*ParseFaultKind(name))) << name;
  }
  EXPECT_FALSE(WrittenRaw(FaultKind::kCloseAfterBytes));
  EXPECT_FALSE(WrittenRaw(FaultKind::kCorruptBytes));
  EXPECT_THAT(FaultKindNames(), HasSubstr("corrupt_bytes, bad_status_line"));
}

}  // namespace
}  // namespace bitsh::server

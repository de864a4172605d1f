// ExamineHead: the head limits, decided from bytes alone.
#include "server/request_head.h"

#include <gtest/gtest.h>

namespace bitsh::server {
namespace {

using VerdictKind = HeadVerdict::Kind;

HttpLimits Small() { return {.max_header_count = 3, .max_head_bytes = 200, .max_body_bytes = 1000}; }

TEST(RequestHeadTest, AHeadIsCompleteAtItsBlankLine) {
  EXPECT_EQ(ExamineHead("GET / HTTP/1.1\r\nHost: a\r\n", Small()).kind, VerdictKind::kIncomplete);
  EXPECT_EQ(ExamineHead("GET / HTTP/1.1\r\nHost: a\r\n\r\n", Small()).kind, VerdictKind::kComplete);
  // Bytes after the head (a body, a pipelined request) do not count against it.
  EXPECT_EQ(ExamineHead("GET / HTTP/1.1\r\nHost: a\r\n\r\n" + std::string(500, 'x'), Small()).kind, VerdictKind::kComplete);
}

TEST(RequestHeadTest, HeaderFieldsAreCountedAndTheLimitIsInclusive) {
  EXPECT_EQ(ExamineHead("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", Small()).kind, VerdictKind::kComplete);
  const HeadVerdict over = ExamineHead("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", Small());
  EXPECT_EQ(over.kind, VerdictKind::kReject);
  EXPECT_EQ(over.status, 431);
  EXPECT_EQ(over.reason, "more than 3 header fields");
  // Refused as soon as one field too many has arrived, not at the end of the head.
  EXPECT_EQ(ExamineHead("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n", Small()).status, 431);
}

TEST(RequestHeadTest, HeadBytesAreCappedBeforeTheHeadEnds) {
  const std::string line = "GET / HTTP/1.1\r\nX: " + std::string(200, 'a');
  const HeadVerdict verdict = ExamineHead(line, Small());
  EXPECT_EQ(verdict.kind, VerdictKind::kReject);
  EXPECT_EQ(verdict.status, 431);
  EXPECT_EQ(verdict.reason, "request head over 200 bytes");
  const std::string exact = "GET / HTTP/1.1\r\nX: " + std::string(200 - 23, 'a') + "\r\n\r\n";
  ASSERT_EQ(exact.size(), 200u);
  EXPECT_EQ(ExamineHead(exact, Small()).kind, VerdictKind::kComplete);
}

// RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body. httplib
// would read a POST's body until the connection closed, so the gate says the length is 0.
TEST(RequestHeadTest, APostWithNoLengthIsToldItsBodyIsEmpty) {
  const std::string post = "POST /x HTTP/1.1\r\nHost: h\r\n\r\n";
  const HeadVerdict verdict = ExamineHead(post, HttpLimits{});
  ASSERT_EQ(verdict.kind, HeadVerdict::Kind::kComplete);
  ASSERT_NE(verdict.zero_length_at, std::string::npos);
  std::string fixed = post;
  fixed.insert(verdict.zero_length_at, "Content-Length: 0\r\n");
  EXPECT_EQ(fixed, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(ExamineHead("POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", HttpLimits{}).zero_length_at,
            std::string::npos);
  EXPECT_NE(ExamineHead("DELETE /x HTTP/1.1\r\n\r\n", HttpLimits{}).zero_length_at, std::string::npos);
  EXPECT_EQ(ExamineHead("GET /x HTTP/1.1\r\n\r\n", HttpLimits{}).zero_length_at, std::string::npos);  // a GET's headers stay as sent
}

TEST(RequestHeadTest, AContentLengthOverTheBodyLimitIs413) {
  EXPECT_EQ(ExamineHead("POST / HTTP/1.1\r\ncontent-length: 1000\r\n\r\n", Small()).kind, VerdictKind::kComplete);
  EXPECT_EQ(ExamineHead("POST / HTTP/1.1\r\nContent-Length:  1001 \r\n\r\n", Small()).status, 413);
  EXPECT_EQ(ExamineHead("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", Small()).status, 413);
  // Not a number: httplib's own parser answers it.
  EXPECT_EQ(ExamineHead("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", Small()).kind, VerdictKind::kComplete);
}

TEST(RequestHeadTest, ATransferEncodingBodyIs411) {
  const HeadVerdict verdict = ExamineHead("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", Small());
  EXPECT_EQ(verdict.status, 411);
}

TEST(RequestHeadTest, TheRejectionAnswerClosesTheConnection) {
  const std::string answer = RejectionResponse(431, "too many");
  EXPECT_EQ(answer,
            "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n"
            "Connection: close\r\n\r\ntoo many\n");
}

}  // namespace
}  // namespace bitsh::server

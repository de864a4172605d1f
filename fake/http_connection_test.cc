// HttpConnection against servers that send fixed bytes: how each framing of a body ends, and what a
// body cut short or framed wrongly is, with the byte where it went wrong.
#include "fake/http_connection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "fake/testing/raw_server.h"

namespace bitsh::fake {
namespace {

using std::chrono::milliseconds;
using testing::RawServer;
using ::testing::HasSubstr;

struct Received {
  HttpError error;  // the first failure, if any
  ResponseHead head;
  std::string body;
};

// Sends a GET to `server` on `connection` and reads the response head: after it, the body is
// ready to read (unless `error` says otherwise).
Received StartGet(HttpConnection& connection, const RawServer& server, milliseconds read_timeout) {
  Received received;
  received.error = connection.Connect("127.0.0.1", server.port(), milliseconds(5000), read_timeout);
  if (received.error.ok()) received.error = connection.Send("GET /f HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  if (received.error.ok()) received.error = connection.ReadHead(received.head);
  if (!received.error.ok()) return received;
  std::uint64_t length = 0;
  const BodyFraming framing = FramingOf(received.head, &length);
  connection.ExpectBody(framing, length);
  return received;
}

// Reads the body with reads of at most `read_size` bytes, until its end or a failure.
void ReadBodyToEnd(HttpConnection& connection, std::size_t read_size, Received& received) {
  std::string buffer(read_size, '\0');
  for (std::size_t got = 1; got > 0;) {
    received.error = connection.ReadBody(buffer.data(), buffer.size(), got);
    if (!received.error.ok()) break;
    received.body.append(buffer, 0, got);
  }
}

// One GET to `server`, its body read with reads of at most `read_size` bytes, until its end or a
// failure.
Received Get(const RawServer& server, std::size_t read_size = 7, milliseconds read_timeout = milliseconds(5000)) {
  HttpConnection connection;
  Received received = StartGet(connection, server, read_timeout);
  if (received.error.ok()) ReadBodyToEnd(connection, read_size, received);
  return received;
}

TEST(HttpConnectionTest, AContentLengthBodyEndsAtItsLengthWhateverFollows) {
  const RawServer server("", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789trailing garbage");
  const Received received = Get(server);
  ASSERT_TRUE(received.error.ok()) << received.error.detail;
  EXPECT_EQ(received.body, "0123456789");
}

TEST(HttpConnectionTest, AChunkedBodyIsDecodedWithExtensionsAndTrailers) {
  const RawServer server("", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
                             "4\r\nWiki\r\n5;name=value\r\npedia\r\nE \r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n");
  const Received received = Get(server, 3);
  ASSERT_TRUE(received.error.ok()) << received.error.detail;
  EXPECT_EQ(received.body, "Wikipedia in\r\n\r\nchunks.");
}

TEST(HttpConnectionTest, ABodyWithoutLengthOrChunksEndsAtTheClose) {
  const RawServer server("", "HTTP/1.1 200 OK\r\n\r\nall of it");
  const Received received = Get(server);
  ASSERT_TRUE(received.error.ok()) << received.error.detail;
  EXPECT_EQ(received.body, "all of it");
}

TEST(HttpConnectionTest, ACloseBeforeContentLengthBytesIsAReadFailureNamingTheByte) {
  const RawServer server("", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
  const Received received = Get(server);
  EXPECT_EQ(received.error.failure, HttpFailure::kRead);
  EXPECT_THAT(received.error.detail, HasSubstr("at body byte 10 of 100"));
  EXPECT_EQ(received.body, "0123456789");
}

TEST(HttpConnectionTest, ACloseInsideAChunkIsAReadFailure) {
  const RawServer server("", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n01234");
  const Received received = Get(server);
  EXPECT_EQ(received.error.failure, HttpFailure::kRead);
  EXPECT_THAT(received.error.detail, HasSubstr("at body byte 5, inside a chunk"));
}

TEST(HttpConnectionTest, AChunkSizeThatIsNotHexadecimalIsMalformedAfterTheBytesBeforeIt) {
  const RawServer server("", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\nzz\r\n");
  const Received received = Get(server);
  EXPECT_EQ(received.error.failure, HttpFailure::kMalformed);
  EXPECT_THAT(received.error.detail, HasSubstr("chunk size 'zz' is not hexadecimal, after body byte 5"));
  EXPECT_EQ(received.body, "01234");
}

TEST(HttpConnectionTest, ChunkDataLongerThanItsSizeIsMalformed) {
  const RawServer server("", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n01234\r\n0\r\n\r\n");
  const Received received = Get(server);
  EXPECT_EQ(received.error.failure, HttpFailure::kMalformed);
  EXPECT_THAT(received.error.detail, HasSubstr("longer than its size, after body byte 3"));
}

TEST(HttpConnectionTest, AChunkSizePastSixtyFourBitsIsMalformed) {
  const RawServer server("", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n");
  EXPECT_EQ(Get(server).error.failure, HttpFailure::kMalformed);
}

TEST(HttpConnectionTest, AHeadCutShortIsAReadFailureAndAHeadThatIsNotHttpIsMalformed) {
  const RawServer cut("", "HTTP/1.1 200 OK\r\nContent-Le");
  const Received short_head = Get(cut);
  EXPECT_EQ(short_head.error.failure, HttpFailure::kRead);
  EXPECT_THAT(short_head.error.detail, HasSubstr("before the response head ended"));
  const RawServer garbage("", "hello\r\n\r\n");
  const Received not_http = Get(garbage);
  EXPECT_EQ(not_http.error.failure, HttpFailure::kMalformed);
  EXPECT_THAT(not_http.error.detail, HasSubstr("at byte 0 of the response"));
}

TEST(HttpConnectionTest, AServerThatGoesQuietFailsTheReadAfterTheReadTimeout) {
  const RawServer server("", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n01234", RawServer::AfterAnswer::kHoldOpen);
  const Received received = Get(server, 7, milliseconds(200));
  EXPECT_EQ(received.error.failure, HttpFailure::kRead);
  EXPECT_THAT(received.error.detail, HasSubstr("nothing within the read timeout"));
  EXPECT_EQ(received.body, "01234");
}

// A wait for body bytes asks the kernel to wake the reader only once many of the bytes the body
// owes have arrived (up to a megabyte). Bytes that arrive while it waits, fewer than that, must still
// be handed out: the server may be slow, or about to go quiet.
TEST(HttpConnectionTest, BytesThatArriveWhileTheReaderWaitsAreHandedOutThoughTheBodyOwesMore) {
  const RawServer length("", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n01234", RawServer::AfterAnswer::kHoldOpen,
                         "56789");
  const RawServer chunked("", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n01234",
                          RawServer::AfterAnswer::kHoldOpen, "56789");
  for (const RawServer* server : {&length, &chunked}) {
    const Received received = Get(*server, 64, milliseconds(2000));
    EXPECT_EQ(received.body, "0123456789");
    EXPECT_EQ(received.error.failure, HttpFailure::kRead);
    EXPECT_THAT(received.error.detail, HasSubstr("nothing within the read timeout"));
  }
}

// ...also while another connection of the group keeps the wait busy reading ahead.
TEST(HttpConnectionTest, BytesThatArriveWhileAnotherConnectionTricklesAreHandedOut) {
  const RawServer trickling("", "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", RawServer::AfterAnswer::kTrickle);
  const RawServer slow("", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n01234", RawServer::AfterAnswer::kHoldOpen,
                       "56789");
  ConnectionGroup group;
  HttpConnection other(&group), connection(&group);
  ASSERT_TRUE(StartGet(other, trickling, milliseconds(5000)).error.ok());  // its body is left to read ahead
  // A short read timeout: the fewer the moments the trickle pauses for 10 ms, the surer this test
  // is to catch a look that waits for such a pause.
  Received received = StartGet(connection, slow, milliseconds(1000));
  ASSERT_TRUE(received.error.ok()) << received.error.detail;
  ReadBodyToEnd(connection, 64, received);
  EXPECT_EQ(received.body, "0123456789");
  EXPECT_THAT(received.error.detail, HasSubstr("nothing within the read timeout"));
}

TEST(HttpConnectionTest, ABodyThatComesInTwoBurstsIsReadWhole) {
  const std::string first(3000, 'a'), second(70000, 'b');
  const RawServer server("", "HTTP/1.1 200 OK\r\nContent-Length: 73000\r\n\r\n" + first,
                         RawServer::AfterAnswer::kHoldOpen, second);
  const Received received = Get(server, 64 * 1024);
  ASSERT_TRUE(received.error.ok()) << received.error.detail;
  EXPECT_EQ(received.body, first + second);
}

// (A name that does not resolve is not tested here: the answer would come from the machine's
// resolver. The transport fails .invalid names itself, without a lookup.)
TEST(HttpConnectionTest, APortNobodyListensOnIsAConnectFailure) {
  int port = 0;
  {
    const RawServer gone("", "");  // a port that was just free: nothing listens there now
    port = gone.port();
  }
  HttpConnection refused;
  const HttpError error = refused.Connect("127.0.0.1", port, milliseconds(5000), milliseconds(5000));
  EXPECT_EQ(error.failure, HttpFailure::kConnect);
  EXPECT_THAT(error.detail, HasSubstr("127.0.0.1:" + std::to_string(port)));
}

TEST(HttpConnectionTest, FramingFollowsTheLastTransferCodingThenTheLength) {
  ResponseHead head;
  std::uint64_t length = 0;
  EXPECT_EQ(FramingOf(head, &length), BodyFraming::kClose);
  head.fields = {{"Content-Length", "42"}};
  EXPECT_EQ(FramingOf(head, &length), BodyFraming::kLength);
  EXPECT_EQ(length, 42u);
  head.fields.emplace_back("Transfer-Encoding", "chunked");  // chunks win over a length (RFC 9112 §6.3)
  EXPECT_EQ(FramingOf(head, &length), BodyFraming::kChunked);
  head.fields = {{"Transfer-Encoding", "chunked, gzip"}};  // not chunked last: the close ends it
  EXPECT_EQ(FramingOf(head, &length), BodyFraming::kClose);
  head.fields = {{"Transfer-Encoding", "gzip"}, {"Content-Length", "42"}};  // a coding overrides the length
  EXPECT_EQ(FramingOf(head, &length), BodyFraming::kClose);
  head.fields = {{"Transfer-Encoding", "xchunked"}};  // a coding of another name
  EXPECT_EQ(FramingOf(head, &length), BodyFraming::kClose);
  head.fields = {{"Transfer-Encoding", "gzip"}, {"transfer-encoding", " Chunked "}};  // the last field's last coding
  EXPECT_EQ(FramingOf(head, &length), BodyFraming::kChunked);
}

}  // namespace
}  // namespace bitsh::fake

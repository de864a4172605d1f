// The forward proxy over real loopback sockets, in front of the file server, checked with
// cpp-httplib's client (which speaks to a proxy as WinHTTP does: absolute URL in the request line).
#include "server/forward_proxy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>

#include "content/generated_content.h"
#include "server/testing/raw_exchange.h"
#include "server/file_server.h"

namespace bitsh::server {
namespace {

using testing::RawExchange;

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::uint64_t kSize = 300'000;

std::string Generated(std::uint64_t first, std::uint64_t length) {
  std::string bytes(length, '\0');
  content::FillGenerated(7, first, bytes.data(), bytes.size());
  return bytes;
}

class ForwardProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    origin_.AddGeneratedFile("/album/01.wma", kSize, 7);
    ASSERT_TRUE(origin_.Start().ok());
    StartProxy({});
  }

  // Replaces the proxy by one with these options.
  void StartProxy(ForwardProxyOptions options) {
    proxy_.reset();
    proxy_ = std::make_unique<ForwardProxy>(std::move(options));
    ASSERT_TRUE(proxy_->Start().ok());
  }

  // A client of the origin that goes through the proxy.
  httplib::Client ThroughProxy() {
    httplib::Client client(origin_.base_url());
    client.set_proxy("127.0.0.1", proxy_->port());
    client.set_read_timeout(std::chrono::seconds(5));
    return client;
  }

  std::string AbsoluteUrl(const std::string& path) const { return origin_.base_url() + path; }

  FileServer origin_{FileServerOptions{{}, "127.0.0.1", 0}};
  std::unique_ptr<ForwardProxy> proxy_;
};

TEST_F(ForwardProxyTest, ForwardsARangedGetToTheOriginAndTheAnswerBackUnchanged) {
  httplib::Client client = ThroughProxy();
  httplib::Result got = client.Get("/album/01.wma", {{"Range", "bytes=1000-"}, {"Authorization", "Bearer t"}});
  ASSERT_TRUE(got) << httplib::to_string(got.error());
  EXPECT_EQ(got->status, 206);
  EXPECT_EQ(got->get_header_value("Content-Range"), "bytes 1000-299999/300000");
  EXPECT_EQ(got->body, Generated(1000, kSize - 1000));

  const std::vector<RequestRecord> relayed = proxy_->log().Records();
  ASSERT_EQ(relayed.size(), 1u);
  EXPECT_EQ(relayed[0].method, "GET");
  EXPECT_EQ(relayed[0].path, "/album/01.wma");
  EXPECT_EQ(relayed[0].range, "bytes=1000-");
  EXPECT_EQ(relayed[0].status, 206);
  EXPECT_EQ(relayed[0].bytes_sent, kSize - 1000);
  // The origin saw an origin-form request with the client's own fields, one per connection.
  const std::vector<RequestRecord> served = origin_.log().Records();
  ASSERT_EQ(served.size(), 1u);
  EXPECT_EQ(served[0].path, "/album/01.wma");
  EXPECT_EQ(served[0].range, "bytes=1000-");
  EXPECT_THAT(served[0].headers, ::testing::Contains(std::pair<std::string, std::string>("Authorization", "Bearer t")));
  EXPECT_THAT(served[0].headers, ::testing::Contains(std::pair<std::string, std::string>("Connection", "close")));
}

TEST_F(ForwardProxyTest, HeadAnswersCarryTheOriginsLengthWithoutABody) {
  httplib::Client client = ThroughProxy();
  httplib::Result got = client.Head("/album/01.wma");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->get_header_value("Content-Length"), std::to_string(kSize));
  EXPECT_EQ(proxy_->log().Records().at(0).bytes_sent, 0u);
}

TEST_F(ForwardProxyTest, AProxyWithCredentialsAnswers407UntilProxyAuthorizationCarriesThem) {
  StartProxy({.basic_credentials = "corp:pa:ss"});
  httplib::Client anonymous = ThroughProxy();
  httplib::Result refused = anonymous.Get("/album/01.wma");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 407);
  EXPECT_EQ(refused->get_header_value("Proxy-Authenticate"), "Basic realm=\"bitsh-proxy\"");
  EXPECT_TRUE(origin_.log().Records().empty()) << "a refused request never reaches the origin";

  httplib::Client wrong = ThroughProxy();
  wrong.set_proxy_basic_auth("corp", "guess");
  EXPECT_EQ(wrong.Get("/album/01.wma")->status, 407);

  httplib::Client right = ThroughProxy();
  right.set_proxy_basic_auth("corp", "pa:ss");  // the password may hold a colon
  httplib::Result got = right.Get("/album/01.wma");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body.size(), kSize);
  // The proxy keeps its credentials: the origin never sees them.
  const std::vector<RequestRecord> served = origin_.log().Records();
  ASSERT_EQ(served.size(), 1u);
  for (const auto& [name, value] : served[0].headers) EXPECT_NE(name, "Proxy-Authorization");
  const std::vector<RequestRecord> relayed = proxy_->log().Records();
  ASSERT_EQ(relayed.size(), 3u);
  EXPECT_EQ(relayed[0].note, "no proxy credentials");
  EXPECT_EQ(relayed[1].note, "wrong proxy credentials");
  EXPECT_EQ(relayed[2].status, 200);
}

TEST_F(ForwardProxyTest, ACloseFaultCutsTheBodyAtTheByteItNames) {
  ASSERT_TRUE(proxy_->AddFault({.path = "/album/01.wma", .request_number = 1, .kind = FaultKind::kCloseAfterBytes,
                                .after_bytes = 4096}).ok());
  const std::string answer =
      RawExchange(proxy_->port(), "GET " + AbsoluteUrl("/album/01.wma") + " HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::size_t body = answer.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos);
  EXPECT_THAT(answer.substr(0, body), HasSubstr("Content-Length: 300000"));
  EXPECT_EQ(answer.substr(body + 4), Generated(0, 4096));
  const RequestRecord record = proxy_->log().Records().at(0);
  EXPECT_EQ(record.fault, "close_after_bytes");
  EXPECT_EQ(record.bytes_sent, 4096u);
  // The second request is not cut.
  EXPECT_EQ(ThroughProxy().Get("/album/01.wma")->body.size(), kSize);
}

// A cut at or past the body's end comes after the last byte, as at the file server: the client has
// the whole body. A HEAD has no body to cut.
TEST_F(ForwardProxyTest, ACutAtOrPastTheBodysEndComesAfterTheLastByteAndAHeadIsNotCut) {
  ASSERT_TRUE(proxy_->AddFault({.path = "/album/01.wma", .kind = FaultKind::kResetAfterBytes, .after_bytes = kSize}).ok());
  httplib::Result head = ThroughProxy().Head("/album/01.wma");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  httplib::Result whole = ThroughProxy().Get("/album/01.wma");
  ASSERT_TRUE(whole) << httplib::to_string(whole.error());
  EXPECT_EQ(whole->body.size(), kSize);
  const std::vector<RequestRecord> records = proxy_->log().Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fault, "");  // the HEAD
  EXPECT_EQ(records[1].fault, "reset_after_bytes");
  EXPECT_EQ(records[1].note, "reset after the last byte");
  EXPECT_EQ(records[1].bytes_sent, kSize);
}

TEST_F(ForwardProxyTest, AStatusFaultIsTheProxysOwnAnswer) {
  ASSERT_TRUE(proxy_->AddFault({.path = "/album/01.wma", .kind = FaultKind::kStatus, .status = 504}).ok());
  httplib::Result got = ThroughProxy().Get("/album/01.wma");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 504);
  EXPECT_TRUE(origin_.log().Records().empty());
}

TEST_F(ForwardProxyTest, AFaultAProxyCannotApplyIsRefused) {
  const Status refused = proxy_->AddFault({.path = "/a", .kind = FaultKind::kIgnoreRange});
  EXPECT_EQ(refused.code(), hr::kInvalidArg);
  EXPECT_THAT(refused.message(), HasSubstr("ignore_range"));
}

TEST_F(ForwardProxyTest, RefusesWhatAForwardProxyForDownloadsDoesNotDo) {
  EXPECT_THAT(RawExchange(proxy_->port(), "GET /album/01.wma HTTP/1.1\r\nHost: x\r\n\r\n"), HasSubstr("HTTP/1.1 400"));
  EXPECT_THAT(RawExchange(proxy_->port(), "GET http://example.com/a HTTP/1.1\r\nHost: example.com\r\n\r\n"),
              HasSubstr("HTTP/1.1 403"));
  // A name that only looks like a loopback address is not one.
  EXPECT_THAT(RawExchange(proxy_->port(), "GET http://127.example.com/a HTTP/1.1\r\nHost: x\r\n\r\n"),
              HasSubstr("HTTP/1.1 403"));
  EXPECT_THAT(RawExchange(proxy_->port(), "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n"),
              HasSubstr("HTTP/1.1 501"));
  EXPECT_THAT(RawExchange(proxy_->port(), "DELETE " + AbsoluteUrl("/album/01.wma") + " HTTP/1.1\r\nHost: x\r\n\r\n"),
              HasSubstr("HTTP/1.1 501"));
  EXPECT_TRUE(origin_.log().Records().empty());
}

TEST_F(ForwardProxyTest, AnOriginThatDoesNotAnswerIs502) {
  origin_.Stop();
  EXPECT_THAT(RawExchange(proxy_->port(), "GET " + AbsoluteUrl("/album/01.wma") + " HTTP/1.1\r\nHost: x\r\n\r\n"),
              HasSubstr("HTTP/1.1 502"));
}

TEST_F(ForwardProxyTest, StopEndsAConnectionThatNeverFinishedItsHead) {
  ForwardProxyOptions patient;
  patient.limits.head_timeout = std::chrono::hours(1);  // Stop must not wait for it: a hang fails the test
  StartProxy(patient);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(proxy_->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  const std::string half = "GET http://127.0.0.1/a HTTP/1.1\r\nHost:";
  ASSERT_EQ(::send(fd, half.data(), half.size(), 0), static_cast<ssize_t>(half.size()));
  proxy_->Stop();
  char byte = 0;
  // Closed: the end of the stream, or a reset (the proxy closed with the half head unread).
  EXPECT_LE(::recv(fd, &byte, 1, 0), 0) << "the proxy closed the connection";
  ::close(fd);
}

}  // namespace
}  // namespace bitsh::server

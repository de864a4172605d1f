// The file server over real loopback HTTP, checked with cpp-httplib's client.
#include "server/file_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "backend/testing/scratch_folder.h"
#include "content/generated_content.h"
#include "server/testing/raw_exchange.h"

namespace bitsh::server {
namespace {

using bitsh::testing::ScratchFolder;
using server::testing::RawExchange;

using ::testing::HasSubstr;

// The validators of /gen/a.wma (1,000,000 bytes, seed 42) in its first version.
constexpr const char* kEtag = "\"g42-1000000-v1\"";
constexpr const char* kLastModified = "Thu, 01 Jan 2026 00:00:01 GMT";

class FileServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(root_ / "hello.txt") << "hello, world\n";
    server_ = std::make_unique<FileServer>(FileServerOptions{root_, "127.0.0.1", 0});
    server_->AddGeneratedFile("/gen/a.wma", 1'000'000, 42);
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  void TearDown() override {
    client_.reset();
    server_.reset();  // stops and joins
  }

  httplib::Result Get(const std::string& path, const std::string& range = "", httplib::Headers headers = {}) {
    if (!range.empty()) headers.emplace("Range", range);
    return client_->Get(path.c_str(), headers);
  }

  ScratchFolder scratch_{"bitsh-serve"};
  const std::filesystem::path root_ = scratch_.path();
  std::unique_ptr<FileServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(FileServerTest, BindsLoopbackOnAnEphemeralPort) {
  EXPECT_GT(server_->port(), 0);
  EXPECT_EQ(server_->base_url(), "http://127.0.0.1:" + std::to_string(server_->port()));
}

TEST_F(FileServerTest, ServesADiskFileWithValidators) {
  httplib::Result res = Get("/hello.txt");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "hello, world\n");
  EXPECT_EQ(res->get_header_value("Content-Length"), "13");
  EXPECT_EQ(res->get_header_value("Accept-Ranges"), "bytes");
  EXPECT_FALSE(res->get_header_value("Last-Modified").empty());
  EXPECT_FALSE(res->get_header_value("ETag").empty());
}

TEST_F(FileServerTest, HeadGivesTheSizeWithoutABody) {
  httplib::Result res = client_->Head("/gen/a.wma");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Length"), "1000000");
  EXPECT_TRUE(res->body.empty());
}

// An empty file has a length, 0, on the HEAD and the GET alike: without one a keep-alive client
// cannot tell where the (empty) body ends, and BITS's probe would find no size.
TEST_F(FileServerTest, AnEmptyFileSaysContentLengthZero) {
  std::ofstream(root_ / "empty.wma").flush();
  server_->AddGeneratedFile("/gen/empty.wma", 0, 7);
  for (const std::string path : {"/empty.wma", "/gen/empty.wma"}) {
    const httplib::Result head = client_->Head(path.c_str());
    ASSERT_TRUE(head) << path;
    EXPECT_EQ(head->status, 200) << path;
    EXPECT_EQ(head->get_header_value("Content-Length"), "0") << path;
    const httplib::Result get = Get(path);
    ASSERT_TRUE(get) << path;
    EXPECT_EQ(get->status, 200) << path;
    EXPECT_EQ(get->get_header_value_count("Content-Length"), 1u) << path;
    EXPECT_EQ(get->get_header_value("Content-Length"), "0") << path;
    EXPECT_EQ(get->body, "") << path;
  }
  const httplib::Result ranged = Get("/empty.wma", "bytes=0-");
  ASSERT_TRUE(ranged);
  EXPECT_EQ(ranged->status, 416);  // no byte 0 to send (RFC 9110 §14.1.1)
}

TEST_F(FileServerTest, AnswersARangeWith206AndContentRange) {
  httplib::Result res = Get("/gen/a.wma", "bytes=1000-1999");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 206);
  EXPECT_EQ(res->get_header_value("Content-Range"), "bytes 1000-1999/1000000");
  EXPECT_EQ(res->body, content::GeneratedBytes(42, 1000, 1000));
  httplib::Result tail = Get("/gen/a.wma", "bytes=999990-");
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->get_header_value("Content-Range"), "bytes 999990-999999/1000000");
  EXPECT_EQ(tail->body.size(), 10u);
  httplib::Result suffix = Get("/gen/a.wma", "bytes=-5");
  ASSERT_TRUE(suffix);
  EXPECT_EQ(suffix->body, content::GeneratedBytes(42, 999'995, 5));
}

TEST_F(FileServerTest, AnUnsatisfiableRangeIs416) {
  httplib::Result res = Get("/gen/a.wma", "bytes=1000000-");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 416);
  EXPECT_EQ(res->get_header_value("Content-Range"), "bytes */1000000");
}

TEST_F(FileServerTest, TraversalIsRefusedInEveryForm) {
  std::ofstream(root_.parent_path() / "outside.txt") << "no";
  for (const char* path : {"/../outside.txt", "/%2e%2e/outside.txt", "/gen/%2E%2E/%2e%2e/outside.txt"}) {
    httplib::Result res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 403) << path;
  }
  std::filesystem::remove(root_.parent_path() / "outside.txt");
  const auto records = server_->log().Records();
  ASSERT_FALSE(records.empty());
  EXPECT_THAT(records.back().note, HasSubstr(".."));
}

TEST_F(FileServerTest, TheRequestLogRecordsRangeStatusAndBytes) {
  ASSERT_TRUE(Get("/gen/a.wma", "bytes=0-99"));
  ASSERT_TRUE(client_->Head("/gen/a.wma"));
  ASSERT_TRUE(Get("/missing.wma"));
  const auto records = server_->log().Records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].method, "GET");
  EXPECT_EQ(records[0].range, "bytes=0-99");
  EXPECT_EQ(records[0].status, 206);
  EXPECT_EQ(records[0].bytes_sent, 100u);
  EXPECT_EQ(records[1].method, "HEAD");
  EXPECT_EQ(records[1].bytes_sent, 0u);
  EXPECT_EQ(records[2].status, 404);
}

TEST_F(FileServerTest, CloseAfterBytesCutsTheBodyThere) {
  server_->AddFault({.path = "/gen/a.wma", .request_number = 1, .kind = FaultKind::kCloseAfterBytes,
                     .after_bytes = 12345});
  std::string received;
  httplib::Result res = client_->Get("/gen/a.wma", [&](const char* data, std::size_t length) {
    received.append(data, length);
    return true;
  });
  EXPECT_FALSE(res);  // the connection closed before Content-Length bytes came
  EXPECT_EQ(received, content::GeneratedBytes(42, 0, 12345));
  EXPECT_EQ(server_->log().Records().at(0).bytes_sent, 12345u);
  EXPECT_EQ(server_->log().Records().at(0).fault, "close_after_bytes");
  httplib::Result second = Get("/gen/a.wma");  // the rule was for request 1 only
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body.size(), 1'000'000u);
}

TEST_F(FileServerTest, ResetAfterBytesResetsTheConnection) {
  server_->AddFault({.path = "/gen/a.wma", .request_number = 1, .kind = FaultKind::kResetAfterBytes,
                     .after_bytes = 500'000});
  std::uint64_t received = 0;
  httplib::Result res = client_->Get("/gen/a.wma", [&](const char*, std::size_t length) {
    received += length;
    return true;
  });
  EXPECT_FALSE(res);
  EXPECT_EQ(received, 500'000u);  // the server waits for the client to have every byte before the reset
  EXPECT_EQ(server_->log().Records().at(0).fault, "reset_after_bytes");
}

// A cut at or past the body's end: the whole body, then the reset, on a connection the client
// asked to keep alive (without the fault it would stay open, and this read would time out).
TEST_F(FileServerTest, ResetAfterTheLastByteSendsTheWholeBodyThenResets) {
  server_->AddGeneratedFile("/gen/small.wma", 1000, 7);
  server_->AddFault({.path = "/gen/small.wma", .kind = FaultKind::kResetAfterBytes, .after_bytes = 1000});
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ASSERT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  const std::string request = "GET /gen/small.wma HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n";
  ASSERT_EQ(::send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
  const int error = errno;
  ::close(fd);
  EXPECT_EQ(n, -1);
  EXPECT_EQ(error, ECONNRESET) << std::strerror(error);
  ASSERT_NE(answer.find("\r\n\r\n"), std::string::npos);
  EXPECT_EQ(answer.substr(answer.find("\r\n\r\n") + 4), content::GeneratedBytes(7, 0, 1000));
}

TEST_F(FileServerTest, ScriptedStatusWithRetryAfter) {
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kStatus, .status = 503, .retry_after_s = 120});
  httplib::Result res = Get("/gen/a.wma");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "120");
}

TEST_F(FileServerTest, RequireHeaderForbidsARequestWithoutTheFieldOrWithAnotherValue) {
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kRequireHeader, .required_header = "X-Token: s3cret"});
  EXPECT_EQ(Get("/gen/a.wma")->status, 403);
  EXPECT_EQ(client_->Get("/gen/a.wma", httplib::Headers{{"X-Token", "wrong"}})->status, 403);
  EXPECT_EQ(client_->Get("/gen/a.wma", httplib::Headers{{"x-token", "s3cret"}})->status, 200);  // names without case
  const auto records = server_->log().Records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].note, "no X-Token header");
  EXPECT_EQ(records[0].fault, "require_header");
  EXPECT_EQ(records[1].note, "X-Token is not the one required");
  EXPECT_EQ(records[2].fault, "");  // let through: nothing injected
}

TEST_F(FileServerTest, RequireBasicAuthChallengesUntilTheRightCredentialsCome) {
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kRequireBasicAuth, .basic_credentials = "store:s3:cret"});
  httplib::Result none = Get("/gen/a.wma");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Basic realm=\"bitsh\"");
  EXPECT_EQ(client_->Get("/gen/a.wma", {httplib::make_basic_authentication_header("store", "wrong")})->status, 401);
  EXPECT_EQ(client_->Get("/gen/a.wma", {httplib::make_basic_authentication_header("store", "s3:cret")})->status, 200);
  const auto records = server_->log().Records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].note, "no credentials");
  EXPECT_EQ(records[1].note, "wrong credentials");
  EXPECT_EQ(records[2].fault, "");
}

TEST_F(FileServerTest, TheRequestLogRecordsEveryHeaderFieldOfTheRequest) {
  ASSERT_TRUE(client_->Get("/gen/a.wma", httplib::Headers{{"Authorization", "Bearer abc"}, {"X-Store", "7"}}));
  const auto records = server_->log().Records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].headers, ::testing::IsSupersetOf({std::pair<std::string, std::string>("Authorization", "Bearer abc"),
                                                          std::pair<std::string, std::string>("X-Store", "7")}));
}

TEST_F(FileServerTest, AFaultForOneMethodCountsOnlyThatMethodsRequests) {
  server_->AddFault({.path = "/gen/a.wma", .request_number = 1, .method = "GET", .kind = FaultKind::kStatus, .status = 503});
  EXPECT_EQ(client_->Head("/gen/a.wma")->status, 200);  // a HEAD neither fires nor counts
  EXPECT_EQ(Get("/gen/a.wma")->status, 503);            // the first GET
  EXPECT_EQ(Get("/gen/a.wma")->status, 200);
}

TEST_F(FileServerTest, CorruptBytesInvertsThoseBytesOfTheFileWhateverTheRangeAndKeepsTheValidators) {
  httplib::Result clean = Get("/gen/a.wma");
  ASSERT_TRUE(clean);
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kCorruptBytes, .corrupt_offset = 1000, .corrupt_length = 3});
  httplib::Result whole = Get("/gen/a.wma");
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->body.size(), clean->body.size());
  for (std::size_t i = 0; i < clean->body.size(); ++i) {
    const bool corrupt = i >= 1000 && i < 1003;
    ASSERT_EQ(whole->body[i], corrupt ? static_cast<char>(clean->body[i] ^ '\xFF') : clean->body[i]) << "byte " << i;
  }
  EXPECT_EQ(whole->get_header_value("ETag"), clean->get_header_value("ETag"));
  EXPECT_EQ(whole->get_header_value("Last-Modified"), clean->get_header_value("Last-Modified"));
  httplib::Result ranged = Get("/gen/a.wma", "bytes=1001-");  // the file's offsets, not the body's
  ASSERT_TRUE(ranged);
  EXPECT_EQ(ranged->body[0], static_cast<char>(clean->body[1001] ^ '\xFF'));
  EXPECT_EQ(ranged->body[2], clean->body[1003]);
}

TEST_F(FileServerTest, IgnoreRangeSendsTheWholeBodyWith200) {
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kIgnoreRange});
  httplib::Result res = Get("/gen/a.wma", "bytes=500-");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body.size(), 1'000'000u);
  EXPECT_FALSE(res->has_header("Content-Range"));
}

TEST_F(FileServerTest, WrongContentRangeLiesAboutTheStart) {
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kWrongContentRange});
  httplib::Result res = Get("/gen/a.wma", "bytes=500-599");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 206);
  EXPECT_EQ(res->get_header_value("Content-Range"), "bytes 501-600/1000000");
  EXPECT_EQ(res->body, content::GeneratedBytes(42, 500, 100));
}

TEST_F(FileServerTest, OmitContentLengthSendsChunked) {
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kOmitContentLength});
  httplib::Result head = client_->Head("/gen/a.wma");
  ASSERT_TRUE(head);
  EXPECT_FALSE(head->has_header("Content-Length"));
  httplib::Result res = Get("/gen/a.wma");
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->has_header("Content-Length"));
  EXPECT_EQ(res->body, content::GeneratedBytes(42, 0, 1'000'000));
}

TEST_F(FileServerTest, RedirectPointsElsewhere) {
  server_->AddGeneratedFile("/gen/b.wma", 10, 7);
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kRedirect, .redirect_to = "/gen/b.wma",
                     .redirect_status = 307});
  httplib::Result res = Get("/gen/a.wma");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 307);
  EXPECT_EQ(res->get_header_value("Location"), "/gen/b.wma");
}

TEST_F(FileServerTest, ChangeFileGivesNewContentAndValidators) {
  httplib::Result before = client_->Head("/gen/a.wma");
  server_->AddFault({.path = "/gen/a.wma", .request_number = 1, .kind = FaultKind::kChangeFile,
                     .new_size = 2000, .new_seed = 9});
  httplib::Result after = Get("/gen/a.wma");
  ASSERT_TRUE(before && after);
  EXPECT_NE(before->get_header_value("ETag"), after->get_header_value("ETag"));
  EXPECT_NE(before->get_header_value("Last-Modified"), after->get_header_value("Last-Modified"));
  EXPECT_EQ(after->body, content::GeneratedBytes(9, 0, 2000));
}

TEST_F(FileServerTest, StallIsAnnouncedInAHeader) {
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kStall, .stall = std::chrono::milliseconds(90'000)});
  httplib::Result res = Get("/gen/a.wma", "bytes=0-0");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->get_header_value(kStallHeader), "90000");
}

TEST_F(FileServerTest, FaultKindNamesRoundTrip) {
  for (FaultKind kind : {FaultKind::kCloseAfterBytes, FaultKind::kResetAfterBytes, FaultKind::kStatus,
                         FaultKind::kStall, FaultKind::kIgnoreRange, FaultKind::kWrongContentRange,
                         FaultKind::kOmitContentLength, FaultKind::kRedirect, FaultKind::kChangeFile}) {
    EXPECT_EQ(ParseFaultKind(ToString(kind)), kind);
  }
  EXPECT_FALSE(ParseFaultKind("explode").has_value());
}

// --- Conditional requests (RFC 9110 §13) and multiple ranges (§14.6) -------------------------

TEST_F(FileServerTest, IfRangeWithTheCurrentEtagGetsTheRange) {
  httplib::Result res = Get("/gen/a.wma", "bytes=1000-1999", {{"If-Range", kEtag}});
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 206);
  EXPECT_EQ(res->get_header_value("Content-Range"), "bytes 1000-1999/1000000");
  EXPECT_EQ(res->body, content::GeneratedBytes(42, 1000, 1000));
  EXPECT_EQ(server_->log().Records().at(0).if_range, kEtag);
}

TEST_F(FileServerTest, IfRangeWithAnOldEtagGetsTheWholeNewFile) {
  server_->ChangeGeneratedFile("/gen/a.wma", 2000, 9);
  httplib::Result res = Get("/gen/a.wma", "bytes=1000-", {{"If-Range", kEtag}});
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("Content-Range"));
  EXPECT_EQ(res->get_header_value("ETag"), "\"g9-2000-v2\"");
  EXPECT_EQ(res->body, content::GeneratedBytes(9, 0, 2000));
  EXPECT_EQ(server_->log().Records().at(0).note, "If-Range did not match");
}

TEST_F(FileServerTest, IfRangeComparesStronglyAndDatesExactly) {
  const std::vector<std::pair<std::string, int>> cases = {
      {"W/\"g42-1000000-v1\"", 200},                 // a weak tag never matches
      {kLastModified, 206},                          // the Last-Modified value itself
      {"Thu, 01 Jan 2026 00:00:02 GMT", 200},        // a later date is not "exactly"
      {"Thursday, 01-Jan-26 00:00:01 GMT", 200},     // the same instant written otherwise
      {"g42-1000000-v1", 200},                       // neither a tag nor a date
  };
  for (const auto& [validator, status] : cases) {
    httplib::Result res = Get("/gen/a.wma", "bytes=0-9", {{"If-Range", validator}});
    ASSERT_TRUE(res) << validator;
    EXPECT_EQ(res->status, status) << validator;
    EXPECT_EQ(res->body.size(), status == 206 ? 10u : 1'000'000u) << validator;
  }
}

TEST_F(FileServerTest, AFailedIfMatchOrIfUnmodifiedSinceIs412) {
  const std::vector<std::pair<httplib::Headers, int>> cases = {
      {{{"If-Match", "\"other\""}}, 412},
      {{{"If-Match", "\"other\", " + std::string(kEtag)}}, 200},
      {{{"If-Match", "*"}}, 200},
      {{{"If-Match", "not a tag"}}, 412},  // unparsable: not acted on
      {{{"If-Unmodified-Since", "Thu, 01 Jan 2026 00:00:00 GMT"}}, 412},
      {{{"If-Unmodified-Since", kLastModified}}, 200},
      {{{"If-Unmodified-Since", "not a date"}}, 200},  // ignored
  };
  for (const auto& [headers, status] : cases) {
    httplib::Result res = Get("/gen/a.wma", "", headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << headers.begin()->second;
    EXPECT_EQ(res->body.size(), status == 200 ? 1'000'000u : 0u) << headers.begin()->second;
    EXPECT_EQ(res->get_header_value("ETag"), kEtag);
  }
  EXPECT_EQ(server_->log().Records().at(0).note, "If-Match failed");
}

TEST_F(FileServerTest, AMatchingIfNoneMatchIs304WithValidatorsAndNoBody) {
  const std::string answer = RawExchange(server_->port(), "GET /gen/a.wma HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                          "If-None-Match: \"x\", W/\"g42-1000000-v1\"\r\n"
                                                          "Connection: close\r\n\r\n");
  EXPECT_THAT(answer, ::testing::StartsWith("HTTP/1.1 304 Not Modified\r\n"));
  EXPECT_THAT(answer, HasSubstr("\r\nETag: " + std::string(kEtag) + "\r\n"));
  EXPECT_THAT(answer, HasSubstr("\r\nLast-Modified: " + std::string(kLastModified) + "\r\n"));
  EXPECT_THAT(answer, HasSubstr("\r\nContent-Length: 1000000\r\n"));  // what a 200 would say, or nothing
  EXPECT_THAT(answer, ::testing::EndsWith("\r\n\r\n"));                // and no body
  EXPECT_EQ(server_->log().Records().at(0).note, "If-None-Match matched");
  EXPECT_EQ(server_->log().Records().at(0).bytes_sent, 0u);
  httplib::Result head = client_->Head("/gen/a.wma", {{"If-None-Match", "*"}});
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 304);
}

TEST_F(FileServerTest, IfModifiedSinceIs304UnlessModifiedAfterIt) {
  httplib::Result later = client_->Head("/gen/a.wma", {{"If-Modified-Since", "Fri, 02 Jan 2026 00:00:00 GMT"}});
  httplib::Result earlier = client_->Head("/gen/a.wma", {{"If-Modified-Since", "Thu, 01 Jan 2026 00:00:00 GMT"}});
  httplib::Result junk = client_->Head("/gen/a.wma", {{"If-Modified-Since", "2026-01-02"}});
  httplib::Result beside = client_->Head("/gen/a.wma", {{"If-Modified-Since", "Fri, 02 Jan 2026 00:00:00 GMT"},
                                                        {"If-None-Match", "\"other\""}});
  ASSERT_TRUE(later && earlier && junk && beside);
  EXPECT_EQ(later->status, 304);
  EXPECT_EQ(later->get_header_value("Last-Modified"), kLastModified);
  EXPECT_EQ(earlier->status, 200);
  EXPECT_EQ(junk->status, 200);   // an unparsable date is ignored
  EXPECT_EQ(beside->status, 200);  // If-None-Match decides alone
  EXPECT_EQ(server_->log().Records().at(0).note, "not modified since If-Modified-Since");
}

TEST_F(FileServerTest, TwoRangesAreServedAsMultipartByteranges) {
  httplib::Result res = Get("/gen/a.wma", "bytes=0-9,20-29");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 206);
  EXPECT_EQ(res->get_header_value("Content-Type"), "multipart/byteranges; boundary=bitsh-byteranges-3d5f0c1e9a7b4e26");
  EXPECT_FALSE(res->has_header("Content-Range"));
  const std::string boundary = "--bitsh-byteranges-3d5f0c1e9a7b4e26";
  const std::string expected =
      boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-9/1000000\r\n\r\n" +
      content::GeneratedBytes(42, 0, 10) + "\r\n" + boundary +
      "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 20-29/1000000\r\n\r\n" +
      content::GeneratedBytes(42, 20, 10) + "\r\n" + boundary + "--\r\n";
  EXPECT_EQ(res->body, expected);
  EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(expected.size()));
  EXPECT_EQ(server_->log().Records().at(0).bytes_sent, expected.size());
  EXPECT_EQ(server_->log().Records().at(0).note, "multipart/byteranges");
}

TEST_F(FileServerTest, OfSeveralRangesOnlyTheSatisfiableAreServed) {
  httplib::Result res = Get("/gen/a.wma", "bytes=2000000-,5-9");  // one part: no multipart
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 206);
  EXPECT_EQ(res->get_header_value("Content-Range"), "bytes 5-9/1000000");
  EXPECT_EQ(res->body, content::GeneratedBytes(42, 5, 5));
  httplib::Result none = Get("/gen/a.wma", "bytes=2000000-,1000000-1000001");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 416);
  EXPECT_EQ(none->get_header_value("Content-Range"), "bytes */1000000");
}

TEST_F(FileServerTest, HeadIgnoresRange) {
  httplib::Result res = client_->Head("/gen/a.wma", {{"Range", "bytes=0-9"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);  // Range is defined for GET only (RFC 9110 §14.2)
  EXPECT_EQ(res->get_header_value("Content-Length"), "1000000");
  EXPECT_FALSE(res->has_header("Content-Range"));
}

TEST_F(FileServerTest, EveryAnswerAboutTheFileCarriesItsValidators) {
  struct Case {
    std::optional<FaultKind> fault;
    std::string range;
  };
  const std::vector<Case> cases = {{std::nullopt, ""},     {std::nullopt, "bytes=0-9"},     {std::nullopt, "bytes=0-9,20-29"},
                                   {std::nullopt, "bytes=2000000-"}, {FaultKind::kIgnoreRange, "bytes=0-9"},
                                   {FaultKind::kWrongContentRange, "bytes=0-9"}, {FaultKind::kOmitContentLength, ""},
                                   {FaultKind::kStall, "bytes=0-9"}};
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const std::string path = "/gen/v" + std::to_string(i) + ".wma";  // faults are per path
    const std::string label = (c.fault ? std::string(ToString(*c.fault)) : "none") + " " + c.range;
    server_->AddGeneratedFile(path, 100, 42);
    if (c.fault) server_->AddFault({.path = path, .kind = *c.fault});
    for (const httplib::Result& res : {Get(path, c.range), client_->Head(path)}) {
      ASSERT_TRUE(res) << label;
      EXPECT_EQ(res->get_header_value("ETag"), "\"g42-100-v1\"") << label << " " << res->status;
      EXPECT_EQ(res->get_header_value("Last-Modified"), kLastModified) << label << " " << res->status;
    }
  }
}

}  // namespace
}  // namespace bitsh::server

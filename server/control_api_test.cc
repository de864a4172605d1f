// The control API: its parameters round-trip, bad calls are refused naming the parameter, and a
// RemoteFileServer changes what a `control` FileServer answers, as a Windows test program under
// Wine does through bitsh-serve --control.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "backend/testing/status_matchers.h"
#include "content/generated_content.h"
#include "server/control_protocol.h"
#include "server/file_server.h"
#include "server/remote_file_server.h"

namespace bitsh::server {
namespace {

using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ControlProtocolTest, EveryFaultFieldSurvivesEncodingAndDecoding) {
  const ServerFault fault{.path = "/a b/ü&x.wma",
                          .request_number = 3,
                          .method = "GET",
                          .kind = FaultKind::kRedirect,
                          .after_bytes = 12345,
                          .status = 503,
                          .retry_after_s = 0,
                          .stall = std::chrono::milliseconds(2500),
                          .redirect_to = "/new?x=1&y=2",
                          .redirect_status = 307,
                          .new_size = 70'000,
                          .new_seed = 5,
                          .required_header = "Authorization: Basic dTpw",
                          .basic_credentials = "user:p:w",
                          .every = 3,
                          .probability = 0.1,
                          .draw_seed = 0xFEEDFACECAFEBEEFull};
  Result<ServerFault> decoded = DecodeFault(EncodeFault(fault));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->path, fault.path);
  EXPECT_EQ(decoded->request_number, 3);
  EXPECT_EQ(decoded->method, "GET");
  EXPECT_EQ(decoded->kind, FaultKind::kRedirect);
  EXPECT_EQ(decoded->after_bytes, 12345u);
  EXPECT_EQ(decoded->status, 503);
  EXPECT_EQ(decoded->retry_after_s, 0);
  EXPECT_EQ(decoded->stall, std::chrono::milliseconds(2500));
  EXPECT_EQ(decoded->redirect_to, "/new?x=1&y=2");
  EXPECT_EQ(decoded->redirect_status, 307);
  EXPECT_EQ(decoded->new_size, 70'000u);
  EXPECT_EQ(decoded->new_seed, 5u);
  EXPECT_EQ(decoded->required_header, "Authorization: Basic dTpw");
  EXPECT_EQ(decoded->basic_credentials, "user:p:w");
  EXPECT_EQ(decoded->every, 3);
  EXPECT_EQ(decoded->probability, 0.1);  // exact: the shortest form that reads back the same double
  EXPECT_EQ(decoded->draw_seed, 0xFEEDFACECAFEBEEFull);
}

TEST(ControlProtocolTest, ProbabilityMustLieInZeroToOne) {
  for (const char* text : {"0", "1.5", "-0.1", "abc", "0.5x", ""}) {
    EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "status"}, {"probability", text}}),
                StatusIs(hr::kInvalidArg, HasSubstr("'probability'")))
        << text;
  }
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "status"}, {"probability", "1"}}), IsOk());
}

TEST(ControlProtocolTest, UnsentFieldsKeepTheirDefaults) {
  Result<ServerFault> decoded = DecodeFault({{"path", "/a.wma"}, {"kind", "status"}, {"status", "404"}});
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->retry_after_s, -1);  // no Retry-After header
  EXPECT_EQ(decoded->redirect_status, 302);
  EXPECT_EQ(decoded->request_number, 0);  // every request
}

TEST(ControlProtocolTest, BadParametersAreRefusedByName) {
  EXPECT_THAT(DecodeFault({{"path", "/a"}}), StatusIs(hr::kInvalidArg, HasSubstr("'kind' is missing")));
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "explode"}}),
              StatusIs(hr::kInvalidArg, HasSubstr("'explode' is not a fault kind")));
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "status"}, {"statsu", "503"}}),
              StatusIs(hr::kInvalidArg, HasSubstr("'statsu' is unknown")));
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "status"}, {"method", "PUT"}}),
              StatusIs(hr::kInvalidArg, HasSubstr("'PUT' is not GET or HEAD")));
  EXPECT_THAT(DecodeGeneratedFile({{"path", "/a"}, {"size", "12kB"}, {"seed", "1"}}),
              StatusIs(hr::kInvalidArg, HasSubstr("'size': '12kB' is not a whole number")));
}

TEST(ControlProtocolTest, QueryStringsPercentEncodeAllButUnreservedCharacters) {
  EXPECT_EQ(ToQueryString({{"path", "/a b/c&d=e.wma"}, {"seed", "7"}}), "path=/a%20b/c%26d%3De.wma&seed=7");
}

class ControlApiTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.Start().ok()); }

  httplib::Result Get(const std::string& path) {
    httplib::Client client(server_.base_url());
    return client.Get(path);
  }

  FileServer server_{FileServerOptions{.control = true}};
};

TEST_F(ControlApiTest, AGeneratedFileAddedRemotelyIsServed) {
  RemoteFileServer remote(server_.base_url());
  ASSERT_THAT(remote.AddGeneratedFile("/r/a.wma", 100'000, 9), IsOk());
  httplib::Result response = Get("/r/a.wma");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, content::GeneratedBytes(9, 0, 100'000));
}

TEST_F(ControlApiTest, AFaultAddedRemotelyFiresOnItsRequest) {
  RemoteFileServer remote(server_.base_url());
  ASSERT_THAT(remote.AddGeneratedFile("/r/busy.wma", 1000, 1), IsOk());
  ASSERT_THAT(remote.AddFault({.path = "/r/busy.wma", .request_number = 1, .kind = FaultKind::kStatus, .status = 503}),
              IsOk());
  EXPECT_EQ(Get("/r/busy.wma")->status, 503);
  EXPECT_EQ(Get("/r/busy.wma")->status, 200);
}

TEST_F(ControlApiTest, TheRequestLogListsDownloadsButNotControlCalls) {
  RemoteFileServer remote(server_.base_url());
  ASSERT_THAT(remote.AddGeneratedFile("/r/log.wma", 10, 1), IsOk());
  ASSERT_TRUE(Get("/r/log.wma"));
  Result<std::string> log = remote.RequestLogText();
  ASSERT_THAT(log, IsOk());
  EXPECT_EQ(*log, "GET /r/log.wma -> 200 10 bytes\n");
}

TEST_F(ControlApiTest, ABadCallIsAnsweredWithTheServersReason) {
  httplib::Client client(server_.base_url());
  httplib::Result response = client.Post("/_bitsh/control/faults?path=/a&kind=status&status=lots");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_THAT(response->body, HasSubstr("'status': 'lots' is not a whole number"));
}

// A page in a local browser can POST a form to 127.0.0.1; the control API must not obey it.
TEST_F(ControlApiTest, ACrossSiteRequestFromAWebPageIsRefused) {
  httplib::Client client(server_.base_url());
  httplib::Result forged = client.Post("/_bitsh/control/files?path=/x.wma&size=10&seed=1",
                                       httplib::Headers{{"Origin", "https://evil.example"}}, "", "text/plain");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_THAT(forged->body, HasSubstr("Origin is 'https://evil.example'"));
  httplib::Result rebound = client.Get("/_bitsh/control/requests", httplib::Headers{{"Host", "evil.example"}});
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 403);
  EXPECT_EQ(Get("/x.wma")->status, 404);  // nothing was added
}

TEST(ControlApiOffTest, AServerWithoutControlRefusesTheCalls) {
  FileServer server(FileServerOptions{});
  ASSERT_TRUE(server.Start().ok());
  EXPECT_THAT(RemoteFileServer(server.base_url()).AddGeneratedFile("/a.wma", 10, 1),
              StatusIs(hr::kInvalidArg, HasSubstr("answered 404")));
}

TEST(ControlApiOffTest, AnUnreachableServerIsAFailureNamingTheUrl) {
  FileServer server(FileServerOptions{});
  ASSERT_TRUE(server.Start().ok());
  const std::string url = server.base_url();
  server.Stop();  // the port is now closed
  EXPECT_THAT(RemoteFileServer(url).AddGeneratedFile("/a.wma", 10, 1),
              StatusIs(hr::kFail, HasSubstr(url + "/_bitsh/control/files")));
}

}  // namespace
}  // namespace bitsh::server

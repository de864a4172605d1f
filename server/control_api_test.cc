// The control API: its parameters round-trip, bad calls are refused naming the parameter, and a
// RemoteFileServer changes what a `control` FileServer answers, as a Windows test program under
// Wine does through bitsh-serve --control.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "backend/testing/status_matchers.h"
#include "content/generated_content.h"
#include "server/control_protocol.h"
#include "server/file_server.h"
#include "server/remote_file_server.h"
#include "server/testing/raw_exchange.h"

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

// The timing faults' parameters round-trip in the scenario file's units; a dribble needs a rate,
// here and at the server, which would otherwise send a header no client can use.
TEST(ControlProtocolTest, TheTimingFaultsRoundTripAndADribbleNeedsARate) {
  Result<ServerFault> dribble = DecodeFault(EncodeFault({.path = "/a", .kind = FaultKind::kDribble, .rate_bytes_per_s = 1536}));
  ASSERT_THAT(dribble, IsOk());
  EXPECT_EQ(dribble->rate_bytes_per_s, 1536u);
  EXPECT_EQ(EncodeFault(*dribble).at("rate"), "1536/s");
  Result<ServerFault> slow = DecodeFault({{"path", "/a"}, {"kind", "slow_close"}, {"close_delay", "30s"}});
  ASSERT_THAT(slow, IsOk());
  EXPECT_EQ(slow->close_delay, std::chrono::seconds(30));
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "dribble"}}), StatusIs(hr::kInvalidArg, HasSubstr("rate")));
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "dribble"}, {"rate", "0/s"}}), StatusIs(hr::kInvalidArg, HasSubstr("'rate'")));
  FileServer server{FileServerOptions{}};
  EXPECT_EQ(server.AddFault({.path = "/a", .kind = FaultKind::kDribble}), std::nullopt);
  EXPECT_TRUE(server.Faults().empty());
}

TEST(ControlProtocolTest, ProbabilityMustLieInZeroToOne) {
  for (const char* text : {"0", "1.5", "-0.1", "abc", "0.5x", ""}) {
    EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "status"}, {"probability", text}}),
                StatusIs(hr::kInvalidArg, HasSubstr("'probability'")))
        << text;
  }
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "status"}, {"probability", "1"}}), IsOk());
  for (const double small : {0.0001, 0.0005, 1e-9}) {
    Result<ServerFault> decoded = DecodeFault(EncodeFault({.path = "/a", .probability = small}));
    ASSERT_THAT(decoded, IsOk()) << small;
    EXPECT_EQ(decoded->probability, small);
  }
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
  EXPECT_THAT(DecodeGeneratedFile({{"path", "/a"}, {"size", "12 parsecs"}, {"seed", "1"}}),
              StatusIs(hr::kInvalidArg, HasSubstr("'size': '12 parsecs' is not a size")));
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "stall"}, {"stall", "2"}}),
              StatusIs(hr::kInvalidArg, HasSubstr("'stall': '2' is not a duration")));
  EXPECT_THAT(DecodeFault({{"path", "/a"}, {"kind", "status"}, {"retry_after", "1500ms"}}),
              StatusIs(hr::kInvalidArg, HasSubstr("'retry_after': '1500ms' is not whole seconds")));
}

// The control API takes a scenario file's names and units: what a scenario writes as
// {path: /a.wma, kind: close_after_bytes, after: 1MiB, request: 2} is POSTed as the same words.
TEST(ControlProtocolTest, TakesTheScenarioFilesNamesAndUnits) {
  Result<ServerFault> fault = DecodeFault({{"path", "/a.wma"}, {"kind", "close_after_bytes"}, {"after", "1MiB"},
                                           {"request", "2"}, {"probability", "25%"}});
  ASSERT_THAT(fault, IsOk());
  EXPECT_EQ(fault->after_bytes, 1048576u);
  EXPECT_EQ(fault->request_number, 2);
  EXPECT_EQ(fault->probability, 0.25);
  Result<ServerFault> stall = DecodeFault({{"path", "/a.wma"}, {"kind", "stall"}, {"stall", "1.5s"}, {"retry_after", "2min"}});
  ASSERT_THAT(stall, IsOk());
  EXPECT_EQ(stall->stall, std::chrono::milliseconds(1500));
  EXPECT_EQ(stall->retry_after_s, 120);
  Result<ServerFault> corrupt = DecodeFault({{"path", "/a.wma"}, {"kind", "corrupt_bytes"}, {"offset", "1KiB"}, {"length", "16"}});
  ASSERT_THAT(corrupt, IsOk());
  EXPECT_EQ(corrupt->corrupt_offset, 1024u);
  EXPECT_EQ(corrupt->corrupt_length, 16u);
  Result<GeneratedFileSpec> file = DecodeGeneratedFile({{"path", "/a.wma"}, {"size", "2 MiB"}});
  ASSERT_THAT(file, IsOk());
  EXPECT_EQ(file->size, 2u * 1024 * 1024);
  EXPECT_EQ(file->seed, content::Fnv1a("/a.wma") ^ 1);  // a scenario's default for that path
  Result<ServerFault> change = DecodeFault({{"path", "/a.wma"}, {"kind", "change_file"}, {"new_size", "1KiB"}});
  ASSERT_THAT(change, IsOk());
  EXPECT_EQ(change->new_seed, content::Fnv1a("/a.wma") + 1);  // as a scenario's change_file without new_seed
  EXPECT_EQ(EncodeFault(*stall).at("stall"), "1500ms");
  EXPECT_EQ(EncodeFault(*stall).at("retry_after"), "120s");
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

TEST_F(ControlApiTest, FaultsAreListedWithTheirCountsAndRemovedByIdOrAllAtOnce) {
  httplib::Client client(server_.base_url());
  server_.AddGeneratedFile("/r/a.wma", 10, 1);
  httplib::Result added = client.Post("/_bitsh/control/faults?path=/r/a.wma&kind=status&status=503&request=2");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, 201);
  const int id = nlohmann::json::parse(added->body).at("id").get<int>();
  ASSERT_TRUE(client.Post("/_bitsh/control/faults?path=/r/b.wma&kind=stall&stall=2s"));
  EXPECT_EQ(Get("/r/a.wma")->status, 200);
  EXPECT_EQ(Get("/r/a.wma")->status, 503);

  const nlohmann::json list = nlohmann::json::parse(Get("/_bitsh/control/faults")->body);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("id"), id);
  EXPECT_EQ(list[0].at("requests"), 2);
  EXPECT_EQ(list[0].at("fired"), 1);
  EXPECT_EQ(list[0].at("fault"), nlohmann::json({{"path", "/r/a.wma"}, {"kind", "status"}, {"status", "503"}, {"request", "2"}}));
  EXPECT_EQ(list[1].at("fault").at("stall"), "2000ms");

  EXPECT_EQ(client.Delete("/_bitsh/control/faults/" + std::to_string(id))->status, 204);
  EXPECT_EQ(client.Delete("/_bitsh/control/faults/" + std::to_string(id))->status, 404);
  EXPECT_EQ(nlohmann::json::parse(Get("/_bitsh/control/faults")->body).size(), 1u);
  EXPECT_EQ(client.Delete("/_bitsh/control/faults")->status, 204);
  EXPECT_EQ(Get("/_bitsh/control/faults")->body, "[]\n");
}

TEST_F(ControlApiTest, AFaultAddedMidRunCountsRequestsFromWhenItCame) {
  server_.AddGeneratedFile("/r/a.wma", 10, 1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get("/r/a.wma")->status, 200);
  RemoteFileServer remote(server_.base_url());
  ASSERT_THAT(remote.AddFault({.path = "/r/a.wma", .request_number = 1, .kind = FaultKind::kStatus, .status = 503}), IsOk());
  EXPECT_EQ(Get("/r/a.wma")->status, 503);  // the first request since, though the fourth in all
  EXPECT_EQ(Get("/r/a.wma")->status, 200);
}

TEST_F(ControlApiTest, TheJournalIsJsonWithEveryFieldOfEveryRequest) {
  server_.AddGeneratedFile("/r/j.wma", 100, 1);
  server_.AddFault({.path = "/r/j.wma", .request_number = 2, .kind = FaultKind::kCloseAfterBytes, .after_bytes = 10});
  httplib::Client client(server_.base_url());
  ASSERT_TRUE(client.Get("/r/j.wma", {{"Range", "bytes=5-"}, {"X-Store", "42"}}));
  ASSERT_FALSE(client.Get("/r/j.wma"));  // cut after 10 bytes of 100
  const nlohmann::json journal = nlohmann::json::parse(Get("/_bitsh/control/requests?format=json")->body);
  EXPECT_EQ(journal.at("dropped"), 0);
  ASSERT_EQ(journal.at("requests").size(), 2u);
  const nlohmann::json& first = journal.at("requests")[0];
  EXPECT_EQ(first.at("method"), "GET");
  EXPECT_EQ(first.at("range"), "bytes=5-");
  EXPECT_EQ(first.at("status"), 206);
  EXPECT_EQ(first.at("bytes_sent"), 95);
  EXPECT_NE(std::find(first.at("headers").begin(), first.at("headers").end(), nlohmann::json({"X-Store", "42"})),
            first.at("headers").end());
  EXPECT_EQ(journal.at("requests")[1].at("fault"), "close_after_bytes");
  EXPECT_EQ(journal.at("requests")[1].at("bytes_sent"), 10);
  EXPECT_EQ(Get("/_bitsh/control/requests?format=xml")->status, 400);
  ASSERT_TRUE(Get("/r/%FF.wma"));  // a path that is not UTF-8 does not spoil the journal
  httplib::Result after = Get("/_bitsh/control/requests?format=json");
  ASSERT_EQ(after->status, 200);
  EXPECT_EQ(nlohmann::json::parse(after->body).at("requests")[2].at("path"), "/r/\xEF\xBF\xBD.wma");
}

// A POST with no body at all (no Content-Length, as `curl -X POST URL` sends) is answered at once.
TEST_F(ControlApiTest, APostWithNoBodyIsAnswered) {
  const std::string empty = testing::RawExchange(
      server_.port(), "POST /_bitsh/control/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(empty, ::testing::StartsWith("HTTP/1.1 400"));
  EXPECT_THAT(empty, HasSubstr("'path' is missing"));
  server_.AddFault({.path = "/r/f.wma", .kind = FaultKind::kStatus, .status = 503});
  const std::string removed = testing::RawExchange(
      server_.port(), "DELETE /_bitsh/control/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(removed, ::testing::StartsWith("HTTP/1.1 204"));
  EXPECT_TRUE(server_.Faults().empty());
  httplib::Client client(server_.base_url());
  httplib::Result form = client.Post("/_bitsh/control/files", "path=/r/f.wma&size=1KiB", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 204);
  EXPECT_EQ(Get("/r/f.wma")->body.size(), 1024u);
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

// The file server over real loopback HTTP, checked with cpp-httplib's client.
#include "server/file_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>

#include "backend/testing/scratch_folder.h"
#include "content/generated_content.h"

namespace bitsh::server {
namespace {

namespace testing = ::bitsh::testing;

using ::testing::HasSubstr;

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

  httplib::Result Get(const std::string& path, const std::string& range = "") {
    httplib::Headers headers;
    if (!range.empty()) headers.emplace("Range", range);
    return client_->Get(path.c_str(), headers);
  }

  testing::ScratchFolder scratch_{"bitsh-serve"};
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
  EXPECT_LE(received, 500'000u);  // a reset may also drop bytes still in flight
  EXPECT_EQ(server_->log().Records().at(0).fault, "reset_after_bytes");
}

TEST_F(FileServerTest, ScriptedStatusWithRetryAfter) {
  server_->AddFault({.path = "/gen/a.wma", .kind = FaultKind::kStatus, .status = 503, .retry_after_s = 120});
  httplib::Result res = Get("/gen/a.wma");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(res->get_header_value("Retry-After"), "120");
}

TEST_F(FileServerTest, AFaultForOneMethodCountsOnlyThatMethodsRequests) {
  server_->AddFault({.path = "/gen/a.wma", .request_number = 1, .method = "GET", .kind = FaultKind::kStatus, .status = 503});
  EXPECT_EQ(client_->Head("/gen/a.wma")->status, 200);  // a HEAD neither fires nor counts
  EXPECT_EQ(Get("/gen/a.wma")->status, 503);            // the first GET
  EXPECT_EQ(Get("/gen/a.wma")->status, 200);
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
  server_->AddFault({.path = "/gen/a.wma", .request_number = 2, .kind = FaultKind::kChangeFile,
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

}  // namespace
}  // namespace bitsh::server

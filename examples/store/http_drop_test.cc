// Testing over real HTTP: the fake BITS downloads from the local file server, which drops the
// connection at a chosen byte. The second example in README.md.
#include <gtest/gtest.h>

#include "backend/testing/scratch_folder.h"
#include "content/sha256.h"
#include "fake/fake_service.h"
#include "fake/http_transport.h"
#include "server/file_server.h"

// A dropped connection, over loopback HTTP: the retry asks for the rest with a Range request.
TEST(HttpExample, ADropAtAChosenByteIsResumedFromThatByte) {
  bitsh::server::FileServer server{bitsh::server::FileServerOptions{}};  // 127.0.0.1, any free port
  server.AddGeneratedFile("/album/t1.wma", 3'000'000, /*seed=*/1);
  server.AddFault({.path = "/album/t1.wma", .request_number = 1, .method = "GET",
                   .kind = bitsh::server::FaultKind::kCloseAfterBytes, .after_bytes = 1'234'567});
  ASSERT_TRUE(server.Start().ok());

  bitsh::fake::HttpTransport http;  // HEAD, then GET with Range, as BITS does
  bitsh::fake::FakeBitsService service({}, http);
  std::unique_ptr<bitsh::Backend> bits = service.Connect("customer");
  const bitsh::testing::ScratchFolder folder("bitsh-http-example");
  const std::string local = folder / "t1.wma";
  const bitsh::JobId job = *bits->CreateJob("track 1", bitsh::JobType::kDownload);
  ASSERT_TRUE(bits->AddFile(job, server.base_url() + "/album/t1.wma", local).ok());
  ASSERT_TRUE(bits->Resume(job).ok());
  service.RunUntilIdle();  // the drop, the retry delay (virtual), the resumed GET

  EXPECT_EQ(*bits->GetState(job), bitsh::JobState::kTransferred);
  EXPECT_EQ(*bits->GetErrorCount(job), 1u);
  ASSERT_TRUE(bits->Complete(job).ok());
  EXPECT_EQ(bitsh::content::FileSha256Hex(local), bitsh::content::GeneratedSha256Hex(1, 3'000'000));
  EXPECT_EQ(server.log().Records().back().range, "bytes=1234567-");  // from the exact byte held
}

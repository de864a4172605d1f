// Testing a store's job-queuing code against the fake: the example in README.md.
#include <gtest/gtest.h>

#include "backend/testing/scratch_folder.h"
#include "fake/fake_service.h"
#include "fake/scripted_transport.h"
#include "wmp/convention.h"

// The store's code under test: queues one purchased track as a WMP_JOB download.
bitsh::Status QueueTrack(bitsh::Backend& bits, const std::string& url, const std::string& local_file,
                         const bitsh::wmp::ConventionRecord& track) {
  bitsh::Result<bitsh::JobId> job = bits.CreateJob(track.title, bitsh::JobType::kDownload);
  if (!job.ok()) return job.status();
  bitsh::Result<std::string> description = bitsh::wmp::FormatDescription(track);
  if (!description.ok()) return description.status();
  if (bitsh::Status s = bits.SetDescription(*job, *description); !s.ok()) return s;
  if (bitsh::Status s = bits.AddFile(*job, url, local_file); !s.ok()) return s;
  return bits.Resume(*job);
}

TEST(StoreQueueTest, ATrackSurvivesA503AndArrivesWhole) {
  bitsh::fake::ScriptedTransport server;  // or the HTTP transport against the local file server
  server.AddFile("http://127.0.0.1/t7.wma", 4'000'000, /*seed=*/7);
  server.FailNext("http://127.0.0.1/t7.wma", bitsh::hr::FromHttpStatus(503));
  bitsh::fake::FakeBitsService service({}, server);
  std::unique_ptr<bitsh::Backend> bits = service.Connect("customer");
  const bitsh::testing::ScratchFolder folder("bitsh-example");  // removed, with the file, at the end
  const std::string local = folder / "t7.wma";

  bitsh::wmp::ConventionRecord track;
  track.service_id = 42;
  track.provider = "Contoso";
  track.title = "Seven";
  ASSERT_TRUE(QueueTrack(*bits, "http://127.0.0.1/t7.wma", local, track).ok());
  service.RunUntilIdle();  // ten virtual minutes of retry delay pass in microseconds

  const bitsh::JobId job = bits->EnumJobs(bitsh::EnumScope::kCurrentUser)->at(0);
  EXPECT_EQ(*bits->GetState(job), bitsh::JobState::kTransferred);
  EXPECT_EQ(*bits->GetErrorCount(job), 1u);
  EXPECT_FALSE(bitsh::wmp::HasErrors(bitsh::wmp::ValidateJob(*bits->GetDescription(job), {local})));
  ASSERT_TRUE(bits->Complete(job).ok());
  EXPECT_EQ(std::filesystem::file_size(local), 4'000'000u);
}

// A store that does not poll: its callback completes the job when BITS says it is transferred.
class CompleteWhenTransferred : public bitsh::JobCallback {
 public:
  explicit CompleteWhenTransferred(bitsh::Backend& bits) : bits_(bits) {}
  bitsh::Status JobTransferred(const bitsh::JobId& job) override {
    bitsh::Status completed = bits_.Complete(job);
    return completed.ok() ? bitsh::Status::Ok() : completed;  // a failure: BITS calls again later
  }
  bitsh::Status JobError(const bitsh::JobId&, const bitsh::JobError& error) override {
    errors.push_back(error.code);
    return bitsh::Status::Ok();
  }
  std::vector<bitsh::HResult> errors;

 private:
  bitsh::Backend& bits_;
};

TEST(StoreQueueTest, ACallbackCompletesTheJobTheMomentItIsTransferred) {
  bitsh::fake::ScriptedTransport server;
  server.AddFile("http://127.0.0.1/t8.wma", 1'000'000, /*seed=*/8);
  bitsh::fake::FakeBitsService service({}, server);
  std::unique_ptr<bitsh::Backend> bits = service.Connect("customer");
  const bitsh::testing::ScratchFolder folder("bitsh-example");
  const std::string local = folder / "t8.wma";

  const bitsh::JobId job = *bits->CreateJob("Eight", bitsh::JobType::kDownload);
  ASSERT_TRUE(bits->AddFile(job, "http://127.0.0.1/t8.wma", local).ok());
  auto callback = std::make_shared<CompleteWhenTransferred>(*bits);
  ASSERT_TRUE(bits->SetNotifyInterface(job, callback).ok());  // flags default to TRANSFERRED | ERROR
  ASSERT_TRUE(bits->Resume(job).ok());
  service.RunUntilIdle();  // the callback runs from the fake's event loop, at the virtual instant

  EXPECT_EQ(*bits->GetState(job), bitsh::JobState::kAcknowledged);
  EXPECT_TRUE(callback->errors.empty());
  EXPECT_EQ(std::filesystem::file_size(local), 1'000'000u);
}

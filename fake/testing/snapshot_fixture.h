// A fixture for the snapshot's tests: a queue folder (snapshot, local files, temporary files)
// inside the scratch folder, a saved queue with several files, partial progress and errors, and
// ways to start a service on an edited or damaged copy of it.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "fake/testing/fake_service_fixture.h"

namespace bitsh::fake::testing {

class SnapshotTest : public FakeServiceTest {
 protected:
  void SetUp() override {
    FakeServiceTest::SetUp();
    // The queue's folder holds the snapshot, the local files and so their temporary files; its
    // parent, dir_, must never gain a file.
    std::filesystem::create_directories(queue_);
    options_.snapshot_path = queue_ / "queue.json";
    options_.bandwidth_bytes_per_s = 100'000;
    options_.chunk_bytes = 100'000;
    // These tests are about what is read back, not about power cuts; the flushes cost up to 50 ms
    // a write on a busy disk. The tests of the write itself turn them back on.
    options_.flush_snapshot = false;
  }

  std::string InQueue(const std::string& name) const { return (queue_ / name).string(); }

  JobId Queue(const std::string& name, std::vector<std::uint64_t> sizes) {
    const JobId job = *alice().CreateJob(name, JobType::kDownload);
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const std::string file = name + std::to_string(i) + ".wma";
      transport_.AddFile(Url(file), sizes[i], SeedOf(file));
      EXPECT_THAT(alice().AddFile(job, Url(file), InQueue(file)), IsOk());
    }
    EXPECT_THAT(alice().Resume(job), IsOk());
    return job;
  }

  // A queue with several files, partial progress, a transient and a fatal error, and a job queued
  // but not started (it transfers as soon as a service runs on the snapshot), saved whole by a
  // restart (which folds the journal into the snapshot and removes it); the service is then gone
  // and the snapshot is the only record.
  void SaveAQueue() {
    const JobId partial = Queue("partial", {500'000, 300'000});
    service().AdvanceBy(std::chrono::milliseconds(2500));
    ASSERT_THAT(alice().Suspend(partial), IsOk());
    transport_.FailNext(Url("flaky0.wma"), hr::FromHttpStatus(503));
    const JobId flaky = Queue("flaky", {1000, 2000});
    ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(flaky) == JobState::kTransientError; }));
    transport_.FailNext(Url("gone0.wma"), hr::FromHttpStatus(404));
    const JobId gone = Queue("gone", {1000});
    ASSERT_TRUE(service().RunUntil([&] { return *alice().GetState(gone) == JobState::kError; }));
    ASSERT_THAT(alice().SetPriority(gone, JobPriority::kHigh), IsOk());
    Queue("waiting", {3000});
    ASSERT_THAT(service().Restart(), IsOk());
    ASSERT_FALSE(std::filesystem::exists(options_.snapshot_path.string() + ".journal"));
    alice_.reset();
    service_.reset();
    saved_ = ReadFile(options_.snapshot_path.string());
    ASSERT_FALSE(saved_.empty());
  }

  // Writes `text` as the snapshot and starts a new service on it.
  const Status& StartOn(const std::string& text) {
    alice_.reset();
    service_.reset();
    { std::ofstream(options_.snapshot_path, std::ios::binary | std::ios::trunc) << text; }
    return service().startup_status();
  }
  const Status& StartOnEdited(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json snapshot = nlohmann::json::parse(saved_);
    edit(snapshot);
    return StartOn(snapshot.dump(1));
  }

  // The saved snapshot lists jobs by id, not by creation: the index of the job named `name`
  // ("partial": two files, part done, SUSPENDED; "flaky": TRANSIENT_ERROR on its first file;
  // "gone": ERROR, HIGH priority; "waiting": QUEUED).
  std::size_t IndexOf(const std::string& name) const {
    const nlohmann::json jobs = nlohmann::json::parse(saved_)["jobs"];
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i]["display_name"] == name) return i;
    }
    ADD_FAILURE() << "no job " << name;
    return 0;
  }
  std::string Id(std::size_t job) const { return nlohmann::json::parse(saved_)["jobs"][job]["id"].get<std::string>(); }
  // What a message must name: the file, the job (index and id) and the field.
  ::testing::Matcher<const Status&> Names(std::size_t job, const std::string& id, const std::string& problem) const {
    return StatusIs(hr::kFileCorrupt, ::testing::HasSubstr(options_.snapshot_path.string() + ": job " +
                                                           std::to_string(job) + " " + id + ": " + problem));
  }
  ::testing::Matcher<const Status&> Names(std::size_t job, const std::string& problem) const {
    return Names(job, Id(job), problem);
  }

  const std::filesystem::path queue_ = dir_ / "queue";
  std::string saved_;
};

}  // namespace bitsh::fake::testing

// Shared by the Player and Download Manager tests: a simulated machine (sim/machine.h) with a
// customer's connection, the Player polling every 30 virtual seconds, and a store that queues
// convention jobs.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "backend/testing/status_matchers.h"
#include "content/sha256.h"
#include "sim/machine.h"
#include "wmp/download_manager.h"
#include "wmp/player.h"

namespace bitsh::wmp::testing {

using bitsh::testing::HasState;
using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

class PlayerTest : public ::testing::Test {
 protected:
  static constexpr const char* kCustomer = "customer";

  void SetUp() override {
    settings_.refresh_download = 1;
    settings_.store_keys = {"ContosoMusic"};
  }

  // The machine starts on first use, so a test can set options_ before that.
  sim::Machine& machine() {
    if (!machine_) {
      Result<std::unique_ptr<sim::Machine>> started =
          sim::Machine::Start({.bits = options_, .work_prefix = "bitsh-player"});
      if (!started.ok()) throw std::runtime_error("the simulated machine did not start: " + started.status().ToString());
      machine_ = std::move(started).value();
      std::filesystem::create_directories(dir() / "downloads");
      settings_.library_folder = dir() / "library";
    }
    return *machine_;
  }
  const std::filesystem::path& dir() { return machine().work_folder(); }
  server::FileServer& server() { return machine().server(); }
  fake::FakeBitsService& service() { return machine().bits(); }
  Backend& bits() { return machine().Connection(kCustomer); }
  Player& player() {
    if (machine().player() == nullptr) StartPlayer();
    return *machine().player();
  }
  DownloadManager& manager() {
    if (!manager_) manager_ = std::make_unique<DownloadManager>(bits(), player(), dir() / "downloads");
    return *manager_;
  }

  // The Player starts (again) with settings_.
  void StartPlayer() { machine().StartPlayer(kCustomer, settings_); }
  // The Player looks at the queue every 30 virtual seconds from now on.
  void StartPolling() {
    player();
    machine().PollPlayerEvery(std::chrono::seconds(30));
  }

  static ConventionRecord Track(int number, const std::string& title, RecordKind kind = RecordKind::kJob) {
    ConventionRecord record;
    record.kind = kind;
    record.service_id = 3735928559u;
    record.provider = "ContosoMusic";
    record.album_artist = "The Artists";
    record.album_title = "Greatest Hits";
    record.track_number = std::to_string(number);
    record.title = title;
    record.duration = "215";
    record.rating = "75";
    return record;
  }

  // How the store's code ends the queuing of a track.
  enum class StoreResumes { kYes, kNo };

  // The store's code: serves `path` (size bytes from `seed`) and queues it with `record`.
  JobId Queue(const ConventionRecord& record, const std::string& path, std::uint64_t size, std::uint64_t seed,
              const std::string& local_name = "", StoreResumes resume = StoreResumes::kYes) {
    server().AddGeneratedFile(path, size, seed);
    const JobId job = *bits().CreateJob(record.title, JobType::kDownload);
    EXPECT_THAT(bits().SetDescription(job, *FormatDescription(record)), IsOk());
    const std::string local = (dir() / "downloads" / (local_name.empty() ? path.substr(path.rfind('/') + 1) : local_name)).string();
    EXPECT_THAT(bits().AddFile(job, machine().Url(path), local), IsOk());
    EXPECT_THAT(bits().SetMinimumRetryDelay(job, 60), IsOk());
    if (resume == StoreResumes::kYes) {
      EXPECT_THAT(bits().Resume(job), IsOk());
    }
    return job;
  }

  std::filesystem::path Library(const std::string& relative) { return dir() / "library" / relative; }

  fake::FakeOptions options_;
  PlayerSettings settings_;
  std::unique_ptr<sim::Machine> machine_;
  std::unique_ptr<DownloadManager> manager_;  // declared after the machine, so gone before its Player
};

}  // namespace bitsh::wmp::testing

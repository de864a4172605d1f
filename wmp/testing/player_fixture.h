// Shared by the Player and Download Manager tests: the local file server, the fake BITS over the
// HTTP transport, a customer's connection, a Player polling every 30 virtual seconds, and a store
// that queues convention jobs.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "backend/testing/scratch_folder.h"
#include "backend/testing/status_matchers.h"
#include "content/sha256.h"
#include "fake/fake_service.h"
#include "fake/http_transport.h"
#include "server/file_server.h"
#include "wmp/download_manager.h"
#include "wmp/player.h"

namespace bitsh::wmp::testing {

using bitsh::testing::HasState;
using bitsh::testing::IsOk;
using bitsh::testing::StatusIs;

class PlayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_ / "downloads");
    ASSERT_TRUE(server_.Start().ok());
    settings_.refresh_download = 1;
    settings_.library_folder = dir_ / "library";
    settings_.store_keys = {"ContosoMusic"};
  }
  void TearDown() override {
    manager_.reset();
    player_.reset();
    bits_.reset();
    service_.reset();
    server_.Stop();
  }

  fake::FakeBitsService& service() {
    if (!service_) service_ = std::make_unique<fake::FakeBitsService>(options_, http_);
    return *service_;
  }
  Backend& bits() {
    if (!bits_) bits_ = service().Connect("customer");
    return *bits_;
  }
  Player& player() {
    if (!player_) player_ = std::make_unique<Player>(bits(), settings_);
    return *player_;
  }
  DownloadManager& manager() {
    if (!manager_) manager_ = std::make_unique<DownloadManager>(bits(), player(), dir_ / "downloads");
    return *manager_;
  }

  // The Player looks at the queue every 30 virtual seconds from now on.
  void StartPolling() {
    poll_ = [this] {
      player().Poll();
      service().events().ScheduleAfter(std::chrono::seconds(30), poll_);
    };
    service().events().ScheduleAfter(std::chrono::seconds(30), poll_);
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
    server_.AddGeneratedFile(path, size, seed);
    const JobId job = *bits().CreateJob(record.title, JobType::kDownload);
    EXPECT_THAT(bits().SetDescription(job, *FormatDescription(record)), IsOk());
    const std::string local = (dir_ / "downloads" / (local_name.empty() ? path.substr(path.rfind('/') + 1) : local_name)).string();
    EXPECT_THAT(bits().AddFile(job, server_.base_url() + path, local), IsOk());
    EXPECT_THAT(bits().SetMinimumRetryDelay(job, 60), IsOk());
    if (resume == StoreResumes::kYes) {
      EXPECT_THAT(bits().Resume(job), IsOk());
    }
    return job;
  }

  std::filesystem::path Library(const std::string& relative) const { return dir_ / "library" / relative; }

  fake::FakeOptions options_;
  PlayerSettings settings_;
  server::FileServer server_{server::FileServerOptions{}};
  fake::HttpTransport http_;
  std::unique_ptr<fake::FakeBitsService> service_;
  std::unique_ptr<Backend> bits_;
  std::unique_ptr<Player> player_;
  std::unique_ptr<DownloadManager> manager_;
  std::function<void()> poll_;
  bitsh::testing::ScratchFolder scratch_{"bitsh-player"};
  const std::filesystem::path dir_ = scratch_.path();
};

}  // namespace bitsh::wmp::testing

// bitshd in process: a Daemon running on its own thread, and clients talking to it over loopback
// HTTP as another process would. The conformance suite runs the whole Backend contract through
// the program (conformance/remote_conformance_test.cc); these tests pin the service's own rules:
// who may call, callbacks as notifications, the clock, auto-advance, stopping.
#include "bitshd/daemon.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "backend/testing/recording_callback.h"
#include "backend/testing/scratch_folder.h"
#include "remote/remote_client.h"

namespace bitsh::bitshd {
namespace {

using remote::RemoteClient;
using std::chrono::milliseconds;

constexpr HResult kCantCallOut = 0x8001010D;  // RPC_E_CANTCALLOUT_ININPUTSYNCCALL

// A daemon serving on a thread of this test; stopped and joined at the end.
class RunningDaemon {
 public:
  explicit RunningDaemon(DaemonOptions options = {}) {
    Result<std::unique_ptr<Daemon>> started = Daemon::Start(std::move(options));
    if (!started.ok()) throw std::runtime_error(started.status().ToString());
    daemon_ = std::move(started).value();
    daemon_->machine().server().AddGeneratedFile("/album/01.wma", 300'000, 7);
    thread_ = std::thread([this] { stopped_why_ = daemon_->Run(); });
  }
  ~RunningDaemon() {
    daemon_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  Daemon& operator*() { return *daemon_; }
  Daemon* operator->() { return daemon_.get(); }
  // Waits for Run to return; its reason.
  std::string Join() {
    thread_.join();
    return stopped_why_;
  }
  std::string Token() const {
    std::ifstream file(daemon_->token_file());
    std::string token;
    std::getline(file, token);
    return token;
  }
  std::unique_ptr<RemoteClient> Client() {
    Result<std::unique_ptr<RemoteClient>> client = RemoteClient::Open(daemon_->url(), Token());
    if (!client.ok()) throw std::runtime_error(client.status().ToString());
    return std::move(client).value();
  }

 private:
  std::unique_ptr<Daemon> daemon_;
  std::thread thread_;
  std::string stopped_why_;
};

// A job of `bits` with the daemon's one file, resumed.
JobId QueueAlbumTrack(Backend& bits, Daemon& daemon, const std::string& local_name) {
  const Result<JobId> job = bits.CreateJob("album", JobType::kDownload);
  EXPECT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_TRUE(bits.AddFile(*job, daemon.machine().Url("/album/01.wma"), local_name).ok());
  EXPECT_TRUE(bits.Resume(*job).ok());
  return *job;
}

TEST(DaemonTest, TheTokenFileIsReadableByItsOwnerOnly) {
  RunningDaemon daemon;
  const auto permissions = std::filesystem::status(daemon->token_file()).permissions();
  EXPECT_EQ(permissions & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(daemon.Token().size(), 64u);
}

TEST(DaemonTest, AClientWithoutTheTokenIsRefused) {
  RunningDaemon daemon;
  const Result<std::unique_ptr<RemoteClient>> client = RemoteClient::Open(daemon->url(), "not-the-token");
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), hr::kAccessDenied) << client.status().ToString();
}

TEST(DaemonTest, AWebPageIsRefusedEvenWithTheToken) {
  RunningDaemon daemon;
  httplib::Client http(daemon->url());
  const httplib::Headers page = {{"Authorization", "Bearer " + daemon.Token()}, {"Origin", "http://example.com"}};
  const httplib::Result reply = http.Post("/v1/open", page, "{}", "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 403) << reply->body;
}

TEST(DaemonTest, OnlyALoopbackAddressIsServed) {
  DaemonOptions options;
  options.host = "0.0.0.0";
  const Result<std::unique_ptr<Daemon>> daemon = Daemon::Start(std::move(options));
  ASSERT_FALSE(daemon.ok());
  EXPECT_EQ(daemon.status().code(), hr::kInvalidArg);
}

TEST(DaemonTest, AMalformedRequestIsABadRequestNamingThePath) {
  RunningDaemon daemon;
  httplib::Client http(daemon->url());
  http.set_default_headers({{"Authorization", "Bearer " + daemon.Token()}});
  const httplib::Result reply = http.Post("/v1/call", "{\"apartment\": ", "application/json");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
  EXPECT_NE(reply->body.find("/v1/call"), std::string::npos) << reply->body;
}

TEST(DaemonTest, AJobDownloadsAndCompletesThroughTheRemoteBackend) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const std::filesystem::path local = daemon->machine().work_folder() / "01.wma";
  const JobId job = QueueAlbumTrack(*bits, *daemon, local.string());
  ASSERT_TRUE(client->WaitUntil([&] { return *bits->GetState(job) == JobState::kTransferred; }, std::chrono::hours(1)));
  EXPECT_EQ(bits->GetProgress(job)->bytes_transferred, 300'000u);
  EXPECT_TRUE(bits->Complete(job).ok());
  EXPECT_EQ(std::filesystem::file_size(local), 300'000u);
  EXPECT_EQ(bits->GetJob(job).code(), hr::kNotFound) << "an acknowledged job leaves the queue";

  const Result<std::string> requests = client->ServerRequests();
  ASSERT_TRUE(requests.ok()) << requests.status().ToString();
  EXPECT_NE(requests->find("/album/01.wma"), std::string::npos) << *requests;
  const Result<std::vector<std::string>> trace = client->Trace();
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  EXPECT_TRUE(std::any_of(trace->begin(), trace->end(),
                          [](const std::string& line) { return line.find("ACKNOWLEDGED") != std::string::npos; }))
      << "the event log shows the job's end";
}

TEST(DaemonTest, AClientScriptsTheServerAndTheNetwork) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const Result<std::string> url = client->ServerUrl();
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  ASSERT_TRUE(client->AddServerFile({{"path", "/b.wma"}, {"size", "1MiB"}, {"seed", "3"}}).ok());
  const Result<int> fault =
      client->AddServerFault({{"path", "/b.wma"}, {"kind", "close_after_bytes"}, {"after", "100000"}, {"method", "GET"}, {"request", "1"}});
  ASSERT_TRUE(fault.ok()) << fault.status().ToString();

  const JobId job = *bits->CreateJob("cut", JobType::kDownload);
  ASSERT_TRUE(bits->AddFile(job, *url + "/b.wma", (daemon->machine().work_folder() / "b.wma").string()).ok());
  ASSERT_TRUE(bits->Resume(job).ok());
  ASSERT_TRUE(client->WaitUntil([&] { return *bits->GetState(job) == JobState::kTransferred; }, std::chrono::hours(1)));
  EXPECT_EQ(*bits->GetErrorCount(job), 1u) << "the cut is one transient error, then a resume";
  const Result<std::string> requests = client->ServerRequests();
  ASSERT_TRUE(requests.ok());
  EXPECT_NE(requests->find("Range=bytes=100000-"), std::string::npos) << *requests;

  ASSERT_TRUE(client->SetNetworkAvailable(false).ok());
  const JobId offline = *bits->CreateJob("offline", JobType::kDownload);
  ASSERT_TRUE(bits->AddFile(offline, *url + "/b.wma", (daemon->machine().work_folder() / "c.wma").string()).ok());
  ASSERT_TRUE(bits->Resume(offline).ok());
  ASSERT_TRUE(client->AdvanceBy(std::chrono::minutes(5)).ok());
  EXPECT_EQ(bits->GetProgress(offline)->bytes_transferred, 0u) << "nothing moves without a network";
  ASSERT_TRUE(client->SetNetworkAvailable(true).ok());
  EXPECT_TRUE(client->WaitUntil([&] { return *bits->GetState(offline) == JobState::kTransferred; }, std::chrono::hours(1)));
}

TEST(DaemonTest, ABadFaultIsRefusedNamingTheParameter) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  const Result<int> fault = client->AddServerFault({{"path", "/b.wma"}, {"kind", "close_after_bytes"}, {"after", "1 parsec"}});
  ASSERT_FALSE(fault.ok());
  EXPECT_EQ(fault.status().code(), hr::kInvalidArg);
  EXPECT_NE(fault.status().message().find("after"), std::string::npos) << fault.status().message();
}

TEST(DaemonTest, AWindowsClientNamesItsFilesOnItsDrives) {
  testing::ScratchFolder drive_c("bitshd-drive-c");
  std::filesystem::create_directories(drive_c / "users" / "me" / "Music");
  DaemonOptions options;
  options.windows_paths.AddDrive('C', drive_c.path());
  RunningDaemon daemon(std::move(options));
  Result<std::unique_ptr<RemoteClient>> opened =
      RemoteClient::Open(daemon->url(), daemon.Token(), RemoteClient::PathStyle::kWindows);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<RemoteClient> client = std::move(opened).value();
  std::unique_ptr<Backend> bits = client->Connect("user");
  auto callback = std::make_shared<testing::RecordingCallback>();
  const JobId job = *bits->CreateJob("album", JobType::kDownload);
  ASSERT_TRUE(bits->AddFile(job, daemon->machine().Url("/album/01.wma"), "C:\\users\\me\\Music\\01.wma").ok());
  ASSERT_TRUE(bits->SetNotifyFlags(job, notify_flags::kDefault | notify_flags::kFileTransferred).ok());
  ASSERT_TRUE(bits->SetNotifyInterface(job, callback).ok());
  ASSERT_TRUE(bits->Resume(job).ok());
  ASSERT_TRUE(client->WaitUntil([&] { return callback->Count("JobTransferred") > 0; }, std::chrono::hours(1)));

  EXPECT_EQ(bits->GetFiles(job)->front().local_name, "C:\\users\\me\\Music\\01.wma");
  const Result<std::string> temporary = bits->GetTemporaryName(job, 0);
  ASSERT_TRUE(temporary.ok());
  EXPECT_TRUE(temporary->starts_with("C:\\users\\me\\Music\\BIT")) << *temporary;
  ASSERT_EQ(callback->Count("FileTransferred"), 1);
  for (const auto& call : callback->calls()) {
    if (call.method == "FileTransferred") {
      EXPECT_EQ(call.file.local_name, "C:\\users\\me\\Music\\01.wma");
    }
  }
  ASSERT_TRUE(bits->Complete(job).ok());
  EXPECT_EQ(std::filesystem::file_size(drive_c / "users" / "me" / "Music" / "01.wma"), 300'000u);
}

TEST(DaemonTest, AWindowsClientIsRefusedWhereNoDriveIsMapped) {
  RunningDaemon daemon;
  const Result<std::unique_ptr<RemoteClient>> client =
      RemoteClient::Open(daemon->url(), daemon.Token(), RemoteClient::PathStyle::kWindows);
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.status().message().find("--wine-prefix"), std::string::npos) << client.status().message();
}

TEST(DaemonTest, AnErrorComesBackWithTheFakesCodeAndMessage) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const JobId job = *bits->CreateJob("empty", JobType::kDownload);
  const Status resumed = bits->Resume(job);
  EXPECT_EQ(resumed.code(), hr::kEmpty);
  EXPECT_NE(resumed.message().find(job.ToString()), std::string::npos) << resumed.message();
}

TEST(DaemonTest, UsersSeeOnlyTheirOwnJobsAsInTheFake) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  ASSERT_TRUE(client->AddUser("admin", /*is_admin=*/true).ok());
  std::unique_ptr<Backend> user = client->Connect("user");
  std::unique_ptr<Backend> other = client->Connect("other");
  std::unique_ptr<Backend> admin = client->Connect("admin");
  const JobId job = *user->CreateJob("mine", JobType::kDownload);
  EXPECT_EQ(other->GetJob(job).code(), hr::kAccessDenied);
  EXPECT_TRUE(admin->GetJob(job).ok());
  EXPECT_EQ(*user->GetOwner(job), "user");
}

TEST(DaemonTest, ACallbackRunsInTheClientAndMayCallTheService) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const JobId job = QueueAlbumTrack(*bits, *daemon, (daemon->machine().work_folder() / "01.wma").string());
  auto callback = std::make_shared<testing::RecordingCallback>();
  Status completed(hr::kFail, "not called");
  callback->on_transferred = [&](const JobId& id) { completed = bits->Complete(id); };  // a call from the callback
  ASSERT_TRUE(bits->SetNotifyInterface(job, callback).ok());
  EXPECT_EQ(*bits->GetNotifyInterface(job), callback) << "the object this client registered comes back";

  ASSERT_TRUE(client->WaitUntil([&] { return callback->Count("JobTransferred") > 0; }, std::chrono::hours(1)));
  EXPECT_TRUE(completed.ok()) << completed.ToString();
  EXPECT_EQ(*bits->GetState(job), JobState::kAcknowledged);
  ASSERT_EQ(callback->calls().front().job, job);
}

TEST(DaemonTest, AFailedCallbackIsCalledAgainLaterAsInTheFake) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const JobId job = QueueAlbumTrack(*bits, *daemon, (daemon->machine().work_folder() / "01.wma").string());
  auto callback = std::make_shared<testing::RecordingCallback>();
  callback->FailNext("JobTransferred", 1);
  ASSERT_TRUE(bits->SetNotifyInterface(job, callback).ok());
  ASSERT_TRUE(client->WaitUntil([&] { return callback->Count("JobTransferred") == 2; }, std::chrono::hours(1)));
}

TEST(DaemonTest, ACallbackCannotMoveTheClock) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const JobId job = QueueAlbumTrack(*bits, *daemon, (daemon->machine().work_folder() / "01.wma").string());
  auto callback = std::make_shared<testing::RecordingCallback>();
  Status advanced;
  callback->on_transferred = [&](const JobId&) { advanced = client->AdvanceBy(std::chrono::seconds(1)); };
  ASSERT_TRUE(bits->SetNotifyInterface(job, callback).ok());
  ASSERT_TRUE(client->WaitUntil([&] { return callback->Count("JobTransferred") > 0; }, std::chrono::hours(1)));
  EXPECT_EQ(advanced.code(), kCantCallOut) << advanced.ToString();
}

TEST(DaemonTest, AnotherClientsClockCallMadeWhileACallbackIsOutWaitsItsTurn) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const JobId job = QueueAlbumTrack(*bits, *daemon, (daemon->machine().work_folder() / "01.wma").string());
  auto callback = std::make_shared<testing::RecordingCallback>();
  std::thread other_client;
  Status other_step;
  callback->on_transferred = [&](const JobId&) {
    other_client = std::thread([&] {
      std::unique_ptr<RemoteClient> other = daemon.Client();
      other_step = other->AdvanceBy(std::chrono::seconds(1));
    });
    std::this_thread::sleep_for(milliseconds(200));  // its call arrives while this callback is out
  };
  ASSERT_TRUE(bits->SetNotifyInterface(job, callback).ok());
  ASSERT_TRUE(client->WaitUntil([&] { return callback->Count("JobTransferred") > 0; }, std::chrono::hours(1)));
  other_client.join();
  EXPECT_TRUE(other_step.ok()) << "not refused as a call from a callback: " << other_step.ToString();
}

TEST(DaemonTest, APumpingClientHearsEveryCallbackOfItsJobWhileTimeMovesByItself) {
  DaemonOptions options;
  options.auto_advance = milliseconds(20);
  RunningDaemon daemon(std::move(options));
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  auto callback = std::make_shared<testing::RecordingCallback>();
  const JobId job = *bits->CreateJob("album", JobType::kDownload);
  ASSERT_TRUE(bits->AddFile(job, daemon->machine().Url("/album/01.wma"),
                            (daemon->machine().work_folder() / "01.wma").string())
                  .ok());
  ASSERT_TRUE(bits->SetNotifyFlags(job, notify_flags::kDefault | notify_flags::kFileTransferred).ok());
  ASSERT_TRUE(bits->SetNotifyInterface(job, callback).ok());
  ASSERT_TRUE(bits->Resume(job).ok());
  const auto real_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (callback->Count("JobTransferred") == 0 && std::chrono::steady_clock::now() < real_deadline) {
    ASSERT_TRUE(client->Pump(milliseconds(500)).ok());
  }
  EXPECT_EQ(callback->Methods(), (std::vector<std::string>{"FileTransferred", "JobTransferred"}));
}

TEST(DaemonTest, ACallbackOfAClientThatLeftFailsAndTheJobWaits) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> driver = daemon.Client();
  std::unique_ptr<Backend> bits = driver->Connect("user");
  const JobId job = QueueAlbumTrack(*bits, *daemon, (daemon->machine().work_folder() / "01.wma").string());
  {
    std::unique_ptr<RemoteClient> leaving = daemon.Client();
    auto callback = std::make_shared<testing::RecordingCallback>();
    ASSERT_TRUE(leaving->Connect("user")->SetNotifyInterface(job, callback).ok());
  }  // its apartment closes
  ASSERT_TRUE(driver->WaitUntil([&] { return *bits->GetState(job) == JobState::kTransferred; }, std::chrono::hours(1)));
  static_cast<void>(driver->WaitUntil([] { return false; }, std::chrono::minutes(1)));
  const Result<std::vector<std::string>> trace = driver->Trace();
  ASSERT_TRUE(trace.ok()) << trace.status().ToString();
  bool failed = false;
  for (const std::string& line : *trace) failed = failed || line.find("0x800706BA") != std::string::npos;
  EXPECT_TRUE(failed) << "the trace shows the notice failing with RPC_S_SERVER_UNAVAILABLE";
  EXPECT_EQ(*bits->GetState(job), JobState::kTransferred) << "the job waits for its owner";
}

TEST(DaemonTest, WithoutAutoAdvanceTheClockMovesOnlyWhenAsked) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  const TimePoint before = *client->Now();
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(*client->Now(), before);
  ASSERT_TRUE(client->AdvanceBy(std::chrono::minutes(10)).ok());
  EXPECT_EQ(*client->Now(), before + std::chrono::minutes(10));
}

TEST(DaemonTest, AutoAdvanceRunsTenMinuteRetriesWhileTheClientWaits) {
  DaemonOptions options;
  options.auto_advance = milliseconds(20);
  RunningDaemon daemon(std::move(options));
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const JobId job = *bits->CreateJob("refused", JobType::kDownload);
  const Status added = bits->AddFile(job, "http://" + daemon->machine().closed_port_address() + "/a.wma",
                                     (daemon->machine().work_folder() / "a.wma").string());
  ASSERT_TRUE(added.ok()) << added.ToString();
  const TimePoint start = *client->Now();
  ASSERT_TRUE(bits->Resume(job).ok());
  // Three failed attempts take two retry delays of 600 s of virtual time; the client only waits.
  const auto real_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (*bits->GetErrorCount(job) < 3 && std::chrono::steady_clock::now() < real_deadline) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_GE(*bits->GetErrorCount(job), 3u);
  EXPECT_GE(*client->Now() - start, std::chrono::minutes(20));
}

// A client that polls never leaves bitshd quiet; with auto-advance its clock still keeps pace with
// real time, so its transfer moves (found by a COM client polling every 50 ms, whose job sat in
// CONNECTING until the quiet period let time jump - and then jumped 90 days).
TEST(DaemonTest, AutoAdvanceKeepsPaceWithRealTimeWhileAClientPolls) {
  DaemonOptions options;
  options.auto_advance = std::chrono::seconds(60);  // never quiet for that long here
  RunningDaemon daemon(std::move(options));
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  ASSERT_TRUE(client->AddServerFile({{"path", "/busy.wma"}, {"size", "64KiB"}}).ok());
  const JobId job = *bits->CreateJob("polled", JobType::kDownload);
  ASSERT_TRUE(bits->AddFile(job, *client->ServerUrl() + "/busy.wma", (daemon->machine().work_folder() / "busy.wma").string()).ok());
  const TimePoint start = *client->Now();
  const auto real_start = std::chrono::steady_clock::now();
  ASSERT_TRUE(bits->Resume(job).ok());
  const auto real_deadline = real_start + std::chrono::seconds(20);
  while (*bits->GetState(job) != JobState::kTransferred && std::chrono::steady_clock::now() < real_deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(*bits->GetState(job), JobState::kTransferred);
  std::this_thread::sleep_for(milliseconds(300));
  const auto real_elapsed = std::chrono::steady_clock::now() - real_start;
  // bitshd catches up before it waits for the next call, so it lags by at most that wait (100 ms).
  EXPECT_GE(*client->Now() - start, real_elapsed - milliseconds(150));
}

TEST(DaemonTest, AResetStartsANewMachineWithNoJobs) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const JobId job = *bits->CreateJob("old", JobType::kDownload);
  ASSERT_TRUE(client->AdvanceBy(std::chrono::hours(1)).ok());
  const TimePoint later = *client->Now();
  ASSERT_TRUE(client->Reset().ok());
  EXPECT_EQ(bits->GetJob(job).code(), hr::kNotFound);
  EXPECT_TRUE(bits->EnumJobs(EnumScope::kCurrentUser)->empty());
  EXPECT_LT(*client->Now(), later) << "the clock starts again";
}

// A scenario's machine without its jobs: the server's files and faults, its users, its network.
constexpr const char* kStoreScenario = R"(name: the store's machine
seed: 7
server:
  files: [{path: /store/02.wma, size: 200KiB}]
  faults: [{path: /store/02.wma, method: GET, request: 1, kind: close_after_bytes, after: 50000}]
network:
  outages: [{start: 1h, length: 2h}]
users:
  - {name: store_admin, admin: true}
jobs:
  - id: unused
    files: [{url: /store/02.wma, local: unused.wma}]
)";

TEST(DaemonTest, ItServesAScenariosMachineWithoutItsJobs) {
  testing::ScratchFolder folder("bitshd-scenario");
  std::ofstream(folder / "store.yaml") << kStoreScenario;
  DaemonOptions options;
  options.scenario = folder / "store.yaml";
  RunningDaemon daemon(std::move(options));
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> admin = client->Connect("store_admin");
  EXPECT_TRUE(admin->EnumJobs(EnumScope::kAllUsers)->empty()) << "the scenario's jobs are the client's to make";

  const JobId job = *admin->CreateJob("track", JobType::kDownload);
  ASSERT_TRUE(admin->AddFile(job, *client->ServerUrl() + "/store/02.wma",
                             (daemon->machine().work_folder() / "02.wma").string())
                  .ok());
  ASSERT_TRUE(admin->Resume(job).ok());
  ASSERT_TRUE(client->WaitUntil([&] { return *admin->GetState(job) == JobState::kTransferred; }, std::chrono::minutes(30)));
  EXPECT_EQ(admin->GetProgress(job)->bytes_total, 200u * 1024) << "the scenario's file";
  EXPECT_EQ(*admin->GetErrorCount(job), 1u) << "the scenario's fault cut the first GET";

  const JobId late = *admin->CreateJob("during the outage", JobType::kDownload);
  ASSERT_TRUE(admin->AddFile(late, *client->ServerUrl() + "/store/02.wma",
                             (daemon->machine().work_folder() / "late.wma").string())
                  .ok());
  ASSERT_TRUE(client->AdvanceBy(std::chrono::minutes(61) - (*client->Now() - daemon->machine().start_time())).ok());
  ASSERT_TRUE(admin->Resume(late).ok());
  ASSERT_TRUE(client->AdvanceBy(std::chrono::minutes(30)).ok());
  EXPECT_EQ(admin->GetProgress(late)->bytes_transferred, 0u) << "the scenario's outage holds it";
}

TEST(DaemonTest, AScenarioThatDoesNotLoadIsRefusedWithItsPlaceAndTheMachineStays) {
  testing::ScratchFolder folder("bitshd-scenario");
  std::ofstream(folder / "bad.yaml") << "name: bad\nserver:\n  files: [{path: /a.wma, size: lots}]\n";
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  std::unique_ptr<Backend> bits = client->Connect("user");
  const JobId job = *bits->CreateJob("kept", JobType::kDownload);
  const Status loaded = client->LoadScenario((folder / "bad.yaml").string());
  EXPECT_EQ(loaded.code(), hr::kInvalidArg);
  EXPECT_NE(loaded.message().find("bad.yaml:3:"), std::string::npos) << loaded.message();
  EXPECT_TRUE(bits->GetJob(job).ok()) << "a refused scenario leaves the machine as it was";

  std::ofstream(folder / "good.yaml") << kStoreScenario;
  ASSERT_TRUE(client->LoadScenario((folder / "good.yaml").string()).ok());
  EXPECT_EQ(bits->GetJob(job).code(), hr::kNotFound) << "a scenario loaded at run time is a new machine";
}

TEST(DaemonTest, ShutdownEndsTheRunWithItsReason) {
  RunningDaemon daemon;
  std::unique_ptr<RemoteClient> client = daemon.Client();
  EXPECT_TRUE(client->Shutdown().ok());
  EXPECT_NE(daemon.Join().find("service.shutdown"), std::string::npos);
}

TEST(DaemonTest, ItStopsByItselfWhenNobodyCalls) {
  DaemonOptions options;
  options.exit_when_idle = std::chrono::seconds(1);
  RunningDaemon daemon(std::move(options));
  EXPECT_NE(daemon.Join().find("no request for 1 s"), std::string::npos);
}

TEST(DaemonTest, TheTokenFileGoesWithTheDaemon) {
  std::filesystem::path token_file;
  {
    RunningDaemon daemon;
    token_file = daemon->token_file();
    EXPECT_TRUE(std::filesystem::exists(token_file));
  }
  EXPECT_FALSE(std::filesystem::exists(token_file));
}

}  // namespace
}  // namespace bitsh::bitshd

// The simulated Player end to end: a store's jobs on the fake BITS, bytes over loopback HTTP.
#include "wmp/testing/player_fixture.h"

#include "backend/testing/mock_backend.h"

namespace bitsh::wmp::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_F(PlayerTest, ThePlayerCompletesConventionJobsAndFilesThemInTheLibrary) {
  const JobId one = Queue(Track(1, "One"), "/album/01.wma", 3'000'000, 1);
  const JobId two = Queue(Track(2, "Two"), "/album/02.wma", 2'000'000, 2);
  const JobId three = Queue(Track(3, "Three"), "/album/03.mp3", 1'000'000, 3);
  StartPolling();
  service().AdvanceBy(hours(1));

  const std::filesystem::path album = Library("The Artists/Greatest Hits");
  EXPECT_EQ(content::FileSha256Hex(album / "01.wma"), content::GeneratedSha256Hex(1, 3'000'000));
  EXPECT_EQ(content::FileSha256Hex(album / "02.wma"), content::GeneratedSha256Hex(2, 2'000'000));
  EXPECT_EQ(content::FileSha256Hex(album / "03.mp3"), content::GeneratedSha256Hex(3, 1'000'000));
  ASSERT_EQ(player().library().size(), 3u);
  for (const LibraryItem& item : player().library()) {
    EXPECT_EQ(item.metadata.album_title, "Greatest Hits");
    EXPECT_EQ(item.metadata.provider, "ContosoMusic");
  }
  std::vector<std::string> titles;
  for (const LibraryItem& item : player().library()) titles.push_back(item.metadata.title);
  EXPECT_THAT(titles, ::testing::UnorderedElementsAre("One", "Two", "Three"));
  EXPECT_THAT(*bits().EnumJobs(EnumScope::kCurrentUser), IsEmpty());  // the queue is empty
  for (const JobId& job : {one, two, three}) EXPECT_THAT(bits().GetState(job), HasState(JobState::kAcknowledged));
  EXPECT_FALSE(std::filesystem::exists(dir() / "downloads" / "01.wma"));  // moved, not copied
}

TEST_F(PlayerTest, AStatusJobIsShownButNeverTouched) {
  const JobId job = Queue(Track(1, "Video", RecordKind::kStatus), "/video/01.wmv", 1'000'000, 1);
  StartPolling();
  service().AdvanceBy(hours(1));
  EXPECT_THAT(bits().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(player().library(), IsEmpty());
  EXPECT_THAT(*bits().EnumJobs(EnumScope::kCurrentUser), ElementsAre(job));
}

TEST_F(PlayerTest, WithRefreshDownloadZeroOrAbsentThePlayerNeverLooks) {
  for (std::optional<std::uint32_t> value : {std::optional<std::uint32_t>(0), std::optional<std::uint32_t>()}) {
    settings_.refresh_download = value;
    StartPlayer();
    const JobId job = Queue(Track(1, "One"), "/album/01.wma", 1000, 1);
    StartPolling();
    service().AdvanceBy(hours(1));
    EXPECT_THAT(bits().GetState(job), HasState(JobState::kTransferred));
    EXPECT_THAT(player().library(), IsEmpty());
    EXPECT_THAT(player().Poll(), IsEmpty());
    ASSERT_THAT(bits().Cancel(job), IsOk());
  }
}

TEST_F(PlayerTest, ADropInTheMiddleStillEndsInTheLibraryWithTheRightBytes) {
  server().AddFault({.path = "/album/02.wma", .request_number = 2, .kind = server::FaultKind::kCloseAfterBytes,
                    .after_bytes = 1'234'567});
  Queue(Track(1, "One"), "/album/01.wma", 2'000'000, 1);
  const JobId dropped = Queue(Track(2, "Two"), "/album/02.wma", 3'000'000, 2);
  StartPolling();
  service().AdvanceBy(hours(1));
  EXPECT_EQ(*bits().GetErrorCount(dropped), 1u);
  EXPECT_EQ(content::FileSha256Hex(Library("The Artists/Greatest Hits/02.wma")), content::GeneratedSha256Hex(2, 3'000'000));
  EXPECT_EQ(player().library().size(), 2u);
}

TEST_F(PlayerTest, InvalidJobsAreLeftAloneAndReportedOnce) {
  ConventionRecord unknown = Track(1, "Elsewhere");
  unknown.provider = "Fabrikam";
  const JobId wrong_store = Queue(unknown, "/a/1.wma", 1000, 1);
  const JobId flac = Queue(Track(2, "Lossless"), "/a/2.flac", 1000, 2);
  const JobId two_files = Queue(Track(3, "Pair"), "/a/3.wma", 1000, 3);
  ASSERT_THAT(bits().AddFile(two_files, server().base_url() + "/a/3.wma", (dir() / "downloads" / "3b.wma").string()), IsOk());
  StartPolling();
  service().AdvanceBy(hours(1));
  EXPECT_THAT(player().library(), IsEmpty());
  ASSERT_EQ(player().refused().size(), 3u);
  EXPECT_EQ(player().refused().at(wrong_store).front().rule_id, "WMP-PROVIDER-UNKNOWN");
  EXPECT_EQ(player().refused().at(flac).front().rule_id, "WMP-FILE-EXTENSION");
  EXPECT_EQ(player().refused().at(two_files).front().rule_id, "WMP-FILE-COUNT");
  for (const JobId& job : {wrong_store, flac, two_files}) EXPECT_THAT(bits().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(player().Poll(), IsEmpty());  // reported once, not at every poll
}

// Microsoft's convention page gives no format for TrackNumber, Duration or Rating: a value that is
// not a number is only a warning, so the Player files the track as WMP would.
TEST_F(PlayerTest, ANonNumericDurationOrRatingDoesNotStopThePlayer) {
  ConventionRecord record = Track(1, "One");
  record.duration = "3m05s";
  record.rating = "five stars";
  Queue(record, "/album/01.wma", 1000, 1);
  StartPolling();
  service().AdvanceBy(hours(1));
  ASSERT_EQ(player().library().size(), 1u);
  EXPECT_EQ(player().library().front().metadata.duration, "3m05s");
  EXPECT_THAT(player().refused(), IsEmpty());
}

TEST_F(PlayerTest, JobsWithoutTheConventionAreNoneOfThePlayersBusiness) {
  server().AddGeneratedFile("/update.bin", 1000, 1);
  const JobId job = *bits().CreateJob("Windows Update", JobType::kDownload);
  ASSERT_THAT(bits().AddFile(job, server().base_url() + "/update.bin", (dir() / "downloads" / "update.bin").string()), IsOk());
  ASSERT_THAT(bits().Resume(job), IsOk());
  StartPolling();
  service().AdvanceBy(hours(1));
  EXPECT_THAT(bits().GetState(job), HasState(JobState::kTransferred));
  EXPECT_THAT(player().refused(), IsEmpty());
}

TEST_F(PlayerTest, NameCollisionsInTheLibraryGetANumber) {
  Queue(Track(1, "First pressing"), "/first/track.wma", 1000, 1, "track.wma");
  Queue(Track(1, "Second pressing"), "/second/track.wma", 2000, 2, "track-2.wma");
  StartPolling();
  service().AdvanceBy(hours(1));
  // The second job downloads to another local name but carries the same metadata folder; make
  // the collision real by queuing a third with the first one's file name.
  Queue(Track(1, "Third pressing"), "/third/track.wma", 3000, 3, "track.wma");
  service().AdvanceBy(hours(1));
  const std::filesystem::path album = Library("The Artists/Greatest Hits");
  EXPECT_EQ(std::filesystem::file_size(album / "track.wma"), 1000u);
  EXPECT_EQ(std::filesystem::file_size(album / "track (2).wma"), 3000u);
  EXPECT_EQ(std::filesystem::file_size(album / "track-2.wma"), 2000u);
}

TEST_F(PlayerTest, MetadataThatNamesNoFolderGoesToUnknownFolders) {
  ConventionRecord record = Track(1, "Nameless");
  record.album_artist = "";
  record.album_title = "..";
  Queue(record, "/n/1.wma", 1000, 1);
  StartPolling();
  service().AdvanceBy(hours(1));
  EXPECT_TRUE(std::filesystem::exists(Library("Unknown Artist/Unknown Album/1.wma")));
}

// Starting a transfer is the store's job (Microsoft's convention page: once the store has started the
// job, it leaves the rest to WMP). A store that forgets Resume must see nothing arrive.
TEST_F(PlayerTest, ThePlayerNeverResumesAJobTheStoreLeftSuspended) {
  const JobId job = Queue(Track(1, "One"), "/album/01.wma", 1000, 1, "", StoreResumes::kNo);
  StartPolling();
  service().AdvanceBy(hours(24));
  EXPECT_THAT(bits().GetState(job), HasState(JobState::kSuspended));
  EXPECT_EQ(bits().GetProgress(job)->bytes_transferred, 0u);
  EXPECT_THAT(player().library(), IsEmpty());
  ASSERT_THAT(bits().Resume(job), IsOk());  // the store's own call
  service().AdvanceBy(hours(1));
  EXPECT_THAT(bits().GetState(job), HasState(JobState::kAcknowledged));
  EXPECT_EQ(player().library().size(), 1u);
}

// The Player observes and completes; it never drives a transfer or changes a job. Over a whole
// album with a dropped connection and a job paused for a while, the mock (answering through the
// fake) sees no Resume, Suspend, Cancel or setter call from the Player.
TEST_F(PlayerTest, ThePlayerOnlyReadsTheQueueAndCompletesTransferredJobs) {
  bitsh::testing::MockBackend mock;
  mock.DelegateTo(bits());
  Player polling(mock, settings_);
  server().AddFault({.path = "/m/2.wma", .request_number = 2, .kind = server::FaultKind::kCloseAfterBytes,
                    .after_bytes = 500});
  for (int i = 1; i <= 3; ++i) Queue(Track(i, "T" + std::to_string(i)), "/m/" + std::to_string(i) + ".wma", 1000, i);
  const JobId paused = Queue(Track(4, "T4"), "/m/4.wma", 1000, 4);
  ASSERT_THAT(bits().Suspend(paused), IsOk());
  EXPECT_CALL(mock, Resume(::testing::_)).Times(0);
  EXPECT_CALL(mock, Suspend(::testing::_)).Times(0);
  EXPECT_CALL(mock, Cancel(::testing::_)).Times(0);
  EXPECT_CALL(mock, SetDescription(::testing::_, ::testing::_)).Times(0);
  EXPECT_CALL(mock, SetPriority(::testing::_, ::testing::_)).Times(0);
  EXPECT_CALL(mock, AddFile(::testing::_, ::testing::_, ::testing::_)).Times(0);
  EXPECT_CALL(mock, Complete(::testing::_)).Times(3);
  for (int poll = 0; poll < 20; ++poll) {
    service().AdvanceBy(minutes(5));
    polling.Poll();
  }
  EXPECT_EQ(polling.library().size(), 3u);
  EXPECT_THAT(bits().GetState(paused), HasState(JobState::kSuspended));
}

// Interactions, with the mock answering through the fake: each conforming job is completed exactly
// once, however many polls see it.
TEST_F(PlayerTest, EachJobIsCompletedExactlyOnce) {
  bitsh::testing::MockBackend mock;
  mock.DelegateTo(bits());
  Player polling(mock, settings_);
  for (int i = 1; i <= 3; ++i) Queue(Track(i, "T" + std::to_string(i)), "/m/" + std::to_string(i) + ".wma", 1000, i);
  EXPECT_CALL(mock, Complete(::testing::_)).Times(3);
  EXPECT_CALL(mock, EnumJobs(EnumScope::kCurrentUser)).Times(::testing::AtLeast(3));
  for (int poll = 0; poll < 4; ++poll) {
    service().AdvanceBy(minutes(1));
    polling.Poll();
  }
  EXPECT_EQ(polling.library().size(), 3u);
}

}  // namespace
}  // namespace bitsh::wmp::testing

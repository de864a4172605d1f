// The Download Manager object model over the fake BITS (spec §8, §9).
#include "wmp/testing/player_fixture.h"

namespace bitsh::wmp::testing {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_F(PlayerTest, ACollectionListsExactlyItsServicesJobs) {
  ConventionRecord other = Track(1, "Other store");
  other.service_id = 42;
  Queue(Track(1, "One"), "/a/1.wma", 1000, 1);
  Queue(other, "/b/1.wma", 1000, 2);
  Queue(Track(2, "Two"), "/a/2.wma", 1000, 3);
  DownloadCollection& mine = manager().getDownloadCollection(static_cast<std::int32_t>(3735928559u));
  ASSERT_EQ(mine.count(), 2);
  std::vector<std::string> titles;
  for (int i = 0; i < mine.count(); ++i) titles.push_back(*(*mine.item(i))->getItemInfo("Title"));
  EXPECT_THAT(titles, ::testing::UnorderedElementsAre("One", "Two"));
  EXPECT_EQ(manager().getDownloadCollection(42).count(), 1);
  EXPECT_EQ(manager().getDownloadCollection(7).count(), 0);
  EXPECT_EQ(mine.id(), static_cast<std::int32_t>(3735928559u));  // the serviceId as a signed long
}

TEST_F(PlayerTest, GetItemInfoReturnsEveryFieldOfTheDescription) {
  Queue(Track(7, "Seventh Song"), "/a/7.wma", 1000, 1);
  DownloadItem& item = **manager().getDownloadCollection(static_cast<std::int32_t>(3735928559u)).item(0);
  EXPECT_EQ(*item.getItemInfo("AlbumArtist"), "The Artists");
  EXPECT_EQ(*item.getItemInfo("Album"), "Greatest Hits");
  EXPECT_EQ(*item.getItemInfo("Title"), "Seventh Song");
  EXPECT_EQ(*item.getItemInfo("WM/TrackNumber"), "7");
  EXPECT_EQ(*item.getItemInfo("Duration"), "215");
  EXPECT_EQ(*item.getItemInfo("UserRating"), "75");
  EXPECT_EQ(*item.getItemInfo("WM/Provider"), "ContosoMusic");
  EXPECT_THAT(item.getItemInfo("Artist"), StatusIs(hr::kInvalidArg));
  EXPECT_EQ(item.sourceURL(), server().base_url() + "/a/7.wma");
  EXPECT_EQ(item.type(), "background");
}

TEST_F(PlayerTest, StateAndProgressFollowTheJob) {
  options_.bandwidth_bytes_per_s = 100'000;
  server().AddFault({.path = "/a/1.wma", .request_number = 2, .kind = server::FaultKind::kStatus, .status = 503});
  Queue(Track(1, "One"), "/a/1.wma", 1'000'000, 1);
  DownloadItem& item = **manager().getDownloadCollection(static_cast<std::int32_t>(3735928559u)).item(0);
  EXPECT_EQ(item.size(), -1);  // before the HEAD
  EXPECT_EQ(item.downloadState(), DownloadState::kDownloading);
  service().AdvanceBy(milliseconds(10));
  ASSERT_THAT(bits().GetState(item.job()), HasState(JobState::kTransientError));  // the 503
  EXPECT_EQ(item.downloadState(), DownloadState::kDownloading);
  EXPECT_EQ(item.size(), 1'000'000);
  service().AdvanceBy(seconds(65));  // retried after 60 s, 5 s of bytes
  EXPECT_EQ(item.progress(), 262'144);  // one 256 KiB piece: 2.6 s at 100 kB/s
  ASSERT_THAT(item.pause(), IsOk());
  EXPECT_EQ(item.downloadState(), DownloadState::kPaused);
  player().Poll();  // the Player never resumes a job
  EXPECT_EQ(item.downloadState(), DownloadState::kPaused);
  ASSERT_THAT(item.resume(), IsOk());
  service().AdvanceBy(seconds(10));
  EXPECT_EQ(item.downloadState(), DownloadState::kProcessing);  // TRANSFERRED, waiting for the Player
  EXPECT_EQ(item.progress(), 1'000'000);
  player().Poll();
  EXPECT_EQ(item.downloadState(), DownloadState::kCompleted);
  EXPECT_EQ(manager().getDownloadCollection(static_cast<std::int32_t>(3735928559u)).count(), 1);  // it stays
}

TEST_F(PlayerTest, CancelKeepsTheItemRemoveDropsIt) {
  Queue(Track(1, "One"), "/a/1.wma", 1000, 1);
  Queue(Track(2, "Two"), "/a/2.wma", 1000, 2);
  DownloadCollection& collection = manager().getDownloadCollection(static_cast<std::int32_t>(3735928559u));
  DownloadItem& first = **collection.item(0);
  ASSERT_THAT(first.cancel(), IsOk());
  EXPECT_EQ(first.downloadState(), DownloadState::kCancelled);
  EXPECT_EQ(collection.count(), 2);
  const JobId second = (*collection.item(1))->job();
  ASSERT_THAT(collection.removeItem(1), IsOk());
  EXPECT_EQ(collection.count(), 1);
  EXPECT_THAT(bits().GetState(second), HasState(JobState::kCancelled));  // removing cancels
  ASSERT_THAT(collection.Clear(), IsOk());
  EXPECT_EQ(collection.count(), 0);  // and nothing comes back on refresh
}

TEST_F(PlayerTest, BadIndexesAreInvalidArguments) {
  DownloadCollection& collection = manager().createDownloadCollection();
  EXPECT_THAT(collection.item(0), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(collection.item(-1), StatusIs(hr::kInvalidArg));
  EXPECT_THAT(collection.removeItem(3), StatusIs(hr::kInvalidArg));
  EXPECT_NE(manager().createDownloadCollection().id(), collection.id());
}

TEST_F(PlayerTest, StartDownloadQueuesABackgroundJobTheCollectionShows) {
  server().AddGeneratedFile("/shop/preview.wma", 5000, 9);
  DownloadCollection& collection = manager().createDownloadCollection();
  Result<DownloadItem*> item = collection.startDownload(server().base_url() + "/shop/preview.wma", "background");
  ASSERT_THAT(item, IsOk());
  EXPECT_EQ(collection.count(), 1);
  StartPolling();
  service().AdvanceBy(hours(1));
  EXPECT_EQ((*item)->downloadState(), DownloadState::kCompleted);
  EXPECT_THAT(collection.startDownload(server().base_url() + "/x.wma", "real time"), StatusIs(hr::kNotImpl));
  EXPECT_THAT(collection.startDownload(server().base_url() + "/x.flac", "background"), StatusIs(hr::kInvalidArg));
}

}  // namespace
}  // namespace bitsh::wmp::testing

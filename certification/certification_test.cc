// The certification kit judged on queuers with one known mistake each: the mistake fails the rule
// that names it, what follows from it is reported under it, and a well-behaved queuer passes.
#include "certification/certification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "certification/testing/test_manifest.h"
#include "wmp/convention.h"

namespace bitsh::certification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A store's queuer written from the convention library, with one switch per mistake under test.
class TestQueuer final : public StoreQueuer {
 public:
  enum class Start { kResume, kNever, kResumeThenSuspend };
  Start start = Start::kResume;
  std::string duration_override;  // written instead of the manifest's duration when not empty

  Status QueuePurchase(Backend& bits, const Purchase& purchase) override {
    for (const PurchasedTrack& track : purchase.tracks) {
      const std::string duration = duration_override.empty() ? track.duration : duration_override;
      // Written by hand, as a store would, so that a ':' can get in (FormatDescription refuses it).
      const std::string description = "::WMP_JOB:1:" + std::to_string(purchase.service_id) + ":" + purchase.store_key +
                                      ":" + track.album_artist + ":" + track.album + ":" + track.track_number + ":" +
                                      track.title + ":" + duration + ":" + track.rating;
      Result<JobId> job = bits.CreateJob(track.title, JobType::kDownload);
      if (!job.ok()) return job.status();
      if (Status s = bits.SetDescription(*job, description); !s.ok()) return s;
      if (Status s = bits.AddFile(*job, track.url, (purchase.download_folder / track.file_name).string()); !s.ok()) return s;
      if (start == Start::kNever) continue;
      if (Status s = bits.Resume(*job); !s.ok()) return s;
      if (start == Start::kResumeThenSuspend) {
        if (Status s = bits.Suspend(*job); !s.ok()) return s;
      }
    }
    return Status::Ok();
  }
};

using testing::TwoTracks;

const RuleOutcome& Outcome(const CertificationReport& report, const std::string& rule, const std::string& condition) {
  for (const RuleOutcome& outcome : report.outcomes) {
    if (outcome.rule == rule && outcome.condition == condition) return outcome;
  }
  throw std::runtime_error("no outcome for " + rule + " in " + condition);
}

TEST(CertificationTest, AWellBehavedQueuerPassesEveryRuleInEveryCondition) {
  TestQueuer queuer;
  const CertificationReport report = Certify(queuer, TwoTracks());
  EXPECT_TRUE(report.passed()) << report.ToMarkdown();
  EXPECT_THAT(report.ToMarkdown(), Not(HasSubstr("## Findings")));
}

// The false pass this kit once gave: its Player resumed suspended jobs, doing the store's work.
TEST(CertificationTest, AQueuerThatNeverResumesFailsNamingTheRule) {
  TestQueuer queuer;
  queuer.start = TestQueuer::Start::kNever;
  const CertificationReport report = Certify(queuer, TwoTracks());
  EXPECT_FALSE(report.passed());
  const RuleOutcome& never = Outcome(report, "store-resumes-every-job", "clean");
  EXPECT_FALSE(never.passed);
  ASSERT_EQ(never.findings.size(), 2u);
  EXPECT_THAT(never.findings[0].text, HasSubstr("job 'Track 1' was created but never resumed"));
  // What follows from it is failed, and says so.
  const RuleOutcome& library = Outcome(report, "library-has-every-track", "clean");
  EXPECT_FALSE(library.passed);
  EXPECT_TRUE(library.OnlyConsequences());
  EXPECT_EQ(library.findings[0].caused_by, "store-resumes-every-job on job 'Track 1'");
  EXPECT_THAT(library.findings[0].text, HasSubstr("job 'Track 1' is SUSPENDED"));
  const std::string markdown = report.ToMarkdown();
  EXPECT_THAT(markdown, HasSubstr("| store-resumes-every-job | **FAIL** | **FAIL** |"));
  EXPECT_THAT(markdown, HasSubstr("| library-has-every-track | fail (follows) |"));
  EXPECT_THAT(markdown, HasSubstr("- job 'Track 1' was created but never resumed"));
  EXPECT_THAT(markdown, HasSubstr("  - so library-has-every-track: track 'Track 1' is not in the library"));
}

TEST(CertificationTest, AJobResumedThenSuspendedFailsTheSuspendedRuleOnly) {
  TestQueuer queuer;
  queuer.start = TestQueuer::Start::kResumeThenSuspend;
  const CertificationReport report = Certify(queuer, TwoTracks());
  EXPECT_TRUE(Outcome(report, "store-resumes-every-job", "clean").passed);
  const RuleOutcome& suspended = Outcome(report, "no-job-left-suspended-after-queuing", "clean");
  ASSERT_EQ(suspended.findings.size(), 2u);
  EXPECT_EQ(suspended.findings[1].text, "job 'Track 2' is SUSPENDED when QueuePurchase returns, so nothing downloads it");
  EXPECT_TRUE(suspended.findings[1].caused_by.empty());
  EXPECT_EQ(Outcome(report, "queue-empty-at-end", "clean").findings[1].caused_by,
            "no-job-left-suspended-after-queuing on job 'Track 2'");
}

// A Duration written as 3:21 is one mistake, on Duration, shown once for all six conditions with
// the ':' marked; the failures it causes elsewhere are listed under it, not as unrelated failures.
TEST(CertificationTest, AClockStyleDurationIsOneFindingOnDurationWithItsConsequencesUnderIt) {
  TestQueuer queuer;
  queuer.duration_override = "3:21";
  const CertificationReport report = Certify(queuer, TwoTracks());
  const RuleOutcome& field_count = Outcome(report, "WMP-FIELD-COUNT", "clean");
  ASSERT_EQ(field_count.findings.size(), 2u);
  EXPECT_THAT(field_count.findings[0].text, HasSubstr("job 'Track 1': error WMP-FIELD-COUNT Duration@"));
  EXPECT_THAT(field_count.findings[0].text, HasSubstr("write Duration in seconds: 201"));
  const std::string markdown = report.ToMarkdown();
  const std::string description = "::WMP_JOB:1:3735928559:ContosoMusic:The Artists:Greatest Hits:1:Track 1:3:21:75";
  const std::string caret = std::string(description.find("3:21") + 1, ' ') + "^";
  EXPECT_THAT(markdown, HasSubstr("(all 6 conditions)\n\n  ```\n  " + description + "\n  " + caret + "\n  ```\n"));
  // Reported once, not once per condition.
  std::size_t count = 0;
  for (std::size_t at = markdown.find("- job 'Track 1': error WMP-FIELD-COUNT"); at != std::string::npos;
       at = markdown.find("- job 'Track 1': error WMP-FIELD-COUNT", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u);
  EXPECT_THAT(markdown, HasSubstr("  - so library-has-every-track: track 'Track 1' is not in the library"));
  // The metadata still reads as the store meant it, so it does not fail on a shifted Rating.
  EXPECT_TRUE(Outcome(report, "metadata-matches-manifest", "clean").findings.empty() ||
              Outcome(report, "metadata-matches-manifest", "clean").OnlyConsequences());
  EXPECT_THAT(markdown, Not(HasSubstr("field Rating is")));
}

// A queuer that writes serviceId 0: the Download Manager cannot list its jobs under the purchase.
class ZeroServiceIdQueuer final : public StoreQueuer {
 public:
  Status QueuePurchase(Backend& bits, const Purchase& purchase) override {
    Purchase zero = purchase;
    zero.service_id = 0;
    return TestQueuer().QueuePurchase(bits, zero);
  }
};

TEST(CertificationTest, ANegativeCollectionIdIsExplainedAndFollowsFromTheServiceIdError) {
  ZeroServiceIdQueuer queuer;
  const CertificationReport report = Certify(queuer, TwoTracks());
  const RuleOutcome& shown = Outcome(report, "download-manager-shows-each-track", "clean");
  ASSERT_FALSE(shown.findings.empty());
  EXPECT_THAT(shown.findings[0].text,
              HasSubstr("getDownloadCollection(-559038737 (serviceId 3735928559 read as the signed 32-bit long the "
                        "Download Manager takes)) does not show 'Track 1'"));
  EXPECT_EQ(shown.findings[0].caused_by, "WMP-SERVICEID-NONZERO on job 'Track 1'");
  // The serviceId that differs from the manifest is the same mistake, not a second one.
  const RuleOutcome& metadata = Outcome(report, "metadata-matches-manifest", "clean");
  ASSERT_FALSE(metadata.findings.empty());
  EXPECT_EQ(metadata.findings[0].text, "track 'Track 1': field serviceId is '0', the manifest says '3735928559'");
  EXPECT_EQ(metadata.findings[0].caused_by, "WMP-SERVICEID-NONZERO on job 'Track 1'");
  EXPECT_TRUE(metadata.OnlyConsequences());
}

}  // namespace
}  // namespace bitsh::certification

// bitsh-real's queue commands over the fake: what a store partner sees of their queued jobs.
#include "cli/queue_commands.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "fake/testing/fake_service_fixture.h"

namespace bitsh::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kGoodDescription = "::WMP_JOB:1:42:ContosoMusic:The Artists:Greatest Hits:7:Seventh Song:215:75";
constexpr const char* kBadDescription = "::WMP_JOB:1:0:ContosoMusic:The Artists:Greatest Hits:7:Seventh Song:215:75";

class QueueCommandsTest : public fake::testing::FakeServiceTest {
 protected:
  // Runs `create` and returns the id it printed.
  std::string Create(const std::string& description, const std::string& local) {
    std::ostringstream out;
    CreateArguments arguments{"track", description, {{Url("t.wma"), Local(local)}}, false};
    EXPECT_EQ(CreateCommand(alice(), arguments, out), ExitCode::kOk) << out.str();
    std::string id = out.str();
    while (!id.empty() && id.back() == '\n') id.pop_back();
    return id;
  }
  ExitCode Jobs(std::string& output) {
    std::ostringstream out;
    const ExitCode code = JobsCommand(alice(), JobsArguments{}, out);
    output = out.str();
    return code;
  }
};

TEST_F(QueueCommandsTest, ACreatedJobIsListedWithItsVerdict) {
  const std::string id = Create(kGoodDescription, "07.wma");
  std::string output;
  EXPECT_EQ(Jobs(output), ExitCode::kOk);
  EXPECT_THAT(output, HasSubstr(id + "  SUSPENDED  0/? bytes, 0/1 files  \"track\""));
  EXPECT_THAT(output, HasSubstr("follows the WMP BITS job convention"));
  EXPECT_THAT(output, HasSubstr("1 job(s); 0 WMP job(s) breaking"));
}

TEST_F(QueueCommandsTest, AJobBreakingTheConventionFailsTheListingAndIsNamed) {
  Create(kGoodDescription, "07.wma");
  const std::string bad = Create(kBadDescription, "08.wma");
  std::string output;
  EXPECT_EQ(Jobs(output), ExitCode::kFailed);
  EXPECT_THAT(output, HasSubstr(bad + "  SUSPENDED"));
  EXPECT_THAT(output, HasSubstr("WMP-SERVICEID-NONZERO"));
  EXPECT_THAT(output, HasSubstr("2 job(s); 1 WMP job(s) breaking"));
}

TEST_F(QueueCommandsTest, TheFileRulesSeeTheJobsFiles) {
  Create(kGoodDescription, "cover.jpg");  // not a media file
  std::string output;
  EXPECT_EQ(Jobs(output), ExitCode::kFailed);
  EXPECT_THAT(output, HasSubstr("WMP-FILE-EXTENSION"));
}

// The Player matches the marker's case, so "::wmp_job:" is a WMP job it will never pick up: the
// listing judges it (WMP-MARKER-CASE) instead of passing it over as "not a WMP job".
TEST_F(QueueCommandsTest, AMarkerInTheWrongCaseIsFlaggedNotSkipped) {
  const std::string job =
      Create("::wmp_job:1:42:ContosoMusic:The Artists:Greatest Hits:7:Seventh Song:215:75", "07.wma");
  const std::string status =
      Create("::Wmp_Status:1:42:ContosoMusic:The Artists:Greatest Hits:8:Eighth:215:75", "08.wma");
  std::string output;
  EXPECT_EQ(Jobs(output), ExitCode::kFailed);
  EXPECT_THAT(output, HasSubstr(job + "  SUSPENDED  0/? bytes, 0/1 files  \"track\"\n"
                                "  ::wmp_job:1:42:ContosoMusic:The Artists:Greatest Hits:7:Seventh Song:215:75\n"
                                "  error WMP-MARKER-CASE marker@0: marker '::wmp_job:' must be exactly '::WMP_JOB:' "
                                "(the Player matches case)\n"));
  EXPECT_THAT(output, HasSubstr(status + "  SUSPENDED  0/? bytes, 0/1 files  \"track\"\n"
                                "  ::Wmp_Status:1:42:ContosoMusic:The Artists:Greatest Hits:8:Eighth:215:75\n"
                                "  error WMP-MARKER-CASE marker@0: marker '::Wmp_Status:' must be exactly "
                                "'::WMP_STATUS:' (the Player matches case)\n"));
  EXPECT_THAT(output, HasSubstr("2 job(s); 2 WMP job(s) breaking"));
}

TEST_F(QueueCommandsTest, NonWmpJobsAreListedButNotJudged) {
  Create("nightly backup", "backup.zip");
  std::string output;
  EXPECT_EQ(Jobs(output), ExitCode::kOk);
  EXPECT_THAT(output, Not(HasSubstr("WMP-")));
}

TEST_F(QueueCommandsTest, ARefusedStepNamesTheCallAndLeavesNoJob) {
  std::ostringstream out;
  CreateArguments arguments{"track", std::string(1025, 'd'), {}, false};
  EXPECT_EQ(CreateCommand(alice(), arguments, out), ExitCode::kFailed);
  EXPECT_THAT(out.str(), HasSubstr("SetDescription: BG_E_STRING_TOO_LONG"));
  EXPECT_THAT(alice().EnumJobs(EnumScope::kCurrentUser), bitsh::testing::HasValue(::testing::IsEmpty()));
}

TEST_F(QueueCommandsTest, CancelTakesIdsAndRefusesWhatIsNotOne) {
  const std::string id = Create(kGoodDescription, "07.wma");
  std::ostringstream out;
  EXPECT_EQ(CancelCommand(alice(), {"not-an-id", id}, out), ExitCode::kBadInput);
  EXPECT_THAT(out.str(), HasSubstr("'not-an-id' is not a job id"));
  EXPECT_THAT(out.str(), HasSubstr("cancelled " + id));  // the good id is still cancelled
  std::ostringstream again;
  EXPECT_EQ(CancelCommand(alice(), {id}, again), ExitCode::kFailed);
  EXPECT_THAT(again.str(), HasSubstr("BG_E_"));
}

}  // namespace
}  // namespace bitsh::cli

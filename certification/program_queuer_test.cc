// A store's shipped program under certification: the kit hands it the purchase as a file, serves
// it the condition's queue, and certifies what it queued exactly as it does a module's.
// ini_store_queuer (testing/) is the program here; tools/wine-conformance.sh certifies the Windows
// one (examples/com/store_queuer.c) the same way under Wine.
#include "certification/program_queuer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "certification/certification.h"
#include "certification/testing/test_manifest.h"

namespace bitsh::certification {
namespace {

using ::testing::HasSubstr;

using testing::TwoTracks;

ProgramQueuer Program(std::vector<std::string> command) {
  external::ProgramOptions options;
  options.command = std::move(command);
  options.timeout = std::chrono::seconds(60);
  return ProgramQueuer(options);
}

TEST(ProgramQueuerTest, AProgramThatQueuesWellPassesEveryRuleInEveryCondition) {
  ProgramQueuer queuer = Program({BITSH_INI_STORE_QUEUER});
  const CertificationReport report = Certify(queuer, TwoTracks());
  EXPECT_TRUE(report.passed()) << report.ToMarkdown();
  EXPECT_EQ(report.conditions.size(), 6u);
}

TEST(ProgramQueuerTest, AProgramThatNeverResumesFailsAsAModuleWould) {
  ProgramQueuer queuer = Program({BITSH_INI_STORE_QUEUER, "--forget-resume"});
  const CertificationReport report = Certify(queuer, TwoTracks());
  EXPECT_FALSE(report.passed());
  const std::string markdown = report.ToMarkdown();
  EXPECT_THAT(markdown, HasSubstr("| store-resumes-every-job | **FAIL** | **FAIL** |"));
  EXPECT_THAT(markdown, HasSubstr("- job 'Track 1' was created but never resumed"));
  EXPECT_THAT(markdown, HasSubstr("| queuer-succeeds | pass |"));
}

TEST(ProgramQueuerTest, AProgramThatFailsFailsQueuerSucceedsWithItsExitStatusAndOutput) {
  ProgramQueuer queuer = Program({"sh", "-c", "echo 'no licence server'; exit 7", "sh"});
  const CertificationReport report = Certify(queuer, TwoTracks());
  EXPECT_FALSE(report.passed());
  const std::string markdown = report.ToMarkdown();
  EXPECT_THAT(markdown, HasSubstr("| queuer-succeeds | **FAIL** |"));
  EXPECT_THAT(markdown, HasSubstr("exited 7; its output: no licence server"));
  EXPECT_THAT(markdown, HasSubstr("no licence server"));
}

TEST(ProgramQueuerTest, ThePurchaseFileCarriesEveryFieldOfEveryTrack) {
  Purchase purchase{"ContosoMusic", 42, {}, "/tmp/run/downloads", "customer"};
  purchase.tracks.push_back({"http://127.0.0.1:1/a.wma", "a.wma", "One", "Hits", "Artists", "1", "201", "75"});
  const Result<std::string> text =
      PurchaseFileText(purchase, [](const std::filesystem::path& path) { return "Z:" + path.string(); });
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_THAT(*text, HasSubstr("[purchase]\nstore_key=ContosoMusic\nservice_id=42\n"
                               "download_folder=Z:/tmp/run/downloads\ntracks=1\n"));
  EXPECT_THAT(*text, HasSubstr("[track1]\nurl=http://127.0.0.1:1/a.wma\nfile_name=a.wma\ntitle=One\nalbum=Hits\n"
                               "album_artist=Artists\ntrack_number=1\nduration=201\nrating=75\n"));
}

TEST(ProgramQueuerTest, AValueWithALineBreakCannotGoInThePurchaseFile) {
  Purchase purchase{"ContosoMusic", 42, {}, "/tmp/run/downloads", "customer"};
  purchase.tracks.push_back({"http://127.0.0.1:1/a.wma", "a.wma", "One\ntitle=Two", "Hits", "A", "1", "201", "75"});
  const Result<std::string> text = PurchaseFileText(purchase, [](const std::filesystem::path& p) { return p.string(); });
  EXPECT_FALSE(text.ok());
  EXPECT_THAT(text.status().message(), HasSubstr("track1 title"));
}

}  // namespace
}  // namespace bitsh::certification

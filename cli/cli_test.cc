// The bitsh binary as a user meets it: exit codes, error messages, reports.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <nlohmann/json.hpp>

#include "backend/testing/scratch_folder.h"
#include "cli/exit_codes.h"

namespace bitsh::cli {

// A failed expectation shows the code's name and number: "kBadInput (2)".
void PrintTo(ExitCode code, std::ostream* out) {
  switch (code) {
    case ExitCode::kOk: *out << "kOk"; break;
    case ExitCode::kFailed: *out << "kFailed"; break;
    case ExitCode::kBadInput: *out << "kBadInput"; break;
    case ExitCode::kInternal: *out << "kInternal"; break;
    default: *out << "not an exit code of bitsh"; break;
  }
  *out << " (" << ToInt(code) << ")";
}

}  // namespace bitsh::cli

namespace {

using bitsh::cli::ExitCode;

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

struct Outcome {
  ExitCode exit_code = static_cast<ExitCode>(-1);  // -1: bitsh did not exit normally
  std::string output;  // stdout and stderr
};

Outcome Bitsh(const std::string& arguments) {
  Outcome outcome;
  // Sharding variables of a sharded run of this test binary must not reach the bitsh under test.
  const std::string command = "env -u GTEST_SHARD_INDEX -u GTEST_TOTAL_SHARDS -u GTEST_SHARD_STATUS_FILE " +
                              std::string(BITSH_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  std::array<char, 4096> buffer;
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) outcome.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  outcome.exit_code = static_cast<ExitCode>(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return outcome;
}

class BitshCliTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  bitsh::testing::ScratchFolder scratch_{"bitsh-cli"};
  const std::filesystem::path dir_ = scratch_.path();
};

constexpr const char* kPassing = R"(name: passing
server: {files: [{path: /a.wma, size: 100KiB}]}
jobs: [{id: t, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}]
expect: [{job: t, state: ACKNOWLEDGED}, {file: a.wma, same_as: /a.wma}]
)";

constexpr const char* kFailing = R"(name: failing
seed: 7
server: {files: [{path: /a.wma, size: 100KiB}]}
jobs: [{id: t, files: [{url: /missing.wma, local: a.wma}]}]
expect: [{job: t, state: TRANSFERRED}]
)";

TEST_F(BitshCliTest, APassingRunExitsZeroWithASummary) {
  const Outcome run = Bitsh("run " + Write("p.yaml", kPassing));
  EXPECT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  EXPECT_THAT(run.output, HasSubstr("PASS  "));
  EXPECT_THAT(run.output, HasSubstr("1 passed, 0 failed"));
}

TEST_F(BitshCliTest, AFailingRunExitsOneAndSaysHowToReproduce) {
  const std::string path = Write("f.yaml", kFailing);
  const Outcome run = Bitsh("run " + path);
  EXPECT_EQ(run.exit_code, ExitCode::kFailed);
  EXPECT_THAT(run.output, HasSubstr("f.yaml:5:10: expected job t state TRANSFERRED"));
  EXPECT_THAT(run.output, HasSubstr("but state was ERROR"));
  EXPECT_THAT(run.output, HasSubstr("reproduce with: bitsh run " + path + " --seed=7"));
  EXPECT_THAT(Bitsh("run " + path + " --seed=99").output, HasSubstr("--seed=99"));
}

TEST_F(BitshCliTest, BadScenarioFilesExitTwoAndNothingRuns) {
  Write("good.yaml", kPassing);
  Write("bad.yaml", "name: bad\nnetwork: {bandwidth: fast}\njobs: [{id: t, owner: 3, bogus: 1}]\n");
  const Outcome run = Bitsh("run " + dir_.string());
  EXPECT_EQ(run.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(run.output, HasSubstr("bad.yaml:2:22: bandwidth: 'fast' is not a bandwidth"));
  EXPECT_THAT(run.output, HasSubstr("bad.yaml:3:26: unknown key 'bogus' in a job"));
  EXPECT_THAT(run.output, HasSubstr("nothing was run"));
  EXPECT_THAT(run.output, Not(HasSubstr("PASS")));
}

TEST_F(BitshCliTest, CheckValidatesWithoutRunning) {
  const Outcome good = Bitsh("check " + Write("p.yaml", kPassing));
  EXPECT_EQ(good.exit_code, ExitCode::kOk);
  EXPECT_THAT(good.output, HasSubstr("ok  "));
  const Outcome bad = Bitsh("check " + Write("b.yaml", "name: b\nseed: x\n"));
  EXPECT_EQ(bad.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(bad.output, HasSubstr("b.yaml:2:7: seed: 'x' is not a whole number"));
  EXPECT_EQ(Bitsh("check " + (dir_ / "nope.yaml").string()).exit_code, ExitCode::kBadInput);
}

TEST_F(BitshCliTest, AContentFileOutsideTheScenarioFolderNeedsTheFlag) {
  Write("outside.bin", "bytes");
  std::filesystem::create_directories(dir_ / "sub");
  const std::string scenario = Write("sub/c.yaml", "name: c\nserver:\n  files:\n    - {path: /o, content_file: ../outside.bin}\n");
  const Outcome refused = Bitsh("check " + scenario);
  EXPECT_EQ(refused.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(refused.output, HasSubstr("c.yaml:4:32: content_file '../outside.bin' resolves to "));
  EXPECT_EQ(Bitsh("check --allow-outside-content " + scenario).exit_code, ExitCode::kOk);
  EXPECT_EQ(Bitsh("run " + scenario).exit_code, ExitCode::kBadInput);
  EXPECT_EQ(Bitsh("run --allow-outside-content " + scenario).exit_code, ExitCode::kOk);
}

TEST_F(BitshCliTest, RepeatAndReportsProduceIdenticalTracesAndValidFiles) {
  const std::string scenario = Write("p.yaml", kPassing);
  const std::string junit = (dir_ / "out.xml").string(), trace = (dir_ / "trace.json").string(),
                    plot = (dir_ / "plot.svg").string();
  const Outcome run = Bitsh("run " + scenario + " --repeat 3 --junit " + junit + " --trace " + trace + " --plot " + plot);
  EXPECT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  std::ifstream trace_file(trace);
  EXPECT_TRUE(nlohmann::json::parse(trace_file).contains("traceEvents"));
  EXPECT_TRUE(std::filesystem::file_size(junit) > 0);
  EXPECT_TRUE(std::filesystem::file_size(plot) > 0);
}

// Every line of a file, in order.
std::vector<std::string> LinesOf(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(BitshCliTest, LogDirHoldsEachScenariosWholeLogWhateverTheReportsKeep) {
  for (const char* folder : {"one", "two", "three"}) std::filesystem::create_directories(dir_ / folder);
  Write("one/p.yaml", kPassing);
  Write("two/p.yaml", kPassing);
  Write("three/p-2.yaml", kPassing);  // takes p-2.log first, so the second p.yaml gets p-3.log
  const std::filesystem::path logs = dir_ / "logs" / "today";  // made by bitsh
  const Outcome run = Bitsh("run " + dir_.string() + " --log-dir " + logs.string() + " --log-lines 2 --verbose");
  ASSERT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  const std::vector<std::string> whole = LinesOf(logs / "p.log");
  // Scenarios of one name: a file each (in path order: one/p, three/p-2, two/p), the same run in each.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(logs)) names.push_back(entry.path().filename().string());
  EXPECT_THAT(names, UnorderedElementsAre("p.log", "p-2.log", "p-3.log"));
  EXPECT_EQ(LinesOf(logs / "p-2.log"), whole);
  EXPECT_EQ(LinesOf(logs / "p-3.log"), whole);
  ASSERT_GT(whole.size(), 5u);
  // The report keeps the last two lines, after saying how many it did not; the file has them all,
  // paths neutral and the job named from its first line on.
  EXPECT_THAT(run.output, HasSubstr("(" + std::to_string(whole.size() - 2) + " earlier lines not kept)\n" +
                                    whole[whole.size() - 2] + "\n" + whole.back() + "\n"));
  EXPECT_THAT(whole[1], HasSubstr(" 't' create DOWNLOAD"));
  EXPECT_THAT(whole, Contains(AllOf(HasSubstr("<work>/a.wma"), Not(HasSubstr(dir_.string())))));
}

TEST_F(BitshCliTest, ReportsGoIntoFoldersThatDoNotExistYet) {
  const std::string scenario = Write("p.yaml", kPassing);
  const std::filesystem::path junit = dir_ / "reports" / "junit" / "run.xml", plot = dir_ / "plots" / "bytes.svg";
  const Outcome run = Bitsh("run " + scenario + " --junit " + junit.string() + " --plot " + plot.string());
  EXPECT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  EXPECT_TRUE(std::filesystem::is_regular_file(junit));
  EXPECT_TRUE(std::filesystem::is_regular_file(plot));
}

TEST_F(BitshCliTest, BadInputStillWritesAJUnitFileWithACaseForEachError) {
  Write("bad.yaml", "name: bad\nnetwork: {bandwidth: fast}\njobs: [{id: t, owner: 3, bogus: 1}]\n");
  const std::string junit = (dir_ / "out" / "junit.xml").string();
  const Outcome run = Bitsh("run " + dir_.string() + " " + (dir_ / "absent.yaml").string() + " --junit " + junit);
  EXPECT_EQ(run.exit_code, ExitCode::kBadInput) << run.output;
  std::ifstream file(junit);
  const std::string xml((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_THAT(xml, HasSubstr("<testcase classname=\"scenario files\" name=\"" + (dir_ / "bad.yaml").string() + ":2:"));
  EXPECT_THAT(xml, HasSubstr("name=\"" + (dir_ / "absent.yaml").string() + "\""));
  EXPECT_THAT(xml, HasSubstr("no such file or folder"));
  EXPECT_THAT(xml, HasSubstr("failures=\"3\""));  // the bandwidth, the unknown key, the absent file
}

TEST_F(BitshCliTest, AReportThatCannotBeWrittenDoesNotHideAFailingScenario) {
  const std::string blocker = Write("not-a-folder", "a file where a folder is needed");
  const std::string junit = blocker + "/junit.xml";
  const Outcome failing = Bitsh("run " + Write("f.yaml", kFailing) + " --junit " + junit);
  EXPECT_EQ(failing.exit_code, ExitCode::kFailed) << failing.output;
  EXPECT_THAT(failing.output, HasSubstr("cannot write " + junit));
  const Outcome passing = Bitsh("run " + Write("p.yaml", kPassing) + " --junit " + junit);
  EXPECT_EQ(passing.exit_code, ExitCode::kInternal) << passing.output;
}

// A passing scenario named `name`, in a file of that name.
std::string NamedPassing(const std::string& name) {
  std::string text = kPassing;
  return "name: " + name + text.substr(text.find('\n'));
}

// The scenario names a run printed a PASS line for.
std::vector<std::string> PassedNames(const std::string& output) {
  std::vector<std::string> names;
  for (const char* name : {"alpha", "beta", "gamma", "delta", "epsilon"}) {
    if (output.find(std::string(".yaml  ") + name + "  (") != std::string::npos) names.push_back(name);
  }
  return names;
}

TEST_F(BitshCliTest, FilterAndExcludeSelectScenariosByNameOrFileName) {
  for (const std::string name : {"alpha", "beta", "gamma"}) Write(name + ".yaml", NamedPassing(name));
  EXPECT_THAT(PassedNames(Bitsh("run " + dir_.string() + " -R 'a$'").output), UnorderedElementsAre("alpha", "beta", "gamma"));
  EXPECT_THAT(PassedNames(Bitsh("run " + dir_.string() + " --filter '^(al|ga)'").output), UnorderedElementsAre("alpha", "gamma"));
  EXPECT_THAT(PassedNames(Bitsh("run " + dir_.string() + " --filter beta.yaml").output), ElementsAre("beta"));
  EXPECT_THAT(PassedNames(Bitsh("run " + dir_.string() + " -E 'ph|mm'").output), ElementsAre("beta"));
  const Outcome none = Bitsh("run " + dir_.string() + " -R zeta");
  EXPECT_EQ(none.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(none.output, HasSubstr("no scenario is left after --filter 'zeta'"));
  const Outcome broken = Bitsh("run " + dir_.string() + " -R '('");
  EXPECT_EQ(broken.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(broken.output, HasSubstr("--filter '(' is not a regular expression"));
}

TEST_F(BitshCliTest, ShardsSplitTheScenariosAndGoogleTestsVariablesChooseTheShard) {
  for (const std::string name : {"alpha", "beta", "gamma", "delta", "epsilon"}) Write(name + ".yaml", NamedPassing(name));
  const std::string run = "run " + dir_.string();
  // Files sorted: alpha, beta, delta, epsilon, gamma; dealt round robin.
  EXPECT_THAT(PassedNames(Bitsh(run + " --shard 1/2").output), UnorderedElementsAre("alpha", "delta", "gamma"));
  EXPECT_THAT(PassedNames(Bitsh(run + " --shard 2/2").output), UnorderedElementsAre("beta", "epsilon"));
  EXPECT_THAT(Bitsh(run + " --shard 2/2").output, HasSubstr("bitsh: shard 2/2: 2 of 5 scenario(s)"));
  const std::string status_file = (dir_ / "shard-status").string();
  const Outcome by_environment = Bitsh(run + " --shard 2/2 > /dev/null; GTEST_SHARD_INDEX=1 GTEST_TOTAL_SHARDS=2 "
                                       "GTEST_SHARD_STATUS_FILE=" + status_file + " " + BITSH_BINARY + " " + run);
  EXPECT_THAT(PassedNames(by_environment.output), UnorderedElementsAre("beta", "epsilon"));
  EXPECT_TRUE(std::filesystem::exists(status_file));  // GoogleTest's protocol: "I did shard"
  EXPECT_EQ(Bitsh(run + " --shard 3/2").exit_code, ExitCode::kBadInput);
  EXPECT_EQ(Bitsh(run + " --shard 6/6").exit_code, ExitCode::kOk);  // more shards than scenarios: an empty shard passes
}

// 30 % of the GETs answer 503: a seed whose first GET draws one sees an error.
constexpr const char* kSometimesFailing = R"(name: no error expected
server:
  files: [{path: /a.wma, size: 64KiB}]
  faults: [{path: /a.wma, method: GET, probability: 0.3, kind: status, status: 503}]
jobs: [{id: t, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}]
expect: [{job: t, state: ACKNOWLEDGED, error_count: 0}]
)";

TEST_F(BitshCliTest, SeedsListTheFailingSeedsAndEachReproducesAlone) {
  const std::string path = Write("sometimes.yaml", kSometimesFailing);
  const Outcome run = Bitsh("run " + path + " --seeds 1..40 -j 2");
  ASSERT_EQ(run.exit_code, ExitCode::kFailed) << run.output;
  const std::size_t listed = run.output.find("seeds fail:");
  ASSERT_NE(listed, std::string::npos) << run.output;
  // The seeds named, then each one run alone: it fails, and a seed not named passes.
  std::istringstream seeds(run.output.substr(listed + 11, run.output.find(')', listed) - listed - 11));
  std::vector<int> failing{std::istream_iterator<int>(seeds), std::istream_iterator<int>()};
  ASSERT_FALSE(failing.empty());
  ASSERT_LT(failing.size(), 40u);
  EXPECT_THAT(run.output, HasSubstr("reproduce with: bitsh run " + path + " --seed=" + std::to_string(failing[0])));
  EXPECT_EQ(Bitsh("run " + path + " --seed " + std::to_string(failing[0])).exit_code, ExitCode::kFailed);
  int passing = 1;
  while (std::find(failing.begin(), failing.end(), passing) != failing.end()) ++passing;
  EXPECT_EQ(Bitsh("run " + path + " --seed " + std::to_string(passing)).exit_code, ExitCode::kOk);
}

TEST_F(BitshCliTest, SeedsPassWhenEverySeedDoesAndRefuseSingleRunOptions) {
  const std::string path = Write("passing.yaml", kPassing);
  const Outcome run = Bitsh("run " + path + " --seeds 5..9 --junit " + (dir_ / "seeds.xml").string());
  EXPECT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  EXPECT_THAT(run.output, HasSubstr("every one of 5 seeds"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "seeds.xml"));
  EXPECT_EQ(Bitsh("run " + path + " --seeds 9..5").exit_code, ExitCode::kBadInput);
  const Outcome traced = Bitsh("run " + path + " --seeds 1..3 --trace t.json");
  EXPECT_EQ(traced.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(traced.output, HasSubstr("--seeds runs many seeds: it does not go with --seed, --repeat, --trace"));
}

// No error expected: a cut anywhere before the end of the body makes one.
constexpr const char* kNoErrorExpected = R"(name: no error expected
server: {files: [{path: /a.wma, size: 100KiB}]}
jobs: [{id: t, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}]
expect: [{job: t, state: ACKNOWLEDGED, error_count: 0}]
)";

TEST_F(BitshCliTest, SweepTablesEveryPointAndEachFailingPointReproducesAlone) {
  const std::string path = Write("no_error.yaml", kNoErrorExpected);
  const std::string junit = (dir_ / "sweep.xml").string();
  const Outcome sweep = Bitsh("sweep " + path + " --at 0..END --step 50KiB --junit " + junit);
  ASSERT_EQ(sweep.exit_code, ExitCode::kFailed) << sweep.output;
  EXPECT_THAT(sweep.output, HasSubstr("0..51200                  FAIL    (2 offsets)"));
  EXPECT_THAT(sweep.output, HasSubstr("102400                    pass"));
  EXPECT_THAT(sweep.output, HasSubstr("1 of 3 points passed, 2 failed"));
  const std::string reproduce = "bitsh sweep " + path + " --fault close_after_bytes --path /a.wma --at 51200 --request 1";
  EXPECT_THAT(sweep.output, HasSubstr("reproduce with: " + reproduce));
  const Outcome alone = Bitsh(reproduce.substr(std::string("bitsh ").size()));
  EXPECT_EQ(alone.exit_code, ExitCode::kFailed) << alone.output;
  EXPECT_THAT(alone.output, HasSubstr("0 of 1 points passed"));
  std::ifstream xml(junit);
  const std::string report{std::istreambuf_iterator<char>(xml), std::istreambuf_iterator<char>()};
  EXPECT_THAT(report, HasSubstr("tests=\"3\" failures=\"2\""));
}

TEST_F(BitshCliTest, SweepInvariantsOnlyPassesWhereOnlyTheScenariosExpectationFails) {
  const std::string path = Write("no_error.yaml", kNoErrorExpected);
  const Outcome sweep = Bitsh("sweep " + path + " --at 0..END --step 50KiB --request 1..2 --invariants-only");
  EXPECT_EQ(sweep.exit_code, ExitCode::kOk) << sweep.output;
  EXPECT_THAT(sweep.output, HasSubstr("6 of 6 points passed"));
}

TEST_F(BitshCliTest, SweepRefusesAPlanThatDoesNotFitTheScenario) {
  const std::string path = Write("no_error.yaml", kNoErrorExpected);
  const Outcome no_step = Bitsh("sweep " + path + " --at 0..END");
  EXPECT_EQ(no_step.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(no_step.output, HasSubstr("bitsh sweep: --at 0..102400 needs a --step"));
  const Outcome past_end = Bitsh("sweep " + path + " --at 0..1MiB --step 1KiB");
  EXPECT_EQ(past_end.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(past_end.output, HasSubstr("1048576 is past the end of /a.wma (102400 bytes"));
  const Outcome bad_range = Bitsh("sweep " + path + " --at 0..lots --step 1KiB");
  EXPECT_EQ(bad_range.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(bad_range.output, HasSubstr("--at '0..lots' is not A..B or A, each a size (65536, 64KiB) or END"));
}

TEST_F(BitshCliTest, ShrinkWritesTheSmallestScenarioThatStillFailsBesideTheOriginal) {
  const std::string path = Write("two_jobs.yaml", R"(name: two jobs, one fails
server:
  files: [{path: /a.wma, size: 1MiB}, {path: /b.wma, size: 64KiB}]
  faults: [{path: /b.wma, kind: status, status: 404}, {path: /a.wma, kind: stall, stall: 3s}]
jobs:
  - {id: a, files: [{url: /a.wma, local: a.wma}], complete_when_transferred: true}
  - {id: b, files: [{url: /b.wma, local: b.wma}], complete_when_transferred: true}
expect: [{job: a, state: ACKNOWLEDGED}, {job: b, state: ACKNOWLEDGED}]
)");
  const Outcome shrink = Bitsh("shrink " + path);
  ASSERT_EQ(shrink.exit_code, ExitCode::kOk) << shrink.output;
  const std::string smallest = (dir_ / "two_jobs.min.yaml").string();
  EXPECT_THAT(shrink.output, HasSubstr("still fails: expected job b state ACKNOWLEDGED at the end"));
  EXPECT_THAT(shrink.output, HasSubstr("reproduce with: bitsh run " + smallest));
  std::ifstream in(smallest);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // A server with no /b.wma answers 404 as the fault did, so even the server goes; job a, its
  // file and its stall were never needed.
  EXPECT_THAT(text, HasSubstr("id: b"));
  EXPECT_THAT(text, Not(HasSubstr("/a.wma")));
  const Outcome rerun = Bitsh("run " + smallest);
  EXPECT_EQ(rerun.exit_code, ExitCode::kFailed) << rerun.output;
  EXPECT_THAT(rerun.output, HasSubstr("expected job b state ACKNOWLEDGED at the end"));

  const Outcome passing = Bitsh("shrink " + Write("passing.yaml", kPassing));
  EXPECT_EQ(passing.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(passing.output, HasSubstr("passes: there is no failure to keep"));
}

TEST_F(BitshCliTest, KeepWorkSaysWhereTheWorkFolderIs) {
  const Outcome run = Bitsh("run " + Write("p.yaml", kPassing) + " --keep-work");
  EXPECT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  const std::string marker = "work folder kept: ";
  const std::size_t at = run.output.find(marker);
  ASSERT_NE(at, std::string::npos) << run.output;
  const std::filesystem::path folder =
      run.output.substr(at + marker.size(), run.output.find('\n', at) - at - marker.size());
  EXPECT_TRUE(std::filesystem::is_regular_file(folder / "a.wma")) << folder;
  std::filesystem::remove_all(folder);
}

TEST_F(BitshCliTest, QuietPrintsOnlyFailuresAndTheTotals) {
  Write("p.yaml", kPassing);
  Write("f.yaml", kFailing);
  const Outcome run = Bitsh("run -q " + dir_.string());
  EXPECT_EQ(run.exit_code, ExitCode::kFailed);
  EXPECT_THAT(run.output, HasSubstr("FAIL  "));
  EXPECT_THAT(run.output, HasSubstr("1 passed, 1 failed"));
  EXPECT_THAT(run.output, Not(HasSubstr("PASS")));
  EXPECT_THAT(run.output, Not(HasSubstr("expectations  virtual time")));  // no table
  EXPECT_THAT(run.output, Not(HasSubstr("bitsh: running")));
}

TEST_F(BitshCliTest, ColourIsForTerminalsOrWhenAskedFor) {
  const std::string path = Write("p.yaml", kPassing);
  EXPECT_THAT(Bitsh("run --color=always " + path).output, HasSubstr("\033[32mPASS\033[0m  "));
  EXPECT_THAT(Bitsh("run " + path).output, Not(HasSubstr("\033[")));  // a pipe is no terminal
  EXPECT_THAT(Bitsh("run --color=never " + path).output, Not(HasSubstr("\033[")));
  EXPECT_EQ(Bitsh("run --color=sometimes " + path).exit_code, ExitCode::kBadInput);
}

TEST_F(BitshCliTest, AMistypedCommandIsNamedWithTheOneMeant) {
  const Outcome typo = Bitsh("rnu " + Write("p.yaml", kPassing));
  EXPECT_EQ(typo.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(typo.output, HasSubstr("bitsh: 'rnu' is not a command (run, sweep, shrink, check, lint-description, certify, completion); "
                                     "did you mean 'run'?"));
  EXPECT_THAT(Bitsh("frobnicate").output, Not(HasSubstr("did you mean")));
}

TEST_F(BitshCliTest, HelpShowsDefaultsAndTheExitCodes) {
  const Outcome help = Bitsh("run --help");
  EXPECT_EQ(help.exit_code, ExitCode::kOk);
  EXPECT_THAT(help.output, HasSubstr("--watchdog UINT:UINT in [1 - 86400]=30"));
  EXPECT_THAT(help.output, HasSubstr("Exit codes: 0 everything ran and passed; 1 a scenario failed"));
}

TEST_F(BitshCliTest, TheBashCompletionCompletesCommandsAndEachCommandsOptions) {
  const Outcome script = Bitsh("completion bash");
  ASSERT_EQ(script.exit_code, ExitCode::kOk) << script.output;
  const std::string file = Write("bitsh.bash", script.output);
  // What bash offers after `bitsh ru<TAB>` and `bitsh run --fil<TAB>`.
  const auto complete = [&](const std::string& words, int word) {
    const std::string command = "bash -c 'source " + file + " && COMP_WORDS=(" + words + ") && COMP_CWORD=" +
                                std::to_string(word) + " && _bitsh && echo \"${COMPREPLY[*]}\"'";
    FILE* pipe = ::popen(command.c_str(), "r");
    std::string out;
    std::array<char, 256> buffer;
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    ::pclose(pipe);
    return out;
  };
  EXPECT_EQ(complete("bitsh ru", 1), "run\n");
  EXPECT_EQ(complete("bitsh run --fil", 2), "--filter\n");
  EXPECT_EQ(complete("bitsh certify --q", 2), "--queuer\n");
  EXPECT_EQ(Bitsh("completion fish").exit_code, ExitCode::kBadInput);
}

TEST_F(BitshCliTest, VersionPrintsTheProjectVersion) {
  const Outcome version = Bitsh("--version");
  EXPECT_EQ(version.exit_code, ExitCode::kOk);
  EXPECT_THAT(version.output, ::testing::MatchesRegex("bitsh [0-9]+\\.[0-9]+\\.[0-9]+\n"));
}

TEST_F(BitshCliTest, LintDescriptionExitsOneOnErrorsAndZeroOtherwise) {
  const Outcome bad = Bitsh("lint-description '::WMP_JOB:1:0:Contoso:A:B:1:T:60:0'");
  EXPECT_EQ(bad.exit_code, ExitCode::kFailed);
  EXPECT_THAT(bad.output, HasSubstr("error WMP-SERVICEID-NONZERO serviceId@12"));
  EXPECT_EQ(Bitsh("lint-description '::WMP_JOB:1:42:Contoso:A:B:1:T:60:0' --store Contoso --local a.wma").exit_code, ExitCode::kOk);
  EXPECT_EQ(Bitsh("lint-description --file " + Write("d.txt", "::WMP_STATUS:1:42:Contoso:A:B:1:T:60:0\n")).exit_code, ExitCode::kOk);
  EXPECT_EQ(Bitsh("lint-description").exit_code, ExitCode::kBadInput);
}

TEST_F(BitshCliTest, ADashReadsScenariosAndDescriptionsFromStandardInput) {
  const Outcome run = Bitsh("run - < " + Write("p.yaml", kPassing));
  EXPECT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  EXPECT_THAT(run.output, HasSubstr("PASS  <stdin>  passing"));
  const Outcome check = Bitsh("check - < " + Write("bad.yaml", "name: x\nsed: 1\n"));
  EXPECT_EQ(check.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(check.output, HasSubstr("<stdin>:2:1: unknown key 'sed'"));
  const Outcome lint = Bitsh("lint-description --file - --store Contoso < " +
                             Write("jobs.txt", "::WMP_JOB:1:42:Contoso:A:B:1:T:60:0\n\n::WMP_JOB:1:0:Contoso:A:B:2:U:60:0\n"));
  EXPECT_EQ(lint.exit_code, ExitCode::kFailed);
  EXPECT_THAT(lint.output, HasSubstr("<stdin>:3: error WMP-SERVICEID-NONZERO serviceId@12"));
  EXPECT_THAT(lint.output, Not(HasSubstr("<stdin>:1:")));
  EXPECT_THAT(lint.output, HasSubstr("2 description(s), 1 breaking the WMP BITS job convention"));
  EXPECT_EQ(Bitsh("lint-description --file - < /dev/null").exit_code, ExitCode::kBadInput);
}

TEST_F(BitshCliTest, CertifyPassesTheWellBehavedQueuer) {
  const std::string markdown = (dir_ / "report.md").string(), junit = (dir_ / "report.xml").string(),
                    html = (dir_ / "report.html").string();
  const Outcome run = Bitsh(std::string("certify --queuer ") + GOOD_QUEUER + " --manifest " + PURCHASE_MANIFEST +
                            " --markdown " + markdown + " --junit " + junit + " --html " + html);
  EXPECT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  EXPECT_THAT(run.output, HasSubstr("**Result: PASSED**"));
  EXPECT_THAT(run.output, HasSubstr("| library-has-every-track | pass | pass | pass | pass | pass | n/a |"));
  EXPECT_GT(std::filesystem::file_size(junit), 0u);
  EXPECT_GT(std::filesystem::file_size(html), 0u);
}

TEST_F(BitshCliTest, CertifyFailsTheSloppyQueuerNamingRuleJobAndField) {
  const std::string command = std::string("certify --queuer ") + BAD_QUEUER + " --manifest " + PURCHASE_MANIFEST;
  const Outcome run = Bitsh(command);
  EXPECT_EQ(run.exit_code, ExitCode::kFailed);
  EXPECT_THAT(run.output, HasSubstr("**Result: FAILED**"));
  EXPECT_THAT(run.output, HasSubstr("job 'One': error WMP-SERVICEID-NONZERO serviceId@12"));
  EXPECT_THAT(run.output, HasSubstr("job 'Two': error WMP-PROVIDER-UNKNOWN Provider@14: Provider 'Contoso Music'"));
  EXPECT_THAT(run.output, HasSubstr("job 'Three': error WMP-FILE-EXTENSION file@0"));
  EXPECT_THAT(run.output, HasSubstr("track 'One': field AlbumArtist is 'Greatest Hits', the manifest says 'The Artists'"));
  EXPECT_THAT(run.output, HasSubstr("- job 'Three' was created but never resumed"));
  EXPECT_THAT(run.output, HasSubstr("| store-resumes-every-job | **FAIL** | **FAIL** | **FAIL** | **FAIL** | **FAIL** | **FAIL** |"));
  EXPECT_THAT(run.output, HasSubstr("| library-has-every-track | fail (follows) |"));
  EXPECT_EQ(Bitsh(command).output, run.output);  // deterministic, byte for byte
  const std::string unwritable = Write("not-a-folder", "a file where a folder is needed") + "/report.md";
  EXPECT_EQ(Bitsh(command + " --markdown " + unwritable).exit_code, ExitCode::kFailed);  // a report problem never hides the failure
}

// docs/certification.md quotes the sloppy queuer's report: the quote must be what bitsh prints.
TEST_F(BitshCliTest, TheCertificationDocQuotesTheSloppyReportAsPrinted) {
  std::ifstream doc(CERTIFICATION_DOC);
  const std::string text((std::istreambuf_iterator<char>(doc)), std::istreambuf_iterator<char>());
  const std::size_t begin = text.find("~~~markdown\n");
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = text.find("\n~~~", begin);
  const std::string quote = text.substr(begin + 12, end - begin - 12);
  const Outcome run = Bitsh(std::string("certify --queuer ") + BAD_QUEUER + " --manifest " + PURCHASE_MANIFEST);
  EXPECT_THAT(run.output, HasSubstr(quote));
}

// A store's own program, not a module: the same battery, the same report (a .exe runs under Wine:
// tools/wine-conformance.sh certifies examples/com/store_queuer.exe this way).
TEST_F(BitshCliTest, CertifyTakesTheStoresOwnProgram) {
  const std::string command = std::string("certify --exe ") + PROGRAM_QUEUER + " --manifest " + PURCHASE_MANIFEST;
  const Outcome run = Bitsh(command);
  EXPECT_EQ(run.exit_code, ExitCode::kOk) << run.output;
  EXPECT_THAT(run.output, HasSubstr("**Result: PASSED**"));
  EXPECT_THAT(run.output, HasSubstr("| library-has-every-track | pass | pass | pass | pass | pass | n/a |"));

  const Outcome sloppy = Bitsh(command + " --arg --forget-resume");
  EXPECT_EQ(sloppy.exit_code, ExitCode::kFailed);
  EXPECT_THAT(sloppy.output, HasSubstr("- job 'One' was created but never resumed"));
  EXPECT_EQ(Bitsh(command + " --arg --forget-resume").output, sloppy.output);  // deterministic, byte for byte
}

TEST_F(BitshCliTest, CertifyNeedsAModuleOrAProgramButNotBoth) {
  const Outcome neither = Bitsh(std::string("certify --manifest ") + PURCHASE_MANIFEST);
  EXPECT_EQ(neither.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(neither.output, HasSubstr("needs --queuer LIB.so (a module) or --exe PROGRAM (a program)"));
  const Outcome both = Bitsh(std::string("certify --manifest ") + PURCHASE_MANIFEST + " --queuer " + GOOD_QUEUER +
                             " --exe " + PROGRAM_QUEUER);
  EXPECT_EQ(both.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(both.output, HasSubstr("excludes"));
  const Outcome argument = Bitsh(std::string("certify --manifest ") + PURCHASE_MANIFEST + " --queuer " + GOOD_QUEUER +
                                 " --arg x");
  EXPECT_EQ(argument.exit_code, ExitCode::kBadInput);
}

TEST_F(BitshCliTest, CertifyRejectsABadManifestOrModule) {
  const Outcome manifest = Bitsh(std::string("certify --queuer ") + GOOD_QUEUER + " --manifest " +
                                 Write("m.yaml", "store_key: X\nservice_id: 0\ntracks: []\n"));
  EXPECT_EQ(manifest.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(manifest.output, HasSubstr("m.yaml:2:13: service_id must be 1..4294967295"));
  const Outcome module = Bitsh("certify --queuer " + Write("not.so", "text") + " --manifest " + PURCHASE_MANIFEST);
  EXPECT_EQ(module.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(module.output, HasSubstr("cannot load"));
  const Outcome missing = Bitsh("certify --queuer libnot-here.so --manifest " + std::string(PURCHASE_MANIFEST));
  EXPECT_EQ(missing.exit_code, ExitCode::kBadInput);
  EXPECT_THAT(missing.output, HasSubstr("--queuer: File does not exist: libnot-here.so"));
}

TEST_F(BitshCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Bitsh("").exit_code, ExitCode::kBadInput);
  EXPECT_EQ(Bitsh("run").exit_code, ExitCode::kBadInput);
  EXPECT_EQ(Bitsh("run --repeat 0 x.yaml").exit_code, ExitCode::kBadInput);
  EXPECT_EQ(Bitsh("run " + (dir_ / "missing").string()).exit_code, ExitCode::kBadInput);
}

}  // namespace

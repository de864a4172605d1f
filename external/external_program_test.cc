// A program outside the harness against one user's Backend of a simulated machine: what it queues
// is in that user's queue, at the instant it ran; how it ended is reported; nothing it leaves
// behind (a callback, a process) can hurt the run after it. queue_one_job (testing/) is the
// program; the Wine path is exercised by tools/wine-conformance.sh.
#include "external/external_program.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "backend/testing/scratch_folder.h"
#include "backend/testing/status_matchers.h"
#include "sim/machine.h"

namespace bitsh::external {
namespace {

using bitsh::testing::IsOk;
using ::testing::HasSubstr;

class ExternalProgramTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<sim::Machine>> started = sim::Machine::Start({});
    ASSERT_THAT(started.status(), IsOk());
    machine_ = std::move(started).value();
    machine_->server().AddGeneratedFile("/album/01.wma", 300'000, /*seed=*/5);
  }

  // queue_one_job with `extra` arguments, as `user`'s program.
  ProgramOutcome Queue(const std::vector<std::string>& extra = {}, const std::string& user = "customer") {
    ProgramOptions options;
    options.command = {BITSH_QUEUE_ONE_JOB, machine_->Url("/album/01.wma"), Local().string(), "Album, track 1"};
    options.command.insert(options.command.end(), extra.begin(), extra.end());
    options.user = user;
    options.work_folder = folder_.path() / "program";
    options.timeout = std::chrono::seconds(60);
    return RunProgram(machine_->Connection(user), options);
  }

  std::filesystem::path Local() const { return machine_->work_folder() / "01.wma"; }

  std::vector<JobId> JobsOf(const std::string& user) {
    Result<std::vector<JobId>> jobs = machine_->Connection(user).EnumJobs(EnumScope::kCurrentUser);
    EXPECT_THAT(jobs.status(), IsOk());
    return jobs.ok() ? *jobs : std::vector<JobId>{};
  }

  testing::ScratchFolder folder_{"external-program-test"};
  std::unique_ptr<sim::Machine> machine_;
};

TEST_F(ExternalProgramTest, WhatTheProgramQueuesIsInItsUsersQueueAtTheInstantItRan) {
  const TimePoint before = machine_->Now();
  const ProgramOutcome outcome = Queue();
  ASSERT_TRUE(outcome.ok()) << outcome.Summary() << "\n" << outcome.output;
  EXPECT_EQ(machine_->Now(), before) << "virtual time holds still while the program runs";

  const std::vector<JobId> jobs = JobsOf("customer");
  ASSERT_EQ(jobs.size(), 1u);
  Backend& bits = machine_->Connection("customer");
  EXPECT_EQ(*bits.GetDisplayName(jobs[0]), "Album, track 1");
  EXPECT_EQ(*bits.GetState(jobs[0]), JobState::kQueued);
  EXPECT_THAT(outcome.output, HasSubstr("queued " + jobs[0].ToString()));
  EXPECT_TRUE(JobsOf("someone-else").empty());

  // Once it has gone, its job downloads like any other.
  ASSERT_EQ(machine_->RunUntilIdle(machine_->Now() + std::chrono::hours(1)).end, sim::RunEnd::kDone);
  EXPECT_EQ(*bits.GetState(jobs[0]), JobState::kTransferred);
}

TEST_F(ExternalProgramTest, TheProgramsExitStatusIsReported) {
  const ProgramOutcome outcome = Queue({"--exit", "3"});
  EXPECT_FALSE(outcome.ok());
  EXPECT_TRUE(outcome.error.empty()) << outcome.error;
  EXPECT_EQ(outcome.exit_code, 3);
  EXPECT_THAT(outcome.Summary(), HasSubstr("exited 3 after"));
}

TEST_F(ExternalProgramTest, AJobTheProgramLeftSuspendedStaysSuspended) {
  ASSERT_TRUE(Queue({"--no-resume"}).ok());
  const std::vector<JobId> jobs = JobsOf("customer");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(*machine_->Connection("customer").GetState(jobs[0]), JobState::kSuspended);
}

TEST_F(ExternalProgramTest, OnlyTheServedUsersBackendIsReachable) {
  const ProgramOutcome outcome = Queue({"--as", "admin"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_THAT(outcome.output, HasSubstr("0x80070005"));
  EXPECT_THAT(outcome.output, HasSubstr("serves user 'customer' only"));
  EXPECT_TRUE(JobsOf("customer").empty());
  EXPECT_TRUE(JobsOf("admin").empty());
}

TEST_F(ExternalProgramTest, ACallbackThatOutlivesTheProgramFailsAsAGoneClientDoes) {
  ASSERT_TRUE(Queue({"--notify"}).ok());
  const std::vector<JobId> jobs = JobsOf("customer");
  ASSERT_EQ(jobs.size(), 1u);
  // The job's callback points at a server that has stopped: BITS's call fails (and is tried again
  // after the retry delay, as BITS does), the job does not.
  Backend& bits = machine_->Connection("customer");
  const auto transferred = [&] { return *bits.GetState(jobs[0]) == JobState::kTransferred; };
  ASSERT_EQ(machine_->RunUntil(transferred, machine_->Now() + std::chrono::hours(1)).end, sim::RunEnd::kDone);
  machine_->RunUntil([] { return false; }, machine_->Now() + std::chrono::minutes(1));  // the callback's event
  EXPECT_EQ(*bits.GetState(jobs[0]), JobState::kTransferred);
  std::string failed_callbacks;
  for (const fake::LogEvent& event : machine_->bits().log().events()) {
    if (event.kind == "notify-failed") failed_callbacks += event.detail + "\n";
  }
  EXPECT_THAT(failed_callbacks, HasSubstr("JobTransferred: "));
  EXPECT_THAT(failed_callbacks, HasSubstr("0x800706BA"));  // RPC_S_SERVER_UNAVAILABLE
}

TEST_F(ExternalProgramTest, AProgramPastItsTimeoutIsKilled) {
  ProgramOptions options;
  options.command = {"sleep", "30"};
  options.work_folder = folder_.path() / "sleeper";
  options.timeout = std::chrono::seconds(1);
  const ProgramOutcome outcome = RunProgram(machine_->Connection("user"), options);
  EXPECT_TRUE(outcome.timed_out);
  EXPECT_FALSE(outcome.ok());
  EXPECT_LT(outcome.real_seconds, 10);
  EXPECT_THAT(outcome.Summary(), HasSubstr("killed after"));
}

TEST_F(ExternalProgramTest, AProgramThatCannotStartIsAnErrorNamingIt) {
  ProgramOptions options;
  options.command = {"/no/such/store-queuer", "x"};
  options.work_folder = folder_.path() / "missing";
  const ProgramOutcome outcome = RunProgram(machine_->Connection("user"), options);
  EXPECT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error, HasSubstr("/no/such/store-queuer"));
}

TEST(WindowsProgramTest, AnExeRunsUnderWineAndOnlyAnExe) {
  EXPECT_TRUE(IsWindowsProgram({"store_queuer.exe", "a"}));
  EXPECT_TRUE(IsWindowsProgram({"/opt/Store/QUEUER.EXE"}));
  EXPECT_FALSE(IsWindowsProgram({"python3", "store.exe"}));
  EXPECT_TRUE(IsWindowsProgram({"wine", "store.exe", "a"}));  // Wine named first, as one would type it
  EXPECT_TRUE(IsWindowsProgram({"/usr/lib/wine/wine64", "store.exe"}));
  EXPECT_FALSE(IsWindowsProgram({"wine", "--version"}));
  EXPECT_FALSE(IsWindowsProgram({}));
  ProgramOptions linux_program;
  linux_program.command = {"queue"};
  EXPECT_EQ(PathForProgram(linux_program, "/tmp/purchase.ini"), "/tmp/purchase.ini");
}

TEST(WindowsProgramTest, AWindowsProgramNamesHostPathsThroughThePrefixsDrives) {
  testing::ScratchFolder prefix("external-prefix");
  std::ofstream(prefix.path() / "system.reg") << "WINE REGISTRY Version 2\n";
  std::filesystem::create_directories(prefix.path() / "dosdevices");
  std::filesystem::create_directory_symlink("/", prefix.path() / "dosdevices" / "z:");
  ProgramOptions options;
  options.command = {"store.exe"};
  options.wine.prefix = prefix.path();
  EXPECT_EQ(PathForProgram(options, "/tmp/run-1/purchase.ini"), "Z:\\tmp\\run-1\\purchase.ini");
  // Back to the host form, for reports that make host paths neutral.
  EXPECT_EQ(WithHostPaths(options, "exited 1: cannot read Z:\\tmp\\run-1\\purchase.ini", "/tmp/run-1"),
            "exited 1: cannot read /tmp/run-1\\purchase.ini");
}

TEST(WindowsProgramTest, AMissingWinePrefixSaysHowToMakeOne) {
  testing::ScratchFolder folder("external-no-prefix");
  ProgramOptions options;
  options.command = {"store.exe"};
  options.work_folder = folder.path() / "run";
  options.wine.prefix = folder.path() / "no-prefix";
  Result<std::unique_ptr<sim::Machine>> machine = sim::Machine::Start({});
  ASSERT_THAT(machine.status(), IsOk());
  const ProgramOutcome outcome = RunProgram((*machine)->Connection("user"), options);
  EXPECT_FALSE(outcome.ok());
  EXPECT_THAT(outcome.error, HasSubstr("no Wine prefix at " + options.wine.prefix.string()));
  EXPECT_THAT(outcome.error, HasSubstr("wineboot --init"));
}

}  // namespace
}  // namespace bitsh::external

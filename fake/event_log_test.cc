// The event log keeps its most recent lines, every job's states, and tells listeners every line.
#include "fake/event_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "backend/testing/scratch_folder.h"
#include "fake/fake_service.h"
#include "fake/scripted_transport.h"

namespace bitsh::fake {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::StartsWith;

const TimePoint kStart = DefaultVirtualEpoch();

// Adds lines "0".."count-1", one virtual second apart, for job "{J}".
void AddLines(EventLog& log, int count) {
  for (int i = 0; i < count; ++i) log.Add(kStart + std::chrono::seconds(i), "{J}", "note", std::to_string(i));
}

TEST(EventLogTest, KeepsTheMostRecentLinesAndCountsTheOnesItLetGo) {
  EventLog log(kStart, 3);
  AddLines(log, 5);
  EXPECT_THAT(log.events(), ElementsAre(Field(&LogEvent::detail, "2"), Field(&LogEvent::detail, "3"),
                                        Field(&LogEvent::detail, "4")));
  EXPECT_EQ(log.dropped(), 2u);
  EXPECT_EQ(log.added(), 5u);
  EXPECT_EQ(log.ToText(), "(2 earlier lines not kept)\n+2.000s {J} note 2\n+3.000s {J} note 3\n+4.000s {J} note 4\n");
}

TEST(EventLogTest, ALineAddedToAFullLogCarriesNothingOfTheLineItReplaced) {
  EventLog log(kStart, 1);
  log.Add(kStart, "{A LONGER JOB TEXT THAN THE NEXT ONE}", "state", "a long detail of the first line", JobState::kQueued);
  log.Add(kStart + std::chrono::seconds(1), "{B}", "note", "2");
  ASSERT_EQ(log.events().size(), 1u);
  const LogEvent& kept = log.events().front();
  EXPECT_EQ(kept.at, std::chrono::seconds(1));
  EXPECT_EQ(kept.job, "{B}");
  EXPECT_EQ(kept.kind, "note");
  EXPECT_EQ(kept.detail, "2");
  EXPECT_EQ(kept.state, std::nullopt);
  EXPECT_EQ(log.ToText(), "(1 earlier lines not kept)\n+1.000s {B} note 2\n");
}

TEST(EventLogTest, KeepsEverythingUntilTheBoundIsReached) {
  EventLog log(kStart, 3);
  AddLines(log, 3);
  EXPECT_EQ(log.dropped(), 0u);
  EXPECT_THAT(log.ToText(), StartsWith("+0.000s {J} note 0\n"));
}

TEST(EventLogTest, EveryStateAJobEnteredSurvivesTheBound) {
  EventLog log(kStart, 1);
  log.Add(kStart, "{A}", "state", "-> QUEUED", JobState::kQueued);
  log.Add(kStart, "{B}", "state", "-> QUEUED", JobState::kQueued);
  log.Add(kStart, "{A}", "state", "QUEUED -> CONNECTING", JobState::kConnecting);
  log.Add(kStart, "{A}", "state", "CONNECTING -> TRANSIENT_ERROR", JobState::kTransientError);
  log.Add(kStart, "{B}", "note", "not a state");
  EXPECT_EQ(log.events().size(), 1u);
  EXPECT_THAT(log.StatesOf("{A}"), ElementsAre(JobState::kQueued, JobState::kConnecting, JobState::kTransientError));
  EXPECT_THAT(log.StatesOf("{B}"), ElementsAre(JobState::kQueued));
  EXPECT_TRUE(log.StatesOf("{C}").empty());
}

// Thousands of jobs, some through a track and some by text, in an order that is not the order
// they were first seen: each line and each state lands on its own job as the log's index grows.
TEST(EventLogTest, EachOfThousandsOfJobsKeepsItsOwnStatesAndLines) {
  EventLog log(kStart);
  constexpr int kJobs = 3000;
  std::vector<EventLog::JobTrack> tracks(kJobs);
  const auto text_of = [](int job) { return "{job " + std::to_string(job) + "}"; };
  for (int round = 0; round < 2; ++round) {
    for (int job = 0; job < kJobs; ++job) {
      const int which = round == 0 ? job : kJobs - 1 - job;
      const JobState state = round == 0 ? JobState::kQueued : JobState::kConnecting;
      if (which % 2 == 0) log.Add(kStart, text_of(which), tracks[which], "state", "", state);
      else log.Add(kStart, text_of(which), "state", "", state);
    }
  }
  for (int job = 0; job < kJobs; ++job) {
    ASSERT_THAT(log.StatesOf(text_of(job)), ElementsAre(JobState::kQueued, JobState::kConnecting)) << text_of(job);
  }
  EXPECT_TRUE(log.StatesOf("{job 3000}").empty());
  EXPECT_TRUE(log.StatesOf("").empty());
  const EventLog::KeptEvents events = log.events();
  ASSERT_EQ(events.size(), 2u * kJobs);
  EXPECT_EQ(events[0].job, "{job 0}");
  EXPECT_EQ(events[kJobs].job, "{job 2999}");
  EXPECT_EQ(events.back().job, "{job 0}");
}

TEST(EventLogTest, ALineThroughATrackIsTheSameLineAndStateAsAnAdd) {
  EventLog by_text(kStart), by_track(kStart);
  EventLog::JobTrack track;  // filled by the first Add through it, then kept, as the engine keeps it
  by_text.Add(kStart, "{A}", "state", "-> QUEUED", JobState::kQueued);
  by_track.Add(kStart, "{A}", track, "state", "-> QUEUED", JobState::kQueued);
  // A thousand other jobs make the log's table of jobs grow (and move) under the track.
  for (int i = 0; i < 1000; ++i) {
    by_text.Add(kStart, "{" + std::to_string(i) + "}", "state", "-> QUEUED", JobState::kQueued);
    by_track.Add(kStart, "{" + std::to_string(i) + "}", "state", "-> QUEUED", JobState::kQueued);
  }
  by_text.Add(kStart, "{A}", "note", "not a state");
  by_track.Add(kStart, "{A}", track, "note", "not a state");
  by_text.Add(kStart, "{A}", "state", "QUEUED -> CONNECTING", JobState::kConnecting);
  by_track.Add(kStart, "{A}", track, "state", "QUEUED -> CONNECTING", JobState::kConnecting);
  EXPECT_THAT(by_track.StatesOf("{A}"), ElementsAre(JobState::kQueued, JobState::kConnecting));
  EXPECT_EQ(by_track.ToText(), by_text.ToText());
  EXPECT_EQ(by_track.events().back().state, JobState::kConnecting);
  EXPECT_EQ(by_track.events().back().job, "{A}");
}

// The log keeps its lines compactly and makes a LogEvent when one is read: what is read back, and
// what a listener hears, is what was added, through a full log's reuse of its memory.
TEST(EventLogTest, AFullLogReadsBackEveryKeptLineAsAdded) {
  EventLog log(kStart, 50);
  std::vector<LogEvent> heard;
  log.AddListener([&](const LogEvent& event) { heard.push_back(event); });
  std::vector<LogEvent> added;
  for (int i = 0; i < 1000; ++i) {
    const std::string job = i % 7 == 0 ? "-" : "{JOB " + std::to_string(i % 5) + "}";
    const std::string kind = i % 3 == 0 ? "state" : "progress";
    // Details of every length from empty to a few hundred bytes.
    const std::string detail = std::string(static_cast<std::size_t>(i * 37 % 300), static_cast<char>('a' + i % 26));
    const std::optional<JobState> state = i % 3 == 0 ? std::optional(JobState::kQueued) : std::nullopt;
    log.Add(kStart + std::chrono::milliseconds(i), job, kind, detail, state);
    added.push_back({std::chrono::milliseconds(i), job, kind, detail, state});
  }
  ASSERT_EQ(log.events().size(), 50u);
  ASSERT_EQ(heard.size(), added.size());
  const auto same = [](const LogEvent& a, const LogEvent& b) {
    return a.at == b.at && a.job == b.job && a.kind == b.kind && a.detail == b.detail && a.state == b.state;
  };
  for (std::size_t i = 0; i < added.size(); ++i) EXPECT_TRUE(same(heard[i], added[i])) << "line " << i << " as heard";
  std::size_t i = added.size() - 50;
  for (const LogEvent& kept : log.events()) {
    EXPECT_TRUE(same(kept, added[i])) << "line " << i << " as kept";
    ++i;
  }
  EXPECT_EQ(log.events().begin()->detail, added[950].detail);  // through the iterator's arrow
}

TEST(EventLogTest, ListenersHearEveryLineInOrderEvenWhenNoneIsKept) {
  for (std::size_t kept : {std::size_t{0}, std::size_t{2}, EventLog::kKeepAll}) {
    EventLog log(kStart, kept);
    std::vector<std::string> first, second;
    log.AddListener([&](const LogEvent& event) { first.push_back(event.detail); });
    log.AddListener([&](const LogEvent& event) { second.push_back(event.detail); });
    AddLines(log, 4);
    EXPECT_THAT(first, ElementsAre("0", "1", "2", "3")) << "keeping " << kept;
    EXPECT_EQ(first, second);
    EXPECT_EQ(log.added(), 4u);
    EXPECT_EQ(log.events().size(), std::min<std::size_t>(kept, 4));
  }
}

// 14 days of retries for two jobs writing into `folder`, with a log that keeps `kept` lines: every
// line as a listener heard it, the log's own text, and each job's states.
struct RetryRun {
  std::string heard;
  std::string kept_text;
  std::vector<std::vector<JobState>> states;
};
RetryRun FourteenDaysOfRetries(std::size_t kept, const std::filesystem::path& folder) {
  ScriptedTransport transport;
  FakeOptions options;
  options.log_lines_kept = kept;
  FakeBitsService service(options, transport);
  RetryRun run;
  service.ListenToLog([&](const LogEvent& event) { run.heard += EventLog::FormatLine(event) + "\n"; });
  auto user = service.Connect("user");
  std::vector<JobId> jobs;
  for (const std::string name : {"a.wma", "b.wma"}) {
    const std::string url = "http://127.0.0.1/" + name;
    transport.AddFile(url, 1000, 1);
    transport.FailNext(url, hr::FromHttpStatus(503), 1'000'000);
    jobs.push_back(*user->CreateJob(name, JobType::kDownload));
    EXPECT_TRUE(user->AddFile(jobs.back(), url, (folder / name).string()).ok());
    EXPECT_TRUE(user->Resume(jobs.back()).ok());
  }
  EXPECT_TRUE(service.RunUntilIdle());
  for (const JobId& job : jobs) run.states.push_back(service.log().StatesOf(job.ToString()));
  run.kept_text = service.log().ToText();
  return run;
}

TEST(EventLogTest, ABoundedServiceLogLosesNothingAListenerOrAStateCheckNeeds) {
  const testing::ScratchFolder scratch("bitsh-event-log");
  const RetryRun everything = FourteenDaysOfRetries(EventLog::kKeepAll, scratch.path());
  const RetryRun bounded = FourteenDaysOfRetries(100, scratch.path());
  EXPECT_GT(everything.states[0].size(), 6000u);  // 2,016 retries of three states each
  EXPECT_EQ(bounded.states, everything.states);
  // Streamed, the trace is whole (compared without printing 18,000 lines when it is not).
  EXPECT_TRUE(bounded.heard == everything.heard) << EventLog::FirstDifference(bounded.heard, everything.heard);
  EXPECT_TRUE(everything.kept_text == everything.heard);
  // What the bounded log kept is the end of the whole trace, after a line saying so.
  const std::string tail = bounded.kept_text.substr(bounded.kept_text.find('\n') + 1);
  EXPECT_THAT(bounded.kept_text, StartsWith("("));
  EXPECT_TRUE(everything.heard.ends_with(tail));
  EXPECT_EQ(std::count(tail.begin(), tail.end(), '\n'), 100);
}

}  // namespace
}  // namespace bitsh::fake

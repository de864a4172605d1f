#include "scenarios/scenario_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "backend/testing/scratch_folder.h"
#include "scenarios/actions.h"

namespace bitsh::scenarios {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono;

std::vector<std::string> Errors(const std::string& text) {
  LoadResult result = LoadScenarioText(text, "s.yaml");
  std::vector<std::string> lines;
  for (const LoadError& error : result.errors) lines.push_back(error.ToString());
  EXPECT_EQ(result.scenario.has_value(), lines.empty());
  return lines;
}

// The scenario `text` loads into; a load error fails the test, naming the first error.
Scenario Loaded(const std::string& text) {
  LoadResult result = LoadScenarioText(text, "s.yaml");
  EXPECT_TRUE(result.scenario.has_value()) << (result.errors.empty() ? "" : result.errors[0].ToString());
  return result.scenario.value_or(Scenario{});
}

constexpr const char* kValid = R"(name: drop and resume
summary: a connection drops mid-file
seed: 9
max_virtual_time: 2h
store_keys: [Contoso]
engine: {chunk: 64KiB, time_slice: 30s}
server:
  files:
    - {path: /a.wma, size: 5MiB, seed: 3}
    - {path: /readme.txt, content: "hi"}
  faults:
    - {path: /a.wma, request: 2, kind: close_after_bytes, after: 1MB}
    - {path: /a.wma, kind: status, status: 503, retry_after: 30s}
network:
  bandwidth: 1MiB/s
  latency: 20ms
  changes: [{at: 10s, bandwidth: 64KiB/s}]
  outages: [{start: 1min, length: 10min}]
  drops: [30s]
users:
  - {name: alice, admin: false, logged_on: false}
events:
  - {at: 1h, logon: alice}
  - {at: 90min, restart_service: true}
jobs:
  - id: t1
    owner: alice
    convention: {service_id: 42, provider: Contoso, title: One, track_number: 1}
    priority: high
    retry_delay: 60s
    no_progress_timeout: 1h
    files: [{url: /a.wma, local: music/a.wma}]
    complete_when_transferred: true
    actions: [{at: 5s, do: suspend}, {at: 6s, do: resume}]
expect:
  - {job: t1, state: ACKNOWLEDGED, error_count: 1, bytes_transferred: 5MiB, states_include: [TRANSIENT_ERROR]}
  - {job: t1, at: 30s, state: TRANSFERRING, error: {code: BG_E_HTTP_ERROR_503, context: REMOTE_FILE}}
  - {job: t1, findings: []}
  - {file: music/a.wma, same_as: /a.wma}
  - {requests: /a.wma, ranges: ["", "bytes=0-"], count: 2}
  - {temp_files: false}
)";

TEST(ScenarioLoaderTest, ReadsEverySection) {
  LoadResult result = LoadScenarioText(kValid, "s.yaml");
  ASSERT_TRUE(result.errors.empty()) << result.errors.front().ToString();
  const Scenario& s = *result.scenario;
  EXPECT_EQ(s.name, "drop and resume");
  EXPECT_EQ(s.seed, 9u);
  EXPECT_EQ(s.max_virtual_time, hours(2));
  EXPECT_EQ(s.chunk_bytes, 65536u);
  EXPECT_EQ(s.time_slice, seconds(30));
  ASSERT_EQ(s.server_files.size(), 2u);
  EXPECT_EQ(s.server_files[0].size, 5u * 1024 * 1024);
  EXPECT_EQ(s.server_files[1].content, "hi");
  ASSERT_EQ(s.server_faults.size(), 2u);
  EXPECT_EQ(s.server_faults[0].kind, server::FaultKind::kCloseAfterBytes);
  EXPECT_EQ(s.server_faults[0].after_bytes, 1'000'000u);
  EXPECT_EQ(s.server_faults[1].retry_after_s, 30);
  EXPECT_EQ(s.network.bandwidth_bytes_per_s, 1024u * 1024);
  EXPECT_EQ(s.network.outages.at(0).length, minutes(10));
  EXPECT_EQ(s.network.drops.at(0), seconds(30));
  EXPECT_FALSE(s.users.at(0).logged_on);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[1].kind, FindMachineEventKind("restart_service"));
  const JobSpec& job = s.jobs.at(0);
  EXPECT_EQ(job.priority, JobPriority::kHigh);
  EXPECT_EQ(job.retry_delay_s, 60u);
  EXPECT_EQ(job.convention->service_id, 42u);
  EXPECT_EQ(job.actions.at(0).kind, FindJobActionKind("suspend"));
  EXPECT_TRUE(job.complete_when_transferred);
  ASSERT_EQ(s.expectations.size(), 6u);
  EXPECT_EQ(s.expectations[1].error_code, 0x801901F7u);
  EXPECT_EQ(s.expectations[1].at, seconds(30));
  EXPECT_EQ(s.expectations[2].findings, std::vector<std::string>{});
  EXPECT_EQ(s.expectations[4].ranges, (std::vector<std::string>{"", "bytes=0-"}));
  EXPECT_EQ(s.expectations[5].temp_files, false);
}

TEST(ScenarioLoaderTest, UnknownKeysAreReportedAtTheKey) {
  EXPECT_THAT(Errors("name: x\nsed: 3\n"),
              ElementsAre(HasSubstr("s.yaml:2:1: unknown key 'sed' in the scenario (known: name, summary, seed")));
  EXPECT_THAT(Errors("name: x\nnetwork:\n  bandwith: 1MiB/s\n"),
              ElementsAre(HasSubstr("s.yaml:3:3: unknown key 'bandwith' in network")));
}

TEST(ScenarioLoaderTest, UnknownKeysAtEveryLevelAreReportedInOnePassWithTheRestOfTheMap) {
  const std::string text =
      "name: x\n"
      "server:\n"
      "  files: [{path: /a, size: 1MiB, colour: red}]\n"
      "  faults: [{path: /a, kind: status, status: 999, extra: 1}]\n"
      "network: {bandwidth: 1MiB/s, jitter: 5ms, changes: [{at: 1s, bandwidth: 2MiB/s, why: x}]}\n"
      "jobs:\n"
      "  - id: t1\n"
      "    retry_dealy: 60s\n"
      "    convention: {service_id: 1, titel: One}\n"
      "    files: [{url: /a, local: a.wma, mode: x}]\n"
      "    priority: urgent\n"
      "expect:\n"
      "  - {job: t1, state: QUEUED, when: 1s, error: {code: BG_E_NOPE, why: x}}\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(HasSubstr("s.yaml:3:34: unknown key 'colour' in a server file"),
                          HasSubstr("s.yaml:4:45: status must be an HTTP status"),
                          HasSubstr("s.yaml:4:50: unknown key 'extra' in a server fault"),
                          HasSubstr("s.yaml:5:30: unknown key 'jitter' in network"),
                          HasSubstr("s.yaml:5:81: unknown key 'why' in a bandwidth change"),
                          HasSubstr("s.yaml:8:5: unknown key 'retry_dealy' in a job"),
                          HasSubstr("s.yaml:9:33: unknown key 'titel' in convention"),
                          HasSubstr("s.yaml:10:37: unknown key 'mode' in a job file"),
                          HasSubstr("s.yaml:11:15: 'URGENT' is not a priority"),
                          HasSubstr("s.yaml:13:30: unknown key 'when' in an expectation"),
                          HasSubstr("s.yaml:13:54: 'BG_E_NOPE' is not an HRESULT name"),
                          HasSubstr("s.yaml:13:65: unknown key 'why' in error")));
}

TEST(ScenarioLoaderTest, AMisspeltJobKeyIsReportedOnceAndTheJobStaysKnown) {
  const std::string text = "name: x\njobs:\n  - {id: t1, retry_dealy: 60s}\nexpect:\n  - {job: t1, state: QUEUED}\n";
  EXPECT_THAT(Errors(text), ElementsAre(HasSubstr("s.yaml:3:14: unknown key 'retry_dealy' in a job")));
}

TEST(ScenarioLoaderTest, AnUnknownKeyCloseToAKnownOneSaysWhichWasMeant) {
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: t1, retry_dealy: 60s, ownr: a, bogus: 1}\n"),
              ElementsAre(::testing::EndsWith("copies); did you mean 'retry_delay'?"),
                          ::testing::EndsWith("copies); did you mean 'owner'?"), ::testing::EndsWith("copies)")));
  EXPECT_THAT(Errors("name: x\nsed: 3\n"), ElementsAre(::testing::EndsWith("; did you mean 'seed'?")));
}

TEST(ScenarioLoaderTest, ANameWhoseDefinitionHasAnErrorIsNotAlsoReportedMissing) {
  // A user, a server file and jobs whose names could not be read, and a template whose copies
  // were not made: only their own errors, never "no user", "no server file" or "no job", and a
  // misspelt name key is not also reported as missing.
  const std::string text =
      "name: x\n"
      "users: [{nme: alice}]\n"
      "events: [{at: 1s, logon: alice}]\n"
      "server: {files: [{pth: /a, size: 1MiB}]}\n"
      "jobs:\n"
      "  - {Id: t1, files: [{url: /a, local: a.wma}]}\n"
      "  - {id: t2, files: [{url: /a, lcoal: b.wma}]}\n"
      "  - {id: \"c{n}\", copies: many, files: [{url: /a, local: \"c{n}.wma\"}]}\n"
      "expect:\n"
      "  - {job: t1, state: QUEUED}\n"
      "  - {job: c2, state: QUEUED}\n"
      "  - {file: c2.wma, same_as: /a}\n"
      "  - {file: b.wma, exists: true}\n"
      "  - {requests: /a, count: 1}\n";
  EXPECT_THAT(Errors(text), ElementsAre(HasSubstr("s.yaml:2:10: unknown key 'nme' in a user"),
                                        HasSubstr("s.yaml:4:19: unknown key 'pth' in a server file"),
                                        HasSubstr("s.yaml:6:6: unknown key 'Id' in a job"),
                                        HasSubstr("s.yaml:7:32: unknown key 'lcoal' in a job file"),
                                        HasSubstr("s.yaml:8:26: copies: 'many' is not a whole number")));
}

TEST(ScenarioLoaderTest, AMissingNameIsStillReportedWhenNoUnknownKeyLooksLikeIt) {
  EXPECT_THAT(Errors("name: x\nusers: [{admin: true, colour: red}]\n"),
              ElementsAre("s.yaml:2:9: a user needs a 'name'", HasSubstr("s.yaml:2:23: unknown key 'colour' in a user")));
}

TEST(ScenarioLoaderTest, AMisspeltSubjectOrAnUnreadablePlayerSectionIsReportedOnce) {
  const std::string text =
      "name: x\n"
      "player: [refresh_download]\n"
      "expect:\n"
      "  - {libary: a.wma}\n"
      "  - {library: b.wma, title: B}\n";
  EXPECT_THAT(Errors(text), ElementsAre("s.yaml:2:9: player must be a mapping of keys to values",
                                        HasSubstr("s.yaml:4:6: unknown key 'libary' in an expectation")));
}

TEST(ScenarioLoaderTest, WrongTypesAreReportedAtTheValue) {
  EXPECT_THAT(Errors("name: x\nseed: many\n"), ElementsAre("s.yaml:2:7: seed: 'many' is not a whole number"));
  EXPECT_THAT(Errors("name: x\njobs: {id: t}\n"), ElementsAre("s.yaml:2:7: jobs must be a list"));
  EXPECT_THAT(Errors("name: x\nusers:\n  - {name: a, admin: yes}\n"),
              ElementsAre("s.yaml:3:22: admin: 'yes' is not true or false"));
}

TEST(ScenarioLoaderTest, BadDurationsAndSizesNameTheirPlace) {
  EXPECT_THAT(Errors("name: x\nnetwork:\n  latency: 20 msec\n"),
              ElementsAre(HasSubstr("s.yaml:3:12: latency: '20 msec' is not a duration")));
  EXPECT_THAT(Errors("name: x\nserver:\n  files:\n    - {path: /a, size: 5 megs}\n"),
              ElementsAre(HasSubstr("s.yaml:4:24: size: '5 megs' is not a size in bytes")));
  EXPECT_THAT(Errors("name: x\nnetwork: {bandwidth: 1MiB}\n"),
              ElementsAre(HasSubstr("s.yaml:2:22: bandwidth: '1MiB' is not a bandwidth")));
}

TEST(ScenarioLoaderTest, ReferencesToUndefinedNamesAreErrors) {
  const std::string text =
      "name: x\n"
      "jobs:\n"
      "  - {id: t1, files: [{url: /a, local: a.wma}]}\n"
      "events:\n"
      "  - {at: 1s, logoff: nobody}\n"
      "expect:\n"
      "  - {job: t2, state: QUEUED}\n"
      "  - {file: b.wma, exists: true}\n"
      "  - {file: a.wma, same_as: /nope}\n"
      "  - {job: t1, findings: [WMP-NOT-A-RULE]}\n";
  EXPECT_THAT(Errors(text), ElementsAre("s.yaml:5:5: no user 'nobody' (list it under 'users' or own a job)",
                                        "s.yaml:7:5: no job 't2' (defined jobs are named by their 'id')",
                                        "s.yaml:8:5: no job downloads to 'b.wma'",
                                        "s.yaml:9:5: same_as: no server file or machine file '/nope'",
                                        "s.yaml:10:5: findings: 'WMP-NOT-A-RULE' is not a convention rule id"));
}

TEST(ScenarioLoaderTest, MachineFilesSharesAndLocalSourcesAreRead) {
  const std::string text =
      "name: x\n"
      "machine:\n"
      "  files: [{path: staging/a.wma, size: 1KiB}, {path: b.txt, content: hi}]\n"
      "  shares: [{name: '\\\\media\\store', folder: shares/store}, {name: 'D:', folder: d}]\n"
      "jobs:\n"
      "  - id: t\n"
      "    files:\n"
      "      - {url: '{work}/staging/a.wma', local: a.wma}\n"
      "      - {url: 'file://{work}/b.txt', local: b.txt}\n"
      "      - {url: '\\\\media\\store\\c.wma', local: c.wma}\n"
      "expect:\n"
      "  - {file: a.wma, same_as: staging/a.wma}\n";
  const Scenario s = Loaded(text);
  ASSERT_EQ(s.machine_files.size(), 2u);
  EXPECT_EQ(s.machine_files[0].path, "staging/a.wma");
  EXPECT_EQ(s.machine_files[0].size, 1024u);
  EXPECT_EQ(s.machine_files[1].content, "hi");
  ASSERT_EQ(s.shares.size(), 2u);
  EXPECT_EQ(s.shares[0].name, "\\\\media\\store");
  EXPECT_EQ(s.shares[0].folder, "shares/store");
  EXPECT_EQ(s.jobs.at(0).files.at(2).url, "\\\\media\\store\\c.wma");
}

TEST(ScenarioLoaderTest, BadMachineFilesSharesAndUrlsAreReportedWhereTheyAre) {
  const std::string text =
      "name: x\n"
      "machine:\n"
      "  files: [{path: ../out.wma, size: 1}]\n"
      "  shares: [{name: media, folder: s}, {name: 'E:', folder: /abs}]\n"
      "jobs:\n"
      "  - id: t\n"
      "    files: [{url: 'ftp://h/a.wma', local: a.wma}, {url: 'staging/b.wma', local: b.wma}]\n"
      "expect:\n"
      "  - {file: a.wma, same_as: staging/none.wma}\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(HasSubstr("s.yaml:3:11: a machine file needs a 'path' relative to the work folder"),
                          HasSubstr("s.yaml:4:19: a share needs a 'name' that is a UNC share"),
                          HasSubstr("s.yaml:4:59: a share needs a 'folder' relative to the work folder"),
                          HasSubstr("s.yaml:7:19: url 'ftp://h/a.wma' is not a server path"),
                          HasSubstr("s.yaml:7:57: url 'staging/b.wma' is not a server path"),
                          "s.yaml:9:5: same_as: no server file or machine file 'staging/none.wma'"));
}

TEST(ScenarioLoaderTest, CustomHeadersARequiredHeaderFaultAndAHeaderExpectationAreRead) {
  const std::string text =
      "name: x\n"
      "server:\n"
      "  files: [{path: /a, size: 1}]\n"
      "  faults: [{path: /a, kind: require_header, header: 'X-Token: t'}]\n"
      "jobs:\n"
      "  - {id: one, headers: 'X-Token: t', files: [{url: /a, local: a}]}\n"
      "  - {id: two, headers: ['A: 1', 'B: 2'], files: [{url: /a, local: b}]}\n"
      "expect:\n"
      "  - {requests: /a, header: {X-Token: t}}\n";
  const Scenario s = Loaded(text);
  EXPECT_EQ(s.server_faults.at(0).kind, server::FaultKind::kRequireHeader);
  EXPECT_EQ(s.server_faults.at(0).required_header, "X-Token: t");
  EXPECT_THAT(s.jobs.at(0).headers, ElementsAre("X-Token: t"));
  EXPECT_THAT(s.jobs.at(1).headers, ElementsAre("A: 1", "B: 2"));
  ASSERT_TRUE(s.expectations.at(0).request_headers.has_value());
  EXPECT_THAT(*s.expectations.at(0).request_headers, ElementsAre(std::pair<std::string, std::string>("X-Token", "t")));
}

TEST(ScenarioLoaderTest, CredentialsAndABasicAuthFaultAreRead) {
  const std::string text =
      "name: x\n"
      "server:\n"
      "  files: [{path: /a, size: 1}]\n"
      "  faults: [{path: /a, kind: require_basic_auth, credentials: 'store:s3:cret'}]\n"
      "jobs:\n"
      "  - id: t\n"
      "    credentials: [{user: store, password: s3cret}, {target: proxy, scheme: ntlm}]\n"
      "    files: [{url: /a, local: a}]\n";
  const Scenario s = Loaded(text);
  EXPECT_EQ(s.server_faults.at(0).basic_credentials, "store:s3:cret");
  EXPECT_THAT(s.jobs.at(0).credentials,
              ElementsAre(AuthCredentials{AuthTarget::kServer, AuthScheme::kBasic, "store", "s3cret"},
                          AuthCredentials{AuthTarget::kProxy, AuthScheme::kNtlm, std::nullopt, std::nullopt}));
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: t, credentials: [{target: gateway, scheme: kerberos}], files: [{url: /a, local: a}]}\n"),
              ElementsAre(HasSubstr("'gateway' is not a credentials target (server, proxy)"),
                          HasSubstr("'kerberos' is not a scheme (basic, digest, ntlm, negotiate, passport)")));
}

TEST(ScenarioLoaderTest, AProxyItsFaultsTheUsersSettingsAndAJobsSettingsAreRead) {
  const std::string text =
      "name: x\n"
      "server:\n"
      "  files: [{path: /a, size: 1}]\n"
      "proxy:\n"
      "  credentials: 'corp:pw'\n"
      "  faults: [{path: /a, method: GET, request: 2, kind: close_after_bytes, after: 10}]\n"
      "machine:\n"
      "  proxy: {list: '{proxy}', bypass: '<local>'}\n"
      "jobs:\n"
      "  - {id: t, proxy: {usage: override, list: 'http={proxy}', bypass: '*.example'}, files: [{url: /a, local: a}]}\n"
      "  - {id: u, proxy: {usage: NO_PROXY}, files: [{url: /a, local: b}]}\n"
      "expect:\n"
      "  - {requests: /a, via: proxy, count: 2}\n";
  const Scenario s = Loaded(text);
  ASSERT_TRUE(s.proxy.has_value());
  EXPECT_EQ(s.proxy->credentials, "corp:pw");
  ASSERT_EQ(s.proxy->faults.size(), 1u);
  EXPECT_EQ(s.proxy->faults[0].kind, server::FaultKind::kCloseAfterBytes);
  EXPECT_EQ(s.proxy->faults[0].after_bytes, 10u);
  ASSERT_TRUE(s.user_proxy.has_value());
  EXPECT_EQ(s.user_proxy->proxy_list, "{proxy}");
  EXPECT_EQ(s.user_proxy->bypass_list, "<local>");
  EXPECT_EQ(s.jobs.at(0).proxy, (ProxySettings{ProxyUsage::kOverride, "http={proxy}", "*.example"}));
  EXPECT_EQ(s.jobs.at(1).proxy, (ProxySettings{ProxyUsage::kNoProxy, std::nullopt, std::nullopt}));
  EXPECT_TRUE(s.expectations.at(0).via_proxy);
  EXPECT_TRUE(Loaded("name: x\nproxy:\n").proxy.has_value()) << "an open proxy needs no keys";
}

TEST(ScenarioLoaderTest, AJobsNotificationsAndCallbackExpectationsAreRead) {
  const std::string text =
      "name: x\n"
      "jobs:\n"
      "  - id: t\n"
      "    files: [{url: /a, local: a}]\n"
      "    notify:\n"
      "      flags: [transferred, file_transferred, modification]\n"
      "      callback: {fail: {transferred: 2, file_transferred: 1}}\n"
      "      command_line: {program: 'C:\\a.exe', parameters: 'C:\\a.exe 1', exit_codes: [1, 0]}\n"
      "      complete: true\n"
      "  - {id: u, files: [{url: /a, local: b}], notify: {callback: true}}\n"
      "expect:\n"
      "  - {job: t, callbacks: [file_transferred, transferred, command_line], min_modifications: 3}\n"
      "  - {job: u, callbacks: []}\n";
  const Scenario s = Loaded(text);
  ASSERT_TRUE(s.jobs.at(0).notify.has_value());
  const NotifySpec& notify = *s.jobs.at(0).notify;
  EXPECT_EQ(notify.flags, notify_flags::kJobTransferred | notify_flags::kFileTransferred | notify_flags::kJobModification);
  EXPECT_TRUE(notify.callback);
  EXPECT_EQ(notify.callback_failures, (std::map<std::string, int>{{"FileTransferred", 1}, {"JobTransferred", 2}}));
  EXPECT_EQ(notify.command_line, (NotifyCommandLine{"C:\\a.exe", "C:\\a.exe 1"}));
  EXPECT_EQ(notify.exit_codes, (std::vector<int>{1, 0}));
  EXPECT_TRUE(notify.complete);
  ASSERT_TRUE(s.jobs.at(1).notify.has_value());
  EXPECT_TRUE(s.jobs.at(1).notify->callback);
  EXPECT_FALSE(s.jobs.at(1).notify->flags.has_value()) << "absent flags leave the job's default";
  EXPECT_EQ(s.expectations.at(0).callbacks, (std::vector<std::string>{"file_transferred", "transferred", "command_line"}));
  EXPECT_EQ(s.expectations.at(0).min_modifications, 3u);
  EXPECT_EQ(s.expectations.at(1).callbacks, std::vector<std::string>{});
}

TEST(ScenarioLoaderTest, NotificationMistakesAreReportedWhereTheyAre) {
  const std::string text =
      "name: x\n"
      "jobs:\n"
      "  - {id: t, files: [{url: /a, local: a}], notify: {flags: [done]}}\n"
      "  - {id: u, files: [{url: /a, local: b}], notify: {callback: {fail: {modification: 1}}}}\n"
      "  - {id: v, files: [{url: /a, local: c}], notify: {command_line: {parameters: x}}}\n"
      "  - {id: w, files: [{url: /a, local: d}], notify: {complete: true}}\n"
      "expect:\n"
      "  - {job: t, callbacks: [modification]}\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(HasSubstr("s.yaml:3:60: flags: 'done' is not a notify flag"),
                          HasSubstr("s.yaml:4:70: fail: 'modification' is not a callback that can fail"),
                          HasSubstr("s.yaml:5:66: command_line needs a 'program'"),
                          HasSubstr("s.yaml:6:62: complete: the store completes the job when it hears of it"),
                          HasSubstr("s.yaml:8:26: callbacks: 'modification' is not a notification")));
  EXPECT_THAT(Errors("name: x\njobs:\n"
                     "  - id: t\n"
                     "    files: [{url: /a, local: a}]\n"
                     "    notify:\n"
                     "      flags: [error]\n"
                     "      callback: {fail: {transferred: 1}}\n"
                     "      command_line: {program: 'C:\\a.exe', exit_codes: [4294967296]}\n"
                     "      complete: true\n"),
              ElementsAre(HasSubstr("s.yaml:7:17: callback: JobTransferred is told to fail, but the flags never ask"),
                          HasSubstr("s.yaml:8:56: exit_codes: 4294967296 is not an exit code"),
                          HasSubstr("s.yaml:9:17: complete: the flags leave out 'transferred'")));
}

TEST(ScenarioLoaderTest, TheNetworksCostATransferPolicyAndAPolicyChangeAreRead) {
  const std::string text =
      "name: x\n"
      "network:\n"
      "  cost: metered\n"
      "  costs: [{at: 1h, cost: roaming, congested: true}, {at: 2h, cost: no_cost}]\n"
      "jobs:\n"
      "  - id: t\n"
      "    transfer_policy: not_roaming\n"
      "    files: [{url: /a, local: a}]\n"
      "    actions: [{at: 5min, do: set_transfer_policy, policy: '0x800000FF'}]\n";
  const Scenario s = Loaded(text);
  ASSERT_EQ(s.network.cost_changes.size(), 3u);
  EXPECT_EQ(s.network.cost_changes[0].at, Duration::zero());
  EXPECT_EQ(s.network.cost_changes[0].cost, cost_states::kUsageBased);
  EXPECT_EQ(s.network.cost_changes[1].cost, cost_states::kRoaming);
  EXPECT_TRUE(s.network.cost_changes[1].congested);
  EXPECT_EQ(s.network.cost_changes[2].cost, cost_states::kUnrestricted);
  EXPECT_EQ(s.jobs.at(0).transfer_policy, cost_states::kPolicyNotRoaming);
  ASSERT_EQ(s.jobs.at(0).actions.size(), 1u);
  EXPECT_EQ(s.jobs.at(0).actions[0].policy, cost_states::kPolicyAlways);
}

TEST(ScenarioLoaderTest, TheMachinesGroupPoliciesAreRead) {
  const Scenario s = Loaded("name: x\nmachine:\n  policies: {job_inactivity_timeout: 7d, max_internet_bandwidth: 0, "
                            "max_internet_bandwidth_until: 8h}\n");
  EXPECT_EQ(s.job_inactivity_timeout, std::chrono::hours(24 * 7));
  EXPECT_EQ(s.max_internet_bandwidth, 0u) << "0 blocks; it is not 'unlimited' here";
  EXPECT_EQ(s.max_internet_bandwidth_until, std::chrono::hours(8));
  EXPECT_EQ(Loaded("name: x\nmachine:\n  policies: {max_internet_bandwidth: 64KiB/s}\n").max_internet_bandwidth, 65536u);
  EXPECT_THAT(Errors("name: x\nmachine:\n  policies: {max_internet_bandwidth_until: 8h}\n"),
              ElementsAre(HasSubstr("s.yaml:3:44: max_internet_bandwidth_until: there is no max_internet_bandwidth to end")));
}

TEST(ScenarioLoaderTest, TheOtherJobPropertiesAndAUsersStoredCredentialsAreRead) {
  const std::string text =
      "name: x\n"
      "users: [{name: user, stored_credentials: 'corp:pw'}]\n"
      "jobs:\n"
      "  - id: t\n"
      "    high_performance: true\n"
      "    dynamic_content: true\n"
      "    max_download_size: 2MiB\n"
      "    use_stored_credentials: proxy\n"
      "    files: [{url: /a, local: a}]\n";
  const Scenario s = Loaded(text);
  EXPECT_EQ(s.users.at(0).stored_credentials, "corp:pw");
  const JobSpec& job = s.jobs.at(0);
  EXPECT_TRUE(job.high_performance);
  EXPECT_TRUE(job.dynamic_content);
  EXPECT_EQ(job.max_download_size, 2u * 1024 * 1024);
  EXPECT_TRUE(job.use_stored_credentials);
}

TEST(ScenarioLoaderTest, JobPropertyMistakesAreReportedWhereTheyAre) {
  const std::string text =
      "name: x\n"
      "users: [{name: user, stored_credentials: corp}]\n"
      "jobs:\n"
      "  - id: t\n"
      "    max_download_size: 0\n"
      "    use_stored_credentials: server\n"
      "    dynamic_content: true\n"
      "    files: [{url: /a, local: a, ranges: ['0:10']}]\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(HasSubstr("s.yaml:2:42: stored_credentials: give 'name:password'"),
                          HasSubstr("s.yaml:5:24: max_download_size: 0 bytes is not a cap BITS takes"),
                          HasSubstr("s.yaml:6:29: use_stored_credentials: 'server' is not supported; BITS takes 'proxy' only"),
                          HasSubstr("s.yaml:7:22: dynamic_content: a dynamic job takes whole files, not 'ranges'")));
}

TEST(ScenarioLoaderTest, CostAndPolicyMistakesAreReportedWhereTheyAre) {
  const std::string text =
      "name: x\n"
      "network: {cost: free, costs: [{at: 1h}]}\n"
      "jobs:\n"
      "  - id: t\n"
      "    transfer_policy: cheap\n"
      "    files: [{url: /a, local: a}]\n"
      "    actions: [{at: 1s, do: set_transfer_policy}, {at: 2s, do: suspend, policy: always}]\n";
  EXPECT_THAT(Errors(text),
              ElementsAre(HasSubstr("s.yaml:2:17: 'free' is not a network cost"),
                          HasSubstr("s.yaml:2:31: a cost change needs 'at' and 'cost'"),
                          HasSubstr("s.yaml:5:22: 'cheap' is not a transfer policy"),
                          HasSubstr("s.yaml:7:15: 'set_transfer_policy' needs 'policy'"),
                          HasSubstr("s.yaml:7:50: 'suspend' takes no 'policy'")));
}

TEST(ScenarioLoaderTest, ProxyMistakesAreReportedWhereTheyAre) {
  const std::string text =
      "name: x\n"
      "proxy:\n"
      "  credentials: corp\n"
      "  faults: [{path: /a, kind: ignore_range}]\n"
      "jobs:\n"
      "  - {id: t, proxy: {usage: direct}, files: [{url: /a, local: a}]}\n"
      "  - {id: u, proxy: {usage: no_proxy, list: 'p:1'}, files: [{url: /a, local: b}]}\n"
      "  - {id: v, proxy: {usage: override}, files: [{url: /a, local: c}]}\n"
      "expect:\n"
      "  - {requests: /a, via: gateway}\n";
  EXPECT_THAT(Errors(text),
              ElementsAre("s.yaml:3:16: proxy.credentials: 'corp' is not 'user:password'",
                          "s.yaml:4:29: a proxy does not apply 'ignore_range' (close_after_bytes, reset_after_bytes, status, "
                          "stall, dribble, require_basic_auth)",
                          "s.yaml:6:28: proxy needs a 'usage' (preconfig, no_proxy, override, autodetect)",
                          HasSubstr("s.yaml:7:20: proxy: proxy and bypass lists must be NULL with NO_PROXY"),
                          HasSubstr("s.yaml:8:20: proxy: OVERRIDE needs a proxy list"),
                          "s.yaml:10:25: via: 'gateway' is not 'server' or 'proxy'"));
  // "{proxy}" and 'via: proxy' need a proxy to name.
  EXPECT_THAT(Errors("name: x\nmachine:\n  proxy: {list: '{proxy}'}\njobs:\n"
                     "  - {id: t, proxy: {usage: override, list: '{proxy}'}, files: [{url: /a, local: a}]}\n"
                     "expect:\n  - {requests: /a, via: proxy}\n"),
              ElementsAre(HasSubstr("s.yaml:3:10: '{proxy}' names the scenario's proxy, and it has no 'proxy' section"),
                          HasSubstr("s.yaml:5:20: '{proxy}' names the scenario's proxy"),
                          "s.yaml:7:25: via: proxy needs a 'proxy' section"));
}

TEST(ScenarioLoaderTest, FileActionsNameAFileOfTheJob) {
  const Scenario s = Loaded("name: x\njobs:\n  - {id: t, files: [{url: /a, local: a}, {url: /b, local: b}], "
                            "actions: [{at: 1s, do: invalidate_file, file: 1}]}\n");
  EXPECT_EQ(s.jobs.at(0).actions.at(0).file_index, 1u);
  EXPECT_THAT(Errors("name: x\njobs:\n  - id: t\n    files: [{url: /a, local: a}]\n    actions:\n"
                     "      - {at: 1s, do: validate_file}\n"
                     "      - {at: 2s, do: invalidate_file, file: 1}\n"
                     "      - {at: 3s, do: resume, file: 0}\n"),
              ElementsAre("s.yaml:6:9: 'validate_file' needs 'file' (the file's index in the job, from 0)",
                          "s.yaml:7:45: file 1: job 't' has 1 file(s), numbered from 0",
                          "s.yaml:8:9: 'resume' takes no 'file'"));
}

TEST(ScenarioLoaderTest, FileRangesAreReadAsBitsadminWritesThemAndCheckedWhereTheyAre) {
  const Scenario s = Loaded("name: x\njobs:\n  - {id: t, files: [{url: /a, local: a, ranges: ['900:eof', '0:100']}]}\n");
  EXPECT_EQ(s.jobs.at(0).files.at(0).ranges, (std::vector<FileRange>{{900, kLengthToEof}, {0, 100}}));
  EXPECT_THAT(Errors("name: x\njobs:\n"
                     "  - {id: t, files: [{url: /a, local: a, ranges: ['0:100', '50:10']}]}\n"
                     "  - {id: u, files: [{url: /a, local: b, ranges: ['x:1']}]}\n"
                     "  - {id: v, files: [{url: /a, local: c, ranges: []}]}\n"),
              ElementsAre(HasSubstr("s.yaml:3:49: ranges: ranges 0:100 and 50:10 overlap"),
                          "s.yaml:4:49: ranges: 'x:1' is not OFFSET:LENGTH or OFFSET:eof (bytes)",
                          HasSubstr("s.yaml:5:49: ranges: give one range or more")));
}

TEST(ScenarioLoaderTest, AFileSetTakesWholeFilesOnly) {
  EXPECT_TRUE(Loaded("name: x\njobs:\n  - {id: t, files_as_set: true, files: [{url: /a, local: a}, {url: /b, local: b}]}\n")
                  .jobs.at(0).files_as_set);
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: t, files_as_set: true, files: [{url: /a, local: a, ranges: ['0:1']}]}\n"),
              ElementsAre(HasSubstr("s.yaml:3:27: files_as_set: AddFileSet takes whole files")));
}

TEST(ScenarioLoaderTest, BadHeadersAreReportedWhereTheyAre) {
  const std::string text =
      "name: x\n"
      "server:\n"
      "  files: [{path: /a, size: 1}]\n"
      "  faults: [{path: /a, kind: require_header}]\n"
      "jobs:\n"
      "  - {id: t, headers: ['ok: 1', 'bad', 'Range: bytes=0-'], files: [{url: /a, local: a}]}\n"
      "expect:\n"
      "  - {requests: /a, header: [x]}\n";
  EXPECT_THAT(Errors(text), ElementsAre("s.yaml:4:12: fault 'require_header' needs 'header'",
                                        HasSubstr("s.yaml:6:22: headers: 'bad' is not one 'Name: value' field"),
                                        HasSubstr("s.yaml:6:22: headers: 'Range: bytes=0-' is not one 'Name: value' field "
                                                  "(custom header line 1 'Range: bytes=0-': Range is set by the transfer itself)"),
                                        HasSubstr("s.yaml:8:28: header: give the fields every request must carry")));
}

TEST(ScenarioLoaderTest, LocalPathsMayNotLeaveTheWorkFolder) {
  for (const char* local : {"../up.wma", "/etc/passwd", "a/../../b.wma", "a\\\\b.wma"}) {
    const std::string text = std::string("name: x\njobs:\n  - id: t\n    files:\n      - url: /a\n        local: \"") +
                             local + "\"\n";
    EXPECT_THAT(Errors(text), ElementsAre(HasSubstr("s.yaml:6:16: local path"))) << local;
  }
}

TEST(ScenarioLoaderTest, AllErrorsComeInOnePassAndNothingIsReturned) {
  const std::string text = "name: x\nseed: -1\nmax_virtual_time: forever\nbogus: 1\nnetwork: {latency: 5}\n";
  LoadResult result = LoadScenarioText(text, "s.yaml");
  EXPECT_FALSE(result.scenario.has_value());
  EXPECT_EQ(result.errors.size(), 4u);
}

TEST(ScenarioLoaderTest, ErrorsComeSortedByLineAndColumnWhateverTheSectionOrder) {
  // The loader reads jobs before expectations and checks references last; the file says otherwise.
  const std::string text =
      "name: x\n"
      "expect:\n"
      "  - {job: t9, state: BOGUS}\n"
      "jobs:\n"
      "  - {id: t1, priority: urgent, retry_delay: soon}\n";
  EXPECT_THAT(Errors(text), ElementsAre(HasSubstr("s.yaml:3:5: no job 't9'"), HasSubstr("s.yaml:3:22: state: 'BOGUS'"),
                                        HasSubstr("s.yaml:5:24: 'URGENT' is not a priority"),
                                        HasSubstr("s.yaml:5:45: retry_delay: 'soon'")));
}

TEST(ScenarioLoaderTest, YamlSyntaxErrorsHaveALineAndColumn) {
  EXPECT_THAT(Errors("name: x\njobs: [\n  - {id: t\n"), ElementsAre(::testing::StartsWith("s.yaml:")));
  EXPECT_THAT(Errors("name: x\n  bad indent: 1\n"), ElementsAre(::testing::MatchesRegex("s\\.yaml:[0-9]+:[0-9]+: .*")));
}

TEST(ScenarioLoaderTest, AnUnquotedPlaceholderInAFlowMapGetsAHintToQuoteTheValue) {
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: track{n}, copies: 3}\n"),
              ElementsAre("s.yaml:3:15: end of map flow not found\n  hint: inside { } or [ ], a '{' starts a nested "
                          "map; quote the value: id: \"track{n}\""));
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: t, files: [{url: /album/{n}.wma, local: a}]}\n"),
              ElementsAre(HasSubstr("hint: inside { } or [ ], a '{' starts a nested map; quote the value: "
                                    "url: \"/album/{n}.wma\"")));
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: track{n}}\n"), ElementsAre(HasSubstr("quote the value: id: \"track{n}\"")));
}

TEST(ScenarioLoaderTest, AnUnclosedFlowMapGetsAHintToCloseIt) {
  EXPECT_THAT(Errors("name: x\nnetwork: {latency: 1s\nseed: 2\n"),
              ElementsAre(::testing::StartsWith("s.yaml:3:5: end of map flow not found\n  hint: a '{' map must end "
                                                "with '}'")));
}

TEST(ScenarioLoaderTest, ATabUsedForIndentationGetsAHintToUseSpaces) {
  EXPECT_THAT(Errors("name: x\njobs:\n  - id: a\n\t  owner: b\n"),
              ElementsAre("s.yaml:4:1: illegal tab when looking for indentation\n"
                          "  hint: YAML forbids tabs for indentation; indent with spaces"));
  EXPECT_THAT(Errors("name: x\njobs:\n\t- id: a\n"),
              ElementsAre("s.yaml:3:2: illegal block entry\n  hint: YAML forbids tabs for indentation; indent with spaces"));
}

TEST(ScenarioLoaderTest, FaultsAreCheckedForTheirParameters) {
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, kind: explode}\n"),
              ElementsAre(HasSubstr("s.yaml:4:24: 'explode' is not a fault kind")));
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, kind: close_after_bytes}\n"),
              ElementsAre("s.yaml:4:7: fault 'close_after_bytes' needs 'after'"));
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, method: PUT, kind: ignore_range}\n"),
              ElementsAre("s.yaml:4:26: method must be GET or HEAD"));
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, kind: corrupt_bytes}\n"),
              ElementsAre("s.yaml:4:7: fault 'corrupt_bytes' needs 'offset'"));
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, kind: corrupt_bytes, offset: 1KiB, length: 0}\n"),
              ElementsAre("s.yaml:4:61: length: corrupt at least one byte"));
  EXPECT_THAT(Errors("name: x\nserver:\n  files: [{path: /a, size: 1KiB}]\n  faults:\n    - {path: /a, kind: corrupt_bytes, offset: 1KiB}\n"),
              ElementsAre("s.yaml:5:47: offset: byte 1024 is past the end of /a (1024 bytes): no byte would be sent wrong"));
  EXPECT_THAT(Errors("name: x\nserver:\n  files: [{path: /a, size: 1KiB}]\n  faults:\n    - {path: /a, kind: corrupt_bytes, offset: 1023}\n"),
              ::testing::IsEmpty());  // the last byte
  EXPECT_THAT(Errors("name: x\nserver:\n  files: [{path: /a, size: 1KiB}]\n  faults:\n"
                     "    - {path: /a, kind: corrupt_bytes, offset: 2KiB}\n    - {path: /a, kind: change_file, new_size: 4KiB}\n"),
              ::testing::IsEmpty());  // inside the file's later version
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, kind: ignore_range, offset: 10}\n"),
              ElementsAre("s.yaml:4:46: 'offset' and 'length' are corrupt_bytes' (the bytes sent wrong)"));
}

TEST(ScenarioLoaderTest, ASeededFaultReadsEveryAndProbability) {
  LoadResult result = LoadScenarioText(
      "name: x\nserver:\n  faults:\n    - {path: /a, kind: status, status: 503, every: 3, probability: 25%}\n"
      "    - {path: /b, kind: ignore_range, probability: 0.1}\n",
      "s.yaml");
  ASSERT_TRUE(result.scenario.has_value()) << result.errors.front().message;
  EXPECT_EQ(result.scenario->server_faults.at(0).every, 3);
  EXPECT_EQ(result.scenario->server_faults.at(0).probability, 0.25);
  EXPECT_EQ(result.scenario->server_faults.at(1).every, 0);
  EXPECT_EQ(result.scenario->server_faults.at(1).probability, 0.1);
}

TEST(ScenarioLoaderTest, ASeededFaultsBoundsAreCheckedWhereTheyAreWritten) {
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, kind: ignore_range, probability: 0}\n"),
              ElementsAre(HasSubstr("s.yaml:4:51: probability: '0' is not a probability above 0 and at most 1")));
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, kind: ignore_range, probability: 150%}\n"),
              ElementsAre(HasSubstr("s.yaml:4:51: probability: '150%' is not a probability")));
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, kind: ignore_range, every: 1}\n"),
              ElementsAre(HasSubstr("s.yaml:4:45: every: 1 is not 2 to 1000000")));
  for (const char* written : {"1e-1", "5.", "050%", "0.5.5", ".5"}) {
    EXPECT_THAT(Errors(std::string("name: x\nserver:\n  faults:\n    - {path: /a, kind: ignore_range, probability: ") + written + "}\n"),
                ElementsAre(HasSubstr("is not a probability"))) << written;
  }
  EXPECT_THAT(Errors("name: x\nserver:\n  faults:\n    - {path: /a, request: 2, kind: ignore_range, every: 3}\n"),
              ElementsAre(HasSubstr("s.yaml:4:57: 'every' counts the path's requests, and 'request' pins one")));
}

constexpr const char* kTriggerJobs = "name: x\nserver: {files: [{path: /a, size: 10}]}\n"
                                     "jobs: [{id: t, files: [{url: /a, local: a}]}, {id: u, files: [{url: /a, local: b}]}]\n";

TEST(ScenarioLoaderTest, TriggersReadTheirConditionAndTheirOneAction) {
  LoadResult result = LoadScenarioText(std::string(kTriggerJobs) +
                                           "triggers:\n"
                                           "  - {when: {job: t, state: TRANSIENT_ERROR, error_count: 2}, restart_service: true}\n"
                                           "  - {when: {job: t, bytes_transferred: 1KiB}, fault: {path: /a, kind: status, status: 503}}\n"
                                           "  - {when: {job: t, callback: transferred}, network: {drop: true, bandwidth: 1MB/s}}\n"
                                           "  - {when: {job: t, files_transferred: 1}, job: u, do: suspend}\n",
                                       "s.yaml");
  ASSERT_TRUE(result.scenario.has_value()) << result.errors.front().ToString();
  const std::vector<Trigger>& triggers = result.scenario->triggers;
  ASSERT_EQ(triggers.size(), 4u);
  EXPECT_EQ(triggers[0].when.state, JobState::kTransientError);
  EXPECT_EQ(triggers[0].when.error_count, 2u);
  EXPECT_EQ(triggers[0].event, FindMachineEventKind("restart_service"));
  EXPECT_EQ(triggers[1].when.bytes_transferred, 1024u);
  ASSERT_TRUE(triggers[1].fault.has_value());
  EXPECT_EQ(triggers[1].fault->status, 503);
  EXPECT_EQ(triggers[2].when.callback, "JobTransferred");
  ASSERT_TRUE(triggers[2].network.has_value());
  EXPECT_TRUE(triggers[2].network->drop);
  EXPECT_EQ(triggers[2].network->bandwidth, 1'000'000u);
  EXPECT_EQ(triggers[3].action, FindJobActionKind("suspend"));
  EXPECT_EQ(triggers[3].action_job, "u");
  EXPECT_EQ(triggers[3].where.line, 8);
}

TEST(ScenarioLoaderTest, ATriggerIsCheckedWhereItIsWritten) {
  const auto errors_of = [](const std::string& trigger) { return Errors(std::string(kTriggerJobs) + "triggers:\n  - " + trigger + "\n"); };
  EXPECT_THAT(errors_of("{restart_service: true}"), ElementsAre(HasSubstr("s.yaml:5:5: a trigger needs 'when'")));
  EXPECT_THAT(errors_of("{when: {job: nobody, error_count: 1}, restart_service: true}"),
              ElementsAre(HasSubstr("s.yaml:5:18: no job 'nobody' in this scenario")));
  EXPECT_THAT(errors_of("{when: {job: t}, restart_service: true}"),
              ElementsAre(HasSubstr("s.yaml:5:12: 'when' needs a point for job 't' to reach")));
  EXPECT_THAT(errors_of("{when: {job: t, error_count: 1}, restart_service: true, do: cancel}"),
              ElementsAre(HasSubstr("s.yaml:5:5: a trigger does one thing")));
  EXPECT_THAT(errors_of("{when: {job: t, error_count: 1}, restart_service: false}"),
              ElementsAre(HasSubstr("s.yaml:5:55: restart_service: false does nothing")));
  EXPECT_THAT(errors_of("{when: {job: t, error_count: 4294967296}, do: cancel}"),
              ElementsAre(HasSubstr("error_count: 4294967296 is more than a job can count")));
  EXPECT_THAT(errors_of("{when: {job: t, error_count: 1}, do: invalidate_file}"),
              ElementsAre(HasSubstr("takes arguments, which a trigger cannot give yet")));
  EXPECT_THAT(errors_of("{when: {job: t, callback: maybe}, do: cancel}"),
              ElementsAre(HasSubstr("callback: 'maybe' is not transferred, error or file_transferred")));
  EXPECT_THAT(errors_of("{when: {job: t, error_count: 1}, network: {}}"),
              ElementsAre(HasSubstr("a trigger's network needs drop: true, bandwidth, outage or cost")));
}

TEST(ScenarioLoaderTest, AFaultMayNameTheMethodItCounts) {
  LoadResult result = LoadScenarioText("name: x\nserver:\n  faults:\n    - {path: /a, request: 1, method: GET, kind: ignore_range}\n", "s.yaml");
  ASSERT_TRUE(result.scenario.has_value());
  EXPECT_EQ(result.scenario->server_faults.at(0).method, "GET");
  EXPECT_EQ(result.scenario->server_faults.at(0).request_number, 1);
}

TEST(ScenarioLoaderTest, ServerFilesMayComeFromAContentFileBesideTheScenario) {
  const bitsh::testing::ScratchFolder scratch("bitsh-loader");
  const std::filesystem::path& dir = scratch.path();
  std::filesystem::create_directories(dir / "media");
  std::ofstream(dir / "media" / "jingle.mp3") << "ID3 bytes";
  std::ofstream(dir / "s.yaml") << "name: x\nserver:\n  files:\n    - {path: /j.mp3, content_file: media/jingle.mp3}\n"
                                    "    - {path: /k.mp3, content_file: media/missing.mp3}\n";
  LoadResult result = LoadScenarioFile(dir / "s.yaml");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_THAT(result.errors[0].ToString(), HasSubstr("s.yaml:5:36: content_file 'media/missing.mp3' cannot be read"));
  std::filesystem::remove(dir / "s.yaml");
  std::ofstream(dir / "s.yaml") << "name: x\nserver:\n  files:\n    - {path: /j.mp3, content_file: media/jingle.mp3}\n";
  result = LoadScenarioFile(dir / "s.yaml");
  ASSERT_TRUE(result.scenario.has_value());
  EXPECT_EQ(result.scenario->server_files.at(0).content, "ID3 bytes");
}

// A scenario folder with media/jingle.mp3, and outside it (beside it) a file and a folder whose
// name starts like the scenario folder's.
class ContentFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_ / "media");
    std::ofstream(dir_ / "media" / "jingle.mp3") << "ID3 bytes";
    std::ofstream(outside_) << "secret";
  }

  // Loads a scenario whose one server file reads `name`; the value sits at line 4, column 36.
  LoadResult Load(const std::string& name, ScenarioLoadOptions options = {}) {
    std::ofstream(dir_ / "s.yaml") << "name: x\nserver:\n  files:\n    - {path: /j.mp3, content_file: " << name << "}\n";
    return LoadScenarioFile(dir_ / "s.yaml", options);
  }
  static std::vector<std::string> ErrorsOf(const LoadResult& result) {
    std::vector<std::string> lines;
    for (const LoadError& error : result.errors) lines.push_back(error.ToString());
    return lines;
  }
  std::string At() const { return (dir_ / "s.yaml").string() + ":4:36: "; }

  bitsh::testing::ScratchFolder scratch_{"bitsh-content"};
  const std::filesystem::path root_ = std::filesystem::canonical(scratch_.path());  // messages name resolved paths
  const std::filesystem::path dir_ = root_ / "scenario";
  const std::filesystem::path outside_ = root_ / "outside.bin";
};

TEST_F(ContentFileTest, AFileBelowTheScenarioFolderIsRead) {
  std::filesystem::create_symlink("media/jingle.mp3", dir_ / "link.mp3");  // a symlink that stays inside
  for (const char* name : {"media/jingle.mp3", "./media/../media/jingle.mp3", "link.mp3"}) {
    LoadResult result = Load(name);
    ASSERT_TRUE(result.scenario.has_value()) << name << ": " << ::testing::PrintToString(ErrorsOf(result));
    EXPECT_EQ(result.scenario->server_files.at(0).content, "ID3 bytes");
  }
}

TEST_F(ContentFileTest, AFileOutsideTheScenarioFolderIsRefused) {
  const std::string refusal = "resolves to " + outside_.string() + ", outside the scenario's folder " + dir_.string() +
                              " (bitsh run/check --allow-outside-content allows it)";
  EXPECT_THAT(ErrorsOf(Load("../outside.bin")), ElementsAre(At() + "content_file '../outside.bin' " + refusal));
  EXPECT_THAT(ErrorsOf(Load(outside_.string())), ElementsAre(At() + "content_file '" + outside_.string() + "' " + refusal));
  std::filesystem::create_symlink(outside_, dir_ / "media" / "escape.mp3");
  EXPECT_THAT(ErrorsOf(Load("media/escape.mp3")), ElementsAre(At() + "content_file 'media/escape.mp3' " + refusal));
}

TEST_F(ContentFileTest, AFolderWhoseNameStartsLikeTheScenarioFolderIsOutsideIt) {
  std::filesystem::create_directories(root_ / "scenario-evil");
  std::ofstream(root_ / "scenario-evil" / "x.mp3") << "x";
  EXPECT_THAT(ErrorsOf(Load("../scenario-evil/x.mp3")),
              ElementsAre(At() + "content_file '../scenario-evil/x.mp3' resolves to " +
                          (root_ / "scenario-evil" / "x.mp3").string() + ", outside the scenario's folder " +
                          dir_.string() + " (bitsh run/check --allow-outside-content allows it)"));
}

TEST_F(ContentFileTest, TheOptionAllowsAFileOutsideTheFolder) {
  std::filesystem::create_symlink(outside_, dir_ / "media" / "escape.mp3");
  LoadResult result = Load("media/escape.mp3", ScenarioLoadOptions{.allow_outside_content = true});
  ASSERT_TRUE(result.scenario.has_value()) << ::testing::PrintToString(ErrorsOf(result));
  EXPECT_EQ(result.scenario->server_files.at(0).content, "secret");
}

TEST_F(ContentFileTest, DevicesFifosAndFoldersAreRefusedEvenWhenOutsideIsAllowed) {
  ASSERT_EQ(::mkfifo((dir_ / "media" / "pipe").c_str(), 0600), 0);
  EXPECT_THAT(ErrorsOf(Load("media/pipe")),
              ElementsAre(At() + "content_file 'media/pipe' is not a regular file (" + (dir_ / "media" / "pipe").string() + ")"));
  EXPECT_THAT(ErrorsOf(Load("media")), ElementsAre(At() + "content_file 'media' is not a regular file (" +
                                                   (dir_ / "media").string() + ")"));
  EXPECT_THAT(ErrorsOf(Load("/dev/zero", ScenarioLoadOptions{.allow_outside_content = true})),
              ElementsAre(At() + "content_file '/dev/zero' is not a regular file (/dev/zero)"));
}

TEST(ScenarioLoaderTest, AJobIdMayBeDefinedOnlyOnce) {
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: a}\n  - {id: a}\n"),
              ElementsAre("s.yaml:4:10: job 'a' is defined twice; first at s.yaml:3:10"));
}

TEST(ScenarioLoaderTest, JobIdsMadeByCopiesMayNotClash) {
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: t-2}\n  - {id: t, copies: 3}\n"),
              ElementsAre("s.yaml:4:10: job 't-2' (copy 2 of 't') is defined twice; first at s.yaml:3:10"));
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: \"t{n}\", copies: 2}\n  - {id: t1}\n"),
              ElementsAre("s.yaml:4:10: job 't1' is defined twice; first at s.yaml:3:10 (copy 1 of 't{n}')"));
  // "r{n}1" makes r11 from copy 1; "r{n}" makes it again from copy 11: one error for the template.
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: \"r{n}1\", copies: 20}\n  - {id: \"r{n}\", copies: 20}\n"),
              ElementsAre("s.yaml:4:10: job 'r11' (copy 11 of 'r{n}') is defined twice; first at s.yaml:3:10 "
                          "(copy 1 of 'r{n}1')"));
}

TEST(ScenarioLoaderTest, CopiesExpandThePlaceholderInConventionFieldsToMakeAnAlbum) {
  const std::string text =
      "name: x\n"
      "jobs:\n"
      "  - id: \"track{n}\"\n"
      "    copies: 3\n"
      "    convention: {service_id: 7, album_title: Album, title: \"Track {n}\", track_number: \"{n}\"}\n"
      "    files: [{url: \"/album/{n}.wma\", local: \"music/{n}.wma\"}]\n"
      "  - {id: d, copies: 2, description: \"part {n} of 2\"}\n";
  LoadResult result = LoadScenarioText(text, "s.yaml");
  ASSERT_TRUE(result.scenario) << result.errors.front().ToString();
  const std::vector<JobSpec>& jobs = result.scenario->jobs;
  ASSERT_EQ(jobs.size(), 5u);
  EXPECT_EQ(jobs[1].id, "track2");
  EXPECT_EQ(jobs[1].convention->title, "Track 2");
  EXPECT_EQ(jobs[1].convention->track_number, "2");
  EXPECT_EQ(jobs[2].convention->track_number, "3");
  EXPECT_EQ(jobs[2].convention->album_title, "Album");
  EXPECT_EQ(jobs[2].convention->service_id, 7u);
  EXPECT_EQ(jobs[4].description, "part 2 of 2");
}

TEST(ScenarioLoaderTest, AnUnquotedPlaceholderValueGetsAHintToQuoteIt) {
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: t, copies: 2, convention: {service_id: 1, track_number: {n}}}\n"),
              ElementsAre("s.yaml:3:66: track_number must be text\n  hint: unquoted, {n} is a YAML map; quote it: "
                          "track_number: \"{n}\""));
}

TEST(ScenarioLoaderTest, CopiesMayNotMakeMoreThanTenThousandJobs) {
  // Only the template that passes the limit is reported; the jobs after it are read as usual.
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: a, copies: 6000}\n  - {id: b, copies: 5000}\n  - {id: c, copies: 3000}\n"
                     "expect:\n  - {job: b, state: QUEUED}\n"),
              ElementsAre("s.yaml:4:21: this would make 11000 jobs; a scenario may have at most 10000 (copies included)"));
  EXPECT_THAT(Errors("name: x\njobs:\n  - {id: a, copies: 10001}\n"),
              ElementsAre("s.yaml:3:21: copies must be 1 to 10000"));
}

TEST(ScenarioLoaderTest, CopiesMayNotMakeMoreThanAHundredThousandJobFiles) {
  std::string files;
  for (int i = 0; i < 20; ++i) files += "{url: /f, local: \"f{n}-" + std::to_string(i) + ".bin\"}, ";
  EXPECT_THAT(Errors("name: x\nserver: {files: [{path: /f, size: 1}]}\njobs:\n  - {id: a, copies: 6000, files: [" + files + "]}\n"),
              ElementsAre("s.yaml:4:21: this would make 120000 job files; a scenario may have at most 100000 (copies included)"));
}

TEST(ScenarioLoaderTest, GeneratedContentIsCappedAt64GiBInAll) {
  EXPECT_THAT(Errors("name: x\nserver:\n  files:\n    - {path: /a, size: 40GiB}\n    - {path: /b, size: 30GiB}\n"),
              ElementsAre("s.yaml:5:24: generated content would pass 64 GiB in all (server file sizes and change_file new_size add up)"));
  EXPECT_THAT(Errors("name: x\nserver:\n  files:\n    - {path: /a, size: 40GiB}\n  faults:\n"
                     "    - {path: /a, kind: change_file, new_size: 30GiB}\n"),
              ElementsAre("s.yaml:6:47: generated content would pass 64 GiB in all (server file sizes and change_file new_size add up)"));
  EXPECT_THAT(Errors("name: x\nserver:\n  files:\n    - {path: /a, size: 64GiB}\n"), ::testing::IsEmpty());
}

TEST(ScenarioLoaderTest, FoldersAreSearchedForScenariosRecursively) {
  std::vector<std::string> missing;
  const auto files = FindScenarioFiles({BITSH_SCENARIO_ROOT}, missing);
  EXPECT_GE(files.size(), 41u);
  for (const auto& file : files) EXPECT_EQ(file.extension(), ".yaml") << file;
  EXPECT_TRUE(missing.empty());
}

TEST(ScenarioLoaderTest, NamedFilesAreTakenAsTheyAreAndFoldersGiveTheirYamlFilesAtAnyDepth) {
  const bitsh::testing::ScratchFolder scratch("bitsh-find");
  std::filesystem::create_directories(scratch / "deep" / "deeper");
  for (const char* name : {"a.yaml", "notes.txt", "deep/b.yml", "deep/deeper/c.yaml", "named.txt"}) {
    std::ofstream(scratch / name) << "name: x\n";
  }
  std::vector<std::string> missing;
  const auto files = FindScenarioFiles({scratch / "deep", scratch / "named.txt", scratch / "a.yaml", scratch / "none"}, missing);
  EXPECT_THAT(files, ElementsAre(scratch / "a.yaml", scratch / "deep" / "b.yml", scratch / "deep" / "deeper" / "c.yaml",
                                 scratch / "named.txt"));
  EXPECT_THAT(missing, ElementsAre((scratch / "none").string()));
}

TEST(ScenarioLoaderTest, AScenarioNeedsAName) {
  EXPECT_THAT(Errors("seed: 1\n"), ElementsAre("s.yaml:1:1: the scenario needs a 'name'"));
}

TEST(ScenarioLoaderTest, AMissingFileIsReported) {
  LoadResult result = LoadScenarioFile("/nonexistent/scenario.yaml");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].ToString(), "/nonexistent/scenario.yaml:0:0: cannot read the file");
}

// The disk's events keep their argument as written; each is checked where it stands.
TEST(ScenarioLoaderTest, DiskEventsAreReadAndCheckedAtTheirPlace) {
  const std::string head = "name: n\njobs: [{id: t, files: [{url: /a, local: a}]}]\nevents:\n";
  const Scenario scenario = Loaded(head +
                                   "  - {at: 1s, disk_free: 1MiB}\n"
                                   "  - {at: 2s, disk_free: unlimited}\n"
                                   "  - {at: 3s, deny_new_files: false}\n"
                                   "  - {at: 4s, lock_file: music/a.wma}\n"
                                   "  - {at: 5s, restart_cutting_temp_files: 64KiB}\n");
  ASSERT_EQ(scenario.events.size(), 5u);
  EXPECT_EQ(scenario.events[0].argument, "1MiB");
  EXPECT_EQ(scenario.events[1].argument, "unlimited");
  EXPECT_EQ(scenario.events[2].argument, "false");
  EXPECT_EQ(scenario.events[3].argument, "music/a.wma");
  EXPECT_TRUE(scenario.events[4].kind->needs_persistent_queue);
  EXPECT_THAT(Errors(head + "  - {at: 1s, disk_free: lots}\n"), ElementsAre(HasSubstr("s.yaml:4:25: disk_free")));
  EXPECT_THAT(Errors(head + "  - {at: 1s, lock_file: ../outside.wma}\n"),
              ElementsAre("s.yaml:4:25: lock_file: '../outside.wma' is not a path inside the work folder (as a job's 'local')"));
  EXPECT_THAT(Errors(head + "  - {at: 1s, deny_new_files: maybe}\n"), ElementsAre(HasSubstr("s.yaml:4:30: deny_new_files")));
}

TEST(ScenarioLoaderTest, TheTimingFaultsNeedTheirOwnParameterAndOnlyThat) {
  const std::string head = "name: n\njobs: [{id: t, files: [{url: /a, local: a}]}]\nserver:\n  files: [{path: /a, size: 1}]\n  faults:\n";
  const Scenario scenario = Loaded(head +
                                   "    - {path: /a, kind: dribble, rate: 1KiB/s}\n"
                                   "    - {path: /a, kind: slow_close, close_delay: 30s}\n");
  ASSERT_EQ(scenario.server_faults.size(), 2u);
  EXPECT_EQ(scenario.server_faults[0].rate_bytes_per_s, 1024u);
  EXPECT_EQ(scenario.server_faults[1].close_delay, seconds(30));
  EXPECT_THAT(Errors(head + "    - {path: /a, kind: dribble}\n"), ElementsAre("s.yaml:6:7: fault 'dribble' needs 'rate'"));
  EXPECT_THAT(Errors(head + "    - {path: /a, kind: slow_close}\n"), ElementsAre("s.yaml:6:7: fault 'slow_close' needs 'close_delay'"));
  EXPECT_THAT(Errors(head + "    - {path: /a, kind: stall, stall: 1s, rate: 1KiB/s}\n"),
              ElementsAre("s.yaml:6:48: 'rate' is dribble's (the pace of the body)"));
}

TEST(ScenarioLoaderTest, PacketLossIsAProbabilityWithAnOptionalRetransmitDelay) {
  const std::string head = "name: n\njobs: [{id: t, files: [{url: /a, local: a}]}]\n";
  const Scenario scenario = Loaded(head + "network: {packet_loss: 2%, retransmit_delay: 1s}\n");
  EXPECT_EQ(scenario.network.packet_loss, 0.02);
  EXPECT_EQ(scenario.network.retransmit_delay, seconds(1));
  EXPECT_THAT(Errors(head + "network: {packet_loss: 150%}\n"), ElementsAre(HasSubstr("s.yaml:3:24: packet_loss")));
}

}  // namespace
}  // namespace bitsh::scenarios

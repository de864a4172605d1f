// The action tables are the one list of what scenarios can make happen: schema.json names exactly
// them, and each row does what its name says on a simulated machine.
#include "scenarios/actions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "backend/testing/status_matchers.h"
#include "sim/machine.h"

namespace bitsh::scenarios {
namespace {

using bitsh::testing::HasState;
using bitsh::testing::IsOk;

nlohmann::json Schema() {
  std::ifstream in(std::filesystem::path(BITSH_SCENARIO_ROOT) / "schema.json");
  return nlohmann::json::parse(in);
}

// `node`, or what its "$ref": "#/$defs/NAME" names.
nlohmann::json Resolve(const nlohmann::json& schema, const nlohmann::json& node) {
  if (!node.contains("$ref")) return node;
  const std::string ref = node["$ref"];
  return schema["$defs"][ref.substr(ref.rfind('/') + 1)];
}

TEST(ActionTableTest, SchemaJsonNamesExactlyTheJobActions) {
  const nlohmann::json schema = Schema();
  const nlohmann::json job = Resolve(schema, schema["properties"]["jobs"]["items"]);
  const nlohmann::json& names = job["properties"]["actions"]["items"]["properties"]["do"]["enum"];
  ASSERT_TRUE(names.is_array());
  std::set<std::string> in_schema(names.begin(), names.end());
  std::set<std::string> in_table;
  for (const JobActionKind& kind : JobActionKinds()) in_table.emplace(kind.name);
  EXPECT_EQ(in_schema, in_table);
}

// `written` (a machine event's schema) with its type as the event's argument requires: a boolean,
// a string, a size, or a size or "unlimited"; the description is the schema's own.
nlohmann::json SchemaOf(EventArgument argument, const nlohmann::json& written) {
  nlohmann::json expected = {{"description", written.value("description", "")}};
  switch (argument) {
    case EventArgument::kTrue:
      expected = written;  // `const: true` besides the type
      expected["type"] = "boolean";
      break;
    case EventArgument::kBool:
      expected["type"] = "boolean";
      break;
    case EventArgument::kUser:
    case EventArgument::kSignedDuration:
    case EventArgument::kLocalFile:
      expected = written;  // a pattern, perhaps
      expected["type"] = "string";
      break;
    case EventArgument::kSize:
      expected["$ref"] = "#/$defs/size";
      break;
    case EventArgument::kSizeOrUnlimited:
      expected["anyOf"] = nlohmann::json::array({{{"$ref", "#/$defs/size"}}, {{"const", "unlimited"}}});
      break;
  }
  if (!written.contains("description")) expected.erase("description");
  return expected;
}

TEST(ActionTableTest, SchemaJsonNamesExactlyTheMachineEvents) {
  const nlohmann::json schema = Schema();
  const nlohmann::json event = Resolve(schema, schema["properties"]["events"]["items"]);
  ASSERT_TRUE(event["oneOf"].is_array());
  std::set<std::string> keys, required;
  for (const auto& [key, value] : event["properties"].items()) {
    if (key != "at") keys.insert(key);
  }
  for (const nlohmann::json& form : event["oneOf"]) required.insert(form["required"][0].get<std::string>());
  std::set<std::string> in_table;
  for (const MachineEventKind& kind : MachineEventKinds()) {
    in_table.emplace(kind.name);
    EXPECT_EQ(event["properties"][std::string(kind.name)], SchemaOf(kind.argument, event["properties"][std::string(kind.name)]))
        << kind.name;
  }
  EXPECT_EQ(keys, in_table);
  EXPECT_EQ(required, in_table);
}

// A trigger's action is a machine event of the same table, or one of the trigger's own (fault,
// network, do): the schema's copy for triggers must list exactly those, with the same arguments.
TEST(ActionTableTest, SchemaJsonTriggersNameExactlyTheMachineEventsAndTheirOwnActions) {
  const nlohmann::json schema = Schema();
  const nlohmann::json trigger = Resolve(schema, schema["properties"]["triggers"]["items"]);
  ASSERT_TRUE(trigger["oneOf"].is_array());
  const std::set<std::string> own_actions = {"fault", "network", "do"};
  std::set<std::string> actions, required;
  for (const auto& [key, value] : trigger["properties"].items()) {
    if (key != "when" && key != "job") actions.insert(key);
  }
  for (const nlohmann::json& form : trigger["oneOf"]) required.insert(form["required"][0].get<std::string>());
  std::set<std::string> expected = own_actions;
  for (const MachineEventKind& kind : MachineEventKinds()) {
    expected.emplace(kind.name);
    EXPECT_EQ(trigger["properties"][std::string(kind.name)],
              SchemaOf(kind.argument, trigger["properties"][std::string(kind.name)]))
        << kind.name;
  }
  EXPECT_EQ(actions, expected);
  EXPECT_EQ(required, expected);
}

TEST(ActionTableTest, NamesNotInTheTableAreNotFound) {
  EXPECT_EQ(FindJobActionKind("pause"), nullptr);
  EXPECT_EQ(FindMachineEventKind("reboot"), nullptr);
  EXPECT_EQ(JobActionNames(), "suspend, resume, cancel, complete, replace_remote_prefix, validate_file, invalidate_file, set_transfer_policy");
}

class ActionRowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<sim::Machine>> started = sim::Machine::Start({.persistent_queue = true});
    ASSERT_THAT(started.status(), IsOk());
    machine_ = std::move(started).value();
    machine_->server().AddGeneratedFile("/a.wma", 1000, 1);
    job_ = *bits().CreateJob("job", JobType::kDownload);
    ASSERT_THAT(bits().AddFile(job_, machine_->Url("/a.wma"), (machine_->work_folder() / "a.wma").string()), IsOk());
  }
  Backend& bits() { return machine_->Connection("user"); }
  Status Do(std::string_view action, const JobActionArguments& arguments = {}) {
    return FindJobActionKind(action)->apply(bits(), job_, arguments);
  }
  Status Happen(std::string_view event, const std::string& user = "") {
    return FindMachineEventKind(event)->apply(*machine_, user);
  }

  std::unique_ptr<sim::Machine> machine_;
  JobId job_;
};

TEST_F(ActionRowTest, EachJobActionMakesItsCall) {
  ASSERT_THAT(Do("resume"), IsOk());
  EXPECT_THAT(bits().GetState(job_), HasState(JobState::kQueued));
  ASSERT_THAT(Do("suspend"), IsOk());
  EXPECT_THAT(bits().GetState(job_), HasState(JobState::kSuspended));
  ASSERT_THAT(Do("resume"), IsOk());
  ASSERT_TRUE(machine_->RunUntilIdle(machine_->start_time() + std::chrono::hours(1)).done());
  ASSERT_THAT(Do("complete"), IsOk());
  EXPECT_THAT(bits().GetState(job_), HasState(JobState::kAcknowledged));
  EXPECT_FALSE(Do("cancel").ok());  // what real BITS says to a Cancel after Complete
}

TEST_F(ActionRowTest, ReplaceRemotePrefixRenamesTheJobsFiles) {
  ASSERT_THAT(Do("replace_remote_prefix", {machine_->Url("/a"), machine_->Url("/b")}), IsOk());
  EXPECT_EQ(bits().GetFiles(job_)->at(0).remote_url, machine_->Url("/b.wma"));
  EXPECT_TRUE(FindJobActionKind("replace_remote_prefix")->takes_from_and_to);
  EXPECT_FALSE(FindJobActionKind("suspend")->takes_from_and_to);
}

TEST_F(ActionRowTest, ValidateAndInvalidateFileGiveTheStoresVerdictOnATransferredFile) {
  EXPECT_TRUE(FindJobActionKind("invalidate_file")->takes_file);
  EXPECT_FALSE(FindJobActionKind("resume")->takes_file);
  ASSERT_THAT(Do("resume"), IsOk());
  ASSERT_TRUE(machine_->RunUntilIdle(machine_->start_time() + std::chrono::hours(1)).done());
  ASSERT_THAT(Do("validate_file"), IsOk());
  EXPECT_TRUE(*bits().GetValidationState(job_, 0));
  ASSERT_THAT(Do("invalidate_file"), IsOk());
  EXPECT_THAT(bits().GetState(job_), HasState(JobState::kError));
  EXPECT_EQ(bits().GetError(job_)->code, hr::kValidationFailed);
}

TEST_F(ActionRowTest, SetTransferPolicySetsTheJobsCostFlags) {
  EXPECT_TRUE(FindJobActionKind("set_transfer_policy")->takes_policy);
  EXPECT_FALSE(FindJobActionKind("suspend")->takes_policy);
  JobActionArguments arguments;
  arguments.policy = cost_states::kPolicyAlways;
  ASSERT_THAT(Do("set_transfer_policy", arguments), IsOk());
  EXPECT_EQ(bits().GetJobProperty(job_, JobPropertyId::kCostFlags)->dword, cost_states::kPolicyAlways);
}

TEST_F(ActionRowTest, CancelCancels) {
  ASSERT_THAT(Do("cancel"), IsOk());
  EXPECT_THAT(bits().GetState(job_), HasState(JobState::kCancelled));
}

TEST_F(ActionRowTest, EachMachineEventHappensToTheMachine) {
  ASSERT_THAT(Do("resume"), IsOk());
  ASSERT_THAT(Happen("logoff", "user"), IsOk());
  ASSERT_TRUE(machine_->RunUntilIdle(machine_->start_time() + std::chrono::hours(1)).done());
  EXPECT_THAT(bits().GetState(job_), HasState(JobState::kQueued));  // waits for its owner
  ASSERT_THAT(Happen("logon", "user"), IsOk());
  ASSERT_THAT(Happen("restart_service"), IsOk());
  EXPECT_TRUE(FindMachineEventKind("restart_service")->needs_persistent_queue);
  ASSERT_TRUE(machine_->RunUntilIdle(machine_->start_time() + std::chrono::hours(1)).done());
  EXPECT_THAT(bits().GetState(job_), HasState(JobState::kTransferred));
}

}  // namespace
}  // namespace bitsh::scenarios

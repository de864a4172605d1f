// The loader against scenarios/testdata/units_table.txt, the table tools/validate-scenarios-schema.py
// also checks scenarios/schema.json against: both accept exactly the table's accepted units.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenarios/scenario_loader.h"

namespace bitsh::scenarios {
namespace {

struct UnitCase {
  int line = 0;
  std::string kind, text, value;  // value "no": rejected
};

std::string Trim(const std::string& text) {
  const std::size_t start = text.find_first_not_of(' ');
  const std::size_t end = text.find_last_not_of(' ');
  return start == std::string::npos ? "" : text.substr(start, end - start + 1);
}

std::vector<UnitCase> ReadTable() {
  std::ifstream in(std::filesystem::path(BITSH_SCENARIO_ROOT) / "testdata" / "units_table.txt");
  std::vector<UnitCase> rows;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line.front() == '#') continue;
    std::stringstream fields(line);
    UnitCase row{number, "", "", ""};
    std::getline(fields, row.kind, '|');
    std::getline(fields, row.text, '|');
    std::getline(fields, row.value);
    rows.push_back({number, Trim(row.kind), Trim(row.text), Trim(row.value)});
  }
  return rows;
}

// The text where a scenario would use it, quoted so YAML passes it on as written.
std::string ScenarioWith(const UnitCase& row) {
  const std::string quoted = "\"" + row.text + "\"";
  if (row.kind == "size") return "name: x\nengine: {chunk: " + quoted + "}\n";
  if (row.kind == "bandwidth") return "name: x\nnetwork: {bandwidth: " + quoted + "}\n";
  return "name: x\nmax_virtual_time: " + quoted + "\n";
}

std::string ValueOf(const UnitCase& row, const Scenario& scenario) {
  if (row.kind == "size") return std::to_string(scenario.chunk_bytes);
  if (row.kind == "bandwidth") return std::to_string(scenario.network.bandwidth_bytes_per_s.value_or(~0ull));
  return std::to_string(scenario.max_virtual_time.count());
}

TEST(UnitsTableTest, TheLoaderAcceptsExactlyTheTablesAcceptedUnitsWithTheirValues) {
  const std::vector<UnitCase> rows = ReadTable();
  ASSERT_GT(rows.size(), 50u) << "scenarios/testdata/units_table.txt not found or short";
  for (const UnitCase& row : rows) {
    ASSERT_TRUE(row.kind == "size" || row.kind == "bandwidth" || row.kind == "duration") << "line " << row.line;
    const LoadResult result = LoadScenarioText(ScenarioWith(row), "s.yaml");
    if (row.value == "no") {
      EXPECT_FALSE(result.scenario.has_value()) << "line " << row.line << ": " << row.kind << " '" << row.text << "'";
    } else if (!result.scenario) {
      ADD_FAILURE() << "line " << row.line << ": " << row.kind << " '" << row.text << "' refused: "
                    << (result.errors.empty() ? "" : result.errors.front().message);
    } else {
      EXPECT_EQ(ValueOf(row, *result.scenario), row.value) << "line " << row.line << ": '" << row.text << "'";
    }
  }
}

}  // namespace
}  // namespace bitsh::scenarios

// The reports are machine-readable: the trace is valid trace-event JSON, the plot and the JUnit
// file are well-formed XML (parsed with expat), and the determinism guarantee holds for a run.
#include "scenarios/reports.h"
#include "backend/units.h"

#include <expat.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scenarios/scenario_loader.h"

namespace bitsh::scenarios {
namespace {

using ::testing::HasSubstr;

constexpr const char* kScenario = R"(name: report sample
server:
  files: [{path: /a.wma, size: 1MiB}, {path: /b.wma, size: 512KiB}]
network:
  bandwidth: 256KiB/s
  outages: [{start: 2s, length: 1min}]
  drops: [70s]
jobs:
  - {id: a, files: [{url: /a.wma, local: a.wma}], retry_delay: 5s, complete_when_transferred: true}
  - {id: b, priority: foreground, files: [{url: /b.wma, local: "b<&>.wma"}]}
expect:
  - {job: a, state: ACKNOWLEDGED}
  - {job: b, state: ERROR}
)";

ScenarioResult RunSample() {
  LoadResult loaded = LoadScenarioText(kScenario, "sample.yaml");
  EXPECT_TRUE(loaded.errors.empty()) << loaded.errors.front().ToString();
  return RunScenario(*loaded.scenario);
}

// Parses `xml` with expat; returns the error text, empty when well-formed.
std::string XmlError(const std::string& xml) {
  XML_Parser parser = XML_ParserCreate(nullptr);
  const bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_OK;
  std::string error = ok ? "" : std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                                    std::to_string(XML_GetCurrentLineNumber(parser));
  XML_ParserFree(parser);
  return error;
}

TEST(ReportsTest, TheTraceIsTraceEventJsonWithStatesNetworkAndCounters) {
  const ScenarioResult result = RunSample();
  const nlohmann::json trace = nlohmann::json::parse(ChromeTraceJson({result}));
  ASSERT_TRUE(trace.contains("traceEvents"));
  std::set<std::string> names, phases;
  for (const auto& event : trace["traceEvents"]) {
    ASSERT_TRUE(event.contains("ph") && event.contains("pid"));
    phases.insert(event["ph"].get<std::string>());
    names.insert(event.value("name", ""));
    if (event["ph"] == "X") {
      EXPECT_GE(event["dur"].get<double>(), 0.0);
    }
  }
  EXPECT_TRUE(phases.contains("X") && phases.contains("C") && phases.contains("M") && phases.contains("i"));
  EXPECT_TRUE(names.contains("TRANSFERRING"));
  EXPECT_TRUE(names.contains("TRANSIENT_ERROR"));
  EXPECT_TRUE(names.contains("network down"));
  EXPECT_TRUE(names.contains("bytes a"));
}

TEST(ReportsTest, ThePlotIsWellFormedSvgWithOutagesAndDrops) {
  const std::string svg = SvgPlot({RunSample()});
  EXPECT_EQ(XmlError(svg), "");
  EXPECT_THAT(svg, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, HasSubstr("<title>network down</title>"));
  EXPECT_THAT(svg, HasSubstr("<title>drop</title>"));
  EXPECT_THAT(svg, HasSubstr("<polyline"));
}

TEST(ReportsTest, ThePlotHasReadableAxesALegendInJobOrderAndMarksWhatHappened) {
  const ScenarioResult result = RunSample();
  const std::string svg = SvgPlot({result});
  EXPECT_THAT(svg, HasSubstr(">1 MiB</text>")) << "the y axis in bytes people read";
  EXPECT_THAT(svg, HasSubstr(">" + HumanDuration(result.virtual_time) + "</text>")) << "the x axis ends at the run's length";
  ASSERT_NE(svg.find(">b</text>"), std::string::npos);
  EXPECT_LT(svg.find(">a</text>"), svg.find(">b</text>")) << "the legend follows the scenario's jobs";
  EXPECT_THAT(svg, HasSubstr("<title>network: bandwidth 262144 B/s</title>"));
  EXPECT_THAT(svg, HasSubstr("<title>user: user logged on</title>"));
}

TEST(ReportsTest, ThePlotTellsInjectedFaultsFromErrors) {
  LoadResult loaded = LoadScenarioText(R"(name: faults
server: {files: [{path: /a.wma, size: 1MiB}]}
network: {bandwidth: 256KiB/s, drops: [1500ms]}
jobs:
  - {id: dropped, retry_delay: 5s, files: [{url: /a.wma, local: a.wma}]}
  - {id: missing, files: [{url: /missing.wma, local: m.wma}]}
)", "faults.yaml");
  ASSERT_TRUE(loaded.errors.empty()) << loaded.errors.front().ToString();
  const std::string svg = SvgPlot({RunScenario(*loaded.scenario)});
  EXPECT_THAT(svg, HasSubstr("<title>injected fault: BG_E_RECEIVE_FAILURE")) << "the scenario's drop";
  EXPECT_THAT(svg, HasSubstr("<title>error: BG_E_HTTP_ERROR_404")) << "the server's own answer";
}

TEST(ReportsTest, TheVerboseTraceNamesEachJobBesideItsGuid) {
  const ScenarioResult result = RunSample();
  for (const auto& [name, guid] : result.jobs) {
    EXPECT_THAT(result.trace, HasSubstr(guid + " '" + name + "' state SUSPENDED -> QUEUED"));
  }
}

TEST(ReportsTest, JUnitIsWellFormedAndNamesTheFailure) {
  const ScenarioResult result = RunSample();
  ASSERT_FALSE(result.passed);  // job b transfers; the sample expects ERROR to have a failure to report
  const std::string xml = JUnitXml({result});
  EXPECT_EQ(XmlError(xml), "");
  EXPECT_THAT(xml, HasSubstr("<testsuites tests=\"1\" failures=\"1\""));
  EXPECT_THAT(xml, HasSubstr("sample.yaml:13:5: expected job b state ERROR"));
  EXPECT_THAT(xml, HasSubstr("reproduce with: bitsh run sample.yaml --seed=1"));
}

TEST(ReportsTest, TheSameScenarioGivesTheSameTraceEveryTime) {
  const ScenarioResult first = RunSample();
  const ScenarioResult second = RunSample();
  EXPECT_GT(first.trace.size(), 1000u);
  EXPECT_EQ(first.trace, second.trace);
  EXPECT_THAT(first.trace, HasSubstr("http://server/a.wma"));  // ports and folders made neutral
  EXPECT_THAT(first.trace, ::testing::Not(HasSubstr("127.0.0.1")));
  // The events behind the Chrome trace and the plot are neutral too, so those files compare equal.
  EXPECT_EQ(ChromeTraceJson({first}), ChromeTraceJson({second}));
  std::string details;
  for (const fake::LogEvent& event : first.events) details += event.detail + "\n";
  EXPECT_THAT(details, HasSubstr("http://server/a.wma -> <work>/"));
  EXPECT_THAT(details, ::testing::Not(HasSubstr("127.0.0.1")));
}

TEST(ReportsTest, ColourIsAutomaticOnATerminalUnlessNoColorOrADumbTerminalSaysOtherwise) {
  EXPECT_EQ(UseColor("auto", true, nullptr, "xterm-256color"), true);
  EXPECT_EQ(UseColor("auto", false, nullptr, "xterm-256color"), false) << "a pipe or a file";
  EXPECT_EQ(UseColor("auto", true, "1", "xterm"), false) << "https://no-color.org";
  EXPECT_EQ(UseColor("auto", true, "", "xterm"), true) << "NO_COLOR set but empty does not count";
  EXPECT_EQ(UseColor("auto", true, nullptr, "dumb"), false);
  EXPECT_EQ(UseColor("always", false, "1", "dumb"), true) << "an explicit choice wins";
  EXPECT_EQ(UseColor("never", true, nullptr, "xterm"), false);
  EXPECT_EQ(UseColor("sometimes", true, nullptr, "xterm"), std::nullopt);
}

TEST(ReportsTest, XmlEscapingCoversMarkupAndControlCharacters) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'\x01"), "a&lt;b&gt;&amp;&quot;c&apos;?");
}

}  // namespace
}  // namespace bitsh::scenarios

// Reports of scenario runs: the console summary people read, JUnit XML for CI systems, Chrome
// trace-event JSON (job states, transfers, faults and network events on the virtual time axis;
// opens in Perfetto or chrome://tracing) and an SVG plot of bytes per job over virtual time with
// outages and drops shaded.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/scenario_runner.h"
#include "scenarios/yaml_reader.h"

namespace bitsh::scenarios {

// How the console report looks: PASS and FAIL in colour (ANSI escapes), and whether passing
// scenarios and the table are left out (quiet: failures and the last line only).
struct ConsoleStyle {
  bool color = false;
  bool quiet = false;
};

// Whether `bitsh run --color=CHOICE` colours its output: "always", "never", or "auto" (colour on a
// terminal, unless NO_COLOR is set and not empty, https://no-color.org, or TERM is "dumb"; an
// explicit --color=always wins over NO_COLOR). nullopt for any other choice.
std::optional<bool> UseColor(std::string_view choice, bool stdout_is_terminal, const char* no_color, const char* term);

// "PASS  library/clean.yaml  clean download  (4/4, 12s virtual, 0.03s)" and, for a failure, one
// line per failed expectation and the line that reproduces it. Quiet: failures only.
void PrintResultLine(std::ostream& out, const ScenarioResult& result, const ConsoleStyle& style = {});
// The closing summary table and totals. Quiet: the totals line only.
void PrintSummary(std::ostream& out, const std::vector<ScenarioResult>& results, const ConsoleStyle& style = {});

std::string JUnitXml(const std::vector<ScenarioResult>& results);
// JUnit for a run that never started because its input was bad: one failed test case per input
// error, named by its place (file:line:column, or the path alone), so CI shows what to fix.
std::string JUnitXmlForInputErrors(const std::vector<LoadError>& errors);
std::string ChromeTraceJson(const std::vector<ScenarioResult>& results);
std::string SvgPlot(const std::vector<ScenarioResult>& results);

// Text with &, <, >, " and ' escaped for XML attributes and content.
std::string XmlEscape(const std::string& text);

}  // namespace bitsh::scenarios

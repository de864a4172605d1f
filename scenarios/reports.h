// Reports of scenario runs: the console summary people read, JUnit XML for CI systems, Chrome
// trace-event JSON (job states, transfers, faults and network events on the virtual time axis;
// opens in Perfetto or chrome://tracing) and an SVG plot of bytes per job over virtual time with
// outages and drops shaded.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "scenarios/scenario_runner.h"
#include "scenarios/yaml_reader.h"

namespace bitsh::scenarios {

// "PASS  library/clean.yaml  clean download  (4/4, 12s virtual, 0.03s)" and, for a failure, one
// line per failed expectation and the line that reproduces it.
void PrintResultLine(std::ostream& out, const ScenarioResult& result);
// The closing summary table.
void PrintSummary(std::ostream& out, const std::vector<ScenarioResult>& results);

std::string JUnitXml(const std::vector<ScenarioResult>& results);
// JUnit for a run that never started because its input was bad: one failed test case per input
// error, named by its place (file:line:column, or the path alone), so CI shows what to fix.
std::string JUnitXmlForInputErrors(const std::vector<LoadError>& errors);
std::string ChromeTraceJson(const std::vector<ScenarioResult>& results);
std::string SvgPlot(const std::vector<ScenarioResult>& results);

// Text with &, <, >, " and ' escaped for XML attributes and content.
std::string XmlEscape(const std::string& text);

}  // namespace bitsh::scenarios

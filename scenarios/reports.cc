#include "scenarios/reports.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "backend/units.h"

namespace bitsh::scenarios {
namespace {

std::size_t Passed(const ScenarioResult& result) {
  return static_cast<std::size_t>(std::count_if(result.outcomes.begin(), result.outcomes.end(),
                                                [](const ExpectationOutcome& o) { return o.passed; }));
}

std::string Seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2fs", seconds);
  return text;
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&apos;"; break;
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') escaped += '?';
        else escaped += c;
    }
  }
  return escaped;
}

std::optional<bool> UseColor(std::string_view choice, bool stdout_is_terminal, const char* no_color, const char* term) {
  if (choice == "always") return true;
  if (choice == "never") return false;
  if (choice != "auto") return std::nullopt;
  const bool no_color_set = no_color != nullptr && *no_color != '\0';
  const bool dumb = term != nullptr && std::string_view(term) == "dumb";
  return stdout_is_terminal && !no_color_set && !dumb;
}

namespace {

// "PASS" or "FAIL", padded to `width`, in green or bold red when the style has colour.
std::string Verdict(bool passed, const char* pass_text, const char* fail_text, const ConsoleStyle& style) {
  const std::string text = passed ? pass_text : fail_text;
  if (!style.color) return text;
  return (passed ? "\033[32m" : "\033[1;31m") + text + "\033[0m";
}

}  // namespace

void PrintResultLine(std::ostream& out, const ScenarioResult& result, const ConsoleStyle& style) {
  if (style.quiet && result.passed) return;
  out << Verdict(result.passed, "PASS", "FAIL", style) << "  " << result.path << "  " << result.name << "  (" << Passed(result) << "/"
      << result.outcomes.size() << " expectations, " << HumanDuration(result.virtual_time) << " virtual, "
      << Seconds(result.wall_seconds) << ")\n";
  if (result.passed) return;
  if (!result.internal_error.empty()) out << "      harness error: " << result.internal_error << "\n";
  for (const ExpectationOutcome& outcome : result.outcomes) {
    if (outcome.passed) continue;
    out << "      " << outcome.where.ToString() << ": expected " << outcome.what << "\n"
        << "        but " << outcome.actual << "\n";
  }
  out << "      reproduce with: "
      << (result.reproduce.empty() ? "bitsh run " + result.path + " --seed=" + std::to_string(result.seed) : result.reproduce)
      << "\n";
}

void PrintSummary(std::ostream& out, const std::vector<ScenarioResult>& results, const ConsoleStyle& style) {
  std::size_t passed = 0, expectations = 0, met = 0;
  double wall = 0;
  Duration virtual_time = Duration::zero();
  for (const ScenarioResult& result : results) {
    passed += result.passed ? 1 : 0;
    expectations += result.outcomes.size();
    met += Passed(result);
    wall += result.wall_seconds;
    virtual_time += result.virtual_time;
  }
  if (!style.quiet) {
    out << "\n" << std::left << std::setw(44) << "scenario" << std::setw(8) << "result" << std::setw(14) << "expectations"
        << std::setw(20) << "virtual time" << "wall\n";
    for (const ScenarioResult& result : results) {
      const std::string name = std::filesystem::path(result.path).filename().string();
      // Padded before colouring: the escapes take no room on the screen.
      out << std::left << std::setw(44) << name << Verdict(result.passed, "pass    ", "FAIL    ", style) << std::setw(14)
          << (std::to_string(Passed(result)) + "/" + std::to_string(result.outcomes.size())) << std::setw(20)
          << HumanDuration(result.virtual_time) << Seconds(result.wall_seconds) << "\n";
    }
  }
  out << "\n" << passed << " passed, " << (results.size() - passed) << " failed (" << met << "/" << expectations
      << " expectations met; " << HumanDuration(virtual_time) << " simulated in " << Seconds(wall) << ")\n";
}

std::string JUnitXml(const std::vector<ScenarioResult>& results) {
  std::size_t failures = 0;
  double wall = 0;
  for (const ScenarioResult& result : results) {
    failures += result.passed ? 0 : 1;
    wall += result.wall_seconds;
  }
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites tests=\"" << results.size() << "\" failures=\"" << failures << "\" time=\"" << wall << "\">\n"
      << "  <testsuite name=\"bitsh scenarios\" tests=\"" << results.size() << "\" failures=\"" << failures
      << "\" errors=\"0\" time=\"" << wall << "\">\n";
  for (const ScenarioResult& result : results) {
    xml << "    <testcase classname=\"scenarios\" name=\"" << XmlEscape(result.name) << "\" file=\""
        << XmlEscape(result.path) << "\" time=\"" << result.wall_seconds << "\">\n";
    if (!result.passed) {
      std::ostringstream details;
      PrintResultLine(details, result);
      xml << "      <failure message=\"" << (result.outcomes.size() - Passed(result)) << " expectation(s) not met\">"
          << XmlEscape(details.str()) << "</failure>\n";
    }
    xml << "      <system-out>" << XmlEscape("seed " + std::to_string(result.seed)) << "</system-out>\n"
        << "    </testcase>\n";
  }
  xml << "  </testsuite>\n</testsuites>\n";
  return xml.str();
}

std::string JUnitXmlForInputErrors(const std::vector<LoadError>& errors) {
  std::ostringstream xml;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<testsuites tests=\"" << errors.size() << "\" failures=\"" << errors.size() << "\" time=\"0\">\n"
      << "  <testsuite name=\"bitsh scenario files\" tests=\"" << errors.size() << "\" failures=\"" << errors.size()
      << "\" errors=\"0\" time=\"0\">\n";
  for (const LoadError& error : errors) {
    const std::string place = error.where.line > 0 ? error.where.ToString() : error.where.file;
    xml << "    <testcase classname=\"scenario files\" name=\"" << XmlEscape(place) << "\" file=\""
        << XmlEscape(error.where.file) << "\" time=\"0\">\n"
        << "      <failure message=\"" << XmlEscape(error.message) << "\">"
        << XmlEscape(place + ": " + error.message + "\nnothing was run; fix the scenario files") << "</failure>\n"
        << "    </testcase>\n";
  }
  xml << "  </testsuite>\n</testsuites>\n";
  return xml.str();
}

}  // namespace bitsh::scenarios

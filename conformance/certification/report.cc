// The certification report: Markdown for people, HTML for a browser, JUnit for CI.
#include <map>
#include <sstream>

#include "conformance/certification/certification.h"
#include "scenarios/reports.h"

namespace bitsh::certification {
namespace {

// outcome of (rule, condition), or nullptr when the rule does not apply to the condition.
const RuleOutcome* Find(const CertificationReport& report, const std::string& rule, const std::string& condition) {
  for (const RuleOutcome& outcome : report.outcomes) {
    if (outcome.rule == rule && outcome.condition == condition) return &outcome;
  }
  return nullptr;
}

}  // namespace

std::string CertificationReport::ToMarkdown() const {
  std::ostringstream md;
  md << "# WMP BITS job convention certification\n\n**Result: " << (passed() ? "PASSED" : "FAILED") << "**\n\n| rule |";
  for (const std::string& condition : conditions) md << " " << condition << " |";
  md << "\n|---|";
  for (std::size_t i = 0; i < conditions.size(); ++i) md << "---|";
  md << "\n";
  for (const std::string& rule : rules) {
    md << "| " << rule << " |";
    for (const std::string& condition : conditions) {
      const RuleOutcome* outcome = Find(*this, rule, condition);
      md << " " << (outcome == nullptr ? "n/a" : outcome->passed ? "pass" : "**FAIL**") << " |";
    }
    md << "\n";
  }
  bool heading = false;
  for (const RuleOutcome& outcome : outcomes) {
    if (outcome.passed) continue;
    if (!heading) md << "\n## Findings\n";
    heading = true;
    md << "\n### " << outcome.rule << " (" << outcome.condition << ")\n\n";
    for (const std::string& finding : outcome.findings) md << "- " << finding << "\n";
  }
  return md.str();
}

std::string CertificationReport::ToHtml() const {
  using scenarios::XmlEscape;
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>WMP BITS job convention certification</title>"
       << "<style>td,th{border:1px solid #999;padding:2px 6px}.pass{background:#dfd}.fail{background:#fdd}</style></head>\n"
       << "<body><h1>WMP BITS job convention certification: " << (passed() ? "PASSED" : "FAILED") << "</h1>\n<table><tr><th>rule</th>";
  for (const std::string& condition : conditions) html << "<th>" << XmlEscape(condition) << "</th>";
  html << "</tr>\n";
  for (const std::string& rule : rules) {
    html << "<tr><td>" << XmlEscape(rule) << "</td>";
    for (const std::string& condition : conditions) {
      const RuleOutcome* outcome = Find(*this, rule, condition);
      if (outcome == nullptr) {
        html << "<td>n/a</td>";
        continue;
      }
      html << "<td class=\"" << (outcome->passed ? "pass\">pass" : "fail\">FAIL");
      for (const std::string& finding : outcome->findings) html << "<br><small>" << XmlEscape(finding) << "</small>";
      html << "</td>";
    }
    html << "</tr>\n";
  }
  html << "</table></body></html>\n";
  return html.str();
}

std::string CertificationReport::ToJUnit() const {
  using scenarios::XmlEscape;
  std::ostringstream xml;
  std::size_t failures = 0;
  for (const RuleOutcome& outcome : outcomes) failures += outcome.passed ? 0 : 1;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"" << outcomes.size() << "\" failures=\"" << failures << "\">\n";
  for (const std::string& condition : conditions) {
    xml << "  <testsuite name=\"certification." << XmlEscape(condition) << "\">\n";
    for (const RuleOutcome& outcome : outcomes) {
      if (outcome.condition != condition) continue;
      xml << "    <testcase classname=\"certification." << XmlEscape(condition) << "\" name=\"" << XmlEscape(outcome.rule) << "\"";
      if (outcome.passed) {
        xml << "/>\n";
        continue;
      }
      std::string details;
      for (const std::string& finding : outcome.findings) details += finding + "\n";
      xml << ">\n      <failure message=\"" << outcome.findings.size() << " finding(s)\">" << XmlEscape(details)
          << "</failure>\n    </testcase>\n";
    }
    xml << "  </testsuite>\n";
  }
  xml << "</testsuites>\n";
  return xml.str();
}

}  // namespace bitsh::certification

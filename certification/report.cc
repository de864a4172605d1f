// The certification report: Markdown for people, HTML for a browser, JUnit for CI.
//
// Findings are written for a partner who has to act on them: each cause once, with the conditions
// it was seen in ("all 6 conditions" rather than six copies), the description with the offending
// character marked, and under it what followed from it in other rules.
#include <algorithm>
#include <map>
#include <sstream>

#include "certification/certification.h"
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

// One finding as it reads in every condition it was seen in.
struct Entry {
  std::string rule;
  RuleFinding finding;
  std::vector<std::string> conditions;
};

// A cause, with the findings that follow from it.
struct Group {
  const Entry* cause = nullptr;
  std::vector<const Entry*> consequences;
};

class FindingGroups {
 public:
  explicit FindingGroups(const CertificationReport& report) : report_(report) {
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index;
    for (const RuleOutcome& outcome : report.outcomes) {
      for (const RuleFinding& finding : outcome.findings) {
        auto [at, added] = index.try_emplace({outcome.rule, finding.text, finding.caused_by}, entries_.size());
        if (added) entries_.push_back({outcome.rule, finding, {}});
        entries_[at->second].conditions.push_back(outcome.condition);
      }
    }
    std::map<std::string, std::size_t> group_of_key;
    // Causes first, in the report's rule order, so every WMP-* rule comes before what it breaks.
    for (const std::string& rule : report.rules) {
      for (const Entry& entry : entries_) {
        if (entry.rule != rule || !entry.finding.caused_by.empty()) continue;
        if (!entry.finding.key.empty()) group_of_key.emplace(entry.finding.key, groups_.size());
        groups_.push_back({&entry, {}});
      }
    }
    for (const Entry& entry : entries_) {
      if (entry.finding.caused_by.empty()) continue;
      auto group = group_of_key.find(entry.finding.caused_by);
      if (group != group_of_key.end()) groups_[group->second].consequences.push_back(&entry);
      else orphans_.push_back(&entry);  // follows from a whole rule, not from one finding
    }
  }

  const std::vector<Group>& groups() const { return groups_; }
  const std::vector<const Entry*>& orphans() const { return orphans_; }

  // "all 6 conditions", "all 5 conditions it is checked in" or "clean, service_restart".
  std::string Conditions(const Entry& entry) const {
    const std::size_t applies = static_cast<std::size_t>(std::count_if(
        report_.outcomes.begin(), report_.outcomes.end(), [&](const RuleOutcome& o) { return o.rule == entry.rule; }));
    if (entry.conditions.size() == applies && applies > 1) {
      return "all " + std::to_string(applies) + " conditions" +
             (applies < report_.conditions.size() ? " it is checked in" : "");
    }
    std::string text;
    for (const std::string& condition : entry.conditions) text += (text.empty() ? "" : ", ") + condition;
    return text;
  }

 private:
  const CertificationReport& report_;
  std::vector<Entry> entries_;  // never resized after construction: groups point into it
  std::vector<Group> groups_;
  std::vector<const Entry*> orphans_;
};

std::string Indented(const std::string& text, const std::string& indent) {
  std::string out = indent;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

std::string CellText(const RuleOutcome* outcome) {
  if (outcome == nullptr) return "n/a";
  if (outcome->passed) return "pass";
  return outcome->OnlyConsequences() ? "fail (follows)" : "**FAIL**";
}

}  // namespace

bool RuleOutcome::OnlyConsequences() const {
  return !findings.empty() &&
         std::all_of(findings.begin(), findings.end(), [](const RuleFinding& f) { return !f.caused_by.empty(); });
}

std::string CertificationReport::ToMarkdown() const {
  std::ostringstream md;
  md << "# WMP BITS job convention certification\n\n**Result: " << (passed() ? "PASSED" : "FAILED") << "**\n\n";
  const FindingGroups findings(*this);
  if (!findings.groups().empty()) {
    md << findings.groups().size() << " cause(s) found; \"fail (follows)\" marks a rule that failed only because "
       << "of one of them.\n\n";
  }
  md << "| rule |";
  for (const std::string& condition : conditions) md << " " << condition << " |";
  md << "\n|---|";
  for (std::size_t i = 0; i < conditions.size(); ++i) md << "---|";
  md << "\n";
  for (const std::string& rule : rules) {
    md << "| " << rule << " |";
    for (const std::string& condition : conditions) md << " " << CellText(Find(*this, rule, condition)) << " |";
    md << "\n";
  }
  if (findings.groups().empty() && findings.orphans().empty()) return md.str();
  md << "\n## Findings\n";
  std::string heading;
  for (const Group& group : findings.groups()) {
    if (group.cause->rule != heading) md << "\n### " << (heading = group.cause->rule) << "\n\n";
    md << "- " << group.cause->finding.text << " (" << findings.Conditions(*group.cause) << ")\n";
    if (!group.cause->finding.excerpt.empty()) md << "\n  ```\n" << Indented(group.cause->finding.excerpt, "  ") << "\n  ```\n\n";
    for (const Entry* consequence : group.consequences) {
      md << "  - so " << consequence->rule << ": " << consequence->finding.text;
      if (consequence->conditions != group.cause->conditions) md << " (" << findings.Conditions(*consequence) << ")";
      md << "\n";
    }
  }
  for (const Entry* orphan : findings.orphans()) {
    if (orphan->rule != heading) md << "\n### " << (heading = orphan->rule) << "\n\n";
    md << "- " << orphan->finding.text << " (follows from " << orphan->finding.caused_by << "; "
       << findings.Conditions(*orphan) << ")\n";
  }
  return md.str();
}

std::string CertificationReport::ToHtml() const {
  using scenarios::XmlEscape;
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>WMP BITS job convention certification</title>"
       << "<style>td,th{border:1px solid #999;padding:2px 6px}.pass{background:#dfd}.fail{background:#fdd}"
       << ".follows{background:#fed}</style></head>\n"
       << "<body><h1>WMP BITS job convention certification: " << (passed() ? "PASSED" : "FAILED") << "</h1>\n<table><tr><th>rule</th>";
  for (const std::string& condition : conditions) html << "<th>" << XmlEscape(condition) << "</th>";
  html << "</tr>\n";
  for (const std::string& rule : rules) {
    html << "<tr><td>" << XmlEscape(rule) << "</td>";
    for (const std::string& condition : conditions) {
      const RuleOutcome* outcome = Find(*this, rule, condition);
      const char* css = outcome == nullptr ? "" : outcome->passed ? "pass" : outcome->OnlyConsequences() ? "follows" : "fail";
      html << "<td class=\"" << css << "\">" << (outcome == nullptr ? "n/a" : outcome->passed ? "pass" : outcome->OnlyConsequences() ? "fail (follows)" : "FAIL") << "</td>";
    }
    html << "</tr>\n";
  }
  html << "</table>\n";
  const FindingGroups findings(*this);
  if (!findings.groups().empty()) html << "<h2>Findings</h2>\n<ul>\n";
  for (const Group& group : findings.groups()) {
    html << "<li><b>" << XmlEscape(group.cause->rule) << "</b>: " << XmlEscape(group.cause->finding.text) << " <i>("
         << XmlEscape(findings.Conditions(*group.cause)) << ")</i>";
    if (!group.cause->finding.excerpt.empty()) html << "<pre>" << XmlEscape(group.cause->finding.excerpt) << "</pre>";
    if (!group.consequences.empty()) html << "<ul>";
    for (const Entry* consequence : group.consequences) {
      html << "<li>so " << XmlEscape(consequence->rule) << ": " << XmlEscape(consequence->finding.text) << "</li>";
    }
    if (!group.consequences.empty()) html << "</ul>";
    html << "</li>\n";
  }
  if (!findings.groups().empty()) html << "</ul>\n";
  html << "</body></html>\n";
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
      for (const RuleFinding& finding : outcome.findings) {
        details += finding.text + (finding.caused_by.empty() ? "" : " (caused by: " + finding.caused_by + ")") + "\n";
        if (!finding.excerpt.empty()) details += finding.excerpt + "\n";
      }
      xml << ">\n      <failure message=\"" << outcome.findings.size() << " finding(s)"
          << (outcome.OnlyConsequences() ? ", each following from another rule's" : "") << "\">" << XmlEscape(details)
          << "</failure>\n    </testcase>\n";
    }
    xml << "  </testsuite>\n";
  }
  xml << "</testsuites>\n";
  return xml.str();
}

}  // namespace bitsh::certification

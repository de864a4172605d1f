#include "scenarios/shrink.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <variant>
#include <vector>

#include "scenarios/scenario_loader.h"
#include "backend/units.h"

namespace bitsh::scenarios {
namespace {

// A step from a node to one of its children: a map key or a sequence index.
using Step = std::variant<std::string, std::size_t>;
using NodePath = std::vector<Step>;

// The keys whose values shrink by halving: sizes and counts.
constexpr std::string_view kLowerable[] = {"size", "after", "new_size", "copies"};

// One change to try: remove a map's key, remove a sequence's item, or set a key to a lower value.
struct Change {
  enum class Kind { kRemoveKey, kRemoveItem, kLower } kind;
  NodePath parent;      // the map or sequence changed
  Step child;           // its key or index
  std::uint64_t lower = 0;  // kLower: the new value
};

YAML::Node Child(YAML::Node node, const Step& step) {
  if (const std::string* key = std::get_if<std::string>(&step)) return node[*key];
  return node[std::get<std::size_t>(step)];
}

// The node at `path`. Node::reset rebinds the handle: yaml-cpp's operator= would instead write the
// child's value over the node the handle refers to.
YAML::Node At(YAML::Node root, const NodePath& path) {
  YAML::Node node = root;
  for (const Step& step : path) node.reset(Child(node, step));
  return node;
}

// Every change worth trying on `node` (at `path`) and below, larger parts first. The root's name
// and expectations are kept: the expectation is what must go on failing.
void Changes(const YAML::Node& node, NodePath& path, std::vector<Change>& out) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      const std::string key = entry.first.as<std::string>();
      if (path.empty() && (key == "name" || key == "expect")) continue;
      out.push_back({Change::Kind::kRemoveKey, path, key});
      if (entry.second.IsScalar() && std::ranges::find(kLowerable, key) != std::end(kLowerable)) {
        const std::optional<std::uint64_t> value = ParseSize(entry.second.Scalar());
        if (value && *value >= 2) out.push_back({Change::Kind::kLower, path, key, *value / 2});
      }
      path.push_back(key);
      Changes(entry.second, path, out);
      path.pop_back();
    }
  } else if (node.IsSequence()) {
    for (std::size_t index = 0; index < node.size(); ++index) {
      out.push_back({Change::Kind::kRemoveItem, path, index});
      path.push_back(index);
      Changes(node[index], path, out);
      path.pop_back();
    }
  }
}

std::vector<Change> ChangesOf(const YAML::Node& root) {
  std::vector<Change> changes;
  NodePath path;
  Changes(root, path, changes);
  return changes;
}

// A copy of `root` with `change` made.
YAML::Node Applied(const YAML::Node& root, const Change& change) {
  YAML::Node copy = YAML::Clone(root);
  YAML::Node parent = At(copy, change.parent);
  switch (change.kind) {
    case Change::Kind::kRemoveKey:
      parent.remove(std::get<std::string>(change.child));
      break;
    case Change::Kind::kLower:
      parent[std::get<std::string>(change.child)] = std::to_string(change.lower);
      break;
    case Change::Kind::kRemoveItem: {
      YAML::Node rest(YAML::NodeType::Sequence);
      for (std::size_t index = 0; index < parent.size(); ++index) {
        if (index != std::get<std::size_t>(change.child)) rest.push_back(parent[index]);
      }
      if (change.parent.empty()) return rest;
      NodePath above = change.parent;
      const Step last = above.back();
      above.pop_back();
      YAML::Node grandparent = At(copy, above);
      if (const std::string* key = std::get_if<std::string>(&last)) grandparent[*key] = rest;
      else grandparent[std::get<std::size_t>(last)] = rest;
      break;
    }
  }
  return copy;
}

std::string Emit(const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

// How a failure looks, to tell "fails the same way" from "fails some other way" (a shrink that
// removes the server makes every download fail, but not as the original did): what was found
// instead, with numbers and parenthesized details left out (sizes shrink), and the last error
// the job the failure names logged (BG_E_HTTP_ERROR_404 is not BG_E_INSUFFICIENT_RANGE_SUPPORT).
std::string Signature(const ExpectationOutcome& outcome, const std::string& job, const ScenarioResult& result) {
  // Parenthesized details out; then each word with a digit in it (a size, 0x80190194, BIT000A.tmp)
  // becomes '#'.
  std::string text;
  int depth = 0;
  for (char c : outcome.actual) {
    depth += c == '(' ? 1 : c == ')' && depth > 0 ? -1 : 0;
    if (depth == 0 && c != ')') text += c;
  }
  std::string signature;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = at;
    while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
    if (end == at) {
      signature += text[at++];
      continue;
    }
    const std::string_view word(text.data() + at, end - at);
    signature += std::ranges::any_of(word, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })
                     ? std::string("#")
                     : std::string(word);
    at = end;
  }
  std::string bits_id;
  for (const auto& [name, id] : result.jobs) {
    if (name == job) bits_id = id;
  }
  std::string last_error;
  for (const fake::LogEvent& event : result.events) {
    if (!bits_id.empty() && event.job == bits_id && event.kind == "error") last_error = event.detail.substr(0, event.detail.find(' '));
  }
  return signature + " | " + last_error;
}

// What must go on failing: the one expectation left (expectation_kept), or an outcome named by
// its text (an invariant, or a job's setup call); either way, with the same signature.
struct Target {
  bool expectation_kept = false;
  std::string what;
  std::string job;        // the job the failure is about, if any
  std::string signature;
};

// The failing outcome of `result` that is the target's, failing the same way, or null.
const ExpectationOutcome* Failing(const Scenario& scenario, const ScenarioResult& result, const Target& target) {
  for (const ExpectationOutcome& outcome : result.outcomes) {
    if (outcome.passed) continue;
    const bool ours = target.expectation_kept ? !scenario.expectations.empty() && outcome.where == scenario.expectations[0].where
                                              : outcome.what == target.what;
    if (ours && Signature(outcome, target.job, result) == target.signature) return &outcome;
  }
  return nullptr;
}

}  // namespace

Result<ShrinkResult> Shrink(const std::string& text, const std::string& file_name, const ShrinkOptions& options) {
  RunOptions run = options.run;
  run.check_invariants = options.invariants;
  run.repeat = 1;
  LoadResult loaded = LoadScenarioText(text, file_name, options.load);
  if (!loaded.scenario) return Status::InvalidArg(loaded.errors.front().ToString());
  ScenarioResult first = RunScenario(*loaded.scenario, run);
  if (!first.internal_error.empty()) return Status::InvalidArg(file_name + ": the harness failed: " + first.internal_error);
  const auto failing = std::find_if(first.outcomes.begin(), first.outcomes.end(), [](const ExpectationOutcome& outcome) {
    return !outcome.passed;
  });
  if (failing == first.outcomes.end()) {
    return Status::InvalidArg(file_name + " passes" + (options.invariants ? " and keeps the invariants" : "") +
                              ": there is no failure to keep");
  }
  YAML::Node tree;
  try {
    tree = YAML::Load(text);
  } catch (const YAML::Exception& error) {  // it loaded above, so this cannot happen
    return Status::InvalidArg(file_name + ": " + error.what());
  }
  if (run.seed) tree["seed"] = std::to_string(*run.seed);  // the seed it failed with goes into the file
  run.seed.reset();
  // A candidate may cost far more than the original: a fault freed of its `request` cuts every GET,
  // after one byte once `after` is halved, and a 1 MiB file then takes a million requests. One
  // that runs many more events than the original did is dropped (the bound ends it as a harness
  // error), so a shrink takes seconds, not hours.
  run.max_events = std::min<std::uint64_t>(run.max_events, std::max<std::uint64_t>(2'000, 10 * first.events_run));

  // Keep the failing expectation alone (the others change nothing in the run), or none when an
  // invariant or a job's setup call is what fails.
  Target target{.what = failing->what};
  YAML::Node kept(YAML::NodeType::Sequence);
  const auto& expectations = loaded.scenario->expectations;
  const auto expectation = std::find_if(expectations.begin(), expectations.end(), [&](const Expectation& e) {
    return e.where == failing->where;
  });
  if (expectation != expectations.end() && !failing->what.starts_with("invariant: ")) {
    kept.push_back(tree["expect"][static_cast<std::size_t>(expectation - expectations.begin())]);
    target.expectation_kept = true;
    target.job = expectation->job;
  }
  target.signature = Signature(*failing, target.job, first);
  ShrinkResult result;
  result.failure = failing->what;
  result.actual = failing->actual;
  result.runs = 1;
  // Tries `candidate`: the text it would be, when it loads and fails the target's way.
  const auto fails = [&](const YAML::Node& candidate) -> std::optional<std::string> {
    ++result.runs;
    const std::string candidate_text = Emit(candidate);
    LoadResult candidate_loaded = LoadScenarioText(candidate_text, file_name, options.load);
    if (!candidate_loaded.scenario) return std::nullopt;
    const ScenarioResult outcome = RunScenario(*candidate_loaded.scenario, run);
    if (!outcome.internal_error.empty()) return std::nullopt;
    const ExpectationOutcome* still = Failing(*candidate_loaded.scenario, outcome, target);
    if (still == nullptr) return std::nullopt;
    result.actual = still->actual;
    return candidate_text;
  };
  YAML::Node smallest = YAML::Clone(tree);
  smallest["expect"] = kept;
  if (kept.size() == 0) smallest.remove("expect");
  std::optional<std::string> text_now = fails(smallest);
  if (!text_now) {  // the other expectations mattered after all (a setup failure they named): keep them
    smallest = YAML::Clone(tree);
    target.expectation_kept = false;
    text_now = fails(smallest);
    if (!text_now) return Status::InvalidArg(file_name + ": its failure does not reproduce (is it deterministic?)");
  } else {
    ++result.changes;
  }

  // Greedy passes: after a kept change, the next candidate is the one at the same place in the
  // smaller scenario's list; a pass that keeps nothing ends the shrink.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t index = 0;; ++index) {
      const std::vector<Change> changes = ChangesOf(smallest);
      if (index >= changes.size()) break;
      if (result.runs >= options.max_runs) {
        result.exhausted = true;
        result.yaml = *text_now;
        return result;
      }
      YAML::Node candidate = Applied(smallest, changes[index]);
      if (std::optional<std::string> candidate_text = fails(candidate)) {
        smallest = candidate;
        text_now = std::move(candidate_text);
        ++result.changes;
        changed = true;
        --index;  // the same place again: what follows moved up
      }
    }
  }
  result.yaml = *text_now;
  return result;
}

}  // namespace bitsh::scenarios

// Shrink: the smallest scenario that still fails the same way. Given a failing scenario, it tries
// removing each part (a fault, a job, a file, a network event, a machine event, any optional key)
// and lowering each size (a file's size, a fault's `after` or `new_size`, a job's `copies`), keeps
// every change after which the same expectation (or invariant) still fails, and goes on until no
// change helps: delta debugging (Zeller), one part at a time. Runs are deterministic, so the
// result is too, and it reproduces alone. What `bitsh shrink` runs (docs/scenarios.md, "Shrinking").
#pragma once

#include <cstddef>
#include <string>

#include "backend/status.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/scenario_runner.h"

namespace bitsh::scenarios {

struct ShrinkOptions {
  RunOptions run;                 // how each candidate runs (seed override, a test's transport)
  ScenarioLoadOptions load;       // how the scenario and each candidate load (--allow-outside-content)
  bool invariants = false;        // a failing invariant counts too (scenarios/invariants.h)
  std::size_t max_runs = 2'000;   // candidates tried at most; the smallest found so far is kept
};

struct ShrinkResult {
  std::string yaml;          // the smallest failing scenario found, as YAML
  std::string failure;       // what still fails: "job t state ACKNOWLEDGED at the end" or "invariant: ..."
  std::string actual;        // what the smallest scenario found instead
  std::size_t runs = 0;      // scenarios run, the first included
  std::size_t changes = 0;   // changes kept
  bool exhausted = false;    // stopped at max_runs rather than at a scenario no change made smaller
};

// Shrinks the scenario `text` (named `file_name`: messages, and content_file names relative to its
// folder). E_INVALIDARG when the text does not load, or when it passes (nothing to shrink); the
// first failing expectation (or, with options.invariants, invariant) is the one kept failing.
// A harness error (no port, ...) is not a failure to keep: candidates that end in one are dropped,
// and so are candidates that run more than 10 times as many events as the original ran (at least
// 2,000): a smaller scenario must not be a far slower one.
Result<ShrinkResult> Shrink(const std::string& text, const std::string& file_name, const ShrinkOptions& options = {});

}  // namespace bitsh::scenarios

// LoadTestScenario: a scenario from YAML text written in a test, for the tests that are about
// running, shrinking or sweeping it rather than about loading it. A mistake in the text fails the
// test at once, naming every problem, instead of surfacing later as a puzzling outcome.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "scenarios/scenario_loader.h"

namespace bitsh::testing {

// The scenario `text` describes, loaded as if from `file_name`. When the text does not load, the
// test fails here (a non-fatal failure listing the errors) and an empty scenario is returned.
inline scenarios::Scenario LoadTestScenario(const std::string& text, const std::string& file_name) {
  scenarios::LoadResult loaded = scenarios::LoadScenarioText(text, file_name);
  for (const scenarios::LoadError& error : loaded.errors) ADD_FAILURE() << error.ToString();
  if (!loaded.errors.empty() || !loaded.scenario) return {};
  return *std::move(loaded.scenario);
}

}  // namespace bitsh::testing

// Which loaded scenarios a `bitsh run` runs: --filter/--exclude (regular expressions searched in
// the scenario's name and its file's name, as ctest -R/-E select tests) and sharding for CI matrices
// (--shard INDEX/COUNT, or GoogleTest's GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS, so any runner that
// speaks GoogleTest's sharding protocol can spread a large scenario set over machines).
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "backend/status.h"
#include "scenarios/scenario.h"

namespace bitsh::cli {

struct Shard {
  unsigned index = 0;  // 0-based, as GTEST_SHARD_INDEX
  unsigned count = 1;
};

// "2/4" is the second of four shards (1-based, as CI matrices count). E_INVALIDARG naming the
// text when it is not INDEX/COUNT with 1 <= INDEX <= COUNT.
Result<Shard> ParseShard(const std::string& text);

// The shard GoogleTest's environment variables ask for, nullopt when they are not set; an error
// when they are set to something that is not a shard.
Result<std::optional<Shard>> ShardFromEnvironment();

struct Selection {
  std::optional<std::regex> filter;   // run only scenarios whose name or file name matches
  std::optional<std::regex> exclude;  // and skip those whose name or file name matches
  Shard shard;
};

// E_INVALIDARG naming the option when a pattern is not a valid ECMAScript regular expression.
Result<std::optional<std::regex>> CompilePattern(const std::string& option, const std::string& pattern);

struct Selected {
  std::vector<scenarios::Scenario> scenarios;  // this shard's, in their order
  std::size_t matched = 0;                     // how many the patterns selected, in all shards
};

// The scenarios to run: those the patterns select, then every shard.count-th of them from
// shard.index on (round robin over the sorted files, as GoogleTest deals tests).
Selected Select(std::vector<scenarios::Scenario> loaded, const Selection& selection);

}  // namespace bitsh::cli

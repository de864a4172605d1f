// The certification kit: runs a store's StoreQueuer under a fixed battery of conditions on the
// fake BITS and the local file server, with the simulated Player, and checks every rule:
// each convention rule id, every job resumed by the store and none left SUSPENDED, metadata equal
// to the manifest, every track filed in the library with the right bytes, nothing left in the
// queue, no temporary file left, and the Download Manager collection for the serviceId showing
// each track. A finding that follows from another (a track missing from the library because its
// job's description is unreadable) names that cause, and the reports group it under the cause.
// Results are deterministic for a seed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "certification/store_queuer.h"
#include "scenarios/yaml_reader.h"

namespace bitsh::certification {

// A purchase manifest file: the store key, the serviceId, and each track's file and metadata.
struct ManifestTrack {
  std::string path;          // served by the kit at this path
  std::uint64_t size = 0;    // generated content of this size...
  std::uint64_t seed = 0;    // ...from this seed
  PurchasedTrack track;      // url is filled in per run
};
struct Manifest {
  std::string store_key;
  std::uint32_t service_id = 0;
  std::vector<ManifestTrack> tracks;
};

struct ManifestResult {
  std::optional<Manifest> manifest;
  std::vector<scenarios::LoadError> errors;  // file:line:column
};
ManifestResult LoadManifest(const std::filesystem::path& path);

// One thing found wrong.
struct RuleFinding {
  std::string text;       // what is wrong, naming the job and the field
  std::string excerpt;    // the job's description with a '^' under the offending character, or ""
  std::string key;        // this finding as a cause: "<rule> on job '<name>'" ("" when not about a job)
  std::string caused_by;  // "" when this is a cause itself; else the key of the finding it follows from
};

// One cell of the report: a rule under a condition.
struct RuleOutcome {
  std::string condition;  // "clean", "drop_and_resume", ...
  std::string rule;       // "WMP-SERVICEID-NONZERO", "library-has-every-track", ...
  bool passed = true;
  std::vector<RuleFinding> findings;
  // True when it failed only because of findings of other rules.
  bool OnlyConsequences() const;
};

struct CertificationReport {
  std::vector<std::string> conditions;
  std::vector<std::string> rules;
  std::vector<RuleOutcome> outcomes;
  bool passed() const;
  std::string ToMarkdown() const;
  std::string ToHtml() const;
  std::string ToJUnit() const;
};

CertificationReport Certify(StoreQueuer& queuer, const Manifest& manifest, std::uint64_t seed = 1);

}  // namespace bitsh::certification

// The certification kit: runs a store's StoreQueuer under a fixed battery of conditions on the
// fake BITS and the local file server, with the simulated Player, and checks every rule:
// each convention rule id, one media file per job, metadata equal to the manifest, every track
// filed in the library with the right bytes, nothing left in the queue, no temporary file left,
// and the Download Manager collection for the serviceId showing each track.
// Results are deterministic for a seed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "conformance/certification/store_queuer.h"
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

// One row of the report.
struct RuleOutcome {
  std::string condition;  // "clean", "drop_and_resume", ...
  std::string rule;       // "WMP-SERVICEID-NONZERO", "library-has-every-track", ...
  bool passed = true;
  std::vector<std::string> findings;  // what failed, naming the job and the field
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

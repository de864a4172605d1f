#include "fake/job_properties.h"

#include <limits>
#include <string>

namespace bitsh::fake {
namespace {

// GUID_NULL in the registry form: "no notification CLSID".
const std::string& NullClsid() {
  static const std::string text = JobId().ToString();
  return text;
}

// When a property stops taking changes (the BITS_JOB_PROPERTY_ID page, property by property).
enum class Settable { kAlways, kBeforeAddFile, kBeforeResume };

struct PropertyRule {
  JobPropertyId id;
  const char* name;
  bool download_only;
  Settable settable;
};

constexpr PropertyRule kRules[] = {
    {JobPropertyId::kCostFlags, "COST_FLAGS", false, Settable::kAlways},
    {JobPropertyId::kNotificationClsid, "NOTIFICATION_CLSID", false, Settable::kAlways},
    {JobPropertyId::kDynamicContent, "DYNAMIC_CONTENT", true, Settable::kBeforeResume},
    {JobPropertyId::kHighPerformance, "HIGH_PERFORMANCE", true, Settable::kBeforeAddFile},
    {JobPropertyId::kMaxDownloadSize, "MAX_DOWNLOAD_SIZE", true, Settable::kBeforeResume},
    {JobPropertyId::kUseStoredCredentials, "USE_STORED_CREDENTIALS", false, Settable::kAlways},
    {JobPropertyId::kMinimumNotificationIntervalMs, "MINIMUM_NOTIFICATION_INTERVAL_MS", false, Settable::kAlways},
    {JobPropertyId::kOnDemandMode, "ON_DEMAND_MODE", true, Settable::kAlways},
};

const PropertyRule* RuleOf(JobPropertyId id) {
  for (const PropertyRule& rule : kRules) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

bool HasRangedFile(const FakeJob& job) {
  for (const FakeFile& file : job.files) {
    if (!file.ranges.empty()) return true;
  }
  return false;
}

// The value itself, once the job may take a change of the property.
Status CheckValue(const FakeJob& job, JobPropertyId id, const JobPropertyValue& value, const std::string& which) {
  switch (id) {
    case JobPropertyId::kNotificationClsid:
      if (!JobId::Parse(value.clsid)) return Status::InvalidArg(which + ": '" + value.clsid + "' is not a CLSID");
      return Status::Ok();
    case JobPropertyId::kDynamicContent:
      // "It is not supported for downloads that use FILE_RANGES."
      if (value.enable && HasRangedFile(job)) return Status::InvalidArg(which + ": the job has a file with ranges");
      return Status::Ok();
    case JobPropertyId::kMaxDownloadSize:
      if (value.uint64 == 0) {
        return Status(hr::kMaxDownloadSizeInvalidValue, which + ": 0 bytes (the cap is 1 to UINT64_MAX)");
      }
      return Status::Ok();
    case JobPropertyId::kUseStoredCredentials:
      if (value.target != AuthTarget::kProxy) {
        return Status(hr::kUseStoredCredentialsNotSupported,
                      which + ": target " + std::to_string(static_cast<std::uint32_t>(value.target)) +
                          " (only BG_AUTH_TARGET_PROXY is supported)");
      }
      return Status::Ok();
    case JobPropertyId::kOnDemandMode:
      if (!value.enable) return Status::Ok();  // the default: not on demand
      if (job.dynamic_content) return Status::InvalidArg(which + ": an on-demand job must not be dynamic");
      // On-demand ranges are asked for with IBackgroundCopyFile6::RequestFileRanges, which the
      // Backend interface does not have: a job set on demand could never transfer a byte here.
      return Status::NotImplemented(which + ": on-demand jobs are not simulated (docs/decisions.md, \"Job properties\")");
    case JobPropertyId::kCostFlags:
    case JobPropertyId::kHighPerformance:
    case JobPropertyId::kMinimumNotificationIntervalMs:
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace

Status CheckPropertyChange(const FakeJob& job, JobPropertyId id, const JobPropertyValue& value) {
  const PropertyRule* rule = RuleOf(id);
  const std::string which = std::string(rule != nullptr ? rule->name : "property " + std::to_string(static_cast<std::uint32_t>(id))) +
                            " of job " + job.id.ToString();
  if (rule == nullptr) return Status(hr::kUnknownPropertyId, which + " is not a BITS_JOB_PROPERTY_ID");
  if (rule->download_only && job.type != JobType::kDownload) {
    return Status(hr::kPropertySupportedForDownloadJobsOnly, which + ": download jobs only");
  }
  if (rule->settable == Settable::kBeforeAddFile && !job.files.empty()) {
    return Status(hr::kReadOnlyPropertyAfterAddFile, which + ": settable only before the first file is added");
  }
  if (rule->settable == Settable::kBeforeResume && job.resumed) {
    return Status(hr::kReadOnlyPropertyAfterResume, which + ": settable only before the first Resume");
  }
  return CheckValue(job, id, value, which);
}

void ApplyPropertyChange(FakeJob& job, JobPropertyId id, const JobPropertyValue& value) {
  switch (id) {
    case JobPropertyId::kCostFlags: job.cost_flags = value.dword; break;
    case JobPropertyId::kNotificationClsid:
      // Stored in one spelling (upper-case hex) so that a comparison never depends on the caller's.
      job.notification_clsid = JobId::Parse(value.clsid)->ToString();
      if (job.notification_clsid == NullClsid()) job.notification_clsid.clear();  // GUID_NULL clears it
      break;
    case JobPropertyId::kDynamicContent: job.dynamic_content = value.enable; break;
    case JobPropertyId::kHighPerformance: job.high_performance = value.enable; break;
    case JobPropertyId::kMaxDownloadSize: job.max_download_size = value.uint64; break;
    case JobPropertyId::kUseStoredCredentials: job.use_stored_proxy_credentials = true; break;
    case JobPropertyId::kMinimumNotificationIntervalMs: job.notification_interval_ms = value.dword; break;
    case JobPropertyId::kOnDemandMode: break;  // only FALSE gets here, which the job already is
  }
}

JobPropertyValue ReadProperty(const FakeJob& job, JobPropertyId id, std::uint32_t default_interval_ms) {
  JobPropertyValue value;
  switch (id) {
    case JobPropertyId::kCostFlags: value.dword = job.cost_flags; break;
    case JobPropertyId::kNotificationClsid:
      value.clsid = job.notification_clsid.empty() ? NullClsid() : job.notification_clsid;
      break;
    case JobPropertyId::kDynamicContent: value.enable = job.dynamic_content; break;
    case JobPropertyId::kHighPerformance: value.enable = job.high_performance; break;
    // No cap is the largest cap: what reads back can always be set again.
    case JobPropertyId::kMaxDownloadSize:
      value.uint64 = job.max_download_size.value_or(std::numeric_limits<std::uint64_t>::max());
      break;
    // 0, no target, until set (the one value BITS takes is BG_AUTH_TARGET_PROXY).
    case JobPropertyId::kUseStoredCredentials:
      value.target = job.use_stored_proxy_credentials ? AuthTarget::kProxy : static_cast<AuthTarget>(0);
      break;
    case JobPropertyId::kMinimumNotificationIntervalMs:
      value.dword = job.notification_interval_ms.value_or(default_interval_ms);
      break;
    case JobPropertyId::kOnDemandMode: value.enable = false; break;
  }
  return value;
}

}  // namespace bitsh::fake

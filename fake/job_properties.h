// The BITS 5 job properties (IBackgroundCopyJob5::SetProperty/GetProperty) on the fake's job
// record: which changes are allowed when, and what each reads back. Internal to fake/.
//
// A pure rule table, kept apart from the service so each rule is one line to read and test; the
// service (FakeBitsService::SetJobProperty) opens the job, applies the change and then does what
// the change sets in motion (a hold re-examined, a notice renewed). What each property does to a
// transfer is the engine's (fake_service_transfer.cc: DYNAMIC_CONTENT, HIGH_PERFORMANCE,
// MAX_DOWNLOAD_SIZE, USE_STORED_CREDENTIALS; fake_service_notify.cc: NOTIFICATION_CLSID).
// docs/decisions.md, from "Job properties (IBackgroundCopyJob5)" on, gives the source or the
// decision behind each rule.
#pragma once

#include "backend/job_types.h"
#include "backend/status.h"
#include "fake/fake_job.h"

namespace bitsh::fake {

// Ok when `value` may be given to the job's property now; otherwise the code BITS gives:
// BG_E_UNKNOWN_PROPERTY_ID, BG_E_PROPERTY_SUPPORTED_FOR_DOWNLOAD_JOBS_ONLY,
// BG_E_READ_ONLY_PROPERTY_AFTER_ADDFILE / _AFTER_RESUME, BG_E_MAX_DOWNLOAD_SIZE_INVALID_VALUE,
// BG_E_USE_STORED_CREDENTIALS_NOT_SUPPORTED, E_INVALIDARG (a CLSID that is not one; dynamic
// content with file ranges), or E_NOTIMPL for ON_DEMAND_MODE set to TRUE, the one setting the fake
// cannot carry out.
Status CheckPropertyChange(const FakeJob& job, JobPropertyId id, const JobPropertyValue& value);

// Records the change. REQUIRES: CheckPropertyChange allowed it.
void ApplyPropertyChange(FakeJob& job, JobPropertyId id, const JobPropertyValue& value);

// The property as set, or its default. `default_interval_ms` is the service's
// FakeOptions::minimum_notification_interval. REQUIRES: IsJobPropertyId(id).
JobPropertyValue ReadProperty(const FakeJob& job, JobPropertyId id, std::uint32_t default_interval_ms);

}  // namespace bitsh::fake

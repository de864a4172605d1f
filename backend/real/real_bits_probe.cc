// real_bits_probe: runs lifecycle calls against the machine's BITS (Windows, or Wine's qmgr) through
// RealBitsBackend and prints, for each documented expectation, what the service did. Evidence
// for docs/fidelity.md (issue 8); it needs no file server. Ends with "N passed, N failed".
#include <cstdio>
#include <string>

#include "backend/real/bits_backend.h"

namespace {

int passed = 0, failed = 0;

void Expect(const char* what, const std::string& expected, const std::string& observed) {
  const bool same = expected == observed;
  (same ? passed : failed)++;
  std::printf("%-8s %-52s expected %-34s observed %s\n", same ? "same" : "DIFFERS", what, expected.c_str(), observed.c_str());
}

std::string Code(const bitsh::Status& status) { return bitsh::HResultName(status.code()); }

template <typename T>
std::string StateOr(const bitsh::Result<T>& result) {
  return result.ok() ? std::string(bitsh::ToString(*result)) : Code(result.status());
}

}  // namespace

int main() {
  using namespace bitsh;
  Result<std::unique_ptr<Backend>> connected = real::ConnectToBits();
  if (!connected.ok()) {
    std::printf("cannot reach BITS: %s\n", connected.status().ToString().c_str());
    return 2;
  }
  Backend& bits = **connected;

  Result<JobId> created = bits.CreateJob("bitsh probe", JobType::kDownload);
  Expect("CreateJob", "S_OK", Code(created.status()));
  if (!created.ok()) return 1;
  const JobId job = *created;
  Expect("new job state", "SUSPENDED", StateOr(bits.GetState(job)));
  Expect("new job type", "DOWNLOAD", StateOr(bits.GetType(job)));
  Expect("new job priority", "NORMAL", StateOr(bits.GetPriority(job)));
  Expect("display name round trip", "bitsh probe", bits.GetDisplayName(job).ok() ? *bits.GetDisplayName(job) : Code(bits.GetDisplayName(job).status()));
  Result<JobProgress> progress = bits.GetProgress(job);
  Expect("progress of an empty job", "0/0 bytes, 0/0 files",
         progress.ok() ? std::to_string(progress->bytes_transferred) + "/" + std::to_string(progress->bytes_total) + " bytes, " +
                             std::to_string(progress->files_transferred) + "/" + std::to_string(progress->files_total) + " files"
                       : Code(progress.status()));
  Expect("GetError without an error", "BG_E_ERROR_INFORMATION_UNAVAILABLE", Code(bits.GetError(job).status()));
  Expect("Resume without files", "BG_E_EMPTY", Code(bits.Resume(job)));
  Expect("description of 1024 characters", "S_OK", Code(bits.SetDescription(job, std::string(1024, 'd'))));
  Expect("description of 1025 characters", "BG_E_STRING_TOO_LONG", Code(bits.SetDescription(job, std::string(1025, 'd'))));
  (void)bits.SetMinimumRetryDelay(job, 1);
  Result<std::uint32_t> delay = bits.GetMinimumRetryDelay(job);
  Expect("retry delay 1 s raised to", "5", delay.ok() ? std::to_string(*delay) : Code(delay.status()));
  Expect("Suspend a suspended job", "S_OK", Code(bits.Suspend(job)));
  Expect("Cancel", "S_OK", Code(bits.Cancel(job)));
  Expect("state after Cancel", "CANCELLED", StateOr(bits.GetState(job)));
  Expect("second Cancel", "BG_E_INVALID_STATE", Code(bits.Cancel(job)));
  Expect("GetJob of a cancelled job", "BG_E_NOT_FOUND", Code(bits.GetJob(job)));
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

#!/usr/bin/env bash
# Undoes each correctness fix in turn and shows that a named test then fails: the proof that the
# tests guarding those fixes can fail. Each mutation is one sed edit of one file; the script builds
# the one test target, runs the named tests, expects them to FAIL, and restores the file with git.
# Slow (a rebuild per mutation), so not part of ctest; run it by hand from a configured tree:
#   tools/mutations.sh [build/default]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/default}
cd "$root"

# file ~ sed expression that undoes the fix ~ test target ~ gtest filter (or ctest name) that must fail
mutations=(
  "wmp/player.cc~s/if (!state.ok() || \*state != JobState::kTransferred) return;/if (state.ok() \&\& *state == JobState::kSuspended) { (void)bits_.Resume(job); return; } if (!state.ok() || *state != JobState::kTransferred) return;/~player_tests~PlayerTest.ThePlayerNeverResumes*:PlayerTest.ThePlayerOnlyReads*"
  "certification/queuer_calls.h~s/if (job.ok()) created_.push_back(\*job);/if (job.ok()) { created_.push_back(*job); resumed_.insert(*job); }/~certification_tests~CertificationTest.AQueuerThatNeverResumes*"
  "certification/certification.cc~s/if (!calls.Resumed(job)) {/if (false) {/~certification_tests~CertificationTest.AQueuerThatNeverResumes*"
  "fake/fake_service_api.cc~s/if (IsFinal((\*job)->state)) return Status::NotFound/if (false) return Status::NotFound/~fake_conformance_test~Fake/BackendConformanceTest.GetJobOfAFinalJobIsNotFound/*"
  "fake/job_state_machine.cc~s/if (IsFinal(facts.state)) return {hr::kInvalidState, facts.state};/if (IsFinal(facts.state) \&\& operation != JobOperation::kAddFile) return {hr::kInvalidState, facts.state};/~fake_conformance_test~Fake/BackendConformanceTest.AddFileToAFinalJobIsInvalidState/*"
  "backend/error_class.cc~s/(status == 408 || status == 409)/(status == 409)/~backend_tests~HttpStatusClassTest.*"
  "fake/fake_service_api.cc~s/Utf16Length(remote_url) > limits::kMaxUrlChars/remote_url.size() > limits::kMaxUrlChars/~fake_tests~FakeServiceTest.TheRemoteNameLimitCountsUtf16Units"
  "fake/http_transport.cc~s/client->set_follow_location(false);/client->set_follow_location(true);/~fake_tests~HttpTransferTest.ARedirectStatusWithoutLocation*"
  "server/conditional_request.cc~s/return tag \&\& current \&\& StrongMatch(\*tag, \*current);/return tag \&\& current \&\& WeakMatch(*tag, *current);/~server_tests~FileServerTest.IfRange*"
  "fake/http_transport.cc~s/if (request.offset > 0 \&\& other_version) return Changed();/(void)0;/~fake_tests~HttpTransferTest.AResumeSendsIfRange*"
  "wmp/convention.cc~s/checker.Add(rule, Severity::kWarning, field, token.byte_offset,/checker.Add(rule, Severity::kError, field, token.byte_offset,/~wmp_tests~ParseDescriptionTest.NonNumeric*"
  "wmp/convention.cc~s/if (field == 6 \&\& ClockSeconds(joined\[6\].text)) return {6};/(void)0;/~wmp_tests~ParseDescriptionTest.AClockStyleDuration*"
  "certification/report.cc~s/index.try_emplace({outcome.rule, finding.text/index.try_emplace({outcome.rule + outcome.condition, finding.text/~certification_tests~CertificationTest.AClockStyleDuration*"
  "certification/certification.cc~s/field_cause_\[job\].emplace(finding.field, key);/(void)0;/~certification_tests~CertificationTest.ANegativeCollectionId*"
  "cli/cmd_certify.cc~s/::dlopen(module_path.c_str()/::dlopen(arguments.queuer.c_str()/~bitsh~certification.docs_run_as_written"
  "server/path_guard.cc~s/if (root_end != canonical_root.end()) return {403, {}, \"a link leads outside the root\"};/(void)root_end;/~path_guard_fuzz_replay~fuzz.path_guard"
  "server/connection_reset.cc~s/WaitUntilAcknowledged(fd, std::chrono::seconds(10));/(void)\&WaitUntilAcknowledged;/~scenario_library_test~ScenarioLibrary.connection_reset"
)

caught=0
missed=0
for mutation in "${mutations[@]}"; do
  IFS='~' read -r file expression target filter <<< "$mutation"
  if ! git diff --quiet -- "$file"; then
    echo "mutations: $file has uncommitted changes; refusing to touch it" >&2
    exit 2
  fi
  sed -i "$expression" "$file"
  if git diff --quiet -- "$file"; then
    echo "MISSED (the mutation no longer applies): $file: $expression"
    missed=$((missed + 1))
    continue
  fi
  if ! cmake --build "$build" --target "$target" > /tmp/bitsh-mutation-build.log 2>&1; then
    echo "MISSED (the mutant does not build, so it proves nothing): $file: $expression"
    missed=$((missed + 1))
  elif [[ $filter == certification.* || $filter == fuzz.* ]]; then
    if ctest --test-dir "$build" -R "^$filter\$" > /dev/null 2>&1; then
      echo "MISSED: $file: $expression — $filter still passes"; missed=$((missed + 1))
    else
      echo "caught: $file -> $filter fails"; caught=$((caught + 1))
    fi
  else
    binary=$(find "$build" -type f -name "$target" -perm -u+x | head -n 1)
    if "$binary" --gtest_filter="$filter" > /tmp/bitsh-mutation-run.log 2>&1; then
      echo "MISSED: $file: $expression — $filter still passes"; missed=$((missed + 1))
    else
      echo "caught: $file -> $(grep '^\[  FAILED  \] [A-Za-z]' /tmp/bitsh-mutation-run.log | sed 's/^\[  FAILED  \] //; s/[ ,].*//' | sort -u | paste -sd ' ')"
      caught=$((caught + 1))
    fi
  fi
  git checkout -q -- "$file"
done
cmake --build "$build" > /dev/null 2>&1  # back to the unmutated binaries
echo "$caught caught, $missed missed"
[[ $missed -eq 0 ]]

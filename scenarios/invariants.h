// Invariants: what must hold at the end of every run, whatever faults were injected. A sweep
// (bitsh sweep) checks them after each point beside the scenario's own expectations, since a
// scenario written for one fault says nothing about a fault moved to another byte; `bitsh run
// --invariants` checks them too, and every bundled scenario satisfies them (a ctest).
//
//  1. No job is lost: each job the scenario created is still in a queue, or its log shows it
//     ended (ACKNOWLEDGED or CANCELLED).
//  2. Every byte is right: each file Complete renamed into place (ACKNOWLEDGED) or of a TRANSFERRED
//     job (its temporary file) is byte-identical to a version of the file the server served at that
//     path: the first, or one a change_file fault made. Paths reached by a redirect fault or a
//     replace_remote_prefix action count. Files with ranges, files not from the scenario's server,
//     files the Player moved into its library and paths with a corrupt_bytes fault (what the
//     server sent is not the file) are not compared.
//  3. An error is one BITS documents: a job in ERROR or TRANSIENT_ERROR answers GetError with a
//     failure code that is BITS's own (facility 0x20), a Win32 error, an HTTP status, or one
//     bits-harness names.
//  4. No temporary file is left behind: each BIT*.tmp in the work folder is the temporary file of a
//     job still in a queue.
#pragma once

#include <vector>

#include "scenarios/expectation_checker.h"

namespace bitsh::scenarios {

// One outcome per invariant (the four above), each passed or naming what broke it. The outcomes'
// place is the scenario file's first line: an invariant is no line of the file.
std::vector<ExpectationOutcome> CheckInvariants(RunView& run);

}  // namespace bitsh::scenarios

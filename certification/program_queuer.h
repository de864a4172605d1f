// ProgramQueuer: a store's shipped program as the StoreQueuer under certification, instead of a
// module built against bits-harness (bitsh certify --exe store_queuer.exe --manifest purchase.yaml).
// For each condition the kit writes the purchase to a file (below) and runs the program with that
// file's path as its last argument, against the condition's fake BITS as the customer
// (external/external_program.h: a .exe under Wine through bitsh-com-server, any other program
// through BITSHD_URL). What the program queued is then certified exactly as a module's would be;
// QueuePurchase succeeds when the program exits 0.
//
// The purchase file: one "key=value" per line in [sections] (an INI file), UTF-8 without a byte
// order mark, values as they are (no quotes), paths in the program's own form (Z:\tmp\... for a
// Windows program). GetPrivateProfileString would read it in the ANSI code page, garbling
// non-ASCII text: a program reads it as UTF-8 itself, as examples/com/store_queuer.c does.
//
//   [purchase]
//   store_key=ContosoMusic
//   service_id=3735928559
//   download_folder=Z:\tmp\bitsh-run-123\downloads
//   tracks=2
//   [track1]
//   url=http://127.0.0.1:41234/album/01.wma
//   file_name=01.wma
//   title=One
//   album=Greatest Hits
//   album_artist=The Artists
//   track_number=1
//   duration=201
//   rating=75
//   [track2]
//   ...
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "certification/store_queuer.h"
#include "external/external_program.h"

namespace bitsh::certification {

class ProgramQueuer final : public StoreQueuer {
 public:
  // `program`: the command (the purchase file's path is appended), timeout and Wine settings; its
  // user and work folder are the run's.
  explicit ProgramQueuer(external::ProgramOptions program) : program_(std::move(program)) {}

  Status QueuePurchase(Backend& bits, const Purchase& purchase) override;

 private:
  external::ProgramOptions program_;
};

// The purchase file's text, with paths as `path_for_program` gives them. E_INVALIDARG naming the
// track and field when a value holds a line break (a line-based file cannot carry it).
Result<std::string> PurchaseFileText(const Purchase& purchase,
                                     const std::function<std::string(const std::filesystem::path&)>& path_for_program);

}  // namespace bitsh::certification

#include "certification/program_queuer.h"

#include <fstream>

namespace bitsh::certification {

Result<std::string> PurchaseFileText(const Purchase& purchase,
                                     const std::function<std::string(const std::filesystem::path&)>& path_for_program) {
  std::string text = "; A purchase, written by bitsh certify for the store's program (docs/external-programs.md)\n";
  Status bad = Status::Ok();
  const auto line = [&](const std::string& section, const std::string& key, const std::string& value) {
    if (value.find_first_of("\r\n") != std::string::npos && bad.ok()) {
      bad = Status::InvalidArg(section + " " + key + ": a value with a line break cannot go in the purchase file");
    }
    text += key + "=" + value + "\n";
  };
  text += "[purchase]\n";
  line("purchase", "store_key", purchase.store_key);
  line("purchase", "service_id", std::to_string(purchase.service_id));
  line("purchase", "download_folder", path_for_program(purchase.download_folder));
  line("purchase", "tracks", std::to_string(purchase.tracks.size()));
  for (std::size_t i = 0; i < purchase.tracks.size(); ++i) {
    const PurchasedTrack& track = purchase.tracks[i];
    const std::string section = "track" + std::to_string(i + 1);
    text += "[" + section + "]\n";
    line(section, "url", track.url);
    line(section, "file_name", track.file_name);
    line(section, "title", track.title);
    line(section, "album", track.album);
    line(section, "album_artist", track.album_artist);
    line(section, "track_number", track.track_number);
    line(section, "duration", track.duration);
    line(section, "rating", track.rating);
  }
  if (!bad.ok()) return bad;
  return text;
}

Status ProgramQueuer::QueuePurchase(Backend& bits, const Purchase& purchase) {
  external::ProgramOptions program = program_;
  program.user = purchase.customer;
  const std::filesystem::path run_folder = purchase.download_folder.parent_path();
  program.work_folder = run_folder / "program";
  const std::filesystem::path purchase_file = run_folder / "purchase.ini";
  Result<std::string> text = PurchaseFileText(
      purchase, [&](const std::filesystem::path& path) { return external::PathForProgram(program, path); });
  if (!text.ok()) return text.status();
  {
    std::ofstream file(purchase_file, std::ios::binary | std::ios::trunc);
    file << *text;
    if (!file.flush()) return Status(hr::kFail, "cannot write the purchase file " + purchase_file.string());
  }
  program.command.push_back(external::PathForProgram(program, purchase_file));
  const external::ProgramOutcome outcome = external::RunProgram(bits, program);
  if (outcome.ok()) return Status::Ok();
  // No real time in the message (Result, not Summary): reports of one run compare equal.
  std::string message = "the program " + outcome.command + " " + outcome.Result();
  if (!outcome.output.empty()) message += "; its output: " + outcome.output;
  // The run's folder as the program named it (Z:\tmp\bitsh-run-123) becomes the host path, which
  // the report shows as <work>: the same run reports the same text.
  return Status(hr::kFail, external::WithHostPaths(program, message, run_folder));
}

}  // namespace bitsh::certification

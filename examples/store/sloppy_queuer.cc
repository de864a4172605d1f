// A store queuer with the mistakes certification exists to catch: it writes the description by
// hand with serviceId 0 and the display name of the store instead of its key, swaps artist and
// album, writes the duration as minutes:seconds (a ':' the convention cannot carry), saves the
// tracks as .m4a, and never resumes the last track's job (believing the Player starts it).
#include <charconv>
#include <string>

#include "certification/store_queuer.h"

namespace {

std::string MinutesAndSeconds(const std::string& seconds_text) {
  int seconds = 0;
  const auto [end, error] = std::from_chars(seconds_text.data(), seconds_text.data() + seconds_text.size(), seconds);
  if (error != std::errc() || end != seconds_text.data() + seconds_text.size()) return seconds_text;
  const std::string ss = std::to_string(seconds % 60);
  return std::to_string(seconds / 60) + ":" + (ss.size() == 1 ? "0" + ss : ss);
}

class SloppyQueuer final : public bitsh::certification::StoreQueuer {
 public:
  bitsh::Status QueuePurchase(bitsh::Backend& bits, const bitsh::certification::Purchase& purchase) override {
    for (const bitsh::certification::PurchasedTrack& track : purchase.tracks) {
      const std::string description = "::WMP_JOB:1:0:Contoso Music:" + track.album + ":" + track.album_artist + ":" +
                                      track.track_number + ":" + track.title + ":" + MinutesAndSeconds(track.duration) +
                                      ":" + track.rating;
      bitsh::Result<bitsh::JobId> job = bits.CreateJob(track.title, bitsh::JobType::kDownload);
      if (!job.ok()) return job.status();
      const std::string local = (purchase.download_folder / (track.title + ".m4a")).string();
      for (bitsh::Status status : {bits.SetDescription(*job, description), bits.AddFile(*job, track.url, local)}) {
        if (!status.ok()) return status;
      }
      if (&track == &purchase.tracks.back()) continue;  // "the Player will start it"
      if (bitsh::Status status = bits.Resume(*job); !status.ok()) return status;
    }
    return bitsh::Status::Ok();
  }
};

}  // namespace

extern "C" bitsh::certification::StoreQueuer* bitsh_create_store_queuer() { return new SloppyQueuer; }

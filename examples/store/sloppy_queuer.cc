// A store queuer with the mistakes certification exists to catch: it writes the description by
// hand with serviceId 0 and the display name of the store instead of its key, swaps artist and
// album, and saves the tracks as .m4a.
#include "conformance/certification/store_queuer.h"

namespace {

class SloppyQueuer final : public bitsh::certification::StoreQueuer {
 public:
  bitsh::Status QueuePurchase(bitsh::Backend& bits, const bitsh::certification::Purchase& purchase) override {
    for (const bitsh::certification::PurchasedTrack& track : purchase.tracks) {
      const std::string description = "::WMP_JOB:1:0:Contoso Music:" + track.album + ":" + track.album_artist + ":" +
                                      track.track_number + ":" + track.title + ":" + track.duration + ":" + track.rating;
      bitsh::Result<bitsh::JobId> job = bits.CreateJob(track.title, bitsh::JobType::kDownload);
      if (!job.ok()) return job.status();
      const std::string local = (purchase.download_folder / (track.title + ".m4a")).string();
      for (bitsh::Status status : {bits.SetDescription(*job, description), bits.AddFile(*job, track.url, local), bits.Resume(*job)}) {
        if (!status.ok()) return status;
      }
    }
    return bitsh::Status::Ok();
  }
};

}  // namespace

extern "C" bitsh::certification::StoreQueuer* bitsh_create_store_queuer() { return new SloppyQueuer; }

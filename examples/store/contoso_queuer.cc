// A well-behaved store queuer: one ::WMP_JOB job per track, the purchase's serviceId, the store's
// key as Provider, every metadata field from the purchase, a media file name, then Resume.
// Build it as a module and certify it:  bitsh certify --queuer libcontoso_queuer.so --manifest purchase.yaml
#include "certification/store_queuer.h"
#include "wmp/convention.h"

namespace {

class ContosoQueuer final : public bitsh::certification::StoreQueuer {
 public:
  bitsh::Status QueuePurchase(bitsh::Backend& bits, const bitsh::certification::Purchase& purchase) override {
    for (const bitsh::certification::PurchasedTrack& track : purchase.tracks) {
      bitsh::wmp::ConventionRecord record;
      record.kind = bitsh::wmp::RecordKind::kJob;
      record.service_id = purchase.service_id;
      record.provider = purchase.store_key;
      record.album_artist = track.album_artist;
      record.album_title = track.album;
      record.track_number = track.track_number;
      record.title = track.title;
      record.duration = track.duration;
      record.rating = track.rating;
      bitsh::Result<std::string> description = bitsh::wmp::FormatDescription(record);
      if (!description.ok()) return description.status();
      bitsh::Result<bitsh::JobId> job = bits.CreateJob(track.title, bitsh::JobType::kDownload);
      if (!job.ok()) return job.status();
      for (bitsh::Status status : {bits.SetDescription(*job, *description),
                                   bits.AddFile(*job, track.url, (purchase.download_folder / track.file_name).string()),
                                   bits.Resume(*job)}) {
        if (!status.ok()) return status;
      }
    }
    return bitsh::Status::Ok();
  }
};

}  // namespace

extern "C" bitsh::certification::StoreQueuer* bitsh_create_store_queuer() { return new ContosoQueuer; }

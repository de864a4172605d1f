// The partner side of certification: the code that turns a purchase into BITS jobs.
//
// A store implements StoreQueuer with its real job-creating code, builds it as a shared module
// that exports bitsh_create_store_queuer(), and runs
//   bitsh certify --queuer libmystore.so --manifest purchase.yaml
// The kit calls QueuePurchase() once per condition, against a fresh fake BITS, and checks what
// the jobs do. The module must be built with the same compiler and standard library as bitsh.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace bitsh::certification {

struct PurchasedTrack {
  std::string url;            // where the store serves the file (the kit's local server)
  std::string file_name;      // the name the store gives the downloaded file
  std::string title, album, album_artist, track_number, duration, rating;
};

struct Purchase {
  std::string store_key;                   // the store's online-store key (Provider)
  std::uint32_t service_id = 0;            // the random non-zero id of this purchase
  std::vector<PurchasedTrack> tracks;
  std::filesystem::path download_folder;   // where the store should download to
  std::string customer;                    // the user it is for: `bits` is this user's queue
};

class StoreQueuer {
 public:
  virtual ~StoreQueuer() = default;
  // Queues the purchase's downloads through `bits`, the way the store does in production.
  virtual Status QueuePurchase(Backend& bits, const Purchase& purchase) = 0;
};

}  // namespace bitsh::certification

// The entry point a queuer module exports. The kit owns (and deletes) the returned object.
extern "C" bitsh::certification::StoreQueuer* bitsh_create_store_queuer();
#define BITSH_STORE_QUEUER_ENTRY_POINT "bitsh_create_store_queuer"

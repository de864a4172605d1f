// Enumerator: IEnumBackgroundCopyJobs and IEnumBackgroundCopyFiles, one template. BITS's
// enumerators are snapshots: the items are fixed when the enumerator is made (EnumJobs,
// EnumFiles), and Next hands them out in order; Clone copies the list and the position.
#pragma once

#include <vector>

#include "backend/real/com.h"
#include "com/bits_headers.h"
#include "com/server_object.h"

namespace bitsh::com {

template <typename EnumInterface, typename Item>
class Enumerator final : public ServerObject, public EnumInterface {
 public:
  Enumerator(const IID& iid, std::vector<real::ComPtr<Item>> items, std::size_t next = 0)
      : iid_(iid), items_(std::move(items)), next_(next) {}

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID iid, void** out) override {
    const InterfaceEntry entries[] = {{&IID_IUnknown, this}, {&iid_, this}};
    return QueryFor(entries, iid, out);
  }
  ULONG STDMETHODCALLTYPE AddRef() override { return AddReference(); }
  ULONG STDMETHODCALLTYPE Release() override { return ReleaseReference(); }

  // S_OK when all `count` came, S_FALSE when fewer were left; asking for more than one needs
  // `fetched` (the IEnumXXXX contract).
  HRESULT STDMETHODCALLTYPE Next(ULONG count, Item** out, ULONG* fetched) override {
    if (out == nullptr || (count > 1 && fetched == nullptr)) return E_INVALIDARG;
    ULONG given = 0;
    while (given < count && next_ < items_.size()) {
      Item* item = items_[next_++].get();
      item->AddRef();
      out[given++] = item;
    }
    if (fetched != nullptr) *fetched = given;
    return given == count ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Skip(ULONG count) override {
    const std::size_t left = items_.size() - next_;
    next_ += count < left ? count : left;
    return count <= left ? S_OK : S_FALSE;
  }
  HRESULT STDMETHODCALLTYPE Reset() override {
    next_ = 0;
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE Clone(EnumInterface** copy) override {
    if (copy == nullptr) return E_POINTER;
    *copy = new Enumerator(iid_, items_, next_);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetCount(ULONG* count) override {
    if (count == nullptr) return E_INVALIDARG;
    *count = static_cast<ULONG>(items_.size());
    return S_OK;
  }

 private:
  ~Enumerator() override = default;

  const IID& iid_;
  std::vector<real::ComPtr<Item>> items_;
  std::size_t next_;
};

using JobEnumerator = Enumerator<IEnumBackgroundCopyJobs, IBackgroundCopyJob>;
using FileEnumerator = Enumerator<IEnumBackgroundCopyFiles, IBackgroundCopyFile>;

}  // namespace bitsh::com

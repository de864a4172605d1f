// WindowsPaths: how a CallServer (bitshd's, a Windows program's run), on Linux, reads the local
// file names of a Windows client (a program under Wine) and writes them back. A Windows program
// names its files "C:\users\me\Music\01.wma"; the fake downloads to host paths. The drives map to
// host folders - as a Wine prefix maps them (dosdevices/c: -> drive_c, z: -> /) - and the server
// translates the local names of an apartment that asked for Windows paths (protocol.h, /v1/open)
// both ways: AddFile's in, GetFiles', GetTemporaryName's and FileTransferred's out. Remote names
// need no translation here: the fake resolves drive and UNC remote names itself, with the same
// drives (FakeOptions::windows_paths).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "backend/status.h"

namespace bitsh::serving {

class WindowsPaths {
 public:
  // The drives of a Wine prefix: each "x:" link in PREFIX/dosdevices, to where it points. E_FAIL
  // naming the folder when it has none.
  static Result<WindowsPaths> FromWinePrefix(const std::filesystem::path& prefix);

  // Maps drive `letter` (A-Z, either case) to the host folder `root` (made absolute).
  void AddDrive(char letter, const std::filesystem::path& root);
  bool empty() const { return drives_.empty(); }
  // "C:" -> its folder, as FakeOptions::windows_paths takes them.
  std::map<std::string, std::filesystem::path> Drives() const;

  // "C:\a\b.wma" (or "c:/a/b.wma") -> "<C's folder>/a/b.wma". A name on no mapped drive, or not
  // a drive path at all, comes back as it is (the fake then judges it, as for any client).
  std::string ToHost(std::string_view name) const;
  // A host path under a mapped folder -> its Windows form, through the drive whose folder is the
  // longest match ("/p/drive_c/a" is C:\a even though Z: is /); anything else as it is.
  std::string ToWindows(std::string_view path) const;

 private:
  std::map<char, std::string> drives_;  // upper-case letter -> host folder, no trailing '/'
};

}  // namespace bitsh::serving

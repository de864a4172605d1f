#include "content/sha256.h"

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <vector>

#include "content/generated_content.h"

namespace bitsh::content {
namespace {

// One EVP digest context, freed on every path.
class Digest {
 public:
  Digest() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr); }
  void Update(const char* data, std::size_t length) { EVP_DigestUpdate(context_.get(), data, length); }
  std::string HexDigest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context_.get(), digest, &length);
    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
      hex += kHex[digest[i] >> 4];
      hex += kHex[digest[i] & 0xF];
    }
    return hex;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

constexpr std::size_t kPiece = 1 << 20;

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  Digest digest;
  digest.Update(bytes.data(), bytes.size());
  return digest.HexDigest();
}

std::optional<std::string> FileSha256Hex(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Digest digest;
  std::vector<char> piece(kPiece);
  while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) || in.gcount() > 0) {
    digest.Update(piece.data(), static_cast<std::size_t>(in.gcount()));
  }
  return digest.HexDigest();
}

std::string GeneratedSha256Hex(std::uint64_t seed, std::uint64_t size) {
  Digest digest;
  std::vector<char> piece(kPiece);
  for (std::uint64_t offset = 0; offset < size;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), size - offset));
    FillGenerated(seed, offset, piece.data(), n);
    digest.Update(piece.data(), n);
    offset += n;
  }
  return digest.HexDigest();
}

}  // namespace bitsh::content

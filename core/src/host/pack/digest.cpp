// SHA-256 through OpenSSL's EVP interface.
#include "seam/core/host/pack/digest.hpp"
#include "seam/core/host/pack/pack_error.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

namespace seam::pack {

namespace {

struct Hasher {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  Hasher() {
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("OpenSSL: cannot start a SHA-256 digest");
  }
  void add(const void *p, size_t n) { EVP_DigestUpdate(ctx.get(), p, n); }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), md, &len);
    static const char *digits = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out += digits[md[i] >> 4];
      out += digits[md[i] & 15];
    }
    return out;
  }
};

} // namespace

std::string sha256_hex(std::string_view bytes) {
  Hasher h;
  h.add(bytes.data(), bytes.size());
  return h.hex();
}

std::string sha256_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw PackError(Refusal::Io, "cannot read " + path + ": " + std::strerror(errno));
  Hasher h;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    h.add(buf, static_cast<size_t>(in.gcount()));
  }
  if (in.bad())
    throw PackError(Refusal::Io, "cannot read " + path);
  return h.hex();
}

} // namespace seam::pack

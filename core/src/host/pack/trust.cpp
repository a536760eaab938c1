// The directory of trusted pack-signing keys; see trust.hpp.
#include "seam/core/host/pack/trust.hpp"
#include "seam/core/base/file_text.hpp"
#include "seam/core/host/pack/pack_error.hpp"
#include "seam/core/host/pack/signature.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace seam::pack {

namespace fs = std::filesystem;

std::string trust_dir() {
  if (const char *d = std::getenv("SEAM_TRUST_DIR"); d && *d)
    return d;
  std::string base;
  if (const char *x = std::getenv("XDG_CONFIG_HOME"); x && *x)
    base = x;
  else if (const char *h = std::getenv("HOME"); h && *h)
    base = std::string(h) + "/.config";
  else
    base = ".config";
  return base + "/seam/trusted-keys";
}

TrustedKey trust_add(const std::string &pem_file) {
  std::string raw = read_public_key(pem_file);
  // Stored as a public key only, whatever the file held.
  std::string text = read_file_text(pem_file).value_or("");
  if (text.find("PRIVATE KEY") != std::string::npos)
    throw PackError(Refusal::Usage, pem_file + " holds a private key; trust its public half",
                    "openssl pkey -in " + pem_file + " -pubout -out KEY.pub");
  TrustedKey k{key_id(raw), ""};
  std::error_code ec;
  fs::create_directories(trust_dir(), ec);
  k.file = trust_dir() + "/" + k.id + ".pub";
  std::string tmp = k.file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
      throw PackError(Refusal::Io, "cannot write " + tmp);
  }
  fs::rename(tmp, k.file, ec);
  if (ec)
    throw PackError(Refusal::Io, "cannot write " + k.file + ": " + ec.message());
  return k;
}

std::vector<TrustedKey> trusted_keys() {
  std::vector<TrustedKey> keys;
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(trust_dir(), ec)) {
    if (e.path().extension() != ".pub")
      continue;
    try {
      std::string raw = read_public_key(e.path().string());
      keys.push_back({key_id(raw), e.path().string()});
    } catch (const PackError &) {
      // A file that is no key trusts nothing.
    }
  }
  std::sort(keys.begin(), keys.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
  return keys;
}

std::optional<TrustedKey> find_trusted(const std::string &raw_public_key) {
  std::error_code ec;
  for (const auto &e : fs::directory_iterator(trust_dir(), ec)) {
    if (e.path().extension() != ".pub")
      continue;
    try {
      if (read_public_key(e.path().string()) == raw_public_key)
        return TrustedKey{key_id(raw_public_key), e.path().string()};
    } catch (const PackError &) {
    }
  }
  return std::nullopt;
}

} // namespace seam::pack

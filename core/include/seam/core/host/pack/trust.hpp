// The trust directory: the Ed25519 public keys whose packs `seam plugins
// install` accepts without --allow-unsigned. One PEM file per key, named by
// its id: $XDG_CONFIG_HOME/seam/trusted-keys/ID.pub (or $SEAM_TRUST_DIR).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace seam::pack {

std::string trust_dir();

struct TrustedKey {
  std::string id;   // key_id() of the key
  std::string file; // its PEM file in the trust directory
};

// Adds the public key in PEM_FILE (a public or private Ed25519 key; only the
// public half is kept). Returns the key as stored. Throws PackError.
TrustedKey trust_add(const std::string &pem_file);
// The trusted keys, by id.
std::vector<TrustedKey> trusted_keys();
// The trusted key with that raw public key, if any.
std::optional<TrustedKey> find_trusted(const std::string &raw_public_key);

} // namespace seam::pack

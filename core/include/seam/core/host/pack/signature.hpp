// Ed25519 signatures of packs (OpenSSL EVP). A signed pack holds
// seam-pack.sig beside its manifest: the signer's public key and the
// signature of the manifest's exact bytes. The manifest holds the sha256 of
// every other file, so the signature covers the whole pack.
#pragma once

#include <string>
#include <string_view>

namespace seam::pack {

struct SignatureFile {
  std::string public_key; // the raw 32-byte Ed25519 key
  std::string signature;  // the raw 64-byte signature

  // Throws PackError (Signature) when the text is not a signature file.
  static SignatureFile parse(std::string_view text);
  std::string to_toml() const;
  // "3f9c0a17e2d4b681": the first 16 hex digits of the key's sha256.
  std::string key_id() const;
};

// The raw public key of a PEM file (public or private Ed25519 key). Throws
// PackError (Usage) naming the file when it holds no Ed25519 key.
std::string read_public_key(const std::string &pem_file);

// Signs `message` with the Ed25519 private key in PEM_FILE. Throws PackError.
SignatureFile sign(std::string_view message, const std::string &pem_file);

// True when `sig` is a valid signature of `message` by its own public key.
bool verify(std::string_view message, const SignatureFile &sig);

// The key id of a raw public key (as SignatureFile::key_id).
std::string key_id(std::string_view raw_public_key);

} // namespace seam::pack

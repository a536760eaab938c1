// Ed25519 signing and verification of pack manifests (OpenSSL EVP).
#include "seam/core/host/pack/signature.hpp"
#include "seam/core/host/pack/digest.hpp"
#include "seam/core/host/pack/pack_error.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <toml++/toml.h>

#include <cstdio>
#include <memory>

namespace seam::pack {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                          reinterpret_cast<const unsigned char *>(raw.data()),
                          static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  if (text.size() % 4 != 0 || text.size() > 1024)
    return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                          reinterpret_cast<const unsigned char *>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0)
    return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  size_t pad = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i)
    ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

Key read_key(const std::string &pem_file, bool want_private) {
  std::unique_ptr<FILE, decltype(&std::fclose)> f(std::fopen(pem_file.c_str(), "rb"), std::fclose);
  if (!f)
    throw PackError(Refusal::Usage, "cannot read key " + pem_file);
  EVP_PKEY *k = want_private ? PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!want_private) {
    k = PEM_read_PUBKEY(f.get(), nullptr, nullptr, nullptr);
    if (!k) { // a private key holds its public half too
      std::rewind(f.get());
      k = PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr);
    }
  }
  Key key(k, EVP_PKEY_free);
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519)
    throw PackError(Refusal::Usage,
                    pem_file + ": not an Ed25519 " + (want_private ? "private" : "public") +
                        " key in PEM form",
                    "make one with: openssl genpkey -algorithm ed25519 -out KEY.pem; "
                    "openssl pkey -in KEY.pem -pubout -out KEY.pub");
  return key;
}

std::string raw_public(EVP_PKEY *key) {
  std::string raw(32, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char *>(raw.data()), &len) != 1)
    throw std::runtime_error("OpenSSL: cannot read an Ed25519 public key");
  raw.resize(len);
  return raw;
}

} // namespace

std::string key_id(std::string_view raw_public_key) {
  return sha256_hex(raw_public_key).substr(0, 16);
}

std::string SignatureFile::key_id() const { return pack::key_id(public_key); }

SignatureFile SignatureFile::parse(std::string_view text) {
  auto bad = [](const std::string &why) {
    return PackError(Refusal::Signature,
                     "the pack's signature (seam-pack.sig) is malformed: " + why,
                     "sign the pack again with seam pack sign");
  };
  toml::table t;
  try {
    t = toml::parse(text, std::string_view("seam-pack.sig"));
  } catch (const toml::parse_error &e) {
    throw bad(std::string(e.description()));
  }
  SignatureFile s;
  auto field = [&](const char *name, size_t size) {
    auto v = t[name].value<std::string>();
    if (!v)
      throw bad(std::string("no ") + name);
    auto raw = unbase64(*v);
    if (!raw || raw->size() != size)
      throw bad(std::string(name) + " is not " + std::to_string(size) + " bytes of base64");
    return *raw;
  };
  if (t["algorithm"].value<std::string>() != "ed25519")
    throw bad("algorithm is not \"ed25519\"");
  s.public_key = field("public_key", 32);
  s.signature = field("signature", 64);
  return s;
}

std::string SignatureFile::to_toml() const {
  return "algorithm = \"ed25519\"\nkey_id = \"" + key_id() + "\"\npublic_key = \"" +
         base64(public_key) + "\"\nsignature = \"" + base64(signature) + "\"\n";
}

std::string read_public_key(const std::string &pem_file) {
  Key k = read_key(pem_file, false);
  return raw_public(k.get());
}

SignatureFile sign(std::string_view message, const std::string &pem_file) {
  Key key = read_key(pem_file, true);
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  SignatureFile s;
  s.signature.assign(64, '\0');
  size_t len = s.signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(s.signature.data()), &len,
                     reinterpret_cast<const unsigned char *>(message.data()), message.size()) != 1)
    throw PackError(Refusal::Io, "OpenSSL could not sign with " + pem_file);
  s.signature.resize(len);
  s.public_key = raw_public(key.get());
  return s;
}

bool verify(std::string_view message, const SignatureFile &sig) {
  Key key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                  reinterpret_cast<const unsigned char *>(sig.public_key.data()),
                                  sig.public_key.size()),
      EVP_PKEY_free);
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
    return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(sig.signature.data()),
                          sig.signature.size(),
                          reinterpret_cast<const unsigned char *>(message.data()),
                          message.size()) == 1;
}

} // namespace seam::pack

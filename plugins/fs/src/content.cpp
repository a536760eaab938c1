// content.cpp - reading a file into the document steps return.
#include "content.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace seam_fs {

using seam::json;

read_options parse_read_options(const json &in, const std::string &step) {
  read_options o;
  o.as = in.value("as", std::string("text"));
  if (o.as != "text" && o.as != "json" && o.as != "csv" && o.as != "base64" && o.as != "none")
    throw seam::error(step + ": `as` \"" + o.as +
                      "\" is unknown; use text, json, csv, base64 or none");
  if (auto c = in.find("csv"); c != in.end()) {
    o.csv.header = c->value("header", true);
    std::string d = c->value("delimiter", std::string(","));
    if (d.size() != 1 || d[0] == '"' || d[0] == '\n' || d[0] == '\r')
      throw seam::error(step + ": `csv.delimiter` must be one character other than a quote or "
                               "a line break, such as \";\" or \"\\t\"");
    o.csv.delimiter = d[0];
  }
  return o;
}

namespace {

const char *type_name(fs::file_type t) {
  switch (t) {
  case fs::file_type::regular:
    return "file";
  case fs::file_type::directory:
    return "directory";
  case fs::file_type::symlink:
    return "symlink";
  default:
    return "other";
  }
}

std::string iso_utc(std::chrono::system_clock::time_point t, int64_t &ms) {
  ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

} // namespace

json describe(const root_dir &root, const fs::path &p) {
  std::error_code ec;
  auto status = fs::status(p, ec);
  if (ec || !fs::exists(status))
    throw seam::error("no such file: " + root.relative(p) + " (under " + root.path().string() +
                      ")");
  json out = json::object();
  out["path"] = root.relative(p);
  out["absolute"] = p.string();
  out["type"] = type_name(status.type());
  out["size"] = status.type() == fs::file_type::regular ? fs::file_size(p, ec) : 0;
  char mode[8];
  std::snprintf(mode, sizeof mode, "0%03o", static_cast<unsigned>(status.permissions()) & 07777);
  out["mode"] = mode;
  auto mtime = fs::last_write_time(p, ec);
  if (!ec) {
    int64_t ms = 0;
    out["mtime"] = iso_utc(std::chrono::file_clock::to_sys(mtime), ms);
    out["mtime_ms"] = ms;
  }
  return out;
}

json read_file(const root_dir &root, const fs::path &p, const read_options &o,
               const std::string &step) {
  json out;
  try {
    out = describe(root, p);
  } catch (const seam::error &e) {
    throw seam::error(step + ": " + e.what());
  }
  if (o.as == "none")
    return out;
  if (out["type"] != "file")
    throw seam::error(step + ": " + root.relative(p) + " is not a regular file (it is a " +
                      out["type"].get<std::string>() + "); hint: fs.list lists a directory");
  std::ifstream file(p, std::ios::binary);
  std::ostringstream buffer;
  buffer << file.rdbuf();
  if (!file)
    throw seam::error(step + ": cannot read " + root.relative(p));
  std::string text = buffer.str();
  out["size"] = text.size(); // what was read, should the file change meanwhile
  out["digest"] = digest_of(text);
  if (o.as == "text") {
    out["text"] = std::move(text);
  } else if (o.as == "base64") {
    out["base64"] = encode_base64(text);
  } else if (o.as == "json") {
    try {
      out["json"] = json::parse(text);
    } catch (const json::parse_error &e) {
      throw seam::error(step + ": " + root.relative(p) + " is not JSON (" + e.what() +
                        "); hint: as = \"text\" reads it as text");
    }
  } else {
    try {
      out["rows"] = parse_csv(text, o.csv);
    } catch (const seam::error &e) {
      throw seam::error(step + ": " + root.relative(p) + ": " + e.what());
    }
  }
  return out;
}

std::string digest_of(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char hex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

std::string encode_base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                          reinterpret_cast<const unsigned char *>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string decode_base64(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
      clean.push_back(c);
  if (clean.size() % 4 != 0)
    throw seam::error("not base64: its length (without spaces) is not a multiple of 4");
  std::string out(clean.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                          reinterpret_cast<const unsigned char *>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0)
    throw seam::error("not base64: it holds characters outside A-Z a-z 0-9 + / =");
  // EVP_DecodeBlock counts padding as zero bytes.
  size_t pad = 0;
  for (size_t i = clean.size(); i > 0 && clean[i - 1] == '=' && pad < 2; --i)
    ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

} // namespace seam_fs

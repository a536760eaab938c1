// content.hpp - a file as fs.read and fs.wait return it: facts (size, mode,
// mtime) and content parsed as the step asks (text, JSON, CSV, base64).
#pragma once

#include "confine.hpp"
#include "csv.hpp"

#include <seam/plugin.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace seam_fs {

struct read_options {
  std::string as = "text"; // text, json, csv, base64, none
  csv_options csv;
};

// `as` and `csv` of a step's input; throws seam::error naming `step`.
read_options parse_read_options(const seam::json &input, const std::string &step);

// {path, type, size, mode, mtime, mtime_ms} of `p`; throws when it is missing.
seam::json describe(const root_dir &root, const std::filesystem::path &p);

// describe() plus the content: `text`, `json`, `rows` or `base64`, and its
// `digest`. Throws
// seam::error naming `step` and the path when it cannot be read or parsed.
seam::json read_file(const root_dir &root, const std::filesystem::path &p,
                     const read_options &options, const std::string &step);

// "sha256:HEX" of `bytes`: what fs.wait's `since` compares.
std::string digest_of(std::string_view bytes);

std::string encode_base64(std::string_view bytes);
// Throws seam::error when `text` is not base64 (whitespace is ignored).
std::string decode_base64(std::string_view text);

} // namespace seam_fs

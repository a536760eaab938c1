// The encoded forms of a secret that Secrets masks besides the value itself:
// URL-encoded, JSON-escaped by other encoders, HTML-escaped, base64. What no
// form can catch (a value a service derives from the secret, such as
// upper(secret)) is listed in docs/suite-reference.md, "Secrets".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seam {

// Secrets shorter than this are masked in every form but base64, whose
// fragments of a short value would hide unrelated text.
inline constexpr size_t kMinBase64Secret = 6;

// The forms of `secret` that differ from it, each once.
std::vector<std::string> secret_forms(std::string_view secret);

} // namespace seam

// Fuzz target: sql.query and sql.exec through the plugin's C entry point on
// an in-memory SQLite database: SQL text (named and positional
// placeholders, comments, quotes) and the binding of params of every JSON
// type. The input is JSON {"sql": ..., "params": ..., "exec": true?}; the
// statements may change the database, which stays open across inputs.
#include "plugin_fuzz.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

using seam_fuzz::json;

namespace {

// Statements that reach outside the in-memory database (files, extensions).
bool reaches_out(std::string sql) {
  std::transform(sql.begin(), sql.end(), sql.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const char *word : {"attach", "vacuum", "load_extension", "readfile", "writefile", "pragma"})
    if (sql.find(word) != std::string::npos)
      return true;
  return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static seam_fuzz::loaded_plugin *sql = new seam_fuzz::loaded_plugin(SEAM_SQL_PLUGIN_FILE);
  static void *db = [] {
    void *handle = nullptr;
    seam::CallLimits limits;
    auto r = sql->host.open_resource(*sql->plugin->default_kind(), "db",
                                     R"({"url": "sqlite3://:memory:"})", limits, &handle);
    if (!r.ok())
      std::abort();
    return handle;
  }();
  json in = json::parse(reinterpret_cast<const char *>(data),
                        reinterpret_cast<const char *>(data) + size, nullptr, false);
  if (!in.is_object())
    return 0;
  if (in.contains("sql") && in["sql"].is_string() && reaches_out(in["sql"].get<std::string>()))
    return 0;
  bool exec = in.contains("exec") && in["exec"] == true;
  in.erase("exec");
  in.erase("file");
  seam_fuzz::check_answer(sql->call(exec ? "exec" : "query", db, in));
  return 0;
}

// schemas.hpp - the JSON Schemas of the fs resource and of its steps' inputs
// and outputs (what `seam check` validates and `seam plugins info` shows).
#pragma once

namespace seam_fs::schemas {

extern const char *const resource_schema;
extern const char *const path_only;
extern const char *const write_schema;
extern const char *const read_schema;
extern const char *const read_output;
extern const char *const list_schema;
extern const char *const remove_schema;

} // namespace seam_fs::schemas

// steps.hpp - the sql plugin's steps, as functions of (resource, input, ctx).
#ifndef SEAM_SQL_STEPS_HPP
#define SEAM_SQL_STEPS_HPP

#include "database.hpp"

#include <seam/plugin.hpp>

namespace seam::sql {

constexpr size_t default_max_rows = 10000;

seam::json_text step_exec(database *db, seam::json_view in, seam::context &ctx);
seam::json_text step_query(database *db, seam::json_view in, seam::context &ctx);
json step_script(database *db, const json &in, seam::context &ctx);
json step_transaction(database *db, const json &in, seam::context &ctx);
json step_begin(database *db, const json &in, seam::context &ctx);
json step_commit(database *db, const json &in, seam::context &ctx);
json step_rollback(database *db, const json &in, seam::context &ctx);

// Resolves a sql.transaction reference ("user.last_id", "2.rows[0].id")
// against the results of the statements that ran before; throws seam::error.
json resolve_reference(const std::string &ref, const json &done);

} // namespace seam::sql

#endif

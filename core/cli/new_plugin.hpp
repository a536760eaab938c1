// `seam new plugin NAME [--lang cpp|c] [DIR]`: writes a plugin project from
// the templates of sdk/templates, which are compiled into seam.
#pragma once

namespace seam::cli {

int run_new_command(int argc, char **argv);

} // namespace seam::cli

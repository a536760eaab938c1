// A plugin whose init (or whose library's constructors) crash or call exit()
// while seam loads it: seam says which plugin, and exits 3 (a plugin could
// not be loaded; nothing was run). Loading happens in seam's own process,
// before any worker exists (docs/workers.md).
#pragma once

namespace seam {

void begin_load_guard();
// From here on a crash is not a loading one (workers contain their own).
void end_load_guard();

} // namespace seam

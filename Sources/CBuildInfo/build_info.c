#include "build_info.h"

// `make dist` writes gcimport_commit.h into a folder it adds with -Xcc -I: the flag stays the same from
// build to build, so a new commit recompiles this file only, not every C target of the package.
#if __has_include("gcimport_commit.h")
#include "gcimport_commit.h"
#endif

#ifndef GCIMPORT_COMMIT
#define GCIMPORT_COMMIT ""
#endif

const char *gcimport_build_commit(void) { return GCIMPORT_COMMIT; }

#ifndef GCIMPORT_BUILD_INFO_H
#define GCIMPORT_BUILD_INFO_H
// The commit a binary was built from, for `gcimport --version`: set by `make dist` (see build_info.c),
// "" in other builds.
const char *gcimport_build_commit(void);
#endif

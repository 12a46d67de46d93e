// The target's one function is static inline in include/prefetch.h; SwiftPM needs a source file to build it.
#include "prefetch.h"

#ifndef GCIMPORT_PREFETCH_H
#define GCIMPORT_PREFETCH_H
// Swift has no prefetch intrinsic. The dry run's duplicate filter (32 MiB) misses the cache on every key;
// asking for a block a few keys ahead lets those misses overlap instead of stalling one after another.
static inline void gcimport_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}
#endif

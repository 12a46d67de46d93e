// Release-built benchmark drivers; scripts/bench-*.sh call them and print the figures.
print("usage: gcimport-bench <reader|…> ARGS")

#ifndef GCIMPORT_CLIBCSV_SHIM_H
#define GCIMPORT_CLIBCSV_SHIM_H
// Debian's libcsv-dev installs csv.h at the top of the include path.
#include <csv.h>
#endif

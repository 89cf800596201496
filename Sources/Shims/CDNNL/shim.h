// oneDNN (Debian libdnnl-dev 2.6, OpenMP CPU runtime) for Inference's DNNL backend.
#include <oneapi/dnnl/dnnl.h>

// Debian's oneDNN runs its parallel regions on GNU OpenMP; the thread budget is set there.
// Declared here rather than through <omp.h>, which lives in GCC's private include folder.
extern void omp_set_num_threads(int);
extern int omp_get_max_threads(void);

// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). openblas_set_num_threads lets the engine
// pin the BLAS thread count so that it does not oversubscribe the cores the sampler also uses.
#include <cblas.h>

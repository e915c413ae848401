#ifndef SHOAL_CLIBM_SHIM_H
#define SHOAL_CLIBM_SHIM_H

// The C library's joint sine and cosine, which Swift's Glibc module does not export.
// glibc's `sincos` evaluates the same kernels as its `sin` and `cos` (one argument reduction and
// one rounding-mode guard for both), so its results equal theirs bit for bit; elsewhere the two
// calls stand in for it.

#include <math.h>

#if defined(__GLIBC__)
void sincos(double x, double *sine, double *cosine);
static inline void shoal_sincos(double x, double *sine, double *cosine) { sincos(x, sine, cosine); }
#else
static inline void shoal_sincos(double x, double *sine, double *cosine) {
    *sine = sin(x);
    *cosine = cos(x);
}
#endif

#endif

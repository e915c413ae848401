/* An LD-linked shim that counts calls to the allocator, for the steady-state test. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

long shoal_test_allocations = 0;

static void count(void) { __atomic_add_fetch(&shoal_test_allocations, 1, __ATOMIC_RELAXED); }

void *malloc(size_t n) {
    static void *(*real)(size_t) = NULL;
    if (!real) real = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    count();
    return real(n);
}

void *realloc(void *p, size_t n) {
    static void *(*real)(void *, size_t) = NULL;
    if (!real) real = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    count();
    return real(p, n);
}

int posix_memalign(void **p, size_t alignment, size_t n) {
    static int (*real)(void **, size_t, size_t) = NULL;
    if (!real) real = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    count();
    return real(p, alignment, n);
}

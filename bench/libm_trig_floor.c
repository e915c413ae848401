/* The floor that glibc's trigonometry puts under a cart-pole step.
 *
 * usage: cc -O2 bench/libm_trig_floor.c -o /tmp/trig_floor -lm && /tmp/trig_floor
 *
 * A Gymnasium-exact cart-pole step needs sin θ and cos θ from the C library (see
 * Sources/Envs/ClassicControl/Trigonometry.swift). This times them alone over 4096 angles in
 * the range a balancing pole visits, as `sin` + `cos` and as one `sincos`, on one core (best of
 * three), and prints the steps per second that one and two cores could reach if the step did
 * nothing else.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { COUNT = 4096, PASSES = 5000 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(void) {
    static double x[COUNT], s[COUNT], c[COUNT];
    srand48(1);
    for (int i = 0; i < COUNT; i++) x[i] = (drand48() - 0.5) * 0.5;
    double best[2] = {1e9, 1e9};
    for (int repeat = 0; repeat < 3; repeat++) {
        for (int kind = 0; kind < 2; kind++) {
            double start = now();
            for (int pass = 0; pass < PASSES; pass++) {
                if (kind == 0) {
                    for (int i = 0; i < COUNT; i++) { s[i] = sin(x[i]); c[i] = cos(x[i]); }
                } else {
                    for (int i = 0; i < COUNT; i++) sincos(x[i], &s[i], &c[i]);
                }
                x[pass % COUNT] += 1e-12 * (s[(7 * pass) % COUNT] + c[(3 * pass) % COUNT]);  /* keep the work live */
            }
            double seconds = now() - start;
            if (seconds < best[kind]) best[kind] = seconds;
        }
    }
    const char *names[2] = {"sin + cos", "sincos"};
    for (int kind = 0; kind < 2; kind++) {
        double ns = 1e9 * best[kind] / ((double)COUNT * PASSES);
        printf("%-10s %6.2f ns per angle: at most %6.1f M steps/s on one core, %6.1f M on two\n",
               names[kind], ns, 1e3 / ns, 2e3 / ns);
    }
    return 0;
}

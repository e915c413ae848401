/* Counts allocations during 2000 steps (after 2000 of warm-up) of a few batches, through
 * shoal_batch_step and shoal_batch_step_bound, and of multi-agent batches through
 * shoal_multi_agent_step; prints one JSON line per batch. */
#include <stdio.h>
#include <stdlib.h>

#include "shoal_envs.h"

extern long shoal_test_allocations;

static int run(const char *task, int count, int threads, int size, int action_size, int discrete) {
    long before_create = shoal_test_allocations;
    shoal_batch b;
    if (shoal_batch_create(task, NULL, count, threads, 0, &b) != SHOAL_OK) { puts(shoal_last_error()); return 1; }
    long create = shoal_test_allocations - before_create;
    float *obs = calloc(count * size, 4), *fo = calloc(count * size, 4), *r = calloc(count, 4);
    float *ret = calloc(count, 4), *met = calloc(count, 4), *a = calloc(count * action_size, 4);
    bool *te = calloc(count, 1), *tr = calloc(count, 1), *st = calloc(count, 1), *dv = calloc(count, 1);
    int32_t *lens = calloc(count, 4);
    shoal_buffers out = {count, size, obs, r, te, tr, fo, st, ret, lens, met, dv};
    if (shoal_batch_bind(b, a, count * action_size, &out) != SHOAL_OK) { puts(shoal_last_error()); return 1; }
    long before = 0;
    int ended = 0;
    for (int t = 0; t < 4000; t++) {
        if (t == 2000) before = shoal_test_allocations;
        for (int i = 0; i < count * action_size; i++) a[i] = discrete ? (float)((i + t / 3) % 2) : 1.0f;
        if ((t & 1 ? shoal_batch_step_bound(b) : shoal_batch_step(b, a, count * action_size, &out)) != SHOAL_OK) { puts(shoal_last_error()); return 2; }
        if (t >= 2000) for (int i = 0; i < count; i++) ended += te[i] || tr[i];
    }
    printf("{\"task\": \"%s\", \"count\": %d, \"threads\": %d, \"create_allocations\": %ld, \"step_allocations\": %ld, \"episodes\": %d}\n",
           task, count, threads, create, shoal_test_allocations - before, ended);
    shoal_batch_destroy(b);
    return 0;
}

/* A multi-agent batch: `obs_per_copy` observation floats of all agents, discrete actions in 0…n-1. */
static int run_multi(const char *task, int count, int agents, int obs_per_copy, int state_size, int n) {
    long before_create = shoal_test_allocations;
    shoal_multi_agent_batch b;
    if (shoal_multi_agent_create(task, NULL, count, 1, 0, &b) != SHOAL_OK) { puts(shoal_last_error()); return 1; }
    long create = shoal_test_allocations - before_create;
    float *obs = calloc(count * obs_per_copy, 4), *fo = calloc(count * obs_per_copy, 4), *r = calloc(count * agents, 4);
    float *s = calloc(count * state_size, 4), *fs = calloc(count * state_size, 4), *ret = calloc(count * agents, 4);
    float *a = calloc(count * agents, 4);
    bool *te = calloc(count, 1), *tr = calloc(count, 1), *st = calloc(count, 1);
    int32_t *lens = calloc(count, 4);
    shoal_multi_agent_buffers out = {count, agents, count * obs_per_copy, state_size, obs, r, te, tr, fo, s, fs, st, ret, lens};
    long before = 0;
    int ended = 0;
    for (int t = 0; t < 4000; t++) {
        if (t == 2000) before = shoal_test_allocations;
        for (int i = 0; i < count * agents; i++) a[i] = (float)((i + t / 3) % n);
        if (shoal_multi_agent_step(b, a, count * agents, &out) != SHOAL_OK) { puts(shoal_last_error()); return 2; }
        if (t >= 2000) for (int i = 0; i < count; i++) ended += te[i] || tr[i];
    }
    printf("{\"task\": \"%s\", \"count\": %d, \"threads\": 1, \"create_allocations\": %ld, \"step_allocations\": %ld, \"episodes\": %d}\n",
           task, count, create, shoal_test_allocations - before, ended);
    shoal_multi_agent_destroy(b);
    return 0;
}

int main(void) {
    /* One thread each: on several threads a batch that finds parallel stepping faster hands its
     * chunks to libdispatch's concurrentPerform, which allocates a few blocks per step. */
    return run("cart-pole-v1", 1, 1, 4, 1, 1) | run("cart-pole-v1", 4096, 1, 4, 1, 1) | run("pendulum-v1", 256, 1, 3, 1, 0)
         | run("acrobot-v1", 512, 1, 6, 1, 1) | run("hopper-v1", 8, 1, 11, 3, 0) | run("ant-v1", 2, 1, 105, 8, 0)
         | run("navigation/indoor-v1", 2, 1, 3072, 1, 1)
         | run_multi("mpe/simple-spread-v1", 64, 3, 54, 18, 5) | run_multi("random-mdp/local-actions-v1", 16, 4, 4, 1, 3);
}

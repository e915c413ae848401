/* Steps cart-pole through shoal_envs.h as a C program would, printing one JSON line per step. */
#include <stdio.h>
#include <string.h>

#include "shoal_envs.h"

#define COUNT 4

int main(void) {
    shoal_batch batch = 0;
    if (shoal_batch_create("cart-pol-v1", NULL, COUNT, 1, 7, &batch) != SHOAL_ERROR_UNKNOWN_TASK) return 2;
    printf("{\"error\": \"%s\"}\n", shoal_last_error());
    if (shoal_batch_create("cart-pole-v1", NULL, COUNT, 2, 7, &batch) != SHOAL_OK) return 3;

    float obs[COUNT * 4], final_obs[COUNT * 4], rewards[COUNT], returns[COUNT], metrics[COUNT];
    bool terminated[COUNT], truncated[COUNT], start[COUNT], diverged[COUNT];
    int32_t lengths[COUNT];
    shoal_buffers out = {COUNT, 4, obs, rewards, terminated, truncated, final_obs, start, returns, lengths, metrics, diverged};
    if (shoal_batch_reset(batch, 7, &out) != SHOAL_OK) return 4;
    for (int t = 0; t < 40; t++) {
        float actions[COUNT];
        for (int i = 0; i < COUNT; i++) actions[i] = (float)((i + t / 3) % 2);
        if (shoal_batch_step(batch, actions, COUNT, &out) != SHOAL_OK) return 5;
        printf("{\"t\": %d, \"obs\": [", t);
        for (int k = 0; k < COUNT * 4; k++) printf("%s%.9g", k ? ", " : "", obs[k]);
        printf("], \"ended\": [");
        for (int i = 0; i < COUNT; i++) printf("%s%s", i ? ", " : "", terminated[i] || truncated[i] ? "true" : "false");
        printf("]}\n");
    }
    if (shoal_batch_destroy(batch) != SHOAL_OK) return 6;
    float actions[COUNT] = {0};
    if (shoal_batch_step(batch, actions, COUNT, &out) != SHOAL_ERROR_INVALID_HANDLE) return 7;
    printf("{\"error\": \"%s\"}\n", shoal_last_error());
    return 0;
}

/*
 * shoal_envs.h — Shoal's environments through a C interface (library libShoalEnvsC).
 *
 * A *batch* is `count` copies of one task stepped together (Shoal's VectorEnvironment). Every
 * buffer is flat and row-major: observations are [count × observation_size] floats. Autoreset is
 * same-step: a row whose episode ends (terminated or truncated) is reset within the same call;
 * `observations` then holds the first observation of the new episode, `final_observations` the
 * last observation of the one that ended, `episode_start` is set, and the episode statistics
 * hold the finished episode's return and length. Final observations and statistics are written
 * only on rows whose episode ended; other rows keep what the caller's buffer held.
 * Discrete actions are passed as the float of their index (2.0f for action 2).
 *
 * Errors. Every function returns a shoal_status: SHOAL_OK (0) or an error code. After an error,
 * shoal_last_error() returns one sentence saying what was wrong and what is valid. No function
 * traps or aborts on bad input: every argument is validated, and a failing call changes nothing
 * (a batch whose step fails keeps every copy as it was).
 *
 * Ownership. Batches are named by integer handles (never pointers), so a destroyed or unknown
 * handle is an error (SHOAL_ERROR_INVALID_HANDLE), not a crash. Handles are never reused (the
 * library keeps a slot of a few bytes for every batch ever created, so that a lookup is an
 * index). The caller owns every buffer it passes; the library keeps no caller pointer after the
 * call returns, except the memory given to shoal_batch_bind, which must stay valid until the
 * batch is destroyed or bound again. Strings the library returns through shoal_last_error()
 * belong to the library and stay valid until the next failing call on the same thread. Strings
 * written into caller buffers (JSON, SVG) are NUL-terminated.
 *
 * Thread safety. Different batches may be used from different threads at the same time. One
 * batch serves one call at a time: a call on a batch that is busy on another thread fails with
 * SHOAL_ERROR_BUSY (nothing is changed). The batch's own worker threads (`threads`) are internal.
 * shoal_last_error() is per thread. shoal_batch_destroy may be called from any thread; a call
 * already running on that batch finishes safely.
 *
 * Randomness. Copy i of a batch reset with seed s draws only from a generator derived from
 * (s, i): the same seed gives bit-identical numbers whatever the thread count.
 *
 * Allocation. reset and step allocate nothing in steady state: they write into the caller's
 * buffers.
 *
 * Resources. The library reads Shoal's bundled data (task families, maps, bodies) from the
 * resource folders next to it (Shoal_EnvironmentsData.resources, Shoal_AssetsData.resources);
 * load it from the folder it was built into.
 */
#ifndef SHOAL_ENVS_H
#define SHOAL_ENVS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this interface; bumped when a signature or a layout changes. */
#define SHOAL_ENVS_API_VERSION 1

typedef int32_t shoal_status;
enum {
    SHOAL_OK = 0,
    SHOAL_ERROR_INVALID_ARGUMENT = 1,  /* a NULL pointer, a count or size out of range, malformed JSON */
    SHOAL_ERROR_UNKNOWN_TASK = 2,      /* no task or task set of that name ("did you mean …") */
    SHOAL_ERROR_BAD_PARAMETERS = 3,    /* an unknown parameter or a value out of its range */
    SHOAL_ERROR_INVALID_ACTION = 4,    /* wrong action count, discrete action out of range, NaN */
    SHOAL_ERROR_INVALID_STATE = 5,     /* set_state: wrong length, non-finite value, bad row */
    SHOAL_ERROR_INVALID_HANDLE = 6,    /* unknown or destroyed batch handle */
    SHOAL_ERROR_BUFFER_TOO_SMALL = 7,  /* a text buffer is too small: *length says how many bytes */
    SHOAL_ERROR_UNSUPPORTED = 8,       /* the task cannot do this (no settable state, no picture) */
    SHOAL_ERROR_BUSY = 9,              /* the batch is serving a call on another thread */
    SHOAL_ERROR_INTERNAL = 10          /* anything else (missing resource files, …) */
};

/* A batch, by handle. Handles are positive; 0 is never a valid handle. */
typedef int64_t shoal_batch;

/*
 * Where reset, step and set_state write. `count` and `observation_size` must equal the batch's
 * (they are checked); every pointer names caller memory of the stated size. `observations` is
 * required; any other pointer may be NULL, and that output is then skipped.
 */
typedef struct shoal_buffers {
    int64_t count;                /* rows of the batch */
    int64_t observation_size;     /* floats per observation row */
    float *observations;          /* [count × observation_size] */
    float *rewards;               /* [count]: reward of the step (0 after a reset) */
    bool *terminated;             /* [count] */
    bool *truncated;              /* [count]: cut by the time limit (may also be terminated) */
    float *final_observations;    /* [count × observation_size]: written on rows that ended */
    bool *episode_start;          /* [count]: the observation is the first of an episode */
    float *episode_returns;       /* [count]: return of the episode that ended (rows that ended) */
    int32_t *episode_lengths;     /* [count]: length of the episode that ended (rows that ended) */
    float *episode_metrics;       /* [count]: the family's episode metric, NaN if none (rows that ended) */
    bool *episode_diverged;       /* [count]: the physics diverged and the episode was cut (rows that ended) */
} shoal_buffers;

/* The message of the last failing call on this thread ("" if none). Never NULL. */
const char *shoal_last_error(void);

/* SHOAL_ENVS_API_VERSION of the loaded library. */
int32_t shoal_api_version(void);

/*
 * Text outputs: the library writes at most `capacity` bytes (including the final NUL) into
 * `buffer` and sets *length to the text's length without the NUL. If the text does not fit, the
 * call fails with SHOAL_ERROR_BUFFER_TOO_SMALL, *length still set: retry with *length + 1 bytes.
 * `buffer` may be NULL when `capacity` is 0 (to ask for the length).
 */

/* Every task as a JSON array of objects {"id", "summary", "tags", "parameters": {defaults},
 * "multi_agent": true for tasks served by the shoal_multi_agent_ functions}, and
 * the task sets as {"task_set", "task", "tasks"} after them. */
shoal_status shoal_list_tasks(char *buffer, size_t capacity, size_t *length);

/*
 * Creates a batch of `count` copies of task `task_id` on `threads` threads and resets it with
 * `seed`. `parameters_json` (may be NULL for the task's defaults) is either a JSON object of
 * parameter overrides for every copy ({"mass": 1.2}) or a JSON array of k objects, one per task
 * of a multi-task batch: `count` must then be a multiple of k, and rows
 * [j·count/k, (j+1)·count/k) run task j. On success *out holds the new handle.
 */
shoal_status shoal_batch_create(const char *task_id, const char *parameters_json, int64_t count, int64_t threads,
                                uint64_t seed, shoal_batch *out);

/* A batch holding every task of the task set `name`, `copies_per_task` consecutive rows each. */
shoal_status shoal_batch_create_task_set(const char *name, int64_t copies_per_task, int64_t threads, uint64_t seed,
                                         shoal_batch *out);

/*
 * The batch as JSON: {"task", "count", "observation_size", "action_size", "observation_space",
 * "action_space", "state_names", "episode_metric", "parameters"}. A space is
 * {"type": "box", "shape": [...], "low": [...], "high": [...], "dtype": "float32"} (infinite bounds
 * as the strings "inf" and "-inf") or {"type": "discrete", "n": N, "shape": [], "dtype": "int64"}.
 * "parameters" holds the resolved parameters of every copy's task, one object per distinct run of
 * rows: [{"rows": [start, end], "parameters": {...}}, ...].
 */
shoal_status shoal_batch_info(shoal_batch batch, char *buffer, size_t capacity, size_t *length);

/* Starts a new episode on every copy (copy i from stream (seed, i)) and writes the first
 * observations; rewards and end flags are cleared and episode_start is set on every row. */
shoal_status shoal_batch_reset(shoal_batch batch, uint64_t seed, const shoal_buffers *out);

/*
 * Advances every copy by one step. `actions` holds `action_count` = count × action_size floats
 * (row-major). Validated before anything moves: on error no copy changes and `out` is untouched.
 */
shoal_status shoal_batch_step(shoal_batch batch, const float *actions, size_t action_count, const shoal_buffers *out);

/*
 * Binds caller memory for shoal_batch_step_bound: the actions it reads (`action_count` floats) and
 * the buffers it writes, checked once here. The memory must stay valid until the batch is destroyed
 * or bound again. For callers whose per-call cost matters (one copy stepped from an interpreter).
 */
shoal_status shoal_batch_bind(shoal_batch batch, const float *actions, size_t action_count, const shoal_buffers *out);

/* shoal_batch_step with the bound memory (SHOAL_ERROR_INVALID_ARGUMENT if nothing is bound). */
shoal_status shoal_batch_step_bound(shoal_batch batch);

/*
 * Sets the physical state of copy `row` (`value_count` doubles in the order of "state_names")
 * and writes its new observation into row `row` of out->observations (other rows and outputs
 * are untouched). The episode's counters restart.
 */
shoal_status shoal_batch_set_state(shoal_batch batch, int64_t row, const double *values, size_t value_count,
                                   const shoal_buffers *out);

/*
 * A picture of copy `row` as SVG text, drawn from its current observation. Classic-control tasks
 * (cart-pole, its continuous and swing-up variants, pendulum, acrobot) only; other tasks fail with
 * SHOAL_ERROR_UNSUPPORTED (the `shoal envs render` command draws grid worlds, navigation and
 * locomotion).
 */
shoal_status shoal_batch_render_svg(shoal_batch batch, int64_t row, char *buffer, size_t capacity, size_t *length);

/* Destroys the batch; its handle becomes invalid. Destroying an unknown handle is an error. */
shoal_status shoal_batch_destroy(shoal_batch batch);

/*
 * Multi-agent batches (PettingZoo's parallel API): `count` copies of a task in which `agents`
 * agents act at once. They follow every rule above (handles, statuses, caller buffers, same-step
 * autoreset, no allocation per step); their handles share the numbering of single-agent batches,
 * and a handle of the other kind is an error (SHOAL_ERROR_INVALID_HANDLE) naming the right functions.
 *
 * Layout: agent-major blocks. Agent m's observations of every copy are one row-major block of
 * [count × observation_sizes[m]] floats, the blocks in agent order (agents may have observations of
 * different sizes); rewards and episode returns are [agents × count] (agent m, copy r at m·count + r).
 * The end flags, the episode length and the global state belong to the copy and are shared by its
 * agents. Actions are agent-major too: agent m's actions for every copy are one block of
 * [count × action_sizes[m]] floats, the blocks in agent order (for one copy: the joint action,
 * agent 0 first); discrete actions as the float of their index.
 */

/* A multi-agent batch, by handle (positive; 0 is never valid). */
typedef int64_t shoal_multi_agent_batch;

/*
 * Where the multi-agent reset, step and set_state write. The four sizes must equal the batch's
 * ("count", "agents", count × Σ observation_sizes, "state_size" of shoal_multi_agent_info).
 * `observations` is required; any other pointer may be NULL, and that output is then skipped.
 */
typedef struct shoal_multi_agent_buffers {
    int64_t count;                /* copies of the batch */
    int64_t agents;               /* agents per copy */
    int64_t observation_floats;   /* count × Σ_m observation_sizes[m] */
    int64_t state_size;           /* floats per global state */
    float *observations;          /* [observation_floats], agent-major blocks */
    float *rewards;               /* [agents × count]: reward of the step (0 after a reset) */
    bool *terminated;             /* [count]: shared by the copy's agents */
    bool *truncated;              /* [count]: cut by the time limit (may also be terminated) */
    float *final_observations;    /* [observation_floats]: written on copies that ended */
    float *states;                /* [count × state_size]: the global state (for centralised critics) */
    float *final_states;          /* [count × state_size]: the last global state, on copies that ended */
    bool *episode_start;          /* [count]: the observations are the first of an episode */
    float *episode_returns;       /* [agents × count]: each agent's return of the episode that ended */
    int32_t *episode_lengths;     /* [count]: length of the episode that ended (copies that ended) */
} shoal_multi_agent_buffers;

/*
 * Creates a multi-agent batch of `count` copies of task `task_id` (a multi-agent task; a
 * single-agent task is SHOAL_ERROR_INVALID_ARGUMENT) on `threads` threads and resets it with
 * `seed`. `parameters_json` (may be NULL for the defaults) is one JSON object of parameter
 * overrides for every copy ({"agents": 4}).
 */
shoal_status shoal_multi_agent_create(const char *task_id, const char *parameters_json, int64_t count, int64_t threads,
                                      uint64_t seed, shoal_multi_agent_batch *out);

/*
 * The batch as JSON: {"task", "count", "agents", "agent_names", "observation_sizes",
 * "action_sizes", "observation_spaces", "action_spaces", "state_space", "state_size",
 * "state_names", "parameters"}: one space per agent (the form of shoal_batch_info), the resolved
 * parameters as one object. A text output (see above).
 */
shoal_status shoal_multi_agent_info(shoal_multi_agent_batch batch, char *buffer, size_t capacity, size_t *length);

/* Starts a new episode on every copy (copy i from stream (seed, i)) and writes every agent's first
 * observations and the states; rewards and end flags are cleared and episode_start is set. */
shoal_status shoal_multi_agent_reset(shoal_multi_agent_batch batch, uint64_t seed, const shoal_multi_agent_buffers *out);

/*
 * Advances every copy by one step. `actions` holds `action_count` = count × Σ_m action_sizes[m]
 * floats in agent-major blocks. Validated for every agent before anything moves: on error no copy
 * changes and `out` is untouched; the message names the agent and the copy.
 */
shoal_status shoal_multi_agent_step(shoal_multi_agent_batch batch, const float *actions, size_t action_count,
                                    const shoal_multi_agent_buffers *out);

/*
 * Sets the physical state of copy `row` (`value_count` doubles in the order of "state_names") and
 * writes its agents' new observations and its state into `out` (other copies and outputs are
 * untouched). The episode's counters restart.
 */
shoal_status shoal_multi_agent_set_state(shoal_multi_agent_batch batch, int64_t row, const double *values,
                                         size_t value_count, const shoal_multi_agent_buffers *out);

/* Destroys the multi-agent batch; its handle becomes invalid. */
shoal_status shoal_multi_agent_destroy(shoal_multi_agent_batch batch);

#ifdef __cplusplus
}
#endif

#endif /* SHOAL_ENVS_H */

#!/usr/bin/env python3
"""Shoal's Python wrapper against Gymnasium's own cart-pole, measured in the same run.

usage: python_wrapper_bench.py [--num-envs 4096] [--steps 1000] [--threads 2] [--single-steps 200000] [--repeats 3] [--json]

1. Vector: `shoal_envs.make_vec("cart-pole-v1", num_envs=N, threads=T)` stepped with numpy int64
   actions (drawn before timing), infos included, against
   `gymnasium.make_vec("CartPole-v1", N, vectorization_mode="vector_entry_point")` (Gymnasium's
   numpy-vectorised CartPoleVectorEnv) with the same actions. Also `make_vec(..., copy=True)`
   (fresh arrays from every step, as Gymnasium's CartPoleVectorEnv returns) and the bare batch:
   the same int64 actions cast into the bound action buffer and the C call (the Swift step), no
   infos — the floor the wrapper is measured against ("of bare batch").
2. Single copy: `shoal_envs.make("cart-pole-v1").step(a)` against Gymnasium's `CartPoleEnv.step(a)`
   (both unwrapped) and `gymnasium.make("CartPole-v1")` (with its checker and order wrappers), on
   the same actions (a = (k >> 2) & 1), resetting when an episode ends. Also timed: the bare call
   from Python (the action written, `shoal_batch_step_bound` called through ctypes, no
   observation or tuple built) and a C loop calling `shoal_batch_step_bound` on one cart-pole with
   the same actions (compiled with the C compiler `cc` against the loaded library), which is the
   Swift work of one copy-step: the library's entry (handle lookup, busy flag, copying the action
   in and the outputs out) and the environment's step with its autoreset.
   Overhead of the wrapper = its step time minus the C loop's step time, both from this run: what
   calling from Python through the wrapper adds to what a C caller pays.

Best of `--repeats` runs of each, taken in turn. Needs the Shoal package (`make python`, `pip install ./python`),
gymnasium and numpy; the library must be a release build. Without `cc` the C loop is skipped
and the overhead is not reported.
"""
import argparse
import json
import os
import pathlib
import platform
import shutil
import subprocess
import tempfile
import time

import gymnasium
import numpy as np

import shoal_envs
from shoal_envs import _library

C_LOOP = r"""
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "shoal_envs.h"

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

int main(int argc, char **argv) {
    long steps = atol(argv[1]), repeats = atol(argv[2]);
    shoal_batch batch;
    float observations[4], final_observations[4], rewards[1], returns[1], metrics[1], actions[1];
    bool terminated[1], truncated[1], start[1], diverged[1];
    int32_t lengths[1];
    shoal_buffers out = {1, 4, observations, rewards, terminated, truncated, final_observations, start, returns, lengths,
                         metrics, diverged};
    if (shoal_batch_create("cart-pole-v1", NULL, 1, 1, 0, &batch) != SHOAL_OK) return 2;
    if (shoal_batch_bind(batch, actions, 1, &out) != SHOAL_OK) return 3;
    double best = 1e30;
    for (long r = 0; r < repeats; r++) {
        if (shoal_batch_reset(batch, 0, &out) != SHOAL_OK) return 4;
        double start_time = now();
        for (long k = 0; k < steps; k++) {
            actions[0] = (float)((k >> 2) & 1);
            if (shoal_batch_step_bound(batch) != SHOAL_OK) return 5;  /* the batch resets ended episodes itself */
        }
        double seconds = now() - start_time;
        if (seconds < best) best = seconds;
    }
    printf("%.9g\n", best / steps);
    return 0;
}
"""


def best_of_each(repeats, runs):
    """The fastest of `repeats` runs of each of `runs` (name → function), taken in turn (A B C A B
    C ...) so that a busy moment of a shared machine does not fall on one line only."""
    times = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(run())
    return {name: min(seconds) for name, seconds in times.items()}


def vector_seconds(envs, actions, steps):
    envs.reset(seed=0)
    for k in range(20):
        envs.step(actions[k % len(actions)])
    start = time.perf_counter()
    for k in range(steps):
        envs.step(actions[k % len(actions)])
    return time.perf_counter() - start


def bare_batch_seconds(batch, actions, steps):
    step = batch.step_actions
    batch.reset(0)
    for k in range(20):
        np.copyto(batch.actions, actions[k % len(actions)], casting="unsafe")
        step()
    start = time.perf_counter()
    for k in range(steps):
        np.copyto(batch.actions, actions[k % len(actions)], casting="unsafe")
        step()
    return time.perf_counter() - start


def single_seconds(env, steps):
    env.reset(seed=0)
    step, reset = env.step, env.reset
    start = time.perf_counter()
    for k in range(steps):
        _, _, terminated, truncated, _ = step((k >> 2) & 1)
        if terminated or truncated:
            reset()
    return time.perf_counter() - start


def bare_call_seconds(steps):
    batch = shoal_envs.Batch("cart-pole-v1", count=1, threads=1, seed=0)
    step, handle, actions = batch._step, batch._handle_argument, memoryview(batch.actions)
    start = time.perf_counter()
    for k in range(steps):
        actions[0] = (k >> 2) & 1
        if step(handle):  # the batch resets ended episodes itself
            batch.failed(1)
    elapsed = time.perf_counter() - start
    batch.close()
    return elapsed


def c_loop_seconds(steps, repeats):
    """Seconds per step of the C loop (best of `repeats`), or None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        return None
    library = pathlib.Path(_library.library_file()).resolve()
    include = pathlib.Path(__file__).resolve().parents[1] / "Sources" / "ShoalEnvsC" / "include"
    with tempfile.TemporaryDirectory() as folder:
        source, program = pathlib.Path(folder) / "c_loop.c", pathlib.Path(folder) / "c_loop"
        source.write_text(C_LOOP)
        subprocess.run([compiler, "-O2", "-std=c11", "-I", str(include), str(source), "-o", str(program), str(library),
                        f"-Wl,-rpath,{library.parent}"], check=True)
        output = subprocess.run([str(program), str(steps), str(repeats)], check=True, capture_output=True, text=True).stdout
    return float(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num-envs", type=int, default=4096)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--single-steps", type=int, default=200000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    n, steps, r = args.num_envs, args.steps, args.repeats

    rng = np.random.default_rng(0)
    actions = [rng.integers(0, 2, size=n, dtype=np.int64) for _ in range(64)]
    shoal_vec = shoal_envs.make_vec("cart-pole-v1", num_envs=n, threads=args.threads)
    shoal_copying = shoal_envs.make_vec("cart-pole-v1", num_envs=n, threads=args.threads, copy=True)
    bare_batch = shoal_envs.Batch("cart-pole-v1", count=n, threads=args.threads, seed=0)
    gym_vec = gymnasium.make_vec("CartPole-v1", n, vectorization_mode="vector_entry_point")
    vector = best_of_each(r, {
        "shoal": lambda: vector_seconds(shoal_vec, actions, steps),
        "shoal_copy": lambda: vector_seconds(shoal_copying, actions, steps),
        "bare": lambda: bare_batch_seconds(bare_batch, actions, steps),
        "gymnasium": lambda: vector_seconds(gym_vec, actions, steps),
    })
    shoal_vector, shoal_vector_copy, bare_vector, gym_vector = (
        n * steps / vector[name] for name in ("shoal", "shoal_copy", "bare", "gymnasium"))
    for envs in (shoal_vec, shoal_copying, gym_vec):
        envs.close()
    bare_batch.close()

    s = args.single_steps
    c_loop = c_loop_seconds(s, 1) is not None  # builds it once; None without a C compiler
    single = best_of_each(r, {
        "shoal": lambda: single_seconds(shoal_envs.make("cart-pole-v1"), s),
        "shoal_wrapped": lambda: single_seconds(gymnasium.make("shoal/cart-pole-v1"), s),
        "gym_unwrapped": lambda: single_seconds(gymnasium.make("CartPole-v1").unwrapped, s),
        "gym_wrapped": lambda: single_seconds(gymnasium.make("CartPole-v1"), s),
        "bare_call": lambda: bare_call_seconds(s),
        "c_loop": (lambda: c_loop_seconds(s, 1) * s) if c_loop else (lambda: 0.0),
    })
    shoal_single, shoal_wrapped, gym_unwrapped, gym_wrapped, bare_call = (
        single[name] / s for name in ("shoal", "shoal_wrapped", "gym_unwrapped", "gym_wrapped", "bare_call"))
    c_loop = single["c_loop"] / s if c_loop else None

    us = lambda seconds: None if seconds is None else seconds * 1e6
    result = {
        "load_average": os.getloadavg(), "cpus": os.cpu_count(), "python": platform.python_version(),
        "numpy": np.__version__, "gymnasium": gymnasium.__version__,
        "vector": {"num_envs": n, "steps": steps, "threads": args.threads,
                   "shoal_wrapper_steps_per_second": shoal_vector,
                   "shoal_wrapper_copy_steps_per_second": shoal_vector_copy,
                   "shoal_bare_batch_steps_per_second": bare_vector,
                   "gymnasium_vector_entry_point_steps_per_second": gym_vector,
                   "ratio": shoal_vector / gym_vector, "ratio_copy": shoal_vector_copy / gym_vector,
                   "wrapper_of_bare_batch": shoal_vector / bare_vector},
        "single": {"steps": s, "shoal_step_us": us(shoal_single), "shoal_gymnasium_make_step_us": us(shoal_wrapped),
                   "shoal_bare_call_us": us(bare_call), "c_loop_step_us": us(c_loop),
                   "gymnasium_step_us": us(gym_unwrapped), "gymnasium_make_step_us": us(gym_wrapped),
                   "shoal_wrapper_overhead_us": None if c_loop is None else us(shoal_single - c_loop),
                   "gymnasium_over_shoal": gym_unwrapped / shoal_single},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    v, g = result["vector"], result["single"]
    print(f"load average {result['load_average'][0]:.2f} on {result['cpus']} cpus; Python {result['python']}, "
          f"numpy {result['numpy']}, gymnasium {result['gymnasium']}")
    print(f"cart-pole, {n} envs, {steps} steps, best of {r} (M steps/s):")
    print(f"  shoal_envs.make_vec (threads={args.threads})        {v['shoal_wrapper_steps_per_second'] / 1e6:8.2f}"
          f"   {v['ratio']:5.2f}x Gymnasium, {100 * v['wrapper_of_bare_batch']:5.1f} % of the bare batch")
    print(f"  the same with copy=True                  {v['shoal_wrapper_copy_steps_per_second'] / 1e6:8.2f}"
          f"   {v['ratio_copy']:5.2f}x Gymnasium")
    print(f"  bare batch (cast, C call, Swift step)    {v['shoal_bare_batch_steps_per_second'] / 1e6:8.2f}")
    print(f"  gymnasium vector_entry_point             {v['gymnasium_vector_entry_point_steps_per_second'] / 1e6:8.2f}")
    print(f"cart-pole, one copy, {s} steps, best of {r} (µs per step):")
    print(f"  shoal_envs.make(...).step                {g['shoal_step_us']:8.3f}   (Gymnasium's step takes "
          f"{g['gymnasium_over_shoal']:.1f}x as long)")
    print(f"  gymnasium.make('shoal/cart-pole-v1')     {g['shoal_gymnasium_make_step_us']:8.3f}")
    print(f"  bare call from Python (ctypes)           {g['shoal_bare_call_us']:8.3f}")
    if c_loop is None:
        print("  C loop                                   (no C compiler: skipped)")
    else:
        print(f"  C loop (the Swift work of one step)      {g['c_loop_step_us']:8.3f}")
    print(f"  gymnasium CartPoleEnv.step               {g['gymnasium_step_us']:8.3f}")
    print(f"  gymnasium.make('CartPole-v1').step       {g['gymnasium_make_step_us']:8.3f}")
    if c_loop is not None:
        print(f"  wrapper overhead (step − C loop)         {g['shoal_wrapper_overhead_us']:8.3f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Shoal's Python wrapper against Gymnasium's own cart-pole, measured in the same run.

usage: python_wrapper_bench.py [--num-envs 4096] [--steps 1000] [--threads 2] [--single-steps 200000] [--repeats 3] [--json]

1. Vector: `shoal_envs.make_vec("cart-pole-v1", num_envs=N, threads=T)` stepped with numpy int64
   actions (drawn before timing), against
   `gymnasium.make_vec("CartPole-v1", N, vectorization_mode="vector_entry_point")` (Gymnasium's
   numpy-vectorised CartPoleVectorEnv) with the same actions. Also the bare batch (the C call
   and the Swift step, no infos) for reference.
2. Single copy: `shoal_envs.make("cart-pole-v1").step(a)` against Gymnasium's `CartPoleEnv.step(a)`
   (both unwrapped) and `gymnasium.make("CartPole-v1")` (with its checker and order wrappers), on
   the same alternating actions, resetting when an episode ends; the bare C call is timed too.
   Overhead of the wrapper = its step time minus Swift's own step of one copy (the bare batch's
   per-copy time at N copies).

Best of `--repeats` runs. Needs the Shoal package (`make python`, `pip install ./python`),
gymnasium and numpy; the library must be a release build.
"""
import argparse
import json
import os
import platform
import time

import gymnasium
import numpy as np

import shoal_envs


def best(repeats, run):
    return min(run() for _ in range(repeats))


def vector_seconds(envs, actions, steps):
    envs.reset(seed=0)
    for k in range(20):
        envs.step(actions[k % len(actions)])
    start = time.perf_counter()
    for k in range(steps):
        envs.step(actions[k % len(actions)])
    return time.perf_counter() - start


def bare_batch_seconds(num_envs, threads, actions, steps):
    batch = shoal_envs.Batch("cart-pole-v1", count=num_envs, threads=threads, seed=0)
    step = batch.step_actions
    for k in range(20):
        batch.actions[:] = actions[k % len(actions)]
        step()
    float_actions = [a.astype(np.float32) for a in actions]
    start = time.perf_counter()
    for k in range(steps):
        np.copyto(batch.actions, float_actions[k % len(float_actions)])
        step()
    elapsed = time.perf_counter() - start
    batch.close()
    return elapsed


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
    step, actions = batch.step_actions, batch.actions
    start = time.perf_counter()
    for k in range(steps):
        actions[0] = (k >> 2) & 1
        step()  # the batch resets ended episodes itself
    elapsed = time.perf_counter() - start
    batch.close()
    return elapsed


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
    gym_vec = gymnasium.make_vec("CartPole-v1", n, vectorization_mode="vector_entry_point")
    shoal_vector = n * steps / best(r, lambda: vector_seconds(shoal_vec, actions, steps))
    gym_vector = n * steps / best(r, lambda: vector_seconds(gym_vec, actions, steps))
    bare_seconds = best(r, lambda: bare_batch_seconds(n, args.threads, actions, steps))
    bare_vector = n * steps / bare_seconds

    s = args.single_steps
    shoal_single = best(r, lambda: single_seconds(shoal_envs.make("cart-pole-v1"), s)) / s
    gym_unwrapped = best(r, lambda: single_seconds(gymnasium.make("CartPole-v1").unwrapped, s)) / s
    gym_wrapped = best(r, lambda: single_seconds(gymnasium.make("CartPole-v1"), s)) / s
    shoal_wrapped = best(r, lambda: single_seconds(gymnasium.make("shoal/cart-pole-v1"), s)) / s
    bare_call = best(r, lambda: bare_call_seconds(s)) / s
    swift_per_copy = bare_seconds / (n * steps)

    result = {
        "load_average": os.getloadavg(), "cpus": os.cpu_count(), "python": platform.python_version(),
        "numpy": np.__version__, "gymnasium": gymnasium.__version__,
        "vector": {"num_envs": n, "steps": steps, "threads": args.threads,
                   "shoal_wrapper_steps_per_second": shoal_vector, "shoal_bare_batch_steps_per_second": bare_vector,
                   "gymnasium_vector_entry_point_steps_per_second": gym_vector, "ratio": shoal_vector / gym_vector},
        "single": {"steps": s, "shoal_step_us": shoal_single * 1e6, "shoal_gymnasium_make_step_us": shoal_wrapped * 1e6,
                   "shoal_bare_call_us": bare_call * 1e6, "gymnasium_step_us": gym_unwrapped * 1e6,
                   "gymnasium_make_step_us": gym_wrapped * 1e6,
                   "shoal_wrapper_overhead_us": (shoal_single - swift_per_copy) * 1e6},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    v, g = result["vector"], result["single"]
    print(f"load average {result['load_average'][0]:.2f} on {result['cpus']} cpus; Python {result['python']}, "
          f"numpy {result['numpy']}, gymnasium {result['gymnasium']}")
    print(f"cart-pole, {n} envs, {steps} steps, best of {r}:")
    print(f"  shoal_envs.make_vec (threads={args.threads})       {v['shoal_wrapper_steps_per_second'] / 1e6:8.2f} M steps/s")
    print(f"  bare batch (C call + Swift step)        {v['shoal_bare_batch_steps_per_second'] / 1e6:8.2f} M steps/s")
    print(f"  gymnasium vector_entry_point            {v['gymnasium_vector_entry_point_steps_per_second'] / 1e6:8.2f} M steps/s")
    print(f"  ratio                                   {v['ratio']:8.1f} x")
    print(f"cart-pole, one copy, {s} steps, best of {r} (µs per step):")
    print(f"  shoal_envs.make(...).step               {g['shoal_step_us']:8.3f}")
    print(f"  gymnasium.make('shoal/cart-pole-v1')    {g['shoal_gymnasium_make_step_us']:8.3f}")
    print(f"  bare C call                             {g['shoal_bare_call_us']:8.3f}")
    print(f"  gymnasium CartPoleEnv.step              {g['gymnasium_step_us']:8.3f}")
    print(f"  gymnasium.make('CartPole-v1').step      {g['gymnasium_make_step_us']:8.3f}")
    print(f"  wrapper overhead (step − Swift's step)  {g['shoal_wrapper_overhead_us']:8.3f}")


if __name__ == "__main__":
    main()

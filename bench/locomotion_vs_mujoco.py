#!/usr/bin/env python3
"""Shoal's ODE hopper and ant against Gymnasium's MuJoCo Hopper-v5 and Ant-v5, side by side.

usage: locomotion_vs_mujoco.py [--episodes 100] [--shoal PATH] [--json] [--check]
       locomotion_vs_mujoco.py --throughput [--num-envs 1024] [--threads 2] [--repeats 3]

For each robot and each policy (zero action; uniform random actions in [−1, 1]):
the mean, median and standard deviation of the episode length and return over `--episodes`
episodes (each from its own seed, at most 1000 steps), then the resting height and the first 200
zero-action steps from a noise-free reset: the torso height (qpos z) and forward speed (qvel x)
traces
(summarised by their values at steps 1, 10, 50, 100, 150, 200 where the episode lasts).

The resting height is the mean torso height over steps 80–100 of the zero-action, noise-free
episode (the hopper stands there before it tips over at about step 140; the ant has settled).

Shoal's figures come from `shoal envs stats ID --policy P --episodes N --json` (the release
binary, built with `swift build -c release`); MuJoCo's from `gymnasium[mujoco]`, installed in a
virtual environment (`python3 -m venv /tmp/mj && /tmp/mj/bin/pip install "gymnasium[mujoco]"`).
`--check` exits non-zero unless every mean lies within 25 % of MuJoCo's and the resting heights
within 5 % (the calibration targets).

`--throughput` instead times stepping with uniform random actions, best of `--repeats` runs taken
in turn: `shoal envs bench ID --num-envs N --threads T` against EnvPool's MuJoCo Hopper-v4 and
Ant-v4 (`pip install envpool`, the same N and T, 200 steps after a reset).
"""
import argparse
import json
import math
import pathlib
import subprocess
import sys

import numpy as np

ROBOTS = [("hopper-v1", "Hopper-v5"), ("ant-v1", "Ant-v5")]
# Where the torso height (qpos z) and forward speed (qvel x) sit in each task's observation:
# Hopper-v5 = qpos[1:] ++ qvel, Ant-v5 = qpos[2:] ++ qvel (++ contact forces).
OBSERVATION_INDEX = {"hopper-v1": {"height": 0, "speed": 5}, "ant-v1": {"height": 0, "speed": 13}}
POLICIES = ["zero", "random"]
TRACE_STEPS = 200
MARKS = [1, 10, 50, 100, 150, 200]


def summary(values):
    a = np.asarray(values, dtype=float)
    return {"mean": float(a.mean()), "median": float(np.median(a)), "std": float(a.std())}


def mujoco_torso(env):
    """Torso height qpos z and forward speed qvel x at the end of the step."""
    data = env.unwrapped.data
    z = data.qpos[1] if env.unwrapped.spec.id.startswith("Hopper") else data.qpos[2]
    return float(z), float(data.qvel[0])


def mujoco_stats(gym_id, policy, episodes):
    import gymnasium

    env = gymnasium.make(gym_id)
    lengths, returns = [], []
    for e in range(episodes):
        env.reset(seed=e)
        env.action_space.seed(10_000 + e)
        total, n = 0.0, 0
        while True:
            a = np.zeros(env.action_space.shape) if policy == "zero" else env.action_space.sample()
            _, r, term, trunc, _ = env.step(a)
            total += r
            n += 1
            if term or trunc:
                break
        lengths.append(n)
        returns.append(total)
    out = {"length": summary(lengths), "return": summary(returns)}
    if policy == "zero":
        env = gymnasium.make(gym_id, reset_noise_scale=0.0)
        env.reset(seed=0)
        heights, speeds = [], []
        for _ in range(TRACE_STEPS):
            _, _, term, trunc, _ = env.step(np.zeros(env.action_space.shape))
            z, v = mujoco_torso(env)
            heights.append(z)
            speeds.append(v)
            if term or trunc:
                break
        out["height_trace"] = heights
        out["speed_trace"] = speeds
        out["resting_height"] = resting_height(heights)
    return out


def resting_height(heights):
    return float(np.mean(heights[79:100])) if len(heights) >= 100 else float("nan")


def shoal_stats(shoal, task, policy, episodes):
    cmd = [shoal, "envs", "stats", task, "--policy", policy, "--episodes", str(episodes), "--json"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    if policy == "zero":
        index = OBSERVATION_INDEX[task]
        out["height_trace"] = [o[index["height"]] for o in out["trace"]]
        out["speed_trace"] = [o[index["speed"]] for o in out["trace"]]
        out["resting_height"] = resting_height(out["height_trace"])
    return out


def shoal_throughput(shoal, task, num_envs, threads):
    cmd = [shoal, "envs", "bench", task, "--num-envs", str(num_envs), "--threads", str(threads), "--steps", "200", "--json"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)["steps_per_second"]


def envpool_throughput(gym_id, num_envs, threads):
    import time

    import envpool

    env = envpool.make(gym_id, env_type="gymnasium", num_envs=num_envs, num_threads=threads, batch_size=num_envs)
    env.reset()
    rng = np.random.default_rng(0)
    actions = rng.uniform(-1, 1, (num_envs,) + env.action_space.shape).astype(np.float32)
    start = time.perf_counter()
    for _ in range(200):
        env.step(actions)
    return num_envs * 200 / (time.perf_counter() - start)


def throughput(args):
    print(f"steps/s, {args.num_envs} copies on {args.threads} threads, best of {args.repeats} (taken in turn)")
    for task, gym_id in [("hopper-v1", "Hopper-v4"), ("ant-v1", "Ant-v4")]:
        ours, theirs = [], []
        for _ in range(args.repeats):
            ours.append(shoal_throughput(args.shoal, task, args.num_envs, args.threads))
            theirs.append(envpool_throughput(gym_id, args.num_envs, args.threads))
        print(f"  {task:<10} Shoal {max(ours):10.0f}   EnvPool {gym_id} {max(theirs):10.0f}   ratio {max(ours) / max(theirs):5.2f}")


def within(ours, theirs, tolerance):
    return abs(ours - theirs) <= tolerance * abs(theirs)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--episodes", type=int, default=100)
    p.add_argument("--shoal", default=str(pathlib.Path(__file__).resolve().parent.parent / ".build" / "release" / "shoal"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--check", action="store_true")
    p.add_argument("--throughput", action="store_true")
    p.add_argument("--num-envs", type=int, default=1024)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    if args.throughput:
        throughput(args)
        return

    report, misses = {}, []
    for task, gym_id in ROBOTS:
        for policy in POLICIES:
            ours = shoal_stats(args.shoal, task, policy, args.episodes)
            theirs = mujoco_stats(gym_id, policy, args.episodes)
            report[f"{task}/{policy}"] = {"shoal": ours, "mujoco": theirs}
            for key in ["length", "return"]:
                if not within(ours[key]["mean"], theirs[key]["mean"], 0.25):
                    misses.append(f"{task} {policy} mean {key} {ours[key]['mean']:.1f} vs MuJoCo {theirs[key]['mean']:.1f}")
            if policy == "zero" and not within(ours["resting_height"], theirs["resting_height"], 0.05):
                misses.append(f"{task} resting height {ours['resting_height']:.3f} vs MuJoCo {theirs['resting_height']:.3f}")
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"{args.episodes} episodes each; mean / median / sd (Shoal ODE surrogate vs Gymnasium MuJoCo)")
        print(f"{'task, policy':<22}{'length Shoal':>22}{'length MuJoCo':>22}{'return Shoal':>24}{'return MuJoCo':>24}")
        for name, r in report.items():
            cells = []
            for key in ["length", "return"]:
                for side in ["shoal", "mujoco"]:
                    s = r[side][key]
                    cells.append(f"{s['mean']:8.1f}/{s['median']:7.1f}/{s['std']:6.1f}")
            print(f"{name:<22}{cells[0]:>22}{cells[1]:>22}{cells[2]:>24}{cells[3]:>24}")
        print()
        for task, _ in ROBOTS:
            r = report[f"{task}/zero"]
            print(f"{task}: resting height (steps 80-100, zero action, no reset noise) Shoal {r['shoal']['resting_height']:.3f} m, "
                  f"MuJoCo {r['mujoco']['resting_height']:.3f} m")
            for label, key in [("torso height", "height_trace"), ("forward speed", "speed_trace")]:
                def at(trace):
                    return " ".join(f"{trace[k - 1]:7.3f}" if k <= len(trace) else "   ended" for k in MARKS)
                print(f"  {label:<14} at steps {MARKS}: Shoal {at(r['shoal'][key])}")
                print(f"  {'':<14} {'':<27}MuJoCo {at(r['mujoco'][key])}")
        print()
        print("calibration targets (means within 25 %, resting heights within 5 %): " + ("met" if not misses else "missed"))
        for m in misses:
            print("  " + m)
    if args.check and misses:
        sys.exit(1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Records reference trajectories of MPE2's simple_spread for Shoal's replay tests.

usage: python3 -m venv .venv && .venv/bin/pip install mpe2
       .venv/bin/python Tests/EnvsTests/Fixtures/mpe/record_simple_spread.py

Writes one JSON file per case next to this script. Start states are set explicitly (so that
Shoal's reset need not match numpy's generator); actions are fixed sequences drawn here.
"""
import json, os
import numpy as np
from mpe2 import simple_spread_v3
from pettingzoo.utils.env_logger import EnvLogger

EnvLogger.suppress_output()  # the clip warnings of the out-of-range actions drawn on purpose

HERE = os.path.dirname(os.path.abspath(__file__))

CASES = [
    # name, agents, local_ratio, continuous, action seed
    ("spread-discrete-n3", 3, 0.5, False, 1),
    ("spread-continuous-n3", 3, 0.5, True, 2),
    ("spread-discrete-n4", 4, 0.25, False, 3),
    ("spread-continuous-n2", 2, 0.8, True, 4),
]


def start_state(rng, n):
    """Agents in a cluster (so that they collide), small velocities, landmarks anywhere."""
    agents = []
    for i in range(n):
        x, y = rng.uniform(-0.3, 0.3, 2)
        vx, vy = rng.uniform(-0.2, 0.2, 2)
        agents.append([float(x), float(y), float(vx), float(vy)])
    landmarks = [[float(v) for v in rng.uniform(-1, 1, 2)] for _ in range(n)]
    return agents, landmarks


def record(name, n, local_ratio, continuous, seed):
    rng = np.random.default_rng(seed)
    env = simple_spread_v3.parallel_env(N=n, local_ratio=local_ratio, max_cycles=25, continuous_actions=continuous)
    env.reset(seed=0)
    world = env.unwrapped.world
    agents, landmarks = start_state(rng, n)
    for a, (x, y, vx, vy) in zip(world.agents, agents):
        a.state.p_pos = np.array([x, y])
        a.state.p_vel = np.array([vx, vy])
    for lm, (x, y) in zip(world.landmarks, landmarks):
        lm.state.p_pos = np.array([x, y])
    names = env.possible_agents
    initial = [env.unwrapped.observe(a).astype(float).tolist() for a in names]
    actions, steps = [], []
    for t in range(25):
        if continuous:
            # Some values outside [0, 1], to exercise the clip; float32 as the action space.
            step = [rng.uniform(-0.2, 1.2, 5).astype(np.float32) for _ in names]
            actions.append([a.astype(float).tolist() for a in step])
        else:
            step = [int(v) for v in rng.integers(0, 5, n)]
            actions.append(step)
        obs, rew, term, trunc, _ = env.step({a: step[i] for i, a in enumerate(names)})
        steps.append({
            "obs": [obs[a].astype(float).tolist() for a in names],
            "reward": [float(rew[a]) for a in names],
            "terminated": bool(term[names[0]]),
            "truncated": bool(trunc[names[0]]),
        })
    state = [v for a in agents for v in a] + [v for lm in landmarks for v in lm]
    case = {
        "env": "mpe2 simple_spread_v3",
        "params": {"agents": n, "local_ratio": local_ratio, "continuous": continuous},
        "initial_state": state,
        "initial_obs": initial,
        "actions": actions,
        "steps": steps,
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(case, f)
        f.write("\n")


if __name__ == "__main__":
    for c in CASES:
        record(*c)

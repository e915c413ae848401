#!/usr/bin/env python3
"""Agent-steps per second of MPE2's simple_spread (the PettingZoo parallel API), for the
side-by-side comparison with `shoal envs bench mpe/simple-spread-v1`.

usage: python3 -m venv .venv && .venv/bin/pip install mpe2
       .venv/bin/python bench/mpe_simple_spread.py [AGENTS] [SECONDS]

Steps one parallel_env with random discrete actions drawn before timing (as peer_bench.py
does), resetting when the 25-step episode ends, and prints one JSON object:
{"task", "agents", "steps_per_second", "agent_steps_per_second"}. MPE2 has no vector form; a
vector of K copies of it runs K times slower per step, so one copy's rate is its best case.
"""
import json, sys, time
import numpy as np
from mpe2 import simple_spread_v3


def main():
    agents = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    env = simple_spread_v3.parallel_env(N=agents, max_cycles=25)
    env.reset(seed=0)
    rng = np.random.default_rng(0)
    names = env.possible_agents
    pool = [{a: int(v) for a, v in zip(names, rng.integers(0, 5, agents))} for _ in range(64)]
    steps, i = 0, 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for _ in range(25):
            _, _, term, trunc, _ = env.step(pool[i & 63])
            i += 1
            steps += 1
            if any(term.values()) or any(trunc.values()):
                env.reset()
                break
    rate = steps / (time.perf_counter() - t0)
    print(json.dumps({"task": "mpe2 simple_spread_v3", "agents": agents, "steps_per_second": round(rate),
                      "agent_steps_per_second": round(rate * agents)}))


if __name__ == "__main__":
    main()

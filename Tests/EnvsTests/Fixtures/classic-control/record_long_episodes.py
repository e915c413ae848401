#!/usr/bin/env python3
"""Records the `*-long-*.json` reference trajectories from Gymnasium (same format as the others).

usage: python3 record_long_episodes.py OUTPUT_FOLDER   (needs gymnasium and numpy)

Whole episodes that run to the time limit: the cart-pole balanced for all 500 steps by a noisy
state-feedback controller, the acrobot under random torques for 500 steps, the pendulum under
random torques for its 200. Parameters and initial states are drawn from fixed seeds.

`cartpole-sensitive-*` are three balancing episodes in which a one-ulp change of `sin`/`cos` on
a few steps grows past the 1e-5 tolerance (by 7e-3, 2 and 1e145): trials 160, 211 and 250 of the
draw below, found by replaying candidates with an fdlibm-polynomial `sin`/`cos` in place of
libm's. They are why the classic-control tasks call libm.
"""
import json
import random
import sys

import gymnasium
import numpy as np


def record(env_name, gym_id, params, apply, initial_state, policy, rng):
    env = gymnasium.make(gym_id)
    env.reset(seed=0)
    raw = env.unwrapped
    apply(raw, params)
    raw.state = np.array(initial_state, dtype=np.float64)
    actions, steps = [], []
    while True:
        action = policy(raw.state, rng)
        obs, reward, terminated, truncated, _ = env.step(action)
        actions.append(action.tolist() if isinstance(action, np.ndarray) else int(action))
        steps.append({"obs": [float(v) for v in obs], "reward": float(reward),
                      "terminated": bool(terminated), "truncated": bool(truncated)})
        if terminated or truncated:
            break
    env.close()
    return {"env": env_name, "params": params, "initial_state": [float(v) for v in initial_state],
            "actions": actions, "steps": steps}


def cartpole_apply(raw, p):
    raw.masspole = p["pole_mass"]
    raw.length = p["pole_half_length"]
    raw.masscart = p["cart_mass"]
    raw.total_mass = raw.masspole + raw.masscart
    raw.polemass_length = raw.masspole * raw.length


def balance(state, rng):
    # Push toward the side the pole falls to, with the cart pulled back to the centre; one
    # action in ten is random, so that the trajectory wanders.
    x, x_dot, theta, theta_dot = state
    if rng.random() < 0.1:
        return int(rng.integers(0, 2))
    return int(theta + 0.5 * theta_dot + 0.05 * x + 0.1 * x_dot > 0)


def acrobot_apply(raw, p):
    raw.LINK_LENGTH_1 = p["link_length_1"]
    raw.LINK_MASS_1 = p["link_mass_1"]
    raw.LINK_MOI = p["link_moi"]


def pendulum_apply(raw, p):
    raw.m = p["mass"]
    raw.l = p["length"]
    raw.g = p["gravity"]


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(20261201)
    for k in range(6):
        params = {"pole_mass": float(rng.uniform(0.05, 1.0)), "pole_half_length": float(rng.uniform(0.3, 1.0)),
                  "cart_mass": float(rng.uniform(0.5, 2.0))}
        case = record("cartpole", "CartPole-v1", params, cartpole_apply, rng.uniform(-0.05, 0.05, 4), balance, rng)
        assert len(case["steps"]) == 500, f"cart-pole case {k} fell after {len(case['steps'])} steps"
        json.dump(case, open(f"{out}/cartpole-long-{k}.json", "w"))
    sensitive = random.Random(5)
    for trial in range(251):
        params = {"pole_mass": sensitive.uniform(0.05, 1.0), "pole_half_length": sensitive.uniform(0.3, 1.0),
                  "cart_mass": sensitive.uniform(0.5, 2.0)}
        initial = [sensitive.uniform(-0.05, 0.05) for _ in range(4)]
        explore = [sensitive.random() for _ in range(1000)]
        random_action = [sensitive.randint(0, 1) for _ in range(1000)]
        if trial not in (160, 211, 250):
            continue
        steps = iter(range(1000))

        def noisy(state, _rng, steps=steps, explore=explore, random_action=random_action):
            t = next(steps)
            x, x_dot, theta, theta_dot = state
            return random_action[t] if explore[t] < 0.1 else int(theta + 0.5 * theta_dot + 0.05 * x + 0.1 * x_dot > 0)

        case = record("cartpole", "CartPole-v1", params, cartpole_apply, initial, noisy, rng)
        assert len(case["steps"]) == 500, f"sensitive cart-pole trial {trial} fell after {len(case['steps'])} steps"
        json.dump(case, open(f"{out}/cartpole-sensitive-{trial}.json", "w"))
    for k in range(3):
        params = {"link_length_1": float(rng.uniform(0.8, 1.5)), "link_mass_1": float(rng.uniform(0.8, 1.5)),
                  "link_moi": float(rng.uniform(0.7, 1.3))}
        case = record("acrobot", "Acrobot-v1", params, acrobot_apply, rng.uniform(-0.1, 0.1, 4),
                      lambda s, r: int(r.integers(0, 3)), rng)
        json.dump(case, open(f"{out}/acrobot-long-{k}.json", "w"))
    for k in range(3):
        params = {"mass": float(rng.uniform(0.5, 1.5)), "length": float(rng.uniform(0.5, 1.5)),
                  "gravity": float(rng.uniform(8.0, 12.0))}
        initial = [float(rng.uniform(-np.pi, np.pi)), float(rng.uniform(-1, 1))]
        case = record("pendulum", "Pendulum-v1", params, pendulum_apply, initial,
                      lambda s, r: np.array([r.uniform(-2.5, 2.5)], dtype=np.float32), rng)
        json.dump(case, open(f"{out}/pendulum-long-{k}.json", "w"))


if __name__ == "__main__":
    main()

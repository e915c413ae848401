#!/usr/bin/env python3
"""Wall-clock for Stable-Baselines3's A2C to reach a mean training return on Acrobot-v1.

usage: sb3_a2c_acrobot.py SEED [TARGET] [MAX_STEPS]

The same settings and stopping rule as
  shoal train --architecture centralised --task acrobot-v1 --copies-per-task 8 \
      --set a2c.learning_rate=0.0007 --set a2c.entropy_coefficient=0 --target-return=-100
8 environments, 5 steps per update, RMSProp (alpha 0.99, eps 1e-5), lr 7e-4, gamma 0.99,
no entropy bonus, value coefficient 0.5, gradient clip 0.5, separate 64-64 tanh networks.
It stops once the mean of the last 20 finished training episodes reaches TARGET (-100) and
prints one JSON object: {"seed", "reached", "env_steps", "wall_seconds"}.
Needs `pip install stable-baselines3 gymnasium` in a virtual environment outside the repository.
"""
import json, sys, time
from collections import deque

import torch
from stable_baselines3 import A2C
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.env_util import make_vec_env


class StopAtReturn(BaseCallback):
    def __init__(self, target, window=20):
        super().__init__()
        self.target, self.recent, self.reached = target, deque(maxlen=window), False

    def _on_step(self):
        for info in self.locals["infos"]:
            if "episode" in info:
                self.recent.append(info["episode"]["r"])
        if len(self.recent) == self.recent.maxlen and sum(self.recent) / len(self.recent) >= self.target:
            self.reached = True
            return False
        return True


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    target = float(sys.argv[2]) if len(sys.argv) > 2 else -100.0
    max_steps = int(sys.argv[3]) if len(sys.argv) > 3 else 2_000_000
    torch.set_num_threads(1)
    env = make_vec_env("Acrobot-v1", n_envs=8, seed=seed)
    model = A2C("MlpPolicy", env, n_steps=5, learning_rate=7e-4, gamma=0.99, gae_lambda=1.0, ent_coef=0.0,
                vf_coef=0.5, max_grad_norm=0.5, rms_prop_eps=1e-5, use_rms_prop=True, seed=seed, device="cpu")
    stop = StopAtReturn(target)
    start = time.perf_counter()
    model.learn(total_timesteps=max_steps, callback=stop)
    wall = time.perf_counter() - start
    print(json.dumps({"seed": seed, "reached": stop.reached, "env_steps": model.num_timesteps, "wall_seconds": round(wall, 3)}))


if __name__ == "__main__":
    main()

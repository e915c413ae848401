#!/usr/bin/env python3
"""Wall-clock for Stable-Baselines3's PPO to reach a mean training return, on cart-pole or pendulum.

usage: sb3_ppo.py cart-pole|pendulum SEED [MAX_STEPS]

The same settings and stopping rule as the Shoal commands printed by `sb3_ppo.py TASK SEED --shoal`:
- cart-pole (rl-zoo's CartPole-v1 PPO): 8 environments, n_steps 32, batch 256, 20 epochs, gamma 0.98,
  lambda 0.8, lr 1e-3 and clip 0.2 both decaying linearly to 0 over 100k steps, no entropy bonus;
  target 475.
- pendulum (rl-zoo's Pendulum-v1 PPO without gSDE and VecNormalize, which Shoal does not have): 4
  environments, n_steps 1024, batch 64, 10 epochs, gamma 0.9, lambda 0.95, lr 1e-3, clip 0.2; target -200.
Both: 64-64 tanh networks, Adam eps 1e-5, value coefficient 0.5, gradient clip 0.5, advantage
normalisation, state-independent log-std starting at 0 (action standard deviation 1).
It stops once the mean of the last 20 finished training episodes reaches the target and prints
one JSON object: {"task", "seed", "reached", "env_steps", "wall_seconds"}.
Needs `pip install stable-baselines3 gymnasium` in a virtual environment outside the repository.
"""
import json, sys, time
from collections import deque

SETTINGS = {
    "cart-pole": dict(env="CartPole-v1", n_envs=8, target=475.0, anneal=100_000,
                      ppo=dict(n_steps=32, batch_size=256, n_epochs=20, gamma=0.98, gae_lambda=0.8, ent_coef=0.0)),
    "pendulum": dict(env="Pendulum-v1", n_envs=4, target=-200.0, anneal=0,
                     ppo=dict(n_steps=1024, batch_size=64, n_epochs=10, gamma=0.9, gae_lambda=0.95, ent_coef=0.0)),
}
SHOAL = {
    "cart-pole": "shoal train --task cart-pole-v1 --algorithm ppo --architecture centralised --copies-per-task 8 "
                 "--set ppo.steps_per_rollout=32 --set ppo.minibatch_size=256 --set ppo.epochs=20 --set ppo.discount=0.98 "
                 "--set ppo.gae_lambda=0.8 --set ppo.learning_rate=0.001 --set ppo.anneal_steps=100000 "
                 "--target-return 475 --rounds 100000 --max-environment-steps {max} --eval-episodes 0 --threads 1 --seed {seed} --quiet",
    "pendulum": "shoal train --task pendulum-v1 --algorithm ppo --architecture centralised --copies-per-task 4 "
                "--set ppo.steps_per_rollout=1024 --set ppo.minibatch_size=64 --set ppo.epochs=10 --set ppo.discount=0.9 "
                "--set ppo.gae_lambda=0.95 --set ppo.learning_rate=0.001 --set ppo.log_std_init=-0.6931 "
                "--target-return -200 --rounds 100000 --max-environment-steps {max} --eval-episodes 0 --threads 1 --seed {seed} --quiet",
}


def main():
    task = sys.argv[1] if len(sys.argv) > 1 else "cart-pole"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    max_steps = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] != "--shoal" else 1_000_000
    if "--shoal" in sys.argv:
        print(SHOAL[task].format(seed=seed, max=max_steps))
        return
    import torch
    from stable_baselines3 import PPO
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

    s = SETTINGS[task]
    torch.set_num_threads(1)
    env = make_vec_env(s["env"], n_envs=s["n_envs"], seed=seed)
    if s["anneal"]:
        total = s["anneal"]
        lr = lambda progress: 1e-3 * max(0.0, 1 - (1 - progress) * max_steps / total)
        clip = lambda progress: 0.2 * max(0.0, 1 - (1 - progress) * max_steps / total)
    else:
        lr, clip = 1e-3, 0.2
    model = PPO("MlpPolicy", env, learning_rate=lr, clip_range=clip, vf_coef=0.5, max_grad_norm=0.5, seed=seed, device="cpu",
                **s["ppo"])
    stop = StopAtReturn(s["target"])
    start = time.perf_counter()
    model.learn(total_timesteps=max_steps, callback=stop)
    wall = time.perf_counter() - start
    print(json.dumps({"task": task, "seed": seed, "reached": stop.reached, "env_steps": model.num_timesteps, "wall_seconds": round(wall, 3)}))


if __name__ == "__main__":
    main()

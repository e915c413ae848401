#!/usr/bin/env python3
"""An OpenAI-ES-style loop in numpy on CartPole-v1, with the settings of `shoal`'s `es` defaults.

usage: numpy_es_cartpole.py [GENERATIONS] [WORKERS] [SEED]

Paper 003 §4.7's cart-pole settings, the same as
  shoal train --task cart-pole-v1 --algorithm es --agents 50 --rounds 200
n workers (50), one episode each per generation with θ + σε_i (σ 0.05), ε_i drawn from a
seed shared by every worker, the gradient of eq. 2.1 ĝ = (1/(nσ)) Σ F_i ε_i with raw returns
(γ = 1), Adam (lr 0.01, β 0.9/0.999, ε 1e-8) on −(ĝ − λθ) with λ = 0.05, a 4-8-8-2 tanh
network acting by arg-max. Workers run one after the other in this process, each on its own
Gymnasium CartPole-v1. Prints one JSON object: generations, workers, env_steps, wall_seconds,
generations_per_second, env_steps_per_second, final_mean_return.
Needs `pip install numpy gymnasium` in a virtual environment outside the repository.
"""
import json, sys, time

import gymnasium as gym
import numpy as np


def main():
    generations = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    sigma, lr, l2 = 0.05, 0.01, 0.05
    sizes = [4, 8, 8, 2]
    rng = np.random.default_rng(seed)
    shapes = [(sizes[k + 1], sizes[k]) for k in range(3)]
    theta = np.concatenate([np.concatenate([rng.normal(0, 1 / np.sqrt(i), (o, i)).ravel() * (0.01 if k == 2 else 1), np.zeros(o)])
                            for k, (o, i) in enumerate(shapes)]).astype(np.float32)

    def unpack(flat):
        layers, at = [], 0
        for o, i in shapes:
            w = flat[at:at + o * i].reshape(o, i); at += o * i
            b = flat[at:at + o]; at += o
            layers.append((w, b))
        return layers

    def act(layers, obs):
        x = obs
        for k, (w, b) in enumerate(layers):
            x = w @ x + b
            if k < len(layers) - 1:
                x = np.tanh(x)
        return int(np.argmax(x))

    envs = [gym.make("CartPole-v1") for _ in range(workers)]
    m = np.zeros_like(theta); v = np.zeros_like(theta)
    steps, returns = 0, []
    start = time.perf_counter()
    for g in range(generations):
        shared = np.random.default_rng([seed, g])          # the seed schedule every worker shares
        eps = shared.standard_normal((workers, theta.size)).astype(np.float32)
        returns = np.zeros(workers)
        for i, env in enumerate(envs):
            layers = unpack(theta + sigma * eps[i])
            obs, _ = env.reset(seed=seed * 1_000_003 + g * workers + i)
            done = False
            while not done:
                obs, r, term, trunc, _ = env.step(act(layers, obs))
                returns[i] += r
                steps += 1
                done = term or trunc
        grad = (returns[:, None] * eps).sum(0) / (workers * sigma)   # eq. 2.1
        d = l2 * theta - grad                                        # descend −(ĝ − λθ)
        t = g + 1
        m = 0.9 * m + 0.1 * d; v = 0.999 * v + 0.001 * d * d
        theta = theta - lr / (1 - 0.9 ** t) * m / (np.sqrt(v) / np.sqrt(1 - 0.999 ** t) + 1e-8)
    wall = time.perf_counter() - start
    print(json.dumps({"generations": generations, "workers": workers, "env_steps": steps, "wall_seconds": wall,
                      "generations_per_second": generations / wall, "env_steps_per_second": steps / wall,
                      "final_mean_return": float(np.mean(returns))}))


if __name__ == "__main__":
    main()

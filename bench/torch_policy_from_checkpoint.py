#!/usr/bin/env python3
"""Load agent 0's actor from a Shoal checkpoint into PyTorch and run Gymnasium's own environment.

usage: torch_policy_from_checkpoint.py CHECKPOINT.safetensors GYMNASIUM_ID [EPISODES]

e.g. after `shoal train --task cart-pole-v1 --algorithm ppo --architecture centralised --out runs/cp`:
    torch_policy_from_checkpoint.py runs/cp/checkpoints/round-000100.safetensors CartPole-v1
Needs `pip install torch safetensors gymnasium`. Prints one JSON object with the mean return.
"""
import json, sys

import gymnasium as gym
import torch
from safetensors import safe_open
from safetensors.torch import load_file


def actor_from_checkpoint(path, agent=0):
    meta = safe_open(path, "pt").metadata()
    tensors = load_file(path)
    sizes = [int(s) for s in meta["actor_sizes"].split(",")]
    activations = meta["actor_activations"].split(",")
    act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "softplus": torch.nn.Softplus, "identity": torch.nn.Identity}
    modules = []
    for k in range(len(sizes) - 1):
        layer = torch.nn.Linear(sizes[k], sizes[k + 1])            # Shoal stores weights [out, in], as nn.Linear
        layer.weight.data = tensors[f"agent.{agent}.actor.layers.{k}.weight"]
        layer.bias.data = tensors[f"agent.{agent}.actor.layers.{k}.bias"]
        modules += [layer, act[activations[k]]()]
    return torch.nn.Sequential(*modules), meta


def main():
    path, env_id = sys.argv[1], sys.argv[2]
    episodes = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    actor, meta = actor_from_checkpoint(path)
    env = gym.make(env_id)
    returns = []
    for e in range(episodes):
        obs, _ = env.reset(seed=e)
        done, total = False, 0.0
        while not done:
            with torch.no_grad():
                out = actor(torch.as_tensor(obs, dtype=torch.float32))
            if meta["policy"] == "categorical":
                action = int(out.argmax())                           # greedy: the most likely action
            else:                                                    # Gaussian means act in [-1, 1]-scaled units
                low, high = env.action_space.low, env.action_space.high
                mean = out[: len(low)]
                if meta["policy"] == "gaussian-tanh-softplus":           # SiAC's head squashes the mean with tanh
                    mean = torch.tanh(mean)
                mean = mean.numpy()
                action = (low + high) / 2 + (high - low) / 2 * mean
            obs, reward, terminated, truncated, _ = env.step(action)
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    print(json.dumps({"checkpoint": path, "env": env_id, "episodes": episodes, "mean_return": sum(returns) / len(returns)}))


if __name__ == "__main__":
    main()

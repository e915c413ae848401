"""A CleanRL-style training loop, written with numpy, learns on a Shoal vector environment.

Advantage actor-critic with a linear softmax policy and a linear critic: collect a rollout,
bootstrap (from V(final observation) on truncated rows, from 0 on terminated ones, as the
same-step autoreset hands them over), compute returns and advantages, update, log.
"""
import numpy as np

import shoal_envs


def softmax(logits):
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def train(seed, iterations=60, num_envs=16, num_steps=64, gamma=0.99, lr_actor=2.0, lr_critic=0.05):
    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=num_envs, threads=2)
    rng = np.random.default_rng(seed)
    n_obs, n_actions = envs.single_observation_space.shape[0], envs.single_action_space.n
    actor, critic = np.zeros((n_obs + 1, n_actions)), np.zeros(n_obs + 1)
    features = lambda o: np.concatenate([o, np.ones((o.shape[0], 1), dtype=o.dtype)], axis=1)

    obs_buf = np.zeros((num_steps, num_envs, n_obs + 1))
    act_buf = np.zeros((num_steps, num_envs), dtype=np.int64)
    rew_buf = np.zeros((num_steps, num_envs))
    term_buf = np.zeros((num_steps, num_envs), dtype=bool)
    end_buf = np.zeros((num_steps, num_envs), dtype=bool)
    boot_buf = np.zeros((num_steps, num_envs))     # V(final observation) of truncated rows
    episode_returns = []

    next_obs, _ = envs.reset(seed=seed)
    for _ in range(iterations):
        # Collect.
        for t in range(num_steps):
            x = features(next_obs)
            probabilities = softmax(x @ actor)
            actions = (rng.random((num_envs, 1)) > np.cumsum(probabilities, axis=1)).sum(axis=1)
            obs_buf[t], act_buf[t] = x, actions
            next_obs, rewards, terminated, truncated, infos = envs.step(actions)
            rew_buf[t], term_buf[t], end_buf[t] = rewards, terminated, terminated | truncated
            boot_buf[t] = 0
            if "final_obs" in infos:
                for row in np.flatnonzero(truncated & ~terminated):
                    boot_buf[t, row] = features(infos["final_obs"][row][None, :])[0] @ critic
                episode_returns += list(infos["final_info"]["episode_return"][infos["_final_obs"]])
        # Bootstrap and returns: an ended row restarts the sum from its bootstrap value.
        returns = np.zeros((num_steps, num_envs))
        running = features(next_obs) @ critic
        for t in reversed(range(num_steps)):
            running = np.where(end_buf[t], boot_buf[t], running)
            running = rew_buf[t] + gamma * running
            returns[t] = running
        # Advantages.
        x = obs_buf.reshape(-1, n_obs + 1)
        values = x @ critic
        advantages = returns.reshape(-1) - values
        advantages = (advantages - advantages.mean()) / (advantages.std() + 1e-8)
        # Update: policy gradient on the actor, least squares on the critic.
        probabilities = softmax(x @ actor)
        one_hot = np.eye(n_actions)[act_buf.reshape(-1)]
        actor += lr_actor * x.T @ ((one_hot - probabilities) * advantages[:, None]) / len(x)
        critic += lr_critic * x.T @ (returns.reshape(-1) - values) / len(x)
    envs.close()
    return episode_returns


def test_a_numpy_actor_critic_learns_cart_pole():
    returns = train(seed=3)
    assert len(returns) >= 40
    first, last = np.mean(returns[:20]), np.mean(returns[-20:])
    assert last > 2 * first and last > 100, (first, last)


def test_the_same_seed_gives_the_same_learning_curve():
    assert train(seed=8, iterations=5) == train(seed=8, iterations=5)

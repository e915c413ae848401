"""The vector wrapper steps exactly as Shoal's Swift batch: against Gymnasium's recorded
trajectories (which the Swift batches reproduce, Tests/EnvsTests/ReferenceConformanceTests.swift),
against single copies, and across thread counts."""
import json
import pathlib

import numpy as np
import pytest

import shoal_envs

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "EnvsTests" / "Fixtures" / "classic-control"
TASKS = {"cartpole": "cart-pole-v1", "pendulum": "pendulum-v1", "acrobot": "acrobot-v1"}


def cases(env):
    return [json.loads(p.read_text()) for p in sorted(FIXTURES.glob(f"{env}-*.json"))]


@pytest.mark.parametrize("env", sorted(TASKS))
def test_a_multi_task_batch_reproduces_the_reference_trajectories(env):
    recorded = cases(env)
    # The short cases of every task, and the whole-episode ones (`*-long-*`, `cartpole-sensitive-*`).
    assert len(recorded) >= 7
    envs = shoal_envs.make_vec(TASKS[env], num_envs=len(recorded), threads=2,
                               task_parameters=[case["params"] for case in recorded])
    envs.reset(seed=0)
    for row, case in enumerate(recorded):
        envs.set_state(row, case["initial_state"])
    live = [True] * len(recorded)
    compared = 0
    for t in range(max(len(case["actions"]) for case in recorded)):
        if env == "pendulum":
            actions = np.array([case["actions"][t] if t < len(case["actions"]) else [0.0] for case in recorded], dtype=np.float32)
        else:
            actions = np.array([case["actions"][t] if t < len(case["actions"]) else 0 for case in recorded], dtype=np.int64)
        observations, rewards, terminated, truncated, infos = envs.step(actions)
        for row, case in enumerate(recorded):
            if not live[row] or t >= len(case["steps"]):
                continue
            expected = case["steps"][t]
            ended = expected["terminated"] or expected["truncated"]
            observation = infos["final_obs"][row] if ended else observations[row]
            np.testing.assert_allclose(observation, expected["obs"], atol=1e-5, err_msg=f"{env} case {row}, step {t}")
            assert rewards[row] == pytest.approx(expected["reward"], abs=1e-6)
            assert bool(terminated[row]) == expected["terminated"] and bool(truncated[row]) == expected["truncated"]
            assert bool(infos.get("_final_obs", np.zeros(len(recorded), bool))[row]) == ended
            compared += 1
            if ended:
                live[row] = False
    assert compared >= len(recorded) * 40


@pytest.mark.parametrize("task_id", ["cart-pole-v1", "pendulum-v1", "acrobot-v1", "cart-pole/swing-up-v1"])
def test_threads_do_not_change_the_numbers(task_id):
    runs = []
    for threads in (1, 2):
        envs = shoal_envs.make_vec(task_id, num_envs=64, threads=threads, copy=True)
        rng = np.random.default_rng(5)
        trajectory = [envs.reset(seed=11)[0]]
        for _ in range(300):
            if envs.single_action_space.shape == ():
                actions = rng.integers(0, envs.single_action_space.n, size=64)
            else:
                actions = rng.uniform(-1, 1, size=(64,) + envs.single_action_space.shape).astype(np.float32)
            observations, rewards, terminated, truncated, _ = envs.step(actions)
            trajectory += [observations, rewards, terminated, truncated]
        runs.append(trajectory)
    for a, b in zip(*runs):
        assert np.array_equal(a, b)


def test_row_zero_of_a_batch_is_the_single_environment_across_autoresets():
    """Same-step autoreset: the single env's ended step shows the final observation, and the
    batch's row 0 shows it in infos["final_obs"] while its observation is already the next start."""
    single = shoal_envs.make("cart-pole-v1")
    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=3)
    s, _ = single.reset(seed=21)
    v, _ = envs.reset(seed=21)
    assert np.array_equal(s, v[0])
    episodes = 0
    for t in range(400):
        action = (t // 4) % 2
        s, reward, terminated, truncated, info = single.step(action)
        v, rewards, v_terminated, v_truncated, infos = envs.step(np.array([action, 0, 1]))
        assert reward == rewards[0] and terminated == v_terminated[0] and truncated == v_truncated[0]
        if terminated or truncated:
            episodes += 1
            assert infos["_final_obs"][0] and np.array_equal(infos["final_obs"][0], s)
            assert infos["final_info"]["episode_length"][0] == info["episode_length"]
            assert infos["final_info"]["episode_return"][0] == info["episode_return"]
            assert not np.array_equal(v[0], s)  # already the first observation of the next episode
            s = v[0].copy()  # the single env continues the same stream without a reset
        else:
            assert np.array_equal(s, v[0])
    assert episodes >= 5


def test_final_obs_follow_gymnasiums_same_step_layout():
    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=16)
    envs.reset(seed=2)
    for _ in range(200):
        observations, _, terminated, truncated, infos = envs.step(np.ones(16, dtype=np.int64))
        if infos:
            break
    ended = terminated | truncated
    assert ended.any()
    assert infos["final_obs"].dtype == object and infos["final_obs"].shape == (16,)
    assert np.array_equal(infos["_final_obs"], ended) and np.array_equal(infos["_final_info"], ended)
    for row in range(16):
        if ended[row]:
            assert infos["final_obs"][row].shape == (4,) and abs(infos["final_obs"][row][2]) > 0.2  # the pole fell
            assert abs(observations[row][2]) <= 0.05  # the next episode's start
        else:
            assert infos["final_obs"][row] is None


@pytest.mark.parametrize("copy", [False, True])
def test_final_obs_is_none_exactly_where_no_episode_ended(copy):
    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=32, copy=copy)
    envs.reset(seed=9)
    rng = np.random.default_rng(1)
    kept, seen = [], 0
    for _ in range(300):
        _, _, terminated, truncated, infos = envs.step(rng.integers(0, 2, size=32))
        ended = terminated | truncated
        if not ended.any():
            assert infos == {}
            continue
        seen += 1
        assert np.array_equal(infos["_final_obs"], ended)
        assert all((infos["final_obs"][row] is None) != bool(ended[row]) for row in range(32))
        row = int(np.flatnonzero(ended)[0])
        kept.append((infos["final_obs"][row], infos["final_obs"][row].copy()))
        assert np.shares_memory(infos["final_obs"][row], envs._batch.final_observations) != copy
    assert seen > 20
    if copy:  # fresh arrays keep their values after later steps
        assert all(np.array_equal(a, b) for a, b in kept)

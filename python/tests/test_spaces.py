"""Spaces, registration, parameters, zero-copy buffers and rendering."""
import gymnasium
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

import shoal_envs


def test_spaces_are_gymnasium_spaces_with_bounds_and_dtypes():
    env = shoal_envs.make("cart-pole-v1")
    assert isinstance(env.observation_space, gymnasium.spaces.Box)
    assert env.observation_space.dtype == np.float32 and env.observation_space.shape == (4,)
    assert env.observation_space.high[0] == pytest.approx(4.8)
    assert np.isinf(env.observation_space.high[1])
    assert env.action_space == gymnasium.spaces.Discrete(2)
    pendulum = shoal_envs.make("pendulum-v1")
    assert pendulum.action_space == gymnasium.spaces.Box(-2.0, 2.0, (1,), np.float32)
    assert list(pendulum.observation_space.high) == pytest.approx([1, 1, 8])


def test_vector_spaces_are_batched():
    envs = shoal_envs.make_vec("acrobot-v1", num_envs=6, threads=2)
    assert envs.num_envs == 6
    assert envs.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    assert envs.single_action_space == gymnasium.spaces.Discrete(3)
    assert envs.action_space == gymnasium.spaces.MultiDiscrete([3] * 6)
    assert envs.observation_space.shape == (6, 6)
    observations, infos = envs.reset(seed=1)
    assert observations.shape == (6, 6) and observations.dtype == np.float32 and infos == {}
    assert envs.observation_space.contains(observations)


def test_gymnasium_make_and_make_vec_reach_shoal():
    env = gymnasium.make("shoal/pendulum-v1", mass=1.7)
    assert env.unwrapped.parameters["mass"] == 1.7
    swing = gymnasium.make("shoal/cart-pole.swing-up-v1")
    assert swing.unwrapped.task_id == "cart-pole/swing-up-v1"
    envs = gymnasium.make_vec("shoal/acrobot-v1", num_envs=4, vectorization_mode="vector_entry_point")
    assert isinstance(envs, shoal_envs.ShoalVectorEnv) and envs.num_envs == 4


def test_parameters_change_the_dynamics():
    light, heavy = shoal_envs.make("pendulum-v1", mass=0.5), shoal_envs.make("pendulum-v1", mass=2.0)
    a, _ = light.reset(seed=3)
    b, _ = heavy.reset(seed=3)
    assert np.array_equal(a, b)  # same seed, same start
    for _ in range(5):
        a, *_ = light.step(np.array([1.0], dtype=np.float32))
        b, *_ = heavy.step(np.array([1.0], dtype=np.float32))
    assert abs(a[2] - b[2]) > 1e-3  # the same torque turns the lighter pendulum faster


def test_per_copy_task_parameters_make_a_multi_task_batch():
    envs = shoal_envs.make_vec("pendulum-v1", num_envs=4, task_parameters=[{"mass": 0.5}, {"mass": 2.0}])
    assert [run["rows"] for run in envs.task_parameters] == [[0, 2], [2, 4]]
    assert [run["parameters"]["mass"] for run in envs.task_parameters] == [0.5, 2.0]
    envs.reset(seed=0)
    for row in range(4):
        envs.set_state(row, [0.0, 0.0])  # all four start upright at rest
    for _ in range(3):
        observations, *_ = envs.step(np.full((4, 1), 2.0, dtype=np.float32))
    assert observations[0, 2] == observations[1, 2] and observations[2, 2] == observations[3, 2]
    assert observations[0, 2] > observations[2, 2] + 1e-3


def test_a_task_set_is_a_vector_env():
    envs = shoal_envs.make_vec(task_set="acrobot-extreme-25", copies_per_task=2)
    assert envs.num_envs == 50 and len(envs.task_parameters) == 25
    masses = {run["parameters"]["link_mass_1"] for run in envs.task_parameters}
    assert len(masses) > 1


def test_returned_arrays_are_the_batch_buffers():
    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=8)
    observations, _ = envs.reset(seed=0)
    again, rewards, terminated, truncated, _ = envs.step(np.zeros(8, dtype=np.int64))
    assert again is observations  # written in place, no copy
    assert np.shares_memory(again, envs._batch.observations)
    copying = shoal_envs.make_vec("cart-pole-v1", num_envs=8, copy=True)
    first, _ = copying.reset(seed=0)
    second, *_ = copying.step(np.zeros(8, dtype=np.int64))
    assert first is not second and not np.array_equal(first, second)


def test_set_state_through_reset_options():
    env = shoal_envs.make("cart-pole-v1")
    observation, _ = env.reset(seed=0, options={"state": [0.1, 0.2, 0.03, 0.04]})
    assert observation == pytest.approx([0.1, 0.2, 0.03, 0.04])
    assert env.state_names == ["x", "x_dot", "theta", "theta_dot"]


def test_render_svg():
    env = shoal_envs.make("acrobot-v1", render_mode="svg")
    env.reset(seed=0)
    picture = env.render()
    assert picture.startswith("<svg") and picture.endswith("</svg>") and "acrobot-v1" in picture
    grid = shoal_envs.make("grid-world/simple-5x5-v1", render_mode="svg")
    grid.reset(seed=0)
    with pytest.raises(shoal_envs.ShoalError, match="has no picture through the C interface"):
        grid.render()

"""Every task the library serves passes Gymnasium's own environment checker, one copy at a time."""
import warnings

import gymnasium
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import shoal_envs

# Multi-agent tasks are PettingZoo environments (test_parallel_env.py).
TASKS = [t for t in shoal_envs.task_ids() if t not in shoal_envs.multi_agent_task_ids()]


def test_the_catalogue_is_served():
    assert {"cart-pole-v1", "pendulum-v1", "acrobot-v1", "cart-pole/swing-up-v1", "hopper-v1", "ant-v1",
            "navigation/indoor-v1", "random-mdp-v1"} <= set(TASKS)


@pytest.mark.parametrize("task_id", TASKS)
def test_check_env(task_id):
    env = shoal_envs.make(task_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # advice such as "use a symmetric action space" is not a failure
        check_env(env, skip_render_check=True)
    env.close()


@pytest.mark.parametrize("task_id", TASKS)
def test_registered_with_gymnasium(task_id):
    env = gymnasium.make(shoal_envs.gymnasium_id(task_id))
    assert isinstance(env.unwrapped, shoal_envs.ShoalEnv) and env.unwrapped.task_id == task_id
    observation, _ = env.reset(seed=4)
    assert env.observation_space.contains(observation)
    assert np.asarray(observation).dtype == env.observation_space.dtype
    env.close()


def test_multi_agent_tasks_are_marked_and_not_served_as_single_agent_envs():
    multi = {item["id"] for item in shoal_envs._list_tasks() if item.get("multi_agent")}
    assert {"mpe/simple-spread-v1", "random-mdp/local-actions-v1"} <= multi
    assert not multi & set(TASKS)

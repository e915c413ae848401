"""Multi-agent tasks as PettingZoo parallel environments: PettingZoo's own checks, MPE2's recorded
trajectories, equality with the batch, and bad input as Shoal's one-sentence errors."""
import json
import pathlib

import numpy as np
import pytest
from pettingzoo.test import parallel_api_test, parallel_seed_test

import shoal_envs
from shoal_envs import ShoalError

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "EnvsTests" / "Fixtures" / "mpe"
MULTI_AGENT = shoal_envs.multi_agent_task_ids()


def test_the_multi_agent_tasks_are_listed_and_not_registered_with_gymnasium():
    assert MULTI_AGENT == ["mpe/lapg-2-heterogeneous-v1", "mpe/lapg-2-v1", "mpe/lapg-5-heterogeneous-v1",
                           "mpe/simple-spread-v1", "random-mdp/local-actions-v1"]
    assert "random-mdp-v1" in shoal_envs.task_ids() and "random-mdp-v1" not in MULTI_AGENT
    import gymnasium
    assert shoal_envs.gymnasium_id("mpe/simple-spread-v1") not in gymnasium.registry


@pytest.mark.parametrize("task_id", MULTI_AGENT)
def test_pettingzoo_parallel_api_test(task_id):
    parallel_api_test(shoal_envs.parallel_env(task_id), num_cycles=300)


@pytest.mark.parametrize("task_id", MULTI_AGENT)
def test_pettingzoo_parallel_seed_test(task_id):
    parallel_seed_test(lambda: shoal_envs.make_parallel(task_id))


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_replays_mpe2_recorded_trajectories(path):
    case = json.loads(path.read_text())
    env = shoal_envs.parallel_env("mpe/simple-spread-v1", **case["params"])
    assert len(env.possible_agents) == case["params"]["agents"]
    obs, _ = env.reset(seed=3, options={"state": case["initial_state"]})
    np.testing.assert_allclose(env.state(), case["initial_state"], atol=1e-6)
    for m, agent in enumerate(env.possible_agents):
        np.testing.assert_allclose(obs[agent], case["initial_obs"][m], atol=1e-5)
    for t, (joint, expected) in enumerate(zip(case["actions"], case["steps"])):
        assert env.agents == env.possible_agents
        actions = {agent: (np.asarray(a, dtype=np.float32) if isinstance(a, list) else a) for agent, a in zip(env.agents, joint)}
        obs, rewards, terminations, truncations, infos = env.step(actions)
        for m, agent in enumerate(env.possible_agents):
            np.testing.assert_allclose(obs[agent], expected["obs"][m], atol=1e-5, err_msg=f"step {t} {agent}")
            assert rewards[agent] == pytest.approx(expected["reward"][m], abs=1e-5)
            assert terminations[agent] == expected["terminated"] and truncations[agent] == expected["truncated"]
    assert truncations[env.possible_agents[0]], "the recorded episodes end at MPE2's 25-step limit"
    assert env.agents == [], "PettingZoo removes the agents when the episode ends"
    length = infos[env.possible_agents[0]]["episode_length"]
    assert length == len(case["steps"])
    for m, agent in enumerate(env.possible_agents):
        assert infos[agent]["episode_return"] == pytest.approx(sum(s["reward"][m] for s in case["steps"]), abs=1e-4)
    with pytest.raises(ShoalError, match=r"^the episode has ended \(no agent is left\): call reset\(\) first$"):
        env.step({})
    env.close()


@pytest.mark.parametrize("task_id", MULTI_AGENT)
def test_one_copy_is_copy_zero_of_a_batch(task_id):
    short = {"max_episode_steps": 20}
    env = shoal_envs.parallel_env(task_id, **short)
    batch = shoal_envs.MultiAgentBatch(task_id, short, count=3, threads=2, seed=0)
    rng = np.random.default_rng(0)
    obs, _ = env.reset(seed=17)
    batch.reset(17)
    ends = 0
    for t in range(60):
        for m, agent in enumerate(env.possible_agents):
            np.testing.assert_array_equal(np.asarray(obs[agent]).reshape(-1), batch.observations[m][0].reshape(-1))
        np.testing.assert_array_equal(env.state(), batch.states[0])
        actions = {agent: env.action_space(agent).sample() for agent in env.agents}
        for m, agent in enumerate(env.possible_agents):
            batch.actions[m][0] = actions[agent]
            batch.actions[m][1:] = rng.integers(0, env.action_space(agent).n, size=(2, 1))
        obs, rewards, terminations, truncations, _ = env.step(actions)
        batch.step()
        ended = bool(batch.terminated[0] or batch.truncated[0])
        for m, agent in enumerate(env.possible_agents):
            source = batch.final_observations if ended else batch.observations
            np.testing.assert_array_equal(np.asarray(obs[agent]).reshape(-1), source[m][0].reshape(-1))
            assert rewards[agent] == batch.rewards[m, 0]
            assert terminations[agent] == bool(batch.terminated[0]) and truncations[agent] == bool(batch.truncated[0])
        if ended:
            ends += 1
            assert env.agents == []
            np.testing.assert_array_equal(env.state(), batch.final_states[0])
            obs, _ = env.reset(seed=100 + t)
            batch.reset(100 + t)
    assert ends >= 2, "60 steps cross at least two episode ends"
    env.close()
    batch.close()


def test_bad_input_raises_shoal_errors_with_one_sentence():
    env = shoal_envs.parallel_env("mpe/simple-spread-v1")
    env.reset(seed=0)
    before = env.state()
    live = {agent: 1 for agent in env.agents}
    with pytest.raises(ShoalError, match=r"^unknown agent 'agent_7': the agents of mpe/simple-spread-v1 are agent_0, agent_1, agent_2$"):
        env.step(dict(live, agent_7=1))
    with pytest.raises(ShoalError, match=r"^unknown agent 'agent_3'"):
        env.action_space("agent_3")
    with pytest.raises(ShoalError, match=r"^no action for agent_2: every live agent \(agent_0, agent_1, agent_2\) acts at every step$"):
        env.step({"agent_0": 0, "agent_1": 0})
    with pytest.raises(ShoalError, match=r"^action 7\.0 of agent 1 in copy 0 is not a valid discrete action: valid actions are the integers 0…4$") as caught:
        env.step(dict(live, agent_1=7))
    assert caught.value.status_name == "invalid_action"
    with pytest.raises(ShoalError, match=r"^the action of agent_0 is 1\.5: Discrete\(5\) takes an integer in 0…4$"):
        env.step(dict(live, agent_0=1.5))
    with pytest.raises(ShoalError, match=r"^the actions must be a dict from agent name to action, got list$"):
        env.step([0, 0, 0])
    with pytest.raises(ShoalError, match=r"^the seed must be an integer, got float$"):
        env.reset(seed=1.5)
    with pytest.raises(ShoalError, match=r"^the reset options must be a dict such as \{'state': \[\.\.\.\]\}, got list$"):
        env.reset(seed=0, options=[1])
    np.testing.assert_array_equal(env.state(), before)  # the refused calls moved nothing
    env.step(live)
    assert not np.array_equal(env.state(), before)
    with pytest.raises(ShoalError, match=r"^task mpe/simple-spread-v1 takes 18 state values \("):
        env.reset(seed=0, options={"state": [0.0, 1.0]})
    env.close()

    continuous = shoal_envs.parallel_env("mpe/simple-spread-v1", continuous=True, agents=2, landmarks=2)
    continuous.reset(seed=1)
    good = {agent: np.zeros(5, dtype=np.float32) for agent in continuous.agents}
    with pytest.raises(ShoalError, match=r"^the action of agent_1 has shape \(3,\), dtype float32: Box\(0\.0, 1\.0, \(5,\), float32\) takes real numbers of shape \(5,\)$"):
        continuous.step(dict(good, agent_1=np.zeros(3, dtype=np.float32)))
    with pytest.raises(ShoalError, match=r"^the action of agent 0 in copy 0 is not a finite number$"):
        continuous.step(dict(good, agent_0=np.full(5, np.nan, dtype=np.float32)))
    continuous.close()

    with pytest.raises(ShoalError, match=r"^task cart-pole-v1 is a single-agent task: create its batches with shoal_batch_create$"):
        shoal_envs.parallel_env("cart-pole-v1")
    with pytest.raises(ShoalError, match=r"^task mpe/simple-spread-v1 is a multi-agent task: create its batches with shoal_multi_agent_create$"):
        shoal_envs.make("mpe/simple-spread-v1")
    with pytest.raises(ShoalError, match=r"did you mean mpe/simple-spread-v1") as caught:
        shoal_envs.parallel_env("mpe/simple-sprad-v1")
    assert caught.value.status_name == "unknown_task"
    with pytest.raises(ShoalError, match=r"unknown parameter 'agent'") as caught:
        shoal_envs.parallel_env("mpe/simple-spread-v1", agent=4)
    assert caught.value.status_name == "bad_parameters"

"""The fast paths of the wrappers give exactly what the checked, copying paths give: reused infos
arrays against fresh ones, every action dtype against int64 / float32, the single env's scalar
path against numpy actions; and the bench's C loop builds and runs."""
import importlib.util
import pathlib
import shutil

import numpy as np
import pytest

import shoal_envs
from shoal_envs import ShoalError

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _same_step(fast, fresh, num_envs):
    (obs_a, rew_a, term_a, trunc_a, info_a), (obs_b, rew_b, term_b, trunc_b, info_b) = fast, fresh
    assert np.array_equal(obs_a, obs_b) and np.array_equal(rew_a, rew_b)
    assert np.array_equal(term_a, term_b) and np.array_equal(trunc_a, trunc_b)
    assert info_a.keys() == info_b.keys()
    if not info_b:
        return False
    assert np.array_equal(info_a["_final_obs"], info_b["_final_obs"]) and np.array_equal(info_a["_final_info"], info_b["_final_info"])
    for row in range(num_envs):
        if info_b["_final_obs"][row]:
            assert np.array_equal(info_a["final_obs"][row], info_b["final_obs"][row])
        else:
            assert info_a["final_obs"][row] is None and info_b["final_obs"][row] is None
    for key in ("episode_return", "episode_length"):
        a, b = info_a["final_info"][key], info_b["final_info"][key]
        assert a.dtype == b.dtype and np.array_equal(a, b)  # the finished episodes' values, 0 elsewhere
        assert np.array_equal(info_a["final_info"]["_" + key], info_b["final_info"]["_" + key])
    return True


@pytest.mark.parametrize("task_id", ["cart-pole-v1", "pendulum-v1"])
def test_reused_infos_equal_fresh_infos_step_for_step(task_id):
    n = 48
    fast = shoal_envs.make_vec(task_id, num_envs=n, threads=2)
    fresh = shoal_envs.make_vec(task_id, num_envs=n, threads=1, copy=True)
    fast.reset(seed=13)
    fresh.reset(seed=13)
    rng = np.random.default_rng(3)
    with_infos, objects = 0, set()
    for _ in range(700):
        if task_id == "cart-pole-v1":
            actions = rng.integers(0, 2, size=n)
        else:
            actions = rng.uniform(-2, 2, size=(n, 1)).astype(np.float32)
        fast_step, fresh_step = fast.step(actions), fresh.step(actions)
        if _same_step(fast_step, fresh_step, n):
            with_infos += 1
            objects.add(id(fast_step[4]["final_obs"]))
            assert fast_step[4]["final_obs"] is not fresh_step[4]["final_obs"]
    assert with_infos >= (20 if task_id == "cart-pole-v1" else 3)  # pendulum: every copy at 200 steps
    assert len(objects) == 1  # one object array, reused from step to step (documented)


def test_reused_infos_are_overwritten_by_the_next_step_and_copies_are_not():
    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=16)
    copying = shoal_envs.make_vec("cart-pole-v1", num_envs=16, copy=True)
    for e in (envs, copying):
        e.reset(seed=5)
    kept = []
    for _ in range(120):
        for e, copy in ((envs, False), (copying, True)):
            _, _, _, _, infos = e.step(np.ones(16, dtype=np.int64))
            if infos:
                kept.append((copy, infos["final_info"]["episode_length"], infos["final_info"]["episode_length"].copy()))
    assert len(kept) > 10
    assert all(np.array_equal(now, then) for copy, now, then in kept if copy)
    assert not all(np.array_equal(now, then) for copy, now, then in kept if not copy)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.uint64])
def test_integer_actions_of_any_width_step_as_int64(dtype):
    a, b = (shoal_envs.make_vec("cart-pole-v1", num_envs=32, copy=True) for _ in range(2))
    a.reset(seed=1)
    b.reset(seed=1)
    rng = np.random.default_rng(0)
    for _ in range(60):
        actions = rng.integers(0, 2, size=32)
        _same_step(a.step(actions.astype(dtype)), b.step(actions.astype(np.int64)), 32)


def test_float_actions_and_strided_arrays_step_as_float32():
    a, b = (shoal_envs.make_vec("pendulum-v1", num_envs=8, copy=True) for _ in range(2))
    a.reset(seed=2)
    b.reset(seed=2)
    wide = np.random.default_rng(1).uniform(-2, 2, size=(50, 8, 2))
    for t in range(50):
        strided = wide[t, :, :1]  # float64, not contiguous
        assert not strided.flags.c_contiguous
        _same_step(a.step(strided), b.step(np.ascontiguousarray(strided, dtype=np.float32)), 8)


def test_the_single_env_scalar_path_equals_numpy_actions():
    scalar, array = shoal_envs.make("cart-pole-v1"), shoal_envs.make("cart-pole-v1")
    scalar.reset(seed=3)
    array.reset(seed=3)
    for t in range(400):
        action = (t >> 2) & 1
        first = scalar.step(action if t % 2 else np.int64(action))
        second = array.step(np.array(action))
        assert np.array_equal(first[0], second[0]) and first[1:] == second[1:]
        assert type(first[1]) is float and type(first[2]) is bool
        if first[2] or first[3]:
            assert type(first[4]["episode_length"]) is int and type(first[4]["episode_return"]) is float
            scalar.reset()
            array.reset()


def test_reset_without_a_seed_follows_np_random():
    a, b = shoal_envs.make("pendulum-v1"), shoal_envs.make("pendulum-v1")
    a.reset(seed=8)
    b.reset(seed=8)
    for _ in range(5):
        assert np.array_equal(a.reset()[0], b.reset()[0])
    first, _ = a.reset()
    assert not np.array_equal(first, a.reset()[0])


def test_an_integer_beyond_a_float_is_refused_with_a_sentence():
    env = shoal_envs.make("cart-pole-v1")
    env.reset(seed=0)
    with pytest.raises(ShoalError, match="is out of range: Discrete\\(2\\) takes integers in 0…1"):
        env.step(10 ** 400)
    with pytest.raises(ShoalError, match="not a valid discrete action"):
        env.step(2 ** 70)
    env.step(1)  # and the env still steps


def test_a_returned_observation_is_the_caller_s():
    env = shoal_envs.make("cart-pole-v1")
    first, _ = env.reset(seed=0)
    kept = first.copy()
    second, *_ = env.step(0)
    assert np.array_equal(first, kept) and not np.shares_memory(first, second)


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None and shutil.which("clang") is None,
                    reason="no C compiler")
def test_the_bench_c_loop_builds_and_steps():
    spec = importlib.util.spec_from_file_location("python_wrapper_bench", ROOT / "bench" / "python_wrapper_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    seconds = bench.c_loop_seconds(5000, 1)
    assert 0 < seconds < 1e-3

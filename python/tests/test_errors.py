"""Bad input raises a Python exception with Shoal's one-sentence message; nothing crashes."""
import gymnasium
import numpy as np
import pytest

import shoal_envs
from shoal_envs import ShoalError


def test_shoal_errors_are_value_errors_and_gymnasium_errors():
    assert issubclass(ShoalError, ValueError) and issubclass(ShoalError, gymnasium.error.Error)


def test_unknown_task_suggests_the_closest():
    with pytest.raises(ValueError) as caught:
        shoal_envs.make("cart-pol-v1")
    assert str(caught.value).startswith("unknown task 'cart-pol-v1'; did you mean cart-pole-v1?")
    assert caught.value.status_name == "unknown_task"
    with pytest.raises(gymnasium.error.Error):
        shoal_envs.make_vec("acrobat-v1", num_envs=4)


def test_bad_parameters_name_the_field_and_range():
    with pytest.raises(ShoalError, match=r"unknown parameter 'mas'; did you mean 'mass'\?"):
        shoal_envs.make("pendulum-v1", mas=1.0)
    with pytest.raises(ShoalError, match="outside the valid range") as caught:
        gymnasium.make("shoal/pendulum-v1", mass=-1.0)
    assert caught.value.status_name == "bad_parameters"
    with pytest.raises(ShoalError, match="is the wrong type"):
        shoal_envs.make("pendulum-v1", mass="heavy")
    with pytest.raises(ShoalError, match="must be a multiple of 3"):
        shoal_envs.make_vec("pendulum-v1", num_envs=4, task_parameters=[{}, {}, {}])
    with pytest.raises(ShoalError, match="the number of copies must be in"):
        shoal_envs.make_vec("pendulum-v1", num_envs=0)
    with pytest.raises(ShoalError, match="the number of threads must be in"):
        shoal_envs.make_vec("pendulum-v1", num_envs=2, threads=0)
    with pytest.raises(ShoalError, match="unknown task set"):
        shoal_envs.make_vec(task_set="pendulum-52")


def test_wrong_action_shapes_and_dtypes():
    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=4)
    envs.reset(seed=0)
    with pytest.raises(ShoalError, match=r"shape \(3,\), expected \(4,\)"):
        envs.step(np.zeros(3, dtype=np.int64))
    with pytest.raises(ShoalError, match="dtype float32: Discrete\\(2\\) takes integers in 0…1"):
        envs.step(np.zeros(4, dtype=np.float32))
    with pytest.raises(ShoalError, match="action 2.0 of copy 3 is not a valid discrete action"):
        envs.step(np.array([0, 1, 0, 2]))
    with pytest.raises(ShoalError, match="not a number"):
        envs.step("left")
    before = envs._batch.observations.copy()
    with pytest.raises(ShoalError):
        envs.step(np.array([0, 1, -1, 0]))
    assert np.array_equal(envs._batch.observations, before)  # a refused step changes nothing
    envs.step(np.array([0, 1, 1, 0]))  # and the batch still steps

    pendulum = shoal_envs.make("pendulum-v1")
    pendulum.reset(seed=0)
    with pytest.raises(ShoalError, match="the action of copy 0 is not a finite number"):
        pendulum.step(np.array([np.nan], dtype=np.float32))
    with pytest.raises(ShoalError, match=r"shape \(\), expected \(1,\)"):
        pendulum.step(np.float32(0.5))
    with pytest.raises(ShoalError, match=r"dtype <U1|dtype complex"):
        pendulum.step(np.array([1j]))
    cart = shoal_envs.make("cart-pole-v1")
    cart.reset(seed=0)
    with pytest.raises(ShoalError, match="dtype float64"):
        cart.step(1.0)


def test_bad_state_and_reset_arguments():
    env = shoal_envs.make("cart-pole-v1")
    with pytest.raises(ShoalError, match=r"takes 4 state values \(x, x_dot, theta, theta_dot\), got 2"):
        env.reset(seed=0, options={"state": [0.0, 0.0]})
    with pytest.raises(ShoalError, match="unknown reset option 'stat'"):
        env.reset(seed=0, options={"stat": [0.0] * 4})
    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=2)
    with pytest.raises(ShoalError, match="one integer seed"):
        envs.reset(seed=[1, 2])
    with pytest.raises(ShoalError, match="row 5 is outside the batch"):
        envs.set_state(5, [0.0] * 4)
    with pytest.raises(ShoalError, match="render mode 'rgb_array' is not supported"):
        shoal_envs.make("cart-pole-v1", render_mode="rgb_array")


def test_a_closed_environment_raises_instead_of_crashing():
    env = shoal_envs.make("cart-pole-v1")
    env.reset(seed=0)
    env.close()
    env.close()  # closing twice is harmless
    with pytest.raises(gymnasium.error.ClosedEnvironmentError):
        env.step(0)
    with pytest.raises(gymnasium.error.ClosedEnvironmentError):
        env.reset(seed=0)
    envs = shoal_envs.make_vec("acrobot-v1", num_envs=8)
    envs.reset(seed=0)
    envs.close()
    assert envs.closed
    with pytest.raises(gymnasium.error.ClosedEnvironmentError):
        envs.step(np.zeros(8, dtype=np.int64))
    with pytest.raises(gymnasium.error.ClosedEnvironmentError):
        envs.set_state(0, [0.0] * 4)


def test_a_destroyed_handle_is_an_error_not_a_crash():
    batch = shoal_envs.Batch("cart-pole-v1", count=2)
    handle = batch._handle
    batch.close()
    lib = batch._lib
    status = lib.shoal_batch_step(handle, batch.actions.ctypes.data, 2, batch._buffers_address)
    assert status == 6
    assert b"is not a live batch" in lib.shoal_last_error()

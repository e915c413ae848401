"""One copy of a Shoal task as a ``gymnasium.Env``."""
import gymnasium
import numpy as np

from .actions import ActionWriter
from .batch import Batch
from .errors import ShoalError



class ShoalEnv(gymnasium.Env):
    """A Shoal task, one copy, behind Gymnasium's single-environment API.

    ``ShoalEnv("pendulum-v1", mass=1.2)``: keyword arguments are the task's parameters (as
    ``shoal envs describe`` lists them). ``reset(seed=s)`` gives exactly the episode of copy 0 of a
    Shoal batch reset with seed ``s``; ``reset()`` without a seed draws the next seed from the
    environment's ``np_random``. ``reset(options={"state": [...]})`` then sets the physical state
    (in the order of ``state_names``). The episode's time limit is the task's own
    (``max_episode_steps``); an ended episode reports its last observation and ``info`` holds
    ``episode_return`` and ``episode_length``. ``render_mode="svg"`` makes ``render()`` return an
    SVG picture (classic-control tasks).
    """

    metadata = {"render_modes": ["svg"], "render_fps": 50}

    def __init__(self, task_id, render_mode=None, **parameters):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ShoalError(f"render mode {render_mode!r} is not supported: valid modes are None and 'svg'", 1)
        self._batch = Batch(task_id, parameters or None, count=1, threads=1, seed=0)
        self.task_id = self._batch.task_id
        self.render_mode = render_mode
        self.observation_space = self._batch.observation_space
        self.action_space = self._batch.action_space
        self.state_names = list(self._batch.state_names)
        self.parameters = self._batch.info["parameters"][0]["parameters"]
        self._writer = ActionWriter(self._batch, batched=False)
        b = self._batch
        self._observation = b.observations[0]
        self._final = b.final_observations[0]
        # A discrete observation (a state index) is returned as an integer, as Gymnasium's Discrete holds.
        self._discrete_observations = isinstance(self.observation_space, gymnasium.spaces.Discrete)
        # The step's hot path, looked up once: scalar reads and writes through memoryviews (Python
        # floats and bools, no numpy scalars), the prebound call and its one argument.
        self._reward_view, self._action_view = memoryview(b.rewards), memoryview(b.actions)
        self._terminated_view, self._truncated_view = memoryview(b.terminated), memoryview(b.truncated)
        self._return_view, self._length_view = memoryview(b.episode_returns), memoryview(b.episode_lengths)
        self._diverged_view = memoryview(b.episode_diverged)
        self._fast_discrete = b.discrete
        self._float32 = np.dtype(np.float32)
        self._action_shape = self._writer.shape
        self._action_array = self._writer.view
        self._step_call, self._handle_argument = b._step, b._handle_argument
        observation = self._observation
        self._copy_observation = (lambda: np.int64(observation[()])) if self._discrete_observations else observation.copy

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        # Without a seed, the next 64-bit word of the environment's np_random is Shoal's seed.
        self._batch.reset(seed if seed is not None else self.np_random.bit_generator.random_raw())
        if options:
            unknown = sorted(set(options) - {"state"})
            if unknown:
                raise ShoalError(f"unknown reset option {unknown[0]!r}: the only option is 'state'", 1)
            self._batch.set_state(0, options["state"])
        return self._copy_observation(), {}

    def step(self, action):
        kind = type(action)
        if (kind is int or kind is np.int64) and self._fast_discrete:
            try:
                self._action_view[0] = action  # the range is checked by Shoal
            except (OverflowError, ValueError):  # beyond a float: refused with the writer's message
                self._writer.write(action)
        elif kind is np.ndarray and action.dtype is self._float32 and action.shape == self._action_shape:
            np.copyto(self._action_array, action)
        else:
            self._writer.write(action)
        status = self._step_call(self._handle_argument)
        if status:
            self._batch.failed(status)
        if self._terminated_view[0] or self._truncated_view[0]:
            return self._ended_step()
        return self._copy_observation(), self._reward_view[0], False, False, {}

    def _ended_step(self):
        info = {"episode_return": self._return_view[0], "episode_length": self._length_view[0]}
        if self._diverged_view[0]:
            info["diverged"] = True
        final = np.int64(self._final[()]) if self._discrete_observations else self._final.copy()
        return final, self._reward_view[0], self._terminated_view[0], self._truncated_view[0], info

    def render(self):
        if self.render_mode is None:
            gymnasium.logger.warn("render() was called without a render mode: make the environment with render_mode='svg'")
            return None
        return self._batch.render_svg(0)

    def close(self):
        self._batch.close()
        super().close()

    @property
    def closed(self):
        return self._batch.closed

    def __repr__(self):
        return f"ShoalEnv({self.task_id})"

"""A Shoal multi-agent batch through the C interface: numpy buffers the library writes into."""
import ctypes
import json

import gymnasium
import numpy as np

from . import _library
from .batch import _integer, _json_default, _seed
from .errors import ShoalError
from .spaces import space_from_json


class MultiAgentBatch:
    """``count`` copies of a multi-agent task stepped together by libShoalEnvsC.

    Buffers are agent-major, as ``shoal_envs.h`` lays them out: ``observations[m]`` is agent m's
    ``[count, *observation_shape]`` array (a view into one flat buffer the library writes),
    ``rewards`` and ``episode_returns`` are ``[agents, count]``; ``terminated``, ``truncated``,
    ``episode_start`` and ``episode_lengths`` are ``[count]``, ``states`` ``[count, state_size]``.
    ``actions[m]`` is agent m's ``[count, action_size]`` block of the flat action buffer.
    """

    def __init__(self, task_id, parameters=None, count=1, threads=1, seed=0):
        lib = _library.library()
        self._lib = lib
        self._handle = 0
        if not isinstance(task_id, str):
            raise ShoalError(f"the task id must be a string such as 'mpe/simple-spread-v1', got {type(task_id).__name__}", 2)
        text = None
        if parameters is not None:
            if not isinstance(parameters, dict):
                raise ShoalError("the parameters of a multi-agent task must be a dict", 3)
            text = json.dumps(parameters, default=_json_default, allow_nan=True).encode()
        handle = ctypes.c_int64(0)
        _library.check(lib.shoal_multi_agent_create(
            task_id.encode(), text, _integer(count, "the number of copies"), _integer(threads, "the number of threads"),
            _seed(seed), ctypes.byref(handle)))
        self._handle = handle.value
        self.info = json.loads(_library.read_text(lib.shoal_multi_agent_info, self._handle))
        info = self.info
        self.task_id = info["task"]
        self.count = n = info["count"]
        self.agents = info["agents"]
        self.agent_names = list(info["agent_names"])
        self.observation_spaces = [space_from_json(s) for s in info["observation_spaces"]]
        self.action_spaces = [space_from_json(s) for s in info["action_spaces"]]
        self.state_space = space_from_json(info["state_space"])
        self.state_names = list(info["state_names"])
        self.parameters = info["parameters"]
        sizes, action_sizes, s = info["observation_sizes"], info["action_sizes"], info["state_size"]

        def blocks(flat, space_list, sizes_list):
            views, start = [], 0
            for space, size in zip(space_list, sizes_list):
                shape = (n,) + tuple(space.shape)
                views.append(flat[start:start + n * size].reshape(shape))
                start += n * size
            return views

        self._observations = np.zeros(n * sum(sizes), dtype=np.float32)
        self._final_observations = np.zeros_like(self._observations)
        self.observations = blocks(self._observations, self.observation_spaces, sizes)
        self.final_observations = blocks(self._final_observations, self.observation_spaces, sizes)
        self.rewards = np.zeros((self.agents, n), dtype=np.float32)
        self.terminated = np.zeros(n, dtype=np.bool_)
        self.truncated = np.zeros(n, dtype=np.bool_)
        self.states = np.zeros((n, s), dtype=np.float32)
        self.final_states = np.zeros((n, s), dtype=np.float32)
        self.episode_start = np.zeros(n, dtype=np.bool_)
        self.episode_returns = np.zeros((self.agents, n), dtype=np.float32)
        self.episode_lengths = np.zeros(n, dtype=np.int32)
        self._actions = np.zeros(n * sum(action_sizes), dtype=np.float32)
        self.actions, start = [], 0
        for size in action_sizes:
            self.actions.append(self._actions[start:start + n * size].reshape(n, size))
            start += n * size
        self._buffers = _library.MultiAgentBuffers(
            n, self.agents, self._observations.size, s, self._observations.ctypes.data, self.rewards.ctypes.data,
            self.terminated.ctypes.data, self.truncated.ctypes.data, self._final_observations.ctypes.data,
            self.states.ctypes.data, self.final_states.ctypes.data, self.episode_start.ctypes.data,
            self.episode_returns.ctypes.data, self.episode_lengths.ctypes.data)
        self._buffers_address = ctypes.addressof(self._buffers)
        self._check = _library.check
        self.reset(seed)

    @property
    def closed(self):
        return self._handle == 0

    def _live(self):
        if self._handle == 0:
            raise gymnasium.error.ClosedEnvironmentError(f"the Shoal batch of {self.task_id} is closed")
        return self._handle

    def reset(self, seed):
        """Starts a new episode on every copy (copy i from stream (seed, i))."""
        self._check(self._lib.shoal_multi_agent_reset(self._live(), _seed(seed), self._buffers_address))

    def step(self):
        """Steps with the actions written into ``self.actions``."""
        self._check(self._lib.shoal_multi_agent_step(
            self._live(), self._actions.ctypes.data, self._actions.size, self._buffers_address))

    def set_state(self, row, values):
        """Sets the physical state of copy ``row`` (in the order of ``state_names``)."""
        handle = self._live()
        try:
            values = np.ascontiguousarray(values, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise ShoalError(f"the state must be a list of numbers in the order {', '.join(self.state_names)}", 5) from None
        self._check(self._lib.shoal_multi_agent_set_state(
            handle, _integer(row, "the row"), values.ctypes.data, values.size, self._buffers_address))

    def close(self):
        """Destroys the batch; later calls raise ``gymnasium.error.ClosedEnvironmentError``."""
        if self._handle != 0:
            handle, self._handle = self._handle, 0
            self._check(self._lib.shoal_multi_agent_destroy(handle))

    def __del__(self):
        try:
            if getattr(self, "_handle", 0):
                self._lib.shoal_multi_agent_destroy(self._handle)
                self._handle = 0
        except Exception:
            pass

"""A Shoal batch through the C interface: numpy buffers the library writes into, allocated once."""
import ctypes
import json
import numbers

import gymnasium
import numpy as np

from . import _library
from .errors import ShoalError
from .spaces import space_from_json

_UINT64 = 1 << 64


def _seed(seed):
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (numbers.Integral, np.integer)):
        raise ShoalError(f"the seed must be an integer, got {type(seed).__name__}", 1)
    seed = int(seed)
    if not 0 <= seed < _UINT64:
        raise ShoalError(f"the seed must be in [0, 2^64), got {seed}", 1)
    return seed


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise ShoalError(f"the parameter value {value!r} is not a number, boolean, string or list", 3)


def _integer(value, what):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ShoalError(f"{what} must be an integer, got {type(value).__name__}", 1)
    return int(value)


class Batch:
    """``count`` copies of one task (or of a task set), stepped together by libShoalEnvsC.

    The numpy arrays ``observations``, ``rewards``, ``terminated``, ``truncated``,
    ``final_observations``, ``episode_start``, ``episode_returns``, ``episode_lengths``,
    ``episode_metrics`` and ``episode_diverged`` *are* the buffers the library writes into: each
    reset or step overwrites them in place (final observations and episode statistics only on
    rows whose episode ended).
    """

    def __init__(self, task_id=None, parameters=None, count=1, threads=1, seed=0, task_set=None, copies_per_task=1):
        lib = _library.library()
        self._lib = lib
        self._handle = 0
        handle = ctypes.c_int64(0)
        threads = _integer(threads, "the number of threads")
        seed = _seed(seed)
        if task_set is not None:
            if not isinstance(task_set, str):
                raise ShoalError(f"the task set name must be a string, got {type(task_set).__name__}", 1)
            _library.check(lib.shoal_batch_create_task_set(
                task_set.encode(), _integer(copies_per_task, "copies per task"), threads, seed, ctypes.byref(handle)))
        else:
            if not isinstance(task_id, str):
                raise ShoalError(f"the task id must be a string such as 'cart-pole-v1', got {type(task_id).__name__}", 2)
            text = None
            if parameters is not None:
                if not isinstance(parameters, (dict, list, tuple)):
                    raise ShoalError("the parameters must be a dict (every copy) or a list of dicts (one per task)", 3)
                text = json.dumps(parameters, default=_json_default, allow_nan=True).encode()
            _library.check(lib.shoal_batch_create(
                task_id.encode(), text, _integer(count, "the number of copies"), threads, seed, ctypes.byref(handle)))
        self._handle = handle.value
        self.info = json.loads(_library.read_text(lib.shoal_batch_info, self._handle))
        self.task_id = self.info["task"]
        self.count = self.info["count"]
        self.observation_size = self.info["observation_size"]
        self.action_size = self.info["action_size"]
        self.observation_space = space_from_json(self.info["observation_space"])
        self.action_space = space_from_json(self.info["action_space"])
        self.discrete = isinstance(self.action_space, gymnasium.spaces.Discrete)
        self.state_names = self.info["state_names"]

        n, o = self.count, self.observation_size
        shape = (n,) + tuple(self.observation_space.shape)
        self._observations = np.zeros(n * o, dtype=np.float32)
        self._final_observations = np.zeros(n * o, dtype=np.float32)
        self.observations = self._observations.reshape(shape)
        self.final_observations = self._final_observations.reshape(shape)
        self.rewards = np.zeros(n, dtype=np.float32)
        self.terminated = np.zeros(n, dtype=np.bool_)
        self.truncated = np.zeros(n, dtype=np.bool_)
        self.episode_start = np.zeros(n, dtype=np.bool_)
        self.episode_returns = np.zeros(n, dtype=np.float32)
        self.episode_lengths = np.zeros(n, dtype=np.int32)
        self.episode_metrics = np.full(n, np.nan, dtype=np.float32)
        self.episode_diverged = np.zeros(n, dtype=np.bool_)
        self.actions = np.zeros(n * self.action_size, dtype=np.float32)
        self._buffers = _library.Buffers(
            n, o, self._observations.ctypes.data, self.rewards.ctypes.data, self.terminated.ctypes.data,
            self.truncated.ctypes.data, self._final_observations.ctypes.data, self.episode_start.ctypes.data,
            self.episode_returns.ctypes.data, self.episode_lengths.ctypes.data, self.episode_metrics.ctypes.data,
            self.episode_diverged.ctypes.data)
        self._buffers_address = ctypes.addressof(self._buffers)
        self._actions_address = self.actions.ctypes.data
        self._action_count = self.actions.size
        self._check = _library.check
        # The library reads the actions from, and writes into, these arrays at every step: bound
        # once, so that a step is a call with one argument. They live as long as the batch.
        self._check(lib.shoal_batch_bind(self._handle, self._actions_address, self._action_count, self._buffers_address))
        # The step call's one argument, made once (set to 0 when the batch is closed).
        self._handle_argument = ctypes.c_int64(self._handle)
        # One copy steps faster than the GIL is released and retaken; a batch releases it.
        holding_gil, releasing_gil = _library.step_bound_calls()
        self._step = holding_gil if n == 1 else releasing_gil

    @property
    def closed(self):
        return self._handle == 0

    def _live(self):
        if self._handle == 0:
            raise gymnasium.error.ClosedEnvironmentError(f"the Shoal batch of {self.task_id} is closed")
        return self._handle

    def reset(self, seed):
        """Starts a new episode on every copy (copy i from stream (seed, i))."""
        if type(seed) is not int or not 0 <= seed < _UINT64:
            seed = _seed(seed)
        status = self._lib.shoal_batch_reset(self._handle_argument, seed, self._buffers_address)
        if status:
            self.failed(status)

    def step_actions(self):
        """Steps with the actions already written into ``self.actions`` (the fast path)."""
        status = self._step(self._handle_argument)
        if status:
            self.failed(status)

    def failed(self, status):
        """Raises for a step's non-zero ``status``: ClosedEnvironmentError if the batch is closed, else
        the library's message."""
        self._live()
        self._check(status)

    def set_state(self, row, values):
        """Sets the physical state of copy ``row`` (in the order of ``state_names``)."""
        handle = self._live()
        values = np.ascontiguousarray(values, dtype=np.float64).ravel()
        self._check(self._lib.shoal_batch_set_state(
            handle, _integer(row, "the row"), values.ctypes.data, values.size, self._buffers_address))

    def render_svg(self, row=0):
        """An SVG picture of copy ``row`` (classic-control tasks)."""
        return _library.read_text(self._lib.shoal_batch_render_svg, self._live(), _integer(row, "the row"))

    def close(self):
        """Destroys the batch; later calls raise ``gymnasium.error.ClosedEnvironmentError``."""
        if self._handle != 0:
            handle, self._handle = self._handle, 0
            self._handle_argument.value = 0
            self._check(self._lib.shoal_batch_destroy(handle))

    def __del__(self):
        try:
            if getattr(self, "_handle", 0):
                self._lib.shoal_batch_destroy(self._handle)
                self._handle = 0
        except Exception:
            pass

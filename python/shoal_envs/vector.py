"""A Shoal batch as a ``gymnasium.vector.VectorEnv`` (autoreset mode SAME_STEP)."""
import gymnasium
import numpy as np
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from .actions import ActionWriter
from .batch import Batch
from .errors import ShoalError

_SEED_RANGE = 1 << 63


class ShoalVectorEnv(gymnasium.vector.VectorEnv):
    """``num_envs`` copies of a Shoal task stepped together in Swift, on ``threads`` threads.

    - ``ShoalVectorEnv("acrobot-v1", num_envs=4096, threads=2, link_mass_1=1.2)``: keyword
      arguments are the task's parameters, for every copy.
    - ``task_parameters=[{...}, {...}, ...]``: a multi-task batch of k tasks, ``num_envs / k``
      consecutive copies each (``num_envs`` must be a multiple of k); ``task_set="acrobot-extreme-25"``
      with ``copies_per_task`` builds one from a Shoal task set.
    - Autoreset is SAME_STEP: on a step that ends a copy's episode, the observation returned is
      already the first of the next episode, and ``infos["final_obs"]`` (an object array with
      ``infos["_final_obs"]`` its mask) holds the last observation of the one that ended;
      ``infos["final_info"]`` holds ``episode_return`` and ``episode_length`` with their masks.
    - ``reset(seed=s)``: copy i draws from Shoal's stream ``(s, i)``, so the numbers equal a Swift
      batch's whatever the thread count. A list of per-copy seeds is refused.
    - Zero copy (the default, ``copy=False``): every array that ``reset`` and ``step`` return,
      ``infos`` included, belongs to the environment and is overwritten by the next ``reset`` or
      ``step`` — as with Gymnasium's ``SyncVectorEnv(..., copy=False)``, and unlike Gymnasium's
      default ``copy=True``. The observations, rewards, terminated and truncated arrays are the
      buffers the library writes into; the rows of ``infos["final_obs"]`` are views of its
      final-observation buffer, set into an object array that is reused; the ``final_info``
      returns and lengths are the library's statistics buffers (0 on rows that did not end), and
      the masks are one array. Keep what must outlive the step with
      ``.copy()``, or pass ``copy=True`` to receive fresh arrays from every call.
    - Actions: a numpy array of shape ``(num_envs,)`` (discrete) or ``(num_envs, *shape)`` (box),
      integer or float, is cast into the action buffer the library reads in one pass; anything
      else is checked and converted first, and refused with Shoal's message if it does not fit.
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP, "render_modes": ["svg"]}

    def __init__(self, task_id=None, num_envs=1, threads=1, task_parameters=None, task_set=None, copies_per_task=1,
                 copy=False, render_mode=None, **parameters):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ShoalError(f"render mode {render_mode!r} is not supported: valid modes are None and 'svg'", 1)
        if task_set is not None:
            if task_id is not None or task_parameters is not None or parameters:
                raise ShoalError("a task set fixes the task and its parameters: pass task_set alone (with copies_per_task)", 1)
            self._batch = Batch(task_set=task_set, copies_per_task=copies_per_task, threads=threads, seed=0)
        else:
            if task_parameters is not None:
                if parameters:
                    raise ShoalError("pass either task_parameters (one dict per task) or parameters as keywords, not both", 3)
                if not isinstance(task_parameters, (list, tuple)):
                    raise ShoalError("task_parameters must be a list of dicts, one per task", 3)
                spec = list(task_parameters)
            else:
                spec = parameters or None
            self._batch = Batch(task_id, spec, count=num_envs, threads=threads, seed=0)
        b = self._batch
        self.task_id = b.task_id
        self.num_envs = b.count
        self.render_mode = render_mode
        self.copy = bool(copy)
        self.single_observation_space = b.observation_space
        self.single_action_space = b.action_space
        self.observation_space = batch_space(b.observation_space, self.num_envs)
        self.action_space = batch_space(b.action_space, self.num_envs)
        self.state_names = list(b.state_names)
        self.task_parameters = b.info["parameters"]
        self._writer = ActionWriter(b, batched=True)
        self._action_shape, self._action_view = self._writer.shape, self._writer.view
        self._action_kinds = self._writer.allowed_kinds
        self._ended = np.zeros(self.num_envs, dtype=np.bool_)
        self._step_call, self._handle_argument = b._step, b._handle_argument
        # Discrete observations (state indices) are handed out as int64, converted from the float buffer.
        self._indices = np.zeros(self.num_envs, dtype=np.int64) if isinstance(b.observation_space, gymnasium.spaces.Discrete) else None
        # Without copies, the infos of a step that ended episodes are arrays made once: final_obs
        # holds views of the final-observation rows (made once too) where an episode ended and None
        # elsewhere; final_info's returns and lengths are the library's own statistics buffers,
        # which it writes on the rows that ended only. ``_final_rows`` are the rows they hold values
        # on: before the next step they go back to None and 0, so that between steps both are None
        # and 0 everywhere and a step's infos hold exactly its own rows.
        self._reused_infos = not self.copy and self._indices is None
        self._final_rows = None
        if self._reused_infos:
            self._final_views = np.empty(self.num_envs, dtype=object)
            for row, view in enumerate(b.final_observations):
                self._final_views[row] = view
            self._final_obs = np.full(self.num_envs, None, dtype=object)
            b.episode_returns.fill(0)
            b.episode_lengths.fill(0)

    def _observations(self):
        b = self._batch
        if self._indices is not None:
            np.copyto(self._indices, b.observations, casting="unsafe")
            return self._indices.copy() if self.copy else self._indices
        return b.observations.copy() if self.copy else b.observations

    def reset(self, *, seed=None, options=None):
        if seed is not None and not isinstance(seed, (int, np.integer)):
            raise ShoalError("a Shoal batch takes one integer seed (copy i draws from stream (seed, i)), not a list of seeds", 1)
        super().reset(seed=None if seed is None else int(seed))
        if options:
            raise ShoalError(f"unknown reset options {sorted(options)}: a vector reset takes none", 1)
        shoal_seed = seed if seed is not None else int(self.np_random.integers(0, _SEED_RANGE))
        self._batch.reset(shoal_seed)
        return self._observations(), {}

    def step(self, actions):
        b = self._batch
        if type(actions) is np.ndarray and actions.shape == self._action_shape and actions.dtype.kind in self._action_kinds:
            np.copyto(self._action_view, actions, casting="unsafe")  # the values are checked by Shoal
        else:
            self._writer.write(actions)
        previous = self._final_rows
        if previous is not None:
            self._final_obs[previous] = None
            b.episode_returns[previous] = 0
            b.episode_lengths[previous] = 0
            self._final_rows = None
        status = self._step_call(self._handle_argument)
        if status:
            b.failed(status)
        ended = np.logical_or(b.terminated, b.truncated, out=self._ended)
        rows = ended.nonzero()[0]
        if self._reused_infos:
            infos = self._reused_step_infos(rows, ended) if rows.size else {}
            return b.observations, b.rewards, b.terminated, b.truncated, infos
        infos = self._fresh_step_infos(rows, ended) if rows.size else {}
        if self.copy:
            return self._observations(), b.rewards.copy(), b.terminated.copy(), b.truncated.copy(), infos
        return self._observations(), b.rewards, b.terminated, b.truncated, infos

    def _reused_step_infos(self, rows, ended):
        b, final = self._batch, self._final_obs
        final[rows] = self._final_views[rows]
        self._final_rows = rows
        return {
            "final_obs": final, "_final_obs": ended,
            "final_info": {"episode_return": b.episode_returns, "_episode_return": ended,
                           "episode_length": b.episode_lengths, "_episode_length": ended},
            "_final_info": ended,
        }

    def _fresh_step_infos(self, rows, ended):
        b = self._batch
        final = np.full(self.num_envs, None, dtype=object)
        final_rows = b.final_observations[rows]  # a copy: the buffer is rewritten by later steps
        if self._indices is not None:
            final_rows = final_rows.astype(np.int64)
        for row, observation in zip(rows.tolist(), list(final_rows)):
            final[row] = observation
        mask = ended.copy()
        returns = np.zeros(self.num_envs, dtype=np.float32)
        lengths = np.zeros(self.num_envs, dtype=np.int32)
        returns[rows] = b.episode_returns[rows]
        lengths[rows] = b.episode_lengths[rows]
        return {
            "final_obs": final, "_final_obs": mask,
            "final_info": {"episode_return": returns, "_episode_return": mask,
                           "episode_length": lengths, "_episode_length": mask},
            "_final_info": mask,
        }

    def set_state(self, row, values):
        """Sets the physical state of copy ``row`` and returns its new observation."""
        self._batch.set_state(row, values)
        return self._observations()[row].copy()

    def render(self):
        if self.render_mode is None:
            gymnasium.logger.warn("render() was called without a render mode: make the environment with render_mode='svg'")
            return None
        return self._batch.render_svg(0)

    def close_extras(self, **kwargs):
        self._batch.close()

    def __repr__(self):
        return f"ShoalVectorEnv({self.task_id}, num_envs={self.num_envs})"

"""One copy of a Shoal multi-agent task as a ``pettingzoo.ParallelEnv``."""
import gymnasium
import numpy as np
from pettingzoo import ParallelEnv

from .errors import ShoalError
from .multi_agent import MultiAgentBatch

_SEED_RANGE = 1 << 63
_STATUS_INVALID_ACTION = 4


class ShoalParallelEnv(ParallelEnv):
    """A Shoal multi-agent task, one copy, behind PettingZoo's parallel API.

    ``ShoalParallelEnv("mpe/simple-spread-v1", agents=4)``: keyword arguments are the task's
    parameters. ``reset(seed=s)`` gives exactly the episode of copy 0 of a Shoal multi-agent
    batch reset with seed ``s``; ``reset()`` without a seed draws the next seed from the
    environment's generator. ``reset(options={"state": [...]})`` then sets the physical state
    (in the order of ``state_names``); other option keys are ignored, as PettingZoo's API test
    expects. ``step`` takes one action per live agent; when the episode ends (every agent shares
    the copy's terminated/truncated flags) the step returns the last observations, each agent's
    ``info`` holds ``episode_return`` and ``episode_length``, and ``agents`` becomes empty until
    the next ``reset``. ``state()`` is Shoal's global state (the physical state for
    ``mpe/simple-spread-v1``), ``state_space`` its space.
    """

    metadata = {"render_modes": [], "name": "shoal", "is_parallelizable": True}

    def __init__(self, task_id, render_mode=None, **parameters):
        if render_mode is not None:
            raise ShoalError(f"render mode {render_mode!r} is not supported: multi-agent tasks are drawn by the shoal envs render command", 1)
        self._batch = b = MultiAgentBatch(task_id, parameters or None, count=1, threads=1, seed=0)
        self.task_id = b.task_id
        self.metadata = dict(self.metadata, name=b.task_id)
        self.render_mode = None
        self.parameters = b.parameters
        self.state_names = list(b.state_names)
        self.possible_agents = list(b.agent_names)
        self.agents = []
        self._index = {name: m for m, name in enumerate(self.possible_agents)}
        self.observation_spaces = dict(zip(self.possible_agents, b.observation_spaces))
        self.action_spaces = dict(zip(self.possible_agents, b.action_spaces))
        self.state_space = b.state_space
        self._discrete_observations = [isinstance(s, gymnasium.spaces.Discrete) for s in b.observation_spaces]
        self._discrete_actions = [isinstance(s, gymnasium.spaces.Discrete) for s in b.action_spaces]
        self._action_shapes = [() if d else tuple(s.shape) for d, s in zip(self._discrete_actions, b.action_spaces)]
        self._ended = False
        self._np_random = np.random.default_rng()

    def observation_space(self, agent):
        self._agent(agent)
        return self.observation_spaces[agent]

    def action_space(self, agent):
        self._agent(agent)
        return self.action_spaces[agent]

    def _agent(self, agent):
        m = self._index.get(agent) if isinstance(agent, str) else None
        if m is None:
            raise ShoalError(f"unknown agent {agent!r}: the agents of {self.task_id} are {', '.join(self.possible_agents)}", 1)
        return m

    def _observation(self, m, final):
        row = (self._batch.final_observations if final else self._batch.observations)[m][0]
        return np.int64(row[()]) if self._discrete_observations[m] else row.copy()

    def reset(self, seed=None, options=None):
        if options is not None and not isinstance(options, dict):
            raise ShoalError(f"the reset options must be a dict such as {{'state': [...]}}, got {type(options).__name__}", 1)
        if seed is not None:
            self._batch.reset(seed)  # checks the seed (an integer in [0, 2^64))
            self._np_random = np.random.default_rng(int(seed))
        else:
            self._batch.reset(int(self._np_random.integers(0, _SEED_RANGE)))
        if options and "state" in options:
            self._batch.set_state(0, options["state"])
        self._ended = False
        self.agents = list(self.possible_agents)
        return {a: self._observation(m, False) for m, a in enumerate(self.agents)}, {a: {} for a in self.agents}

    def _write(self, m, agent, action):
        view = self._batch.actions[m][0]
        if self._discrete_actions[m]:
            if isinstance(action, np.ndarray) and action.shape == ():
                action = action[()]
            if isinstance(action, (bool, np.bool_)) or not isinstance(action, (int, np.integer)):
                raise ShoalError(f"the action of {agent} is {action!r}: {self.action_spaces[agent]} takes an integer in 0…{self.action_spaces[agent].n - 1}", _STATUS_INVALID_ACTION)
            view[0] = float(action)  # the range is checked by Shoal
            return
        shape = self._action_shapes[m]
        try:
            array = np.asarray(action)
        except (TypeError, ValueError):
            array = None
        if array is None or array.dtype.kind not in "fiu" or array.shape != shape:
            what = f"shape {array.shape}, dtype {array.dtype}" if array is not None else type(action).__name__
            raise ShoalError(f"the action of {agent} has {what}: {self.action_spaces[agent]} takes real numbers of shape {shape}", _STATUS_INVALID_ACTION)
        view[:] = array.ravel()

    def step(self, actions):
        if self._batch.closed:
            self._batch._live()
        if not self.agents:
            raise ShoalError("the episode has ended (no agent is left): call reset() first", _STATUS_INVALID_ACTION)
        if not isinstance(actions, dict):
            raise ShoalError(f"the actions must be a dict from agent name to action, got {type(actions).__name__}", _STATUS_INVALID_ACTION)
        for agent in actions:
            self._agent(agent)
        missing = [a for a in self.agents if a not in actions]
        if missing:
            raise ShoalError(f"no action for {', '.join(missing)}: every live agent ({', '.join(self.agents)}) acts at every step", _STATUS_INVALID_ACTION)
        for agent, action in actions.items():
            self._write(self._index[agent], agent, action)
        b = self._batch
        b.step()
        terminated, truncated = bool(b.terminated[0]), bool(b.truncated[0])
        ended = terminated or truncated
        agents = self.agents
        observations = {a: self._observation(m, ended) for m, a in enumerate(agents)}
        rewards = {a: float(b.rewards[m, 0]) for m, a in enumerate(agents)}
        terminations = dict.fromkeys(agents, terminated)
        truncations = dict.fromkeys(agents, truncated)
        if ended:
            length = int(b.episode_lengths[0])
            infos = {a: {"episode_return": float(b.episode_returns[m, 0]), "episode_length": length} for m, a in enumerate(agents)}
            self._final_state = b.final_states[0].copy()
            self._ended = True
            self.agents = []
        else:
            infos = {a: {} for a in agents}
        return observations, rewards, terminations, truncations, infos

    def state(self):
        """The global state of the copy (its last state once the episode has ended)."""
        self._batch._live()
        return self._final_state.copy() if self._ended else self._batch.states[0].copy()

    def render(self):
        gymnasium.logger.warn("multi-agent tasks are not rendered through the C interface: use the shoal envs render command")
        return None

    def close(self):
        self._batch.close()

    @property
    def closed(self):
        return self._batch.closed

    def __repr__(self):
        return f"ShoalParallelEnv({self.task_id})"

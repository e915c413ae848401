"""Shoal's environments as Gymnasium environments, through libShoalEnvsC.

- ``make("cart-pole-v1", **parameters)``: one copy, a ``gymnasium.Env``.
- ``make_vec("acrobot-v1", num_envs=4096, threads=2, **parameters)``: a batch stepped in Swift,
  a ``gymnasium.vector.VectorEnv`` with ``autoreset_mode`` SAME_STEP.
- Importing the package registers every task with Gymnasium as ``shoal/<id>``, a ``/`` inside a
  Shoal id becoming ``.`` (Gymnasium ids allow one namespace): ``gymnasium.make("shoal/cart-pole-v1")``,
  ``gymnasium.make("shoal/cart-pole.swing-up-v1")``, ``gymnasium.make_vec("shoal/acrobot-v1", 64)``.
- ``parallel_env("mpe/simple-spread-v1", **parameters)``: a multi-agent task, one copy, as a
  ``pettingzoo.ParallelEnv`` (needs PettingZoo; ``multi_agent_task_ids()`` lists the tasks).

Bad input raises ``ShoalError`` (a ``ValueError`` and a ``gymnasium.error.Error``) carrying
Shoal's one-sentence message; using a closed environment raises
``gymnasium.error.ClosedEnvironmentError``.
"""
import warnings

import gymnasium

from ._library import list_tasks as _list_tasks
from .batch import Batch
from .env import ShoalEnv
from .errors import ShoalError, ShoalLibraryError
from .multi_agent import MultiAgentBatch
from .vector import ShoalVectorEnv

__all__ = ["make", "make_vec", "parallel_env", "make_parallel", "multi_agent_task_ids", "MultiAgentBatch", "task_ids", "gymnasium_id", "Batch", "ShoalEnv", "ShoalVectorEnv", "ShoalError",
           "ShoalLibraryError"]


def make(task_id, render_mode=None, **parameters):
    """One copy of a Shoal task as a ``gymnasium.Env``; keywords are the task's parameters."""
    return ShoalEnv(task_id, render_mode=render_mode, **parameters)


def make_vec(task_id=None, num_envs=1, threads=1, task_parameters=None, task_set=None, copies_per_task=1, copy=False,
             **parameters):
    """``num_envs`` copies as a ``gymnasium.vector.VectorEnv`` (SAME_STEP autoreset); see ``ShoalVectorEnv``."""
    return ShoalVectorEnv(task_id, num_envs=num_envs, threads=threads, task_parameters=task_parameters,
                          task_set=task_set, copies_per_task=copies_per_task, copy=copy, **parameters)


def parallel_env(task_id, render_mode=None, **parameters):
    """One copy of a multi-agent Shoal task as a ``pettingzoo.ParallelEnv``; keywords are its parameters."""
    from .parallel import ShoalParallelEnv  # PettingZoo is needed only here
    return ShoalParallelEnv(task_id, render_mode=render_mode, **parameters)


make_parallel = parallel_env


def multi_agent_task_ids():
    """Every multi-agent Shoal task id, sorted."""
    return [item["id"] for item in _list_tasks() if "id" in item and item.get("multi_agent")]


def task_ids():
    """Every single-agent Shoal task id the library serves (the Gymnasium `Env`s), sorted."""
    return [item["id"] for item in _list_tasks() if "id" in item and not item.get("multi_agent", False)]


def gymnasium_id(task_id):
    """The id under which a Shoal task is registered with Gymnasium (``shoal/...``)."""
    return "shoal/" + task_id.replace("/", ".")


def _register_all():
    multi_agent = set(multi_agent_task_ids())
    for task_id in task_ids():
        if task_id in multi_agent:  # these are PettingZoo environments: parallel_env(task_id)
            continue
        name = gymnasium_id(task_id)
        if name in gymnasium.registry:
            continue
        gymnasium.register(id=name, entry_point="shoal_envs.env:ShoalEnv", vector_entry_point="shoal_envs.vector:ShoalVectorEnv",
                           kwargs={"task_id": task_id})


try:
    _register_all()
except ShoalLibraryError as _error:  # the package still imports; make() raises the same error
    warnings.warn(f"Shoal tasks are not registered with Gymnasium: {_error}", stacklevel=2)

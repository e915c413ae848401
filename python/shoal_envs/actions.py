"""Checking and writing actions into a batch's action buffer (a float per value, as Shoal takes them)."""
import numpy as np

from .errors import ShoalError

_STATUS_INVALID_ACTION = 4


class ActionWriter:
    """Writes actions of the expected shape into ``batch.actions``, refusing a wrong shape or dtype.

    ``batched`` actions have a leading axis of ``batch.count`` rows (vector environments); single
    actions are one copy's action (``batch.count`` must then be 1).
    """

    def __init__(self, batch, batched):
        self.discrete = batch.discrete
        space_shape = () if batch.discrete else tuple(batch.action_space.shape)
        self.shape = ((batch.count,) if batched else ()) + space_shape
        self.view = batch.actions.reshape(self.shape)
        self.space = batch.action_space
        self.allowed_kinds = "iu" if self.discrete else "fiu"
        self.batched = batched

    def _refuse(self, message):
        raise ShoalError(message, _STATUS_INVALID_ACTION)

    def write(self, actions):
        if self.discrete and not self.batched and isinstance(actions, (int, np.integer)) and not isinstance(actions, (bool, np.bool_)):
            try:
                self.view[()] = actions
            except (OverflowError, ValueError):
                self._refuse(f"the action {actions} is out of range: {self._expected()}")
            return
        if not isinstance(actions, np.ndarray):
            if isinstance(actions, (str, bytes)) or actions is None:
                self._refuse(f"the action {actions!r} is not a number: {self._expected()}")
            try:
                actions = np.asarray(actions)
            except (ValueError, TypeError):
                self._refuse(f"the actions cannot be read as an array: {self._expected()}")
        if actions.shape != self.shape:
            self._refuse(f"the actions have shape {actions.shape}, expected {self.shape}: {self._expected()}")
        if actions.dtype.kind not in self.allowed_kinds:
            self._refuse(f"the actions have dtype {actions.dtype}: {self._expected()}")
        np.copyto(self.view, actions, casting="unsafe")

    def _expected(self):
        what = f"integers in 0…{self.space.n - 1}" if self.discrete else "real numbers (float32)"
        rows = f"one per copy, shape {self.shape}" if self.batched else f"shape {self.shape}"
        return f"{self.space} takes {what}, {rows}"

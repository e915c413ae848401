"""Shoal's space descriptions (JSON from ``shoal_batch_info``) as gymnasium spaces."""
import gymnasium
import numpy as np


def _bound(value):
    if isinstance(value, str):
        return np.inf if value == "inf" else -np.inf
    return value


def space_from_json(description):
    """``{"type": "box", ...}`` or ``{"type": "discrete", ...}`` as a gymnasium space."""
    if description["type"] == "discrete":
        return gymnasium.spaces.Discrete(int(description["n"]))
    shape = tuple(description["shape"])
    low = np.array([_bound(v) for v in description["low"]], dtype=np.float32).reshape(shape)
    high = np.array([_bound(v) for v in description["high"]], dtype=np.float32).reshape(shape)
    return gymnasium.spaces.Box(low=low, high=high, shape=shape, dtype=np.float32)

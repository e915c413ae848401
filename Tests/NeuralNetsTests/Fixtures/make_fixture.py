"""Writes mlp_2_3_1.safetensors, the fixture NeuralNetsTests reads.

It is a 2 -> 3 -> 1 MLP in NeuralNets' layout (PyTorch nn.Linear convention: weight
[out, in]), written by the reference `safetensors` package from numpy arrays, with
the tensors given out of layout order and one float64 tensor, so the reader's
handling of offsets and dtypes is exercised. Run once:

    python -m venv venv && venv/bin/pip install safetensors numpy
    venv/bin/python make_fixture.py
"""
import numpy as np
from safetensors.numpy import save_file

tensors = {
    "layers.1.bias": np.array([0.25], dtype=np.float32),
    "layers.0.weight": (np.arange(6, dtype=np.float32).reshape(3, 2) * 0.5 - 1.0),
    "layers.1.weight": np.array([[1.0, -2.0, 0.5]], dtype=np.float32),
    "layers.0.bias": np.array([0.1, -0.2, 0.3], dtype=np.float64),
}
save_file(tensors, "mlp_2_3_1.safetensors", metadata={"written_by": "make_fixture.py", "format": "np"})

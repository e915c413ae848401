"""The header compiles as C, links against the library, and the C program's numbers are the wrapper's."""
import json
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

import shoal_envs
from shoal_envs import _library

ROOT = pathlib.Path(__file__).resolve().parents[2]
COMPILER = shutil.which("cc") or shutil.which("clang") or shutil.which("gcc")


@pytest.mark.skipif(COMPILER is None, reason="no C compiler")
def test_a_c_program_steps_like_the_python_wrapper(tmp_path):
    library = next(p for p in _library.candidate_paths() if p.is_file())
    program = tmp_path / "step_cart_pole"
    subprocess.run([COMPILER, "-std=c11", "-Wall", "-Werror", "-I", str(ROOT / "Sources" / "ShoalEnvsC" / "include"),
                    str(pathlib.Path(__file__).parent / "c" / "step_cart_pole.c"), "-o", str(program),
                    str(library), f"-Wl,-rpath,{library.parent}"], check=True)
    lines = [json.loads(line) for line in subprocess.run([str(program)], check=True, capture_output=True, text=True).stdout.splitlines()]
    assert lines[0]["error"].startswith("unknown task 'cart-pol-v1'; did you mean cart-pole-v1?")
    assert "is not a live batch" in lines[-1]["error"]

    envs = shoal_envs.make_vec("cart-pole-v1", num_envs=4, threads=1)
    envs.reset(seed=7)
    ended = 0
    for t, line in enumerate(lines[1:-1]):
        observations, _, terminated, truncated, _ = envs.step(np.array([(i + t // 3) % 2 for i in range(4)]))
        assert line["t"] == t
        np.testing.assert_array_equal(np.array(line["obs"], dtype=np.float32), observations.reshape(-1))
        assert line["ended"] == list(terminated | truncated)
        ended += sum(line["ended"])
    assert len(lines) == 42 and ended >= 1


@pytest.mark.skipif(COMPILER is None, reason="no C compiler")
def test_steady_state_steps_allocate_nothing(tmp_path):
    """An allocator shim counts malloc, realloc and posix_memalign calls: creating a batch
    allocates, 2000 steps across autoresets (both step entry points, one thread; multi-agent batches
    too) do not."""
    library = next(p for p in _library.candidate_paths() if p.is_file())
    here = pathlib.Path(__file__).parent / "c"
    shim = tmp_path / "libcount_allocations.so"
    subprocess.run([COMPILER, "-O2", "-shared", "-fPIC", str(here / "count_allocations.c"), "-o", str(shim), "-ldl"], check=True)
    program = tmp_path / "steady_state"
    subprocess.run([COMPILER, "-std=c11", "-O2", "-I", str(ROOT / "Sources" / "ShoalEnvsC" / "include"), str(here / "steady_state.c"),
                    "-o", str(program), f"-L{tmp_path}", "-lcount_allocations", str(library),
                    f"-Wl,-rpath,{library.parent}", f"-Wl,-rpath,{tmp_path}"], check=True)
    runs = [json.loads(line) for line in subprocess.run([str(program)], check=True, capture_output=True, text=True).stdout.splitlines()]
    assert len(runs) == 9
    assert [run["task"] for run in runs[7:]] == ["mpe/simple-spread-v1", "random-mdp/local-actions-v1"]
    for run in runs:
        assert run["create_allocations"] > 0, run  # the shim sees the library's allocations
        assert run["step_allocations"] == 0, run
        assert run["episodes"] > 0, run  # the steps crossed autoresets

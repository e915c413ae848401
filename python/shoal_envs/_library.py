"""Loading libShoalEnvsC and declaring its functions (see Sources/ShoalEnvsC/include/shoal_envs.h)."""
import ctypes
import json
import os
import pathlib
import threading

from .errors import ShoalError, ShoalLibraryError

API_VERSION = 1
_STATUS_BUFFER_TOO_SMALL = 7

_lock = threading.Lock()
_lib = None
_lib_path = None
_step_bound_calls = None


class Buffers(ctypes.Structure):
    """``shoal_buffers``: where reset, step and set_state write."""

    _fields_ = [
        ("count", ctypes.c_int64),
        ("observation_size", ctypes.c_int64),
        ("observations", ctypes.c_void_p),
        ("rewards", ctypes.c_void_p),
        ("terminated", ctypes.c_void_p),
        ("truncated", ctypes.c_void_p),
        ("final_observations", ctypes.c_void_p),
        ("episode_start", ctypes.c_void_p),
        ("episode_returns", ctypes.c_void_p),
        ("episode_lengths", ctypes.c_void_p),
        ("episode_metrics", ctypes.c_void_p),
        ("episode_diverged", ctypes.c_void_p),
    ]


class MultiAgentBuffers(ctypes.Structure):
    """``shoal_multi_agent_buffers``: where the multi-agent reset, step and set_state write."""

    _fields_ = [
        ("count", ctypes.c_int64),
        ("agents", ctypes.c_int64),
        ("observation_floats", ctypes.c_int64),
        ("state_size", ctypes.c_int64),
        ("observations", ctypes.c_void_p),
        ("rewards", ctypes.c_void_p),
        ("terminated", ctypes.c_void_p),
        ("truncated", ctypes.c_void_p),
        ("final_observations", ctypes.c_void_p),
        ("states", ctypes.c_void_p),
        ("final_states", ctypes.c_void_p),
        ("episode_start", ctypes.c_void_p),
        ("episode_returns", ctypes.c_void_p),
        ("episode_lengths", ctypes.c_void_p),
    ]


def candidate_paths():
    """Where the library is looked for, in order."""
    paths = []
    if os.environ.get("SHOAL_ENVS_LIBRARY"):
        paths.append(pathlib.Path(os.environ["SHOAL_ENVS_LIBRARY"]))
    here = pathlib.Path(__file__).resolve().parent
    recorded = here / "library_path.txt"
    if recorded.is_file():
        text = recorded.read_text().strip()
        if text:
            paths.append(pathlib.Path(text))
    # A checkout: python/shoal_envs/ sits two levels below the repository root.
    paths.append(here.parent.parent / ".build" / "release" / "libShoalEnvsC.so")
    return paths


def _declare(lib):
    i64, u64, size, ptr, status = ctypes.c_int64, ctypes.c_uint64, ctypes.c_size_t, ctypes.c_void_p, ctypes.c_int32
    signatures = {
        "shoal_last_error": ([], ctypes.c_char_p),
        "shoal_api_version": ([], ctypes.c_int32),
        "shoal_list_tasks": ([ptr, size, ctypes.POINTER(size)], status),
        "shoal_batch_create": ([ctypes.c_char_p, ctypes.c_char_p, i64, i64, u64, ctypes.POINTER(i64)], status),
        "shoal_batch_create_task_set": ([ctypes.c_char_p, i64, i64, u64, ctypes.POINTER(i64)], status),
        "shoal_batch_info": ([i64, ptr, size, ctypes.POINTER(size)], status),
        "shoal_batch_reset": ([i64, u64, ptr], status),
        "shoal_batch_step": ([i64, ptr, size, ptr], status),
        "shoal_batch_bind": ([i64, ptr, size, ptr], status),
        "shoal_batch_step_bound": ([i64], status),
        "shoal_batch_set_state": ([i64, i64, ptr, size, ptr], status),
        "shoal_batch_render_svg": ([i64, i64, ptr, size, ctypes.POINTER(size)], status),
        "shoal_batch_destroy": ([i64], status),
        "shoal_multi_agent_create": ([ctypes.c_char_p, ctypes.c_char_p, i64, i64, u64, ctypes.POINTER(i64)], status),
        "shoal_multi_agent_info": ([i64, ptr, size, ctypes.POINTER(size)], status),
        "shoal_multi_agent_reset": ([i64, u64, ptr], status),
        "shoal_multi_agent_step": ([i64, ptr, size, ptr], status),
        "shoal_multi_agent_set_state": ([i64, i64, ptr, size, ptr], status),
        "shoal_multi_agent_destroy": ([i64], status),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype


def library():
    """The loaded library (loaded once); raises ShoalLibraryError if it cannot be found."""
    global _lib, _lib_path, _step_bound_calls
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        tried = []
        for path in candidate_paths():
            tried.append(str(path))
            if not path.is_file():
                continue
            try:
                lib = ctypes.CDLL(str(path))
            except OSError as error:
                raise ShoalLibraryError(f"cannot load {path}: {error}") from None
            _declare(lib)
            _step_bound_calls = (_raw_step_bound(ctypes.PyDLL, path), _raw_step_bound(ctypes.CDLL, path))
            version = lib.shoal_api_version()
            if version != API_VERSION:
                raise ShoalLibraryError(
                    f"{path} implements version {version} of the Shoal C interface, this package needs {API_VERSION}; rebuild it with 'make python'")
            _lib, _lib_path = lib, path
            return lib
        raise ShoalLibraryError(
            "libShoalEnvsC was not found (tried " + ", ".join(tried) + "); build it with 'make python' in the Shoal "
            "repository, or set SHOAL_ENVS_LIBRARY to its path")


def library_file():
    """The path of the loaded library (loading it if needed)."""
    library()
    return _lib_path


def _raw_step_bound(kind, path):
    # Declared without argtypes: the caller passes a ctypes.c_int64 holding the handle, which
    # ctypes hands over as it is (an int64, as the header declares) without converting an argument.
    function = kind(str(path)).shoal_batch_step_bound
    function.restype = ctypes.c_int32
    return function


def step_bound_calls():
    """``shoal_batch_step_bound`` twice, for a ``ctypes.c_int64`` handle argument: as a PyDLL function
    (the GIL held: one copy steps in less time than releasing and retaking it) and as a CDLL one (the
    GIL released: other Python threads run while a batch steps)."""
    library()
    return _step_bound_calls


def check(status):
    """Raises ShoalError with the library's message if ``status`` is not 0."""
    if status != 0:
        raise ShoalError(_lib.shoal_last_error().decode("utf-8", "replace"), status)


def read_text(function, *arguments):
    """Calls a text-returning function twice: once for the length, once into a buffer that fits."""
    length = ctypes.c_size_t(0)
    status = function(*arguments, None, 0, ctypes.byref(length))
    if status not in (0, _STATUS_BUFFER_TOO_SMALL):
        check(status)
    buffer = ctypes.create_string_buffer(length.value + 1)
    check(function(*arguments, buffer, len(buffer), ctypes.byref(length)))
    return buffer.value.decode("utf-8")


def list_tasks():
    """Every task and task set the library serves, as a list of dicts."""
    lib = library()
    return json.loads(read_text(lib.shoal_list_tasks))

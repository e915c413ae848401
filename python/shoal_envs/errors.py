"""The exception Shoal's errors become in Python."""
import gymnasium


class ShoalError(gymnasium.error.Error, ValueError):
    """A call into Shoal failed: ``str(error)`` is Shoal's one-sentence message.

    It is both a ``gymnasium.error.Error`` and a ``ValueError``; ``status`` is the C status code
    (see ``shoal_envs.h``) and ``status_name`` its name.
    """

    STATUS_NAMES = {
        1: "invalid_argument", 2: "unknown_task", 3: "bad_parameters", 4: "invalid_action",
        5: "invalid_state", 6: "invalid_handle", 7: "buffer_too_small", 8: "unsupported",
        9: "busy", 10: "internal",
    }

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status
        self.status_name = self.STATUS_NAMES.get(status, "unknown")


class ShoalLibraryError(ImportError):
    """libShoalEnvsC cannot be found or loaded."""

"""The C library of this process, for the few calls Python does not offer (Linux)."""

from __future__ import annotations

import ctypes
import signal
import sys
from functools import lru_cache

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@lru_cache(maxsize=1)
def libc() -> ctypes.CDLL | None:
    """glibc's functions (renameat2, malloc_trim, prctl) on Linux; None elsewhere."""
    return ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent() -> bool:
    """Have the kernel kill this process when the thread that forked it ends, however it ends (even ``kill -9``);
    False where that cannot be asked (not Linux)."""
    lib = libc()
    if lib is None:
        return False
    args = (ctypes.c_ulong(0),) * 3
    return lib.prctl(ctypes.c_int(PR_SET_PDEATHSIG), ctypes.c_ulong(signal.SIGKILL), *args) == 0

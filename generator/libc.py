"""The C library of this process, for the few calls Python does not offer (Linux)."""

from __future__ import annotations

import ctypes
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def libc() -> ctypes.CDLL | None:
    """glibc's functions (renameat2, malloc_trim) on Linux; None elsewhere."""
    return ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None

"""Keep a threaded scan's memory compact.

glibc gives each thread that meets contention its own malloc arena (up to eight per
core), and memory freed into one arena is not reused by another: with dozens of
worker threads parsing responses, resident memory grows with the thread count rather
than with the data. Two arenas are plenty for a scan that spends its time waiting on
the network.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_ARENA_MAX = -8  # from glibc's malloc.h


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas (call before starting threads); False where not glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False

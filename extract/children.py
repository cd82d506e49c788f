"""What every process the run starts does first, so that none outlives the run: it dies with its
parent (even after kill -9 of the parent), leaves Ctrl-C to the parent, and lets go of the
parent's output lock."""
from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1          # linux/prctl.h
_held_by_parent: set[int] = set()


def keep_from_children(fd: int) -> None:
    """A file descriptor (the output lock) that children close at once: an orphan holding it
    would keep the lock held."""
    _held_by_parent.add(fd)


def forget(fd: int) -> None:
    _held_by_parent.discard(fd)


def as_child(parent: int) -> None:
    """Called first thing in a forked child of the process `parent`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)    # not the parent's handler
    for fd in list(_held_by_parent):
        try:
            os.close(fd)
        except OSError:
            pass
    _held_by_parent.clear()
    die_with_parent()
    if os.getppid() != parent:     # the parent died before the line above took effect
        os._exit(1)


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux); elsewhere the pipes to
    the parent, closed by its death, end the children."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass

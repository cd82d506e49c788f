"""One run at a time in an output folder: a lock on `out/.lock`, held while the run lasts.  The
kernel lets go of it when the process ends, however it ends, so a killed run leaves no stale lock."""
from __future__ import annotations

import os
from pathlib import Path

from .children import forget, keep_from_children
from .outfiles import OutputError

LOCK_NAME = ".lock"


class OutputLock:
    def __init__(self, out_dir: str | Path):
        self.out = Path(out_dir)
        self.fd: int | None = None

    def __enter__(self):
        prepare_folder(self.out)
        try:
            import fcntl
        except ModuleNotFoundError:    # not a POSIX system: no lock
            return self
        path = self.out / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as e:
            raise OutputError(self.out, e) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise OutputError(self.out, f"another run is writing there (process {holder or '?'}); "
                                        "wait for it or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        keep_from_children(fd)
        self.fd = fd
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            forget(self.fd)
            os.close(self.fd)          # the file stays: removing it would race with a new run
            self.fd = None


def prepare_folder(out: Path) -> None:
    """The output folder, made with its parents when missing; OutputError when it cannot be."""
    if out.exists() and not out.is_dir():
        raise OutputError(out, "it is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(out, e) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(out, "the folder is not writable")

"""How outputs are written: a file is replaced (a new file under a temporary name in the same
folder, then renamed over the old one), never written through an existing link, and a streamed
file only ever grows by whole lines, so a full disk leaves no cut line."""
from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path


class OutputError(OSError):
    """An output folder that cannot be used or written: one line naming it and the reason."""

    def __init__(self, folder: str | Path, reason):
        if isinstance(reason, OSError):
            reason = reason.strerror or str(reason)
        super().__init__(errno.EIO, f"cannot write to {Path(folder).resolve()}: {reason}")
        self.folder = Path(folder)

    def __str__(self) -> str:
        return self.strerror


@contextmanager
def replacing(path: str | Path):
    """A temporary path beside `path` to write; renamed over `path` when the block ends well,
    removed when it does not."""
    path = Path(path)
    tmp = temporary(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass


def temporary(path: Path) -> Path:
    """A name beside `path` for writing it, hidden and this process's own."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


class LineFile:
    """A new file at `path` (an old file or link there is removed first, its target left alone),
    written a block of whole lines at a time: a block that cannot be written in full is taken
    back, and the error raised."""

    def __init__(self, path: str | Path, header: str = "", bom: bool = False):
        path = Path(path)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        self.size = 0
        self.write(("\ufeff" if bom else "") + header)

    def write(self, text: str) -> None:
        if not text:
            return
        data = memoryview(text.encode("utf-8"))
        written = 0
        try:
            while written < len(data):
                written += os.write(self.fd, data[written:])
        except OSError:
            try:
                os.ftruncate(self.fd, self.size)
            except OSError:
                pass
            raise
        self.size += written

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

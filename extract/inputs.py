"""Which files a run reads: paths, folders and glob patterns turned into (file, root) pairs, each
input once, and the reason an input cannot be opened (a special file, a dangling link), found
without opening it.  Nothing here reads a file's contents."""
from __future__ import annotations

import errno
import glob
import os
import re
import stat
from pathlib import Path
from typing import Iterable, Iterator

_MAGIC = "*?["

_SPECIAL = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"))


def expand_inputs(inputs: Iterable, exclude: Iterable = ()) -> list[tuple[Path, Path]]:
    """Files named by paths, folders (recursive) and glob patterns, as (file, root) pairs.

    The root is what `doc` names are relative to: the folder given, or the file's own folder.
    Every entry of a folder that is not a folder is listed, FIFOs and dangling links included
    (each becomes a row saying why it is not read); hidden files and folders are not.  Folders
    reached twice through symbolic links (a loop, or two links to one folder) are walked once,
    and each file is listed once.  Folders in `exclude` (the output folder) are not walked into.
    """
    out: list[tuple[Path, Path]] = []
    seen: set[str] = set()
    skip = {os.path.realpath(x) for x in exclude}

    def add(f: Path, root: Path):
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            out.append((f, root))

    for item in inputs:
        item = str(item)
        p = Path(item)
        if p.is_dir():
            for f in sorted(_walk(p, skip)):
                add(f, p)
        elif os.path.lexists(item):
            add(p, p.parent)          # a file, or a special file or dangling link to report
        elif any(c in item for c in _MAGIC):
            root, matches = _glob(item, skip)
            if not matches:
                out.append((p, p.parent))  # reported later as missing
            for m in matches:
                add(m, root)
        else:
            out.append((p, p.parent))      # reported later as missing
    return out


def _walk(top: Path, skip: set[str]) -> Iterator[Path]:
    """The non-folder entries under `top`, following links to folders but entering each real
    folder once (so a link back up the tree ends)."""
    visited: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(top, followlinks=True):
        try:
            st = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in visited or os.path.realpath(folder) in skip:
            dirs[:] = []
            continue
        visited.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith("."):
                yield Path(folder) / name


def _glob(pattern: str, skip: set[str]) -> tuple[Path, list[Path]]:
    """(root, matching non-folder paths) of a glob pattern.  A `**` pattern is matched over a
    walk of its root, which ends on symbolic link loops (glob.glob would follow them)."""
    cut = min(pattern.find(c) for c in _MAGIC if c in pattern)
    base = os.path.dirname(pattern[:cut])
    root = Path(base or ".")
    if "**" not in pattern:
        found = [Path(m) for m in sorted(glob.glob(pattern)) if not os.path.isdir(m)]
        return root, [m for m in found if not _under(m, skip)]
    rest = pattern[len(base):].lstrip("/") if base else pattern
    wanted = _pattern_regex(rest)
    return root, [f for f in sorted(_walk(root, skip))
                  if wanted.fullmatch(f.relative_to(root).as_posix())]


def _under(path: Path, folders: set[str]) -> bool:
    real = os.path.realpath(path)
    return any(real.startswith(f.rstrip("/") + "/") for f in folders)


def _pattern_regex(pattern: str) -> re.Pattern:
    """A glob pattern as a regular expression over `/`-separated paths: `**` is any number of
    folders, `*` and `?` stay inside one name."""
    names = pattern.split("/")
    rx = ""
    for k, name in enumerate(names):
        last = k == len(names) - 1
        if name == "**":
            rx += ".*" if last else "(?:[^/]+/)*"
            continue
        i = 0
        while i < len(name):
            c, j = name[i], name.find("]", i + 2)
            if c == "*":
                rx += "[^/]*"
            elif c == "?":
                rx += "[^/]"
            elif c == "[" and j > 0:
                body = name[i + 1:j]
                rx += "[" + ("^" + body[1:] if body.startswith("!") else body) + "]"
                i = j
            else:
                rx += re.escape(c)
            i += 1
        rx += "" if last else "/"
    return re.compile(rx)


def input_problem(path: str | os.PathLike) -> str | None:
    """Why `path` cannot be read as an input, from its metadata alone (a FIFO is never opened,
    so it cannot hang the run); None for a regular file or a folder."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"dangling symbolic link (to {printable_name(os.readlink(path))}, which does not exist)"
        return "no such file or folder"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"unreadable: {e.strerror or e}"
    for test, kind in _SPECIAL:
        if test(st.st_mode):
            return f"not a regular file ({kind}): skipped, not opened"
    return None


def doc_name(path: Path, root: Path) -> str:
    """The name a document carries: its path relative to the root (the file's own name when it
    lies elsewhere), printable whatever bytes the file system name holds."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    if rel.startswith(".."):
        rel = Path(path).name
    return printable_name(Path(rel).as_posix())


def printable_name(name: str) -> str:
    """A file name read from the file system, as text every output can hold: bytes that are no
    UTF-8 (Python keeps them as surrogates) are read as GB18030, as a name from Chinese Windows
    would be, else written as \\xNN escapes."""
    if not any("\udc80" <= ch <= "\udcff" for ch in name):
        return name
    raw = os.fsencode(name)
    try:
        text = raw.decode("gb18030")
        if text.isprintable():
            return text
    except UnicodeDecodeError:
        pass
    return raw.decode("utf-8", errors="backslashreplace")

"""Zip archives -> (member name, bytes) for each regular file member, with zip-bomb limits.

    for name, data in iter_zip("reports.zip"):
        if isinstance(data, FormatError):   # this member was refused or unreadable: say so, go on
            ...
        else:
            ...                             # bytes of the member, to be read by its suffix

A bad member (too large, suspicious compression ratio, bigger than declared, encrypted, damaged,
an unsupported compression method) is yielded as `(name, FormatError(reason))` and the iteration
goes on with the next member.  The archive as a whole raises FormatError: "corrupt zip: …" when
it is no readable zip, "encrypted zip member: …" when every file in it is encrypted, "too many
members: …" past `max_members`.

Member names: zip names without the UTF-8 flag (bit 11) are, in archives made on Chinese Windows,
GBK bytes, which Python's zipfile decodes as CP437 (`╬╩╝■.txt`).  They are re-encoded to their
raw bytes and decoded as: the Info-ZIP Unicode Path extra field when present and matching; else
strict UTF-8 (some tools write it without the flag); else GB18030; else the CP437 name is kept.
Backslashes written by some Windows tools are read as folder separators.  Names are not made safe
for writing to disk (`..`, absolute paths stay as they are): they are labels.

Skipped silently: folders, symbolic links, `__MACOSX/` resource forks, `.DS_Store`, `Thumbs.db`,
`desktop.ini`, Office lock files (`~$…`) and any path with a part starting with a dot (as
`reading.expand_inputs` skips hidden files).  Nested archives are yielded as bytes like any
member: a caller that opens them must apply its own depth and total limits.
"""
from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO, Union

from . import FormatError

__all__ = ["iter_zip", "member_name", "refusal"]

CHUNK = 64 * 1024
# what one member, and all of an archive's members together, may inflate to; the same limits
# hold for the parts of a Word document (itself a zip) and the streams of a PDF
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200
# a member smaller than this cannot be a bomb (its output is small whatever its ratio), and small
# repetitive files (a page of spaces, an empty form) legitimately compress more than 200:1
RATIO_MIN_BYTES = 1024 * 1024

_SKIP_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_UNICODE_PATH_EXTRA = 0x7075
_AES_METHOD = 99                     # WinZip AES: encrypted, whatever the flag says

ZipInput = Union[str, "os.PathLike[str]", bytes, BinaryIO]


def _unicode_path_extra(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field (0x7075), when its CRC matches the raw name."""
    extra = info.extra
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4:i + 4 + size]
        if tag == _UNICODE_PATH_EXTRA and len(body) >= 5 and body[0] == 1:
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
        i += 4 + size
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author wrote it (GBK names recovered), with `/` separators."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:      # not a name zipfile decoded as CP437: keep it
            raw = None
        if raw is not None and not raw.isascii():
            name = _unicode_path_extra(info, raw) or _decode_raw(raw) or name
    return name.replace("\\", "/")


def _decode_raw(raw: bytes) -> str | None:
    for codec in ("utf-8", "gb18030"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if text.isprintable():
            return text
    return None


def _skipped(info: zipfile.ZipInfo, name: str) -> bool:
    if info.is_dir() or name.endswith("/"):
        return True
    if info.create_system == 3:  # Unix: the mode says what kind of file it is
        mode = info.external_attr >> 16
        if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
            return True       # symbolic link, device, fifo
    parts = [p for p in name.split("/") if p]
    if not parts:
        return True
    if parts[0] == "__MACOSX" or parts[-1].lower() in _SKIP_NAMES or parts[-1].startswith("~$"):
        return True
    return any(p.startswith(".") and p not in {".", ".."} for p in parts)


def _declared_entries(fp) -> int | None:
    """The entry count of the end-of-central-directory record, read before zipfile builds a
    ZipInfo for every entry (a hostile archive can declare millions)."""
    try:
        endrec = zipfile._EndRecData(fp)  # noqa: SLF001  (stable since Python 2; zip64 aware)
        return endrec[zipfile._ECD_ENTRIES_TOTAL] if endrec else None  # noqa: SLF001
    except Exception:  # noqa: BLE001  (a missing private helper just skips the pre-check)
        return None
    finally:
        try:
            fp.seek(0)
        except (OSError, ValueError):
            pass  # not seekable: zipfile will say so


def _encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & 0x1) or info.compress_type == _AES_METHOD


def iter_zip(path: ZipInput, max_members: int = 10000,
             max_member_bytes: int = MAX_MEMBER_BYTES,
             max_total_bytes: int = MAX_TOTAL_BYTES,
             max_ratio: float = MAX_RATIO) -> Iterator[tuple[str, bytes | FormatError]]:
    """Yield (member name, bytes) for each regular file member of a zip, in archive order.

    `path` is a file path, the bytes of a zip, or a binary file object.  A member that is
    refused or cannot be read is yielded as (name, FormatError(reason)) and the iteration goes
    on; the archive as a whole raises FormatError ("corrupt zip: …", "encrypted zip member: …"
    when every file member is encrypted, "too many members: …").

    Limits, checked before decompressing: the declared uncompressed size of a member
    (`max_member_bytes`), its compression ratio (`max_ratio`, for members of at least
    `RATIO_MIN_BYTES`), the uncompressed bytes of all members yielded (`max_total_bytes`: a member
    that would pass it is refused, smaller ones after it may still fit).  While decompressing,
    a member that turns out bigger than declared, or than the limits, is stopped and refused.
    """
    if isinstance(path, (bytes, bytearray)):
        fp: BinaryIO = io.BytesIO(path)
        owned = False
    elif hasattr(path, "read"):
        fp = path  # type: ignore[assignment]
        owned = False
    else:
        try:
            fp = open(path, "rb")
        except OSError as e:
            raise FormatError(f"unreadable: {e.strerror or e}") from e
        owned = True
    try:
        declared = _declared_entries(fp)
        if declared is not None and declared > max_members:
            raise FormatError(f"too many members: {declared} (limit {max_members})")
        try:
            zf = zipfile.ZipFile(fp)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
                struct.error, NotImplementedError) as e:
            raise FormatError(f"corrupt zip: {e}") from e
        with zf:
            infos = zf.infolist()
            if len(infos) > max_members:
                raise FormatError(f"too many members: {len(infos)} (limit {max_members})")
            members = [(info, member_name(info)) for info in infos]
            members = [(info, name) for info, name in members if not _skipped(info, name)]
            if members and all(_encrypted(info) for info, _ in members):
                names = ", ".join(name for _, name in members[:3])
                more = f" and {len(members) - 3} more" if len(members) > 3 else ""
                raise FormatError(f"encrypted zip member: {names}{more} (every file in the "
                                  "archive needs a password)")
            total = 0
            for info, name in members:
                result = _read_member(zf, info, name, max_member_bytes,
                                      max_total_bytes - total, max_ratio)
                if isinstance(result, bytes):
                    total += len(result)
                yield name, result
    finally:
        if owned:
            fp.close()


def refusal(info: zipfile.ZipInfo, name: str, max_member_bytes: int = MAX_MEMBER_BYTES,
            budget: int = MAX_TOTAL_BYTES, max_ratio: float = MAX_RATIO) -> str | None:
    """Why a member is refused by its declared sizes (too large, a suspicious compression ratio,
    past what is left of the total), before it is inflated; None when it may be read.  zipfile
    stops a member at its declared size, so the declared sizes bound what is read."""
    size = info.file_size
    if size > max_member_bytes:
        return f"too large: {name}: {size} bytes uncompressed (limit {max_member_bytes})"
    if size >= RATIO_MIN_BYTES and size > max_ratio * max(info.compress_size, 1):
        ratio = size / max(info.compress_size, 1)
        return (f"refused, suspicious compression ratio: {name}: {size} bytes from "
                f"{info.compress_size} ({ratio:.0f}:1, limit {max_ratio:g}:1)")
    if size > budget:
        return (f"refused: {name}: {size} bytes would pass the archive's total limit "
                f"({max(budget, 0)} bytes left)")
    return None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, max_member_bytes: int,
                 budget: int, max_ratio: float) -> bytes | FormatError:
    if _encrypted(info):
        return FormatError(f"encrypted zip member: {name}")
    refused = refusal(info, name, max_member_bytes, budget, max_ratio)
    if refused:
        return FormatError(f"zip member {refused}")
    size = info.file_size
    cap = min(size, max_member_bytes, budget)
    chunks = []
    got = 0
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                if got > cap:
                    return FormatError(f"zip member bigger than declared: {name}: more than "
                                       f"{cap} bytes uncompressed, {size} declared; stopped")
                chunks.append(chunk)
    except zipfile.BadZipFile as e:
        # zipfile stops at the declared size, so a member bigger than declared fails its CRC
        return FormatError(f"corrupt zip member: {name}: {e} (data damaged, or not the "
                           "declared size)")
    except NotImplementedError as e:
        return FormatError(f"unsupported zip member: {name}: {e} "
                           f"(compression method {info.compress_type})")
    except RuntimeError as e:  # zipfile's word for an encrypted member
        return FormatError(f"encrypted zip member: {name}: {e}")
    except (zlib.error, EOFError, OSError, ValueError, struct.error) as e:
        return FormatError(f"corrupt zip member: {name}: {e}")
    if got != size:
        return FormatError(f"corrupt zip member: {name}: {got} bytes read, {size} declared")
    return b"".join(chunks)

"""Turn input files into decoded text: encodings detected by charset-normalizer, problems named."""
from __future__ import annotations

import codecs
import glob
import os
from pathlib import Path

import charset_normalizer

MAX_BYTES = int(os.environ.get("REPORT_FIGURES_MAX_BYTES", 50 * 1024 * 1024))
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}

# charset-normalizer names the simplified-Chinese legacy codecs in several ways; GB18030 is
# their superset, so any of them is decoded as GB18030 and never loses a character.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn", "iso2022_cn"}


_OTHER_CJK = {"big5", "big5hkscs", "cp950", "cp949", "euc_kr", "johab", "shift_jis", "cp932",
              "euc_jp", "iso2022_jp", "iso2022_kr"}


def _reads_as_simplified_chinese(data: bytes) -> bool:
    """True when `data` decodes strictly as GB18030 and its Han characters are nearly all
    among GB2312's 3,755 most common ones (lead bytes B0–D7), as in any real Chinese report."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    han = common = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            han += 1
            try:
                b = ch.encode("gb2312")
            except UnicodeEncodeError:
                continue
            common += 0xB0 <= b[0] <= 0xD7
    return han > 0 and common / han >= 0.8


class ReadError(Exception):
    """A file that cannot be turned into text; the message says why."""


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; return (text, encoding name)."""
    if not data:
        raise ReadError("empty file")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32"),
                      (codecs.BOM_UTF32_BE, "utf-32")):
        if data.startswith(bom) and not (name == "utf-16" and data.startswith(codecs.BOM_UTF32_LE)):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as e:
                raise ReadError(f"damaged {name} text at byte {e.start}") from e
    if b"\x00" in data[:8192]:
        # NUL bytes: UTF-16/32 without a BOM, or not text at all
        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is not None and best.encoding.lower().startswith(("utf_16", "utf_32")):
            return data.decode(best.encoding), best.encoding.replace("_", "-")
        raise ReadError("binary file, not text")
    if _looks_binary(data):
        raise ReadError("binary file, not text")
    try:  # the common case, and strict UTF-8 is never a false positive on Chinese text
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        # a UTF-8 file cut inside a character is still UTF-8: keep all but the broken tail
        if utf8_error.start >= len(data) - 3:
            return data[:utf8_error.start].decode("utf-8"), "utf-8"
        raise ReadError("undecodable: no text encoding fits")
    name = best.encoding.lower()
    if name in _GB_FAMILY or name.startswith("gb"):
        name = "gb18030"
    elif name in _OTHER_CJK and _reads_as_simplified_chinese(data):
        # on short texts the detector cannot tell GBK from Big5 or CP949 by statistics alone;
        # text that decodes as GB18030 into common simplified characters is GB18030
        name = "gb18030"
    try:
        return data.decode(name), name
    except UnicodeDecodeError:
        # detection looked only at the start; the rest must decode too, or we say so
        text = data.decode(name, errors="replace")
        bad = text.count("\ufffd")
        if bad > max(10, len(text) // 200):
            raise ReadError(f"undecodable as {name}: {bad} broken characters")
        return text, name


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control > len(head) // 20


def read_text(path: str | os.PathLike) -> tuple[str, str]:
    """Read a text file; raise ReadError with the reason when it cannot be used."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise ReadError(f"unreadable: {e.strerror or e}") from e
    if size > MAX_BYTES:
        raise ReadError(f"too large: {size} bytes (limit {MAX_BYTES})")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ReadError(f"unreadable: {e.strerror or e}") from e
    return decode(data)


def expand_inputs(inputs) -> list[tuple[Path, Path]]:
    """Files named by paths, folders (recursive) and glob patterns, as (file, root) pairs.

    The root is what `doc` names are relative to: the folder given, or the file's own folder.
    """
    out: list[tuple[Path, Path]] = []
    seen = set()

    def add(f: Path, root: Path):
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append((f, root))

    for item in inputs:
        item = str(item)
        p = Path(item)
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file() and not _hidden(x, p)):
                add(f, p)
        elif p.exists():
            add(p, p.parent)
        else:
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                out.append((p, p.parent))  # reported later as missing
            cut = min((item.find(c) for c in "*?[" if c in item), default=len(item))
            root = Path(os.path.dirname(item[:cut]) or ".")
            for m in matches:
                if Path(m).is_file():
                    add(Path(m), root)
    return out


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in f.relative_to(root).parts)

"""Turn input files into decoded text: encodings detected by charset-normalizer, problems named."""
from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import NamedTuple

import charset_normalizer

from .inputs import expand_inputs  # noqa: F401  (where callers found it before)

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


# a UTF-8 text with a few damaged bytes is kept (they become U+FFFD) when it has at least this
# many well-formed non-ASCII characters for each broken one; text in another encoding read as
# UTF-8 has far fewer well-formed characters than broken ones (GBK: about one in ten)
UTF8_GOOD_PER_BAD = 20


class Decoded(NamedTuple):
    text: str
    encoding: str       # a Python codec name as users know it: utf-8, gb18030, big5
    replaced: int = 0   # characters that could not be decoded, replaced by U+FFFD


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding; return (text, encoding name)."""
    text, name, _ = decode_text(data)
    return text, name


def codec_name(name: str) -> str:
    """The codec's standard name (utf-8, not utf_8 as the detector says it)."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def decode_text(data: bytes) -> Decoded:
    """Decode bytes of unknown encoding, saying how many characters had to be replaced."""
    text, name, replaced = _decode(data)
    return Decoded(text, codec_name(name), replaced)


def _decode(data: bytes) -> Decoded:
    if not data:
        raise ReadError("empty file")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32"),
                      (codecs.BOM_UTF32_BE, "utf-32")):
        if data.startswith(bom) and not (name == "utf-16" and data.startswith(codecs.BOM_UTF32_LE)):
            try:
                return Decoded(data.decode(name), name)
            except UnicodeDecodeError as e:
                raise ReadError(f"damaged {name} text at byte {e.start}") from e
    if b"\x00" in data[:8192]:
        # NUL bytes: UTF-16/32 without a BOM, or not text at all
        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is not None and best.encoding.lower().startswith(("utf_16", "utf_32")):
            return Decoded(data.decode(best.encoding), best.encoding)
        raise ReadError("binary file, not text")
    if looks_binary(data):
        raise ReadError("binary file, not text")
    try:  # the common case, and strict UTF-8 is never a false positive on Chinese text
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    damaged = _damaged_utf8(data, utf8_error)
    if damaged:
        return damaged
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        # a UTF-8 file cut inside a character is still UTF-8: keep all but the broken tail
        if utf8_error.start >= len(data) - 3:
            return Decoded(data[:utf8_error.start].decode("utf-8"), "utf-8")
        raise ReadError("undecodable: no text encoding fits")
    name = best.encoding.lower()
    if name in _GB_FAMILY or name.startswith("gb"):
        name = "gb18030"
    elif name in _OTHER_CJK and _reads_as_simplified_chinese(data):
        # on short texts the detector cannot tell GBK from Big5 or CP949 by statistics alone;
        # text that decodes as GB18030 into common simplified characters is GB18030
        name = "gb18030"
    try:
        return Decoded(data.decode(name), name)
    except UnicodeDecodeError:
        # detection looked only at the start; the rest must decode too, or we say so
        text = data.decode(name, errors="replace")
        bad = text.count("\ufffd")
        if bad > max(10, len(text) // 200):
            raise ReadError(f"undecodable as {codec_name(name)}: {bad} broken characters")
        return Decoded(text, name, bad)


def _damaged_utf8(data: bytes, error: UnicodeDecodeError) -> Decoded | None:
    """UTF-8 with a few broken bytes (a bad sector, a bad copy): the text with U+FFFD in their
    place; a text cut inside its last character loses that character only.  None when the
    bytes are not clearly UTF-8."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad    # non-ASCII, well formed
    if good < UTF8_GOOD_PER_BAD * bad:
        return None
    if error.start >= len(data) - 3 and bad == 1:
        try:
            return Decoded(data[:error.start].decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
    return Decoded(text, "utf-8", bad)


def looks_binary(data: bytes) -> bool:
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

"""What the streams of a PDF inflate to, measured before the PDF is parsed: pdfminer inflates a
stream whole in memory, so a few hundred KB of PDF can take gigabytes.  The zip limits of
formats.archive hold for each stream and for all of them together."""
from __future__ import annotations

import re
import zlib

from .archive import MAX_MEMBER_BYTES, MAX_RATIO, MAX_TOTAL_BYTES, RATIO_MIN_BYTES

CHUNK = 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")
_END = b"endstream"
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_FLATE = re.compile(rb"/FlateDecode|/Fl\b")
_DICT_BYTES = 2048        # how far back a stream's dictionary is looked for


def inflation_problem(data: bytes, max_stream: int = MAX_MEMBER_BYTES,
                      max_total: int = MAX_TOTAL_BYTES, max_ratio: float = MAX_RATIO) -> str | None:
    """Why the PDF is refused (a Flate stream that inflates past `max_stream`, or more than
    `max_ratio` times its size once past RATIO_MIN_BYTES, or all of them past `max_total`);
    None when it may be read.  Images are left out: text extraction never inflates them."""
    total = 0
    pos = 0
    while True:
        m = _STREAM.search(data, pos)
        if not m:
            return None
        end = data.find(_END, m.end())
        end = len(data) if end < 0 else end
        pos = end + len(_END)
        head = data[max(0, m.start() - _DICT_BYTES):m.start()]
        head = head[head.rfind(b"obj"):] if b"obj" in head else head
        if not _FLATE.search(head) or _IMAGE.search(head):
            continue
        compressed = end - m.end()
        allowed = min(max_stream, max_total - total, max(RATIO_MIN_BYTES, int(max_ratio * compressed)))
        size = _inflated_size(data, m.end(), end, allowed)
        if size > allowed:
            return (f"PDF refused: a stream of {compressed} bytes inflates to more than "
                    f"{allowed // 2**20} MB (limits: {max_stream // 2**20} MB a stream, "
                    f"{max_ratio:g}:1, {max_total // 2**20} MB in all)")
        total += size


def _inflated_size(data: bytes, start: int, end: int, cap: int) -> int:
    """Bytes the zlib stream in data[start:end] inflates to, counted a chunk at a time and
    stopped once past `cap`; a stream zlib cannot read counts what it gave before the error."""
    d = zlib.decompressobj()
    size = 0
    pending = memoryview(data)[start:end]
    try:
        while pending and size <= cap and not d.eof:
            size += len(d.decompress(pending, CHUNK))
            pending = d.unconsumed_tail
    except zlib.error:
        pass
    return size

"""Read full-width characters as ASCII and find web boilerplate, without moving any offset."""
from __future__ import annotations

from functools import lru_cache

import regex

from . import patterns

# One character in, one character out: offsets into the normalized text are offsets into the
# source text.  Full-width ASCII (U+FF01..U+FF5E) maps to ASCII, the ideographic space to a space.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH[0x00A0] = 0x20
_FULLWIDTH[0x2009] = 0x20
_FULLWIDTH[0xFEFF] = 0x20  # a BOM left inside the text


_MIDDLE_DOT = regex.compile(r"(?<=[0-9０-９])[·•∙](?=[0-9０-９])")


def normalize(text: str) -> str:
    """Full-width digits, letters and symbols read as their ASCII forms, a middle dot between
    digits as a decimal point (14·1％); same length as input."""
    return _MIDDLE_DOT.sub(".", text.translate(_FULLWIDTH))


@lru_cache(maxsize=None)
def _boilerplate_rules():
    data = patterns.load("boilerplate")
    line = regex.compile("|".join(f"(?:{p})" for p in data["line_patterns"]))
    always = regex.compile("|".join(f"(?:{p})" for p in data["always"]))
    return line, always, int(data["max_length"])


def boilerplate_spans(norm: str) -> list[tuple[int, int]]:
    """(start, end) of every line that is page furniture rather than report text."""
    line_re, always_re, max_len = _boilerplate_rules()
    spans = []
    pos = 0
    for line in norm.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped and ((len(stripped) <= max_len and line_re.search(body))
                         or always_re.search(body)):
            spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans

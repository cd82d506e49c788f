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


@lru_cache(maxsize=1)
def _traditional():
    """OpenCC's table of traditional characters and their simplified forms (the first of each
    entry), and the characters that only traditional text writes and only simplified text
    writes."""
    from importlib import resources
    import opencc   # opencc-python-reimplemented: only its dictionaries are used here

    folder = resources.files(opencc) / "dictionary"
    table = {}
    for line in (folder / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        trad, _, simp = line.partition("\t")
        first = simp.split()[0] if simp.split() else ""
        if len(trad) == 1 and len(first) == 1 and trad != first:
            table[ord(trad)] = ord(first)
    simplified = {line.split("\t")[0] for line in
                  (folder / "STCharacters.txt").read_text(encoding="utf-8").splitlines()}
    only = {c: None for c in table if chr(c) not in simplified}
    simple = {v: None for v in table.values() if v not in table}
    return table, only, simple    # as str.translate tables that delete them: counting is fast


def is_traditional(text: str) -> bool:
    """Written in traditional characters: among the characters that the two scripts write
    differently, more of the traditional forms than of the simplified ones (a simplified report
    quotes a traditional name now and then; 门诊 outweighs 臺灣)."""
    head = text[:20000]
    _, trad, simp = _traditional()
    found = len(head) - len(head.translate(trad))
    return found >= 2 and found > len(head) - len(head.translate(simp))


def normalize(text: str) -> str:
    """Full-width digits, letters and symbols read as their ASCII forms, a middle dot between
    digits as a decimal point (14·1％), and a text in traditional characters read in simplified
    ones, character by character (門診量達12.6萬人次 as 门诊量达12.6万人次); same length as input,
    so every offset into the result is an offset into the source."""
    out = _MIDDLE_DOT.sub(".", text.translate(_FULLWIDTH))
    return out.translate(_traditional()[0]) if is_traditional(out) else out


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


_CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\uFFFC]")


def printable(text: str) -> str:
    """Text to show (a figure's sentence): no control characters, no page break (\f) of a
    sentence that runs on to the next page, no table mark."""
    return _CONTROL.sub("", text)

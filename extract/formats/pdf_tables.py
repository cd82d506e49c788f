"""Tables on a PDF page read from the positions of its text, whatever their ruling: fully ruled,
ruled above and below only (statistical communiqués), or aligned columns with no rules.

pdfplumber gives the text lines of a page with their characters (`extract_text_lines`).  A table
row is a line whose characters fall into cells separated by wide gaps (wider than a space between
words of one cell, 指 标), at least one of them a number, with no sentence punctuation; a run of
such rows, with the header line above it (年末数（万人）, 比重（%）), is a table.  Each cell of a
row goes to the header cell it lies under.  A run at the top of a page with no header of its own
continues the table that ended the page before."""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import regex

_NUMBER = regex.compile(r"^[-+−]?[0-9][0-9,]*(?:\.[0-9]+)?\s*[%‰]?$")
_PROSE = regex.compile(r"[，。；;！？]|,\s")
_CAPTION = regex.compile(r"^\s*(?:表|附表)\s*[0-9一二三四五六七八九十]+")
# a page number on a line of its own: 5, - 5 -, 第5页, 5/13
PAGE_NUMBER = regex.compile(r"^\s*(?:[-—–]\s*)?(?:第\s*)?[0-9]{1,4}(?:\s*页)?(?:\s*[/／共]\s*[0-9]{1,4}\s*页?)?(?:\s*[-—–])?\s*$")


@dataclass
class Cell:
    text: str
    x0: float
    x1: float

    @property
    def numeric(self) -> bool:
        return bool(_NUMBER.match(self.text))


@dataclass
class Line:
    text: str
    top: float
    bottom: float
    cells: list[Cell]

    @property
    def row(self) -> bool:
        """A table row: a label or unit, then numbers, in cells apart; no sentence in it."""
        nums = sum(c.numeric for c in self.cells)
        return nums >= 1 and len(self.cells) >= 2 and not _PROSE.search(self.text) \
            and not _CAPTION.match(self.text)

    @property
    def prose(self) -> bool:
        return bool(_PROSE.search(self.text)) or len(self.cells) == 1 and len(self.text) > 25


@dataclass
class PageTable:
    """A table found on a page: header cells, rows aligned to them, and where it lies."""
    header: list[Cell]
    rows: list[list[str]]
    top: float
    bottom: float
    lines: list[int] = field(default_factory=list)     # indices of the page's lines it takes
    caption: str = ""
    continued: bool = False        # the rows go on from the table that ended the page before


def _with_subscripts(text_lines: list[dict]) -> list[list[dict]]:
    """The characters of each line, a line of subscripts (PM₂.₅, set in a smaller size on a
    lower baseline, which pdfplumber reads as a line of its own) put back into the line above
    at their places."""
    sizes = sorted(c["size"] for tl in text_lines for c in tl["chars"] if c["text"].strip())
    if not sizes:
        return []
    body = sizes[len(sizes) // 2]
    out: list[list[dict]] = []
    for tl in text_lines:
        chars = [c for c in tl["chars"] if c["text"].strip()]
        if not chars:
            continue
        small = all(c["size"] < 0.8 * body for c in chars) and len(chars) <= 12
        if small and out and 0 < chars[0]["top"] - out[-1][0]["top"] < body:
            out[-1] = sorted(out[-1] + chars, key=lambda c: c["x0"])
            continue
        out.append(chars)
    return out


def page_lines(page) -> list[Line]:
    """The text lines of a pdfplumber page, each cut into cells at wide gaps."""
    out = []
    for chars in _with_subscripts(page.extract_text_lines(return_chars=True, strip=True)):
        size = statistics.median(c["x1"] - c["x0"] for c in chars) or 5.0
        wide = max(15.0, 1.5 * size)      # a space inside a cell (指 标) is narrower
        cells, cur = [], [chars[0]]
        for a, b in zip(chars, chars[1:]):
            if b["x0"] - a["x1"] > wide:
                cells.append(cur)
                cur = []
            cur.append(b)
        cells.append(cur)
        out.append(Line(_joined(chars), min(c["top"] for c in chars), max(c["bottom"] for c in chars),
                        [Cell(_joined(cs), cs[0]["x0"], cs[-1]["x1"]) for cs in cells]))
    return out


def _joined(chars, x_tolerance: float = 3.0) -> str:
    """The characters of a cell, a space where the layout leaves one wider than pdfplumber's
    word tolerance (指 标 as the page shows it)."""
    out = chars[0]["text"]
    for a, b in zip(chars, chars[1:]):
        out += (" " if b["x0"] - a["x1"] > x_tolerance else "") + b["text"]
    return out


def find_tables(lines: list[Line], previous: PageTable | None = None) -> list[PageTable]:
    """The tables among a page's lines.  `previous` is the table that ended the page before, if
    any: a headerless run at the top of this page continues it."""
    tables, i, n = [], 0, len(lines)
    first_prose = next((k for k, ln in enumerate(lines) if ln.prose), n)
    while i < n:
        if not lines[i].row:
            i += 1
            continue
        start = i
        j = i
        while j < n and (lines[j].row or _label_only(lines, j)):
            j += 1
        while j > start and not lines[j - 1].row:     # a label line at the end belongs to none
            j -= 1
        rows = [k for k in range(start, j) if lines[k].row]
        if len(rows) >= 2:
            h = start - 1
            header_ok = h >= 0 and _header(lines[h])
            caption = lines[h - 1].text if header_ok and h >= 1 and _CAPTION.match(lines[h - 1].text) else ""
            if header_ok:
                tables.append(_aligned(lines, lines[h].cells, h, start, j, caption))
            elif previous is not None and start <= first_prose and not tables:
                t = _aligned(lines, previous.header, None, start, j, previous.caption)
                t.continued = True
                tables.append(t)
            elif start == 0 or lines[start - 1].prose or _CAPTION.match(lines[start - 1].text):
                tables.append(_aligned(lines, _columns(lines[start:j]), None, start, j, ""))
        i = max(j, i + 1)
    return tables


def _label_only(lines: list[Line], k: int) -> bool:
    """A line inside a table that holds a label and no number (在总计中：, a wrapped label)."""
    ln = lines[k]
    return not ln.prose and not any(c.numeric for c in ln.cells) and len(ln.text) <= 20 \
        and not _CAPTION.match(ln.text) and not PAGE_NUMBER.match(ln.text)


def _header(ln: Line) -> bool:
    return not ln.prose and not _CAPTION.match(ln.text) and len(ln.cells) >= 2 \
        and sum(c.numeric for c in ln.cells) < len(ln.cells) / 2


def _columns(lines: list[Line]) -> list[Cell]:
    """Column cells for a table without a header: the widest row's cells."""
    return max((ln.cells for ln in lines), key=len)


def _aligned(lines: list[Line], header: list[Cell], h: int | None, start: int, end: int,
             caption: str) -> PageTable:
    rows = []
    taken = ([h] if h is not None else []) + list(range(start, end))
    for k in range(start, end):
        row = [""] * len(header)
        for cell in lines[k].cells:
            c = _column_of(cell, header)
            row[c] = (row[c] + " " + cell.text).strip() if row[c] else cell.text
        rows.append(row)
    top = lines[h if h is not None else start].top
    return PageTable(list(header), rows, top, lines[end - 1].bottom, taken, caption)


def _column_of(cell: Cell, header: list[Cell]) -> int:
    """The header cell a cell lies under: the one it overlaps most, else the nearest; a number is
    right-aligned under its header as a rule, a label starts under the first."""
    best, best_overlap = 0, 0.0
    for c, hc in enumerate(header):
        overlap = min(cell.x1, hc.x1) - max(cell.x0, hc.x0)
        if overlap > best_overlap:
            best, best_overlap = c, overlap
    if best_overlap > 0:
        return best
    mid = (cell.x0 + cell.x1) / 2
    return min(range(len(header)), key=lambda c: abs((header[c].x0 + header[c].x1) / 2 - mid))

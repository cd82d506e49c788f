"""Report tables: written into the text (so every cell has offsets), and each numeric cell read
as a figure whose subject is its row label and whose period or unit is in its column header."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .cleaning import normalize
from .figures import find_candidates, rules
from .formats import Table
from .formats import TABLE_MARK
from .model import Figure
from .numbers import scaled
from .periods import describe, time_spans

SEP = " | "
_PAREN_UNIT = regex.compile(r"[(（]\s*([^()（）]{1,8})\s*[)）]\s*$")
_TAIL_UNIT = regex.compile(r"\p{Han}\s*([%‰])\s*$")          # 增长%, 比重%
_NUMBER = regex.compile(r"^[-+−]?[0-9][0-9,]*(?:\.[0-9]+)?$")
_CHANGE_HEADER = regex.compile(r"增长|增幅|同比|比上年|增减")
_TARGET_HEADER = regex.compile(r"目标|计划|预计")


@dataclass
class Layout:
    table: Table
    start: int
    end: int
    rows: list[tuple[int, int]] = field(default_factory=list)
    cells: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


def render(text: str, tables: list[Table]) -> tuple[str, list[Layout]]:
    """Write each table into the text, one row per line with cells joined by " | ": in place
    of its TABLE_MARK (Word), else after the text (PDF pages, web pages)."""
    chunks = text.split(TABLE_MARK)
    out: list[str] = []
    layouts = []
    pos = 0

    def emit(s: str) -> None:
        nonlocal pos
        out.append(s)
        pos += len(s)

    for i, table in enumerate(tables):
        if i < len(chunks) - 1:
            emit(chunks[i])                 # the text up to this table's mark
        else:
            if i == len(chunks) - 1:
                emit(chunks[i])             # the rest of the text, then the unmarked tables
            emit("\n\n")
        lay = Layout(table, pos, pos)
        for r, row in enumerate(table.rows):
            if r:
                emit("\n")
            row_start = pos
            for c, cell in enumerate(row):
                if c:
                    emit(SEP)
                cell = (cell or "").replace("\n", "").replace("|", "/")
                lay.cells[(r, c)] = (pos, pos + len(cell))
                emit(cell)
            lay.rows.append((row_start, pos))
        lay.end = pos
        layouts.append(lay)
    for rest in chunks[len(tables):]:
        emit(rest)
    return "".join(out), layouts


def _is_number(s: str) -> bool:
    return bool(_NUMBER.match(s.replace(" ", "")))


def _unit_info(raw: str):
    """(base unit, kind, scale) of a unit written in a header: 万元 -> (元, money, 10000)."""
    r = rules()
    raw = raw.strip().replace("％", "%")
    scale = 1.0
    sm = r.scale_re.match(raw)
    if sm and raw[sm.end():] in r.units:
        scale, raw = r.scales[sm.group()], raw[sm.end():]
    if raw in r.units:
        base, kind = r.units[raw]
        return base, kind, scale
    return None


@lru_cache(maxsize=1)
def _row_marks():
    from . import patterns
    return regex.compile("^(?:" + "|".join(patterns.load("subjects").get("table_row_marks", [])) + ")+")


def _without_marks(label: str) -> str:
    """其中：城镇 -> 城镇, #铁路 -> 铁路: the row's subject without its place in the hierarchy."""
    return _row_marks().sub("", label).strip() or label


def table_figures(text: str, lay: Layout, doc: str, year: int | None, section: str) -> list[Figure]:
    """A figure for each numeric cell of a table laid out in `text`."""
    rows = lay.table.rows
    if len(rows) < 2:
        return []
    header = rows[0]
    unit_col = next((c for c, h in enumerate(header) if "单位" in h), None)
    out = []
    for r in range(1, len(rows)):
        row = rows[r]
        label = row[0].strip() if row else ""
        if not label or _is_number(label):
            continue
        pu = _PAREN_UNIT.search(label)
        if pu and _unit_info(pu.group(1)) is None:
            pu = None               # 薯类（鲜薯）: an aside of the label, not its unit
        subject = _without_marks(label[:pu.start()].strip() if pu else label)
        row_unit = pu.group(1) if pu else (row[unit_col].strip() if unit_col is not None and unit_col < len(row) else "")
        row_line = text[lay.rows[r][0]:lay.rows[r][1]]
        for c in range(1, len(row)):
            if c == unit_col or (r, c) not in lay.cells:
                continue
            start, end = lay.cells[(r, c)]
            cell = text[start:end]
            head = header[c] if c < len(header) else ""
            f = _cell_figure(cell, start, head, row_unit, year, lay.table.caption)
            if f is None:
                continue
            f.doc, f.subject, f.section, f.sentence = doc, subject, section, row_line
            out.append(f)
    return out


def _cell_figure(cell: str, start: int, head: str, row_unit: str, year: int | None,
                 caption: str = "") -> Figure | None:
    norm = normalize(cell).strip()
    if not norm:
        return None
    lead = len(cell) - len(cell.lstrip())
    hp = _PAREN_UNIT.search(head) or _TAIL_UNIT.search(head)
    head_unit = hp.group(1) if hp else ""
    role = "change" if _CHANGE_HEADER.search(head) else ("target" if _TARGET_HEADER.search(head) else "value")
    # a change column names the year it compares with (比上年增长): that is its base, not its period
    spans = [] if role == "change" else time_spans(normalize(head), 0, len(head))
    if not spans and caption and role != "change":     # 表1 2023年末…: the caption's time
        spans = time_spans(normalize(caption), 0, len(caption))
    period = describe(spans[-1], year) if spans else (f"{year}年" if year else "")
    if _is_number(norm):
        value = float(norm.replace(",", "").replace("−", "-"))
        # the column's own unit first (比上年增长（%）), then the row's (单位: 吨)
        info = _unit_info(head_unit) or (("%", "percent", 1.0) if role == "change" else None) \
            or _unit_info(row_unit)
        # a 单位 column's unit that the unit table lacks (蒸发量吨) is kept as written
        base, kind, scale = info if info else (row_unit.strip(), "other", 1.0)
        return Figure(doc="", start=start + lead, end=start + lead + len(norm), surface=cell.strip(),
                      value=scaled(value, scale) if scale != 1 else value, unit=base,
                      raw_unit=row_unit or head_unit, kind=kind, role=role, period=period)
    cands = find_candidates(norm)
    if len(cands) != 1:
        return None
    c = cands[0]
    return Figure(doc="", start=start + lead + c.start, end=start + lead + c.end,
                  surface=cell.strip()[c.start:c.end], value=c.value, value_max=c.value_max,
                  unit=c.unit, raw_unit=c.raw_unit, kind=c.kind, qualifier=c.qualifier, role=role,
                  period=period)

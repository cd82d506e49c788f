"""The part a figure plays in its sentence: a value, the two ends of a change, the amount of a
change, a comparison base, or a target."""
from __future__ import annotations

from functools import lru_cache

import regex

from . import patterns


@lru_cache(maxsize=1)
def _rules():
    d = patterns.load("roles")
    alt = patterns.alternation
    fill = f"(?:{alt(d['change_fillers'])})*"
    return {
        "up": regex.compile(f"(?:{alt(d['change_up'])}){fill}\\s*$"),
        "down": regex.compile(f"(?:{alt(d['change_down'])}){fill}\\s*$"),
        "from": regex.compile(f"(?:{alt(d['change_from'])})[^，。；;,]{{0,20}}$"),
        "to": regex.compile(f"^\\s*(?:{alt(d['change_to'])})"),
        "to_end": regex.compile(f"(?:{alt(d['change_to'])})\\s*$"),
        "base": regex.compile(f"(?:(?:{alt(d['comparison_base'])})\\s*(?:(?P<y>(?:19|20)[0-9]{{2}})\\s*年?(?:同期)?|上年(?:同期)?|去年(?:同期)?|同期)|同比)[\\p{{Han}}()（）]{{0,10}}$"),
        "target": regex.compile("|".join(d["target_words"])),
        "target_heading": regex.compile("|".join(d["target_headings"])),
    }


def role_of(norm: str, clause: tuple[int, int], start: int, end: int, prev_end: int | None,
            next_start: int | None, section: str) -> tuple[str, int, int | None]:
    """(role, sign, comparison-base year) of the figure at [start, end) in its clause.

    `prev_end`/`next_start` are the neighbouring figures in the same clause, if any."""
    r = _rules()
    c0, c1 = clause
    left = norm[(prev_end if prev_end is not None else c0):start]
    right = norm[end:(next_start if next_start is not None else c1)]
    if prev_end is not None and r["to_end"].search(left) and r["from"].search(norm[c0:prev_end]):
        return "after", 1, None
    if next_start is not None and r["to"].search(right) and r["from"].search(left):
        return "before", 1, None
    if r["down"].search(left):
        return "change", -1, None
    if r["up"].search(left):
        return "change", 1, None
    base = r["base"].search(left)
    if base and (next_start is not None or regex.match(r"\s*(?:减少|增加|下降|上升|增长|降低|提高)", right)):
        return "before", 1, int(base.group("y")) if base.group("y") else None
    if _glued_year(norm, start, c0):
        return "before", 1, int(norm[start - 4:start])
    if r["target"].search(norm[c0:c1]) or (section and r["target_heading"].search(section.split(" > ")[0])):
        return "target", 1, None
    return "value", 1, None


_GLUED = regex.compile(r"(?:同比|较|比|比较|相比)\s*((?:19|20)[0-9]{2})$")


def _glued_year(norm: str, start: int, c0: int) -> bool:
    """同比2019136375人: the figure starts right after a year that lost its 年."""
    return bool(_GLUED.search(norm[max(c0, start - 10):start]))

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
        "review_heading": regex.compile("|".join(d["review_headings"])),
        "estimate": regex.compile("|".join(d["estimate_words"])),
        "marker": r"[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分",
        "review_opening": regex.compile("|".join(d["review_headings"] + d["review_openings"])),
        "plan_words": patterns.alternation(d["plan_part_words"]),
        "review_paragraph": regex.compile(r"(?:^|(?<=[。！？]))[^\S\n]*(?:" + "|".join(d["review_openings"]) + ")", regex.M),
        "target_list": regex.compile(f"(?:{alt(d['target_lists'])})[^。；;\\n]{{0,8}}?(?:是|为|建议为)?\\s*[：:]"),
    }


def role_of(norm: str, clause: tuple[int, int], start: int, end: int, prev_end: int | None,
            next_start: int | None, section: str, planned: bool = False,
            covered: int | None = None, looking_back: bool = False) -> tuple[str, int, int | None, bool]:
    """(role, sign, comparison-base year, target) of the figure at [start, end) in its clause.

    `prev_end`/`next_start` are the neighbouring figures in the same clause, if any; `planned`
    says the figure stands in a plan (see plan_scopes); `covered` is the year the
    report covers, so that a section headed by a later year (二、2025年重点工作) is a plan;
    `looking_back` says the figure stands where a plan part looks back (过去一年，…), where
    only a plan word of its own clause makes it a target.
    `target` is true for a plan or expectation whatever the role: 增长5.5%左右 among the
    主要预期目标 is a change (role) and a target."""
    r = _rules()
    c0, c1 = clause
    left = norm[(prev_end if prev_end is not None else c0):start]
    right = norm[end:(next_start if next_start is not None else c1)]
    target = (planned and not looking_back) or _planned(norm[c0:c1], section, covered, r, looking_back)
    if prev_end is not None and r["to_end"].search(left) and r["from"].search(norm[c0:prev_end]):
        return "after", 1, None, target
    if next_start is not None and r["to"].search(right) and r["from"].search(left):
        return "before", 1, None, False
    if r["down"].search(left):
        return "change", -1, None, target
    if r["up"].search(left):
        return "change", 1, None, target
    base = r["base"].search(left)
    if base and (next_start is not None or regex.match(r"\s*(?:减少|增加|下降|上升|增长|降低|提高)", right)):
        return "before", 1, int(base.group("y")) if base.group("y") else None, False
    if _glued_year(norm, start, c0):
        return "before", 1, int(norm[start - 4:start]), False
    if target:
        return "target", 1, None, True
    return "value", 1, None, False


def _planned(clause: str, section: str, covered: int | None, r, looking_back: bool = False) -> bool:
    """A plan word in the clause (an estimate, 预计, only outside a review), or a plan section:
    one headed 打算/计划/目标/安排, or by a year after the one the report covers."""
    top = section.split(" > ")[0] if section else ""
    review = looking_back or bool(top and r["review_heading"].search(top))
    for m in r["target"].finditer(clause):
        if not (review and r["estimate"].fullmatch(m.group())):
            return True
    if not top or review:
        return False
    if r["target_heading"].search(top):
        return True
    years = [int(y) for y in regex.findall(r"((?:19|20)[0-9]{2})\s*年", top)]
    return bool(covered and years and min(years) > covered)


def plan_scopes(norm: str, parts=()) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(plans, looking back): spans of text whose figures are targets, and spans that look back.

    Plans are the lists of targets (from 主要预期目标是： to the end of its paragraph) and the
    plan part of a report delivered after the year it reviews (a government work report: from
    its first plan heading, 二、2025年工作安排 or 今年…的总体要求, or a paragraph opening
    2025年是…, to its end).  Such a report looks back in its review (from its start to that
    heading) and wherever a sentence opens with 过去一年/一年来/去年: there 预计 estimates the
    reviewed year's result, and what looks back is no plan.  `parts` are the reports of the
    text (extract.model.Part)."""
    r = _rules()
    plans, back = [], []
    for m in r["target_list"].finditer(norm):
        end = norm.find("\n", m.end())
        plans.append((m.start(), len(norm) if end < 0 else end))
    for p in parts:
        if p.year and p.present and p.present > p.year:
            start = _plan_part(norm, p.start, p.end, p.present)
            if start is not None:
                plans.append((start, p.end))
                back.append((p.start, start))
            back += review_spans(norm, p.start, p.end)
    return plans, back


def review_spans(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """What looks back inside [start, end): from a sentence that opens with 过去一年/一年来/去年
    to the end of its paragraph."""
    out = []
    for m in _rules()["review_paragraph"].finditer(norm, start, end):
        stop = norm.find("\n", m.end())
        out.append((m.start(), end if stop < 0 or stop > end else stop))
    return out


def _plan_part(norm: str, start: int, end: int, present: int) -> int | None:
    """Where the plan part of a report that looks ahead to `present` begins."""
    review = _rules()["review_opening"].search(norm, start, end)   # the plan follows the review
    if not review:
        return None
    m = _plan_opening(present).search(norm, review.end(), end)
    return m.start() if m else None


@lru_cache(maxsize=64)
def _plan_opening(present: int):
    """A plan heading (one naming `present` or 今年, or a plan word) or a paragraph `2025年是…`."""
    r = _rules()
    year = rf"(?:{present}\s*年|今年)"
    return regex.compile(
        rf"^[^\S\n]*(?:(?:{r['marker']})[^\S\n]*)?(?:[^\n。！？]{{0,30}}{year}[^\n。！？]{{0,30}}|"
        rf"[^\n。！？]{{0,30}}(?:{r['plan_words']})[^\n。！？]{{0,20}})[^\S\n]*$"
        rf"|^[^\S\n]*{year}是", regex.M)


_GLUED = regex.compile(r"(?:同比|较|比|比较|相比)\s*((?:19|20)[0-9]{2})$")


def _glued_year(norm: str, start: int, c0: int) -> bool:
    """同比2019136375人: the figure starts right after a year that lost its 年."""
    return bool(_GLUED.search(norm[max(c0, start - 10):start]))

"""Time expressions: the period a figure refers to, and the year a report covers."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

import regex

from . import patterns


@lru_cache(maxsize=1)
def _rules():
    data = patterns.load("periods")
    expr = regex.compile("|".join(f"(?:{p})" for p in data["expressions"]))
    return expr, data["relative_years"], set(data["spoken_relative"])


def time_spans(norm: str, start: int, end: int) -> list:
    """Matches of time expressions in norm[start:end], in order."""
    expr = _rules()[0]
    return list(expr.finditer(norm, start, end))


def describe(m, year: int | None, prev=None, present: int | None = None) -> str:
    """A period in the report's own words, with the year filled in: 2023年1-9月, 2020年上半年.
    `present` is the year the report is spoken in, when it is not the year it covers: a
    government work report delivered in 2025 reviews 2024, and its 今年 is 2025, its 去年 2024."""
    _, relative, spoken = _rules()
    g = {k: v for k, v in m.groupdict().items() if v}
    y = g.get("y")
    if not y and prev is not None and prev.end() >= m.start() - 3 and prev.groupdict().get("y") \
            and not any(prev.groupdict().get(k) for k in ("m1", "part", "y2", "since")):
        y = prev.group("y")        # 2020年截至目前: the year stated just before
    if "n" in g and year:               # 近3年 -> the three years ending with the report's
        from .numbers import parse_number
        n = parse_number(g["n"])
        if n:
            return f"{year - int(n) + 1}-{year}年"
    if "rel" in g:
        off = relative.get(g["rel"], 0)
        base = present if present is not None and g["rel"] in spoken else year
        return f"{base + off}年" if base else ""
    yp = f"{y}年" if y else (f"{year}年" if year else "")
    if "y2" in g:
        return f"{y}-{g['y2']}年"
    if "todate" in g:
        return f"{yp}截至目前"
    if "since" in g:
        return f"{y}年{g['m1']}月以来" if "m1" in g else f"{y}年以来"
    if "d2" in g:                   # 截止到1220日: month and day glued
        d2 = g["d2"]
        return f"{yp}截至{int(d2[:-2])}月{int(d2[-2:])}日"
    text = m.group()
    if text.startswith(("截至", "截止", "到")):
        if "m1" in g:
            tail = f"{g['d']}日" if "d" in g else ("底" if "end" in g or text.endswith(("底", "末")) else "")
            return f"{yp}截至{g['m1']}月{tail}"
        if "part" in g:
            return f"{yp}截至年底"
    if "m2" in g:
        return f"{yp}{g['m1']}-{g['m2']}月"
    if "part" in g:
        part = g["part"]
        if part in ("底", "末", "年底", "年末"):
            return f"{yp}截至年底"      # a year-end stock is as of the year's end (2023年末)
        return f"{yp}{part}"
    return yp


_YEAR_IN_TEXT = regex.compile(r"(?<![0-9\-—~])((?:19|20)[0-9]{2})\s*年(?!\s*[-—~至到]\s*(?:19|20))")
_PLANNED = regex.compile(r"(?:到|至|在|于|力争|计划|预计|规划)\s*$")
# The date a report was delivered to a people's congress: Arabic or Chinese numerals (二〇二五年
# 一月十五日), spaces and line breaks anywhere, a speaker's name and title before 在.
_CN_DIGIT = "〇零○Ｏ一二三四五六七八九"
_DELIVERED = regex.compile(
    rf"((?:19|20)[0-9]{{2}}|[一二][{_CN_DIGIT}]{{3}})\s*年\s*[0-9{_CN_DIGIT}十]{{1,3}}\s*月"
    rf"\s*[0-9{_CN_DIGIT}十]{{1,3}}\s*日[^。！？]{{0,60}}?在[^。！？]{{0,60}}?(?:人民代表大会|人代会)")


def _year_number(y: str) -> int:
    """2025 from "2025" or from "二〇二五"."""
    if y.isdigit():
        return int(y)
    return int("".join(str(max(0, _CN_DIGIT.index(ch) - 3)) for ch in y))   # 〇零○Ｏ are 0


def delivered(text: str) -> int | None:
    """The year a report was delivered to a people's congress, from a date near its start."""
    d = _DELIVERED.search(text)
    return _year_number(d.group(1)) if d else None


_DELIVERY_OPENING = regex.compile(r"向[^，,。]{0,24}(?:大会|会议)\s*(?:作|报告)|代表[^，,。]{0,12}(?:政府|国务院)\s*[，,]?\s*(?:作|报告)[^，,。]{0,4}工作")
_PRESENT = regex.compile(r"(?:^|[。！？])[^\S\n]*((?:19|20)[0-9]{2})\s*年\s*[，,]?\s*是", regex.M)
_REVIEW = regex.compile(r"((?:19|20)[0-9]{2})\s*年[^\n。，,]{0,8}回顾|过去(?:的)?[一二三四五]年|刚刚过去的一年|去年工作回顾")


def reviews_past(title: str, body: str) -> bool:
    """A report delivered after the year it covers: a delivery date, or a review of 过去一年."""
    return bool(delivered((title or "") + "\n" + body[:800]) or _REVIEW.search(body[:5000]))


def report_year(title: str, body: str) -> int | None:
    """The year a report covers: the first year in its title ("2020年工作总结及2021年工作打算"
    covers 2020); for a government work report delivered to a people's congress, the year
    before the delivery; else the year its text speaks of most among the latest two, leaving
    out cited titles and years that are plans (到2025年)."""
    m = _YEAR_IN_TEXT.search(title or "")
    if m and "政府工作报告" not in (title or "").replace(" ", ""):
        return int(m.group(1))
    d = delivered((title or "") + "\n" + body[:800])
    if d:
        return d - 1
    review = _REVIEW.search(body[:5000])
    if review and review.group(1):          # 一、2024年工作回顾
        return int(review.group(1))
    if m:                                   # 2025年政府工作报告 that reviews 过去一年
        return int(m.group(1)) - 1 if review else int(m.group(1))
    if review and _DELIVERY_OPENING.search(body[:400]):
        present = _PRESENT.search(body)       # 2011年，是"十二五"开局之年: the year it is spoken in
        if present:
            return int(present.group(1)) - 1
        # 一、过去一年工作回顾 / 过去五年工作回顾: the year the review speaks of most
        after = body[review.end():review.end() + 3000]
        years = Counter(int(x.group(1)) for x in _YEAR_IN_TEXT.finditer(after)
                        if not _PLANNED.search(after[max(0, x.start() - 3):x.start()]))
        if years:
            latest = max(years)
            return max((y for y in years if y >= latest - 1), key=lambda y: (years[y], y))
    plain = regex.sub(r"《[^》]{0,80}》", "", body)
    years = [int(x.group(1)) for x in _YEAR_IN_TEXT.finditer(plain)
             if not _PLANNED.search(plain[max(0, x.start() - 3):x.start()])]
    if not years:   # a plan with no past year in it covers the year it plans for
        years = [int(x.group(1)) for x in _YEAR_IN_TEXT.finditer(plain)]
    if not years:
        return None
    counts = Counter(years)
    latest = max(counts)
    recent = [y for y in counts if y >= latest - 1]
    return max(recent, key=lambda y: (counts[y], y))


_HALF_TITLE = regex.compile(r"上半年|半年")
_HALF_OPENING = regex.compile(r"上半年[^。]{0,24}(?:总结|工作|情况|汇报)")


def report_part(title: str, body: str) -> str:
    """"上半年" for a half-year report (title, or an opening that says so), else ""."""
    if _HALF_TITLE.search(title or "") or _HALF_OPENING.search(body[:600]):
        return "上半年"
    return ""

"""What places a report: its region (from JioNLP's gazetteer of China's administrative
divisions), the year it covers, its type, and where a file glues several reports together."""
from __future__ import annotations

import contextlib
import io
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import regex

from .segment import heading_at

_ANON = regex.compile(r"(?<![A-Za-z])([XＸ×]{1,3}(?:自治县|自治州|县|区|市|州|旗|省|镇|乡))")
_SELF = regex.compile(r"(?:卫生健康局|卫健局|卫健委|卫生局|人民政府|政府|人民代表大会|人大)")


@dataclass
class Region:
    county: str = ""        # county-level unit as written in full (东安县, 海拉尔区), or an anonymised X县
    city: str = ""
    province: str = ""
    anonymised: bool = False
    national: bool = False  # the State Council's report: the whole country


_CONGRESS = regex.compile(r"在([^，。\n]{2,24}?)第[一二三四五六七八九十百0-9]+届人民代表大会")
# the opening of a report delivered for the whole country (我代表国务院，向大会报告政府工作)
_NATIONAL = regex.compile(r"代表国务院")


@lru_cache(maxsize=1)
def _gazetteer():
    """County-level and city-level names -> (county, city, province), from JioNLP's admin data."""
    with contextlib.redirect_stdout(io.StringIO()):   # JioNLP greets on stdout when imported
        import jionlp as jio
        loc = jio.china_location_loader()
    counties: dict[str, list[tuple[str, str, str]]] = {}
    cities: dict[str, tuple[str, str]] = {}
    provinces: set[str] = set()
    aliases: dict[str, str] = {}       # full name -> short name (海拉尔区 -> 海拉尔)
    for prov, pv in loc.items():
        provinces.add(prov)
        for city, cv in pv.items():
            if city.startswith("_"):
                continue
            cities[city] = (city, prov)
            for county, info in cv.items():
                if not county.startswith("_"):
                    counties.setdefault(county, []).append((county, city, prov))
                    alias = info.get("_alias") if isinstance(info, dict) else None
                    if alias and len(alias) >= 3 and alias != county:   # 祁连 would match 祁连山
                        aliases[county] = alias
    names = {n for n in set(counties) | set(cities) | provinces if len(n) >= 3}
    # short names a title may use for a province or a prefecture: 广西, 新疆; 恩施州, 延边州
    short: dict[str, str] = {}
    for prov, pv in loc.items():
        for a in _listed(pv.get("_alias")):
            if len(a) >= 2 and a != prov:
                short[a] = prov
        for city, cv in pv.items():
            if city.startswith("_") or not isinstance(cv, dict):
                continue
            for a in _listed(cv.get("_alias")):
                if len(a) >= 2 and a != city:
                    for suffix in ("州", "盟", "地区", "市"):
                        short.setdefault(a + suffix, city)
    return counties, cities, provinces, aliases, names, short


_SUFFIX = regex.compile(r"(?:县|区|市|旗|州|省|盟)")


def _name_ending(text: str, end: int, names: set) -> str:
    """The longest known admin name ending at `end` (a set lookup per length, far cheaper
    than one regular expression of 3,000 names)."""
    for length in range(min(12, end), 2, -1):
        if text[end - length:end] in names:
            return text[end - length:end]
    return ""


def _names_in(text: str, names: set) -> list[str]:
    return [n for m in _SUFFIX.finditer(text) if (n := _name_ending(text, m.end(), names))]


def _listed(alias) -> list[str]:
    """JioNLP gives a province's alias as a string, a city's as a list."""
    return [alias] if isinstance(alias, str) else list(alias or [])


def _short_name(title: str, short: dict[str, str]) -> str:
    """The full name of the longest short name in a title."""
    best = ""
    for length in range(6, 1, -1):
        for i in range(len(title) - length + 1):
            piece = title[i:i + length]
            if piece in short and not best:
                best = short[piece]
        if best:
            return best
    return ""


def find_region(title: str, text: str) -> Region:
    """The region a report speaks for: a county or city named in its title, or named often in
    its text (a name met once or twice is usually a partner: 锦江区妇幼保健院大力支援下)."""
    if _NATIONAL.search((title or "") + text[:600]):
        return Region(national=True)
    anon = _ANON.search(title) or _ANON.search(text[:3000])
    counties, cities, provinces, aliases, names, short = _gazetteer()
    counts: Counter = Counter()
    for name in _names_in(title, names):
        counts[name] += 100
    # the people's congress a report is delivered to is the region's own: 在恩施土家族苗族自治州
    # 第九届人民代表大会… outweighs its capital 恩施市 named often in the text
    congress = _CONGRESS.search(text[:1000])
    if congress:
        for name in _names_in(congress.group(1), names) or \
                [n for n in [_short_name(congress.group(1), short)] if n]:
            counts[name] += 100
    if not counts and title:            # 2025年广西政府工作报告, 恩施州政府工作报告
        found = _short_name(title, short)
        if found:
            counts[found] += 100
    for m in _SUFFIX.finditer(text):
        name = _name_ending(text, m.end(), names)
        if name:
            counts[name] += 1 + 2 * bool(_SELF.match(text, m.end()))
    for name in list(counts):
        short = aliases.get(name)
        if short:   # 海拉尔区 is also written 海拉尔; count those once the full name is there
            counts[name] += len(regex.findall(regex.escape(short) + r"(?![区县市旗])", text))
    best = None
    for name, n in counts.most_common():
        if n < 3:
            break
        best = name
        break
    if best is None:
        if anon:
            return Region(county=anon.group(1), anonymised=True)
        return Region()
    if best in provinces and best not in counties:   # 上海市 is a province-level city
        return Region(province=best)
    if best in cities and best not in counties:
        city, prov = cities[best]
        return Region(city=city, province=prov)
    options = counties[best]
    # a county name shared by several provinces: prefer the one whose city or province the text names
    scored = sorted(options, key=lambda o: -(text.count(o[1]) + text.count(o[2][:2])))
    county, city, prov = scored[0]
    return Region(county=county, city=city, province=prov)


_TYPES = [("政府工作报告", "政府工作报告"), ("完成情况报告", "工作完成情况报告"), ("工作总结", "工作总结"),
          ("总结", "工作总结"), ("汇报", "工作汇报"), ("工作要点", "工作要点"), ("工作计划", "工作计划"),
          ("实施方案", "实施方案"), ("方案", "实施方案"), ("统计公报", "统计公报"), ("报告", "报告")]


def report_type(title: str, text: str) -> str:
    """政府工作报告, 工作总结, 工作完成情况报告 … from the title, else the opening lines."""
    head = (title or "") + "\n" + text[:300].replace(" ", "")
    if regex.search(r"在[^\n]{0,30}人民代表大会[^\n]{0,20}会议上|向大会(?:作|报告)[^。\n]{0,12}工作|代表[^，,。\n]{0,12}(?:政府|国务院)\s*[，,]?\s*作[^，,。\n]{0,4}工作报告", head):
        return "政府工作报告"     # delivered to a people's congress
    for word, name in _TYPES:
        if word in head:
            return name
    return ""


# -- several reports glued into one file ------------------------------------------------------

MIN_PART = 300  # characters; a smaller piece is a stray paragraph, not a report


def split_points(norm: str, sentences) -> list[int]:
    """Offsets where a new report starts inside a file.  A report's numbering runs forward:
    a top-level heading that goes back (四、… then 二、…), or a second-level one that starts
    again at (一) without a new top-level heading, begins another report, together with the
    unnumbered opening lines just before it.  A title line in the middle does too."""
    starts = [0]
    top = 0          # last top-level number seen in the current report
    sub_open = False  # a second-level list is running under no new top-level heading
    sub_last = 0
    last_marked_end = 0
    for s in sentences:
        h = s.heading
        if not h:
            continue
        depth, head = h
        n = _ordinal(head)
        new = False
        if depth == 1 and n is not None:
            if top and n <= top:
                new = True
            top, sub_open, sub_last = n, False, 0
        elif depth == 2 and n is not None:
            if n == 1 and sub_last >= 1 and not sub_open:
                new = True
            sub_last, sub_open = n, False
        if new:
            # only with unnumbered opening lines before it: a heading that merely lost its
            # neighbour's number ((六)… then (一)…) continues the same report
            begin = _opening_before(norm, s.start, last_marked_end)
            line_start = norm.rfind("\n", 0, s.start) + 1
            if begin < line_start and begin - starts[-1] >= MIN_PART:
                starts.append(begin)
                if depth == 2:
                    top = 0
        last_marked_end = s.end
        if depth == 1:
            sub_open = True
            sub_last = 0
        if depth == 2:
            sub_open = False
    return starts


def _opening_before(norm: str, pos: int, floor: int) -> int:
    """Move back from a restarting heading over the unnumbered paragraphs that open the report."""
    line_start = norm.rfind("\n", 0, pos) + 1
    begin = line_start if line_start > floor else pos
    while begin > floor:
        prev_start = norm.rfind("\n", 0, max(0, begin - 1)) + 1
        if prev_start < floor or heading_at(norm, prev_start) or prev_start == begin:
            break
        begin = prev_start
    return max(begin, floor)


_CN_ORD = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}


def _ordinal(head: str) -> int | None:
    m = regex.match(r"[(（]?\s*([一二三四五六七八九十]+)", head)
    if not m:
        return None
    s = m.group(1)
    if len(s) == 1:
        return _CN_ORD.get(s)
    if s.startswith("十"):
        return 10 + _CN_ORD.get(s[1:], 0)
    return None

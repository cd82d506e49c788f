"""Find the figures in normalized report text: number, scale, unit, qualifier and range.

Everything language-specific comes from patterns/ (units, qualifiers, exclusions); this module
only walks the text.  Subject, role and period are added later (see pipeline.py)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from . import patterns
from .numbers import CN_DIGITS, parse_arabic, parse_chinese, scaled

ARABIC = r"[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
CN_NUM = "[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"
_TOKEN = regex.compile(rf"(?P<p>百分之)|(?P<a>{ARABIC})|(?P<c>{CN_NUM})")
_YEAR = regex.compile(r"(?:19|20)[0-9]{2}")
_HAN = regex.compile(r"\p{Han}")
_PUNCT_AFTER = set("，。；;,：:！？!?）)、”\"'】」』\n\r \t") | {""}


@dataclass
class Candidate:
    """A number with what is written around it, before subject and role are known."""
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    raw_unit: str
    kind: str
    qualifier: str
    num_start: int          # where the number itself starts (after a qualifier word)
    bare: bool = False      # no unit was written


class _Rules:
    """The compiled form of patterns/units.yaml, qualifiers.yaml and exclusions.yaml."""

    def __init__(self):
        u = patterns.load("units")
        q = patterns.load("qualifiers")
        ex = patterns.load("exclusions")
        self.scales = {k: float(v) for k, v in u["scales"].items()}
        self.scale_re = regex.compile(patterns.alternation(self.scales))
        self.units: dict[str, tuple[str, str]] = {}      # surface -> (base, kind)
        for kind in ("count", "measure", "duration", "other"):
            for base, forms in u.get(kind, {}).items():
                for f in forms:
                    self.units.setdefault(str(f), (str(base), kind))
        for base, forms in u["money"].items():
            for f in forms:
                self.units[str(f)] = (base, "money")
        for base, forms in u["percent"].items():
            for f in forms:
                self.units[str(f)] = (base, "percent")
        self.unit_re = regex.compile(patterns.alternation(self.units))
        self.money_per_re = regex.compile(r"\s*(?:/|每)(" + patterns.alternation(map(str, u["money_per"])) + ")")
        self.ambiguous = {k: set(v or []) for k, v in u["ambiguous"].items()}
        self.rate_bases = {f: base for base, forms in u["rate_bases"].items() for f in forms}
        self.rate_base_re = regex.compile("每(" + patterns.alternation(self.rate_bases) + ")")
        self.rate_suffix_re = regex.compile(patterns.alternation(u["rate_suffixes"]))
        self.duration_year_cue_re = regex.compile("(?:" + patterns.alternation(u["duration_year_cues"]) + r")\s*$")
        self.subject_units = sorted(u["subject_units"].items(), key=lambda kv: -len(kv[0]))
        people = [k for k, v in u["subject_units"].items() if v in ("人", "户")]
        self.counted_noun_re = regex.compile(r"\p{Han}{0,6}?(?:" + patterns.alternation(people) + ")")
        self.money_cues = [(cue, per) for cue, per in u["money_per_cues"]]
        self.bare_block_re = regex.compile("(?:" + patterns.alternation(u["bare_blockers"]) + r")\s*$")
        self.before_q = {}
        self.after_q = {}
        for name in ("approx", "at_least", "at_most"):
            for w in q[name]["before"]:
                self.before_q[w] = name
            for w in q[name]["after"]:
                self.after_q[w] = name
        self.before_q_re = regex.compile("(?:" + patterns.alternation(self.before_q) + r")\s*$")
        self.after_q_re = regex.compile(patterns.alternation(self.after_q))
        self.range_re = regex.compile(r"\s*(?:" + patterns.alternation(q["range_connectors"]) + r")\s*")
        parts = [regex.escape(p) for p in ex["phrases"]] + list(ex["patterns"])
        self.exclude_re = regex.compile("|".join(f"(?:{p})" for p in parts))


@lru_cache(maxsize=1)
def rules() -> _Rules:
    return _Rules()


def find_candidates(norm: str) -> list[Candidate]:
    """Every figure-like number of the text, with non-figures (years, dates, markers, names,
    codes) left out."""
    r = rules()
    out: list[Candidate] = []
    pos = 0
    n = len(norm)
    while True:
        m = _TOKEN.search(norm, pos)
        if not m:
            break
        pos = m.end()
        cand = _read(norm, m, r)
        if cand is None:
            continue
        if _excluded(norm, cand, r):
            continue
        out.append(cand)
        pos = max(pos, cand.end)
        if pos >= n:
            break
    return out


def _number_at(norm: str, m, r: _Rules):
    """(value, end, is_chinese) of the numeral token `m`, or None when it is not a numeral."""
    if m.group("a"):
        return parse_arabic(m.group("a")), m.end(), False
    if m.group("c"):
        s = m.group("c")
        if not any(c in CN_DIGITS for c in s) and not s.startswith("十"):
            if s[0] in "百千万亿" and (_ROUND_BOUND.search(norm, max(0, m.start() - 2), m.start())
                                    or _IMPLIED_ONE.fullmatch(s)):
                v = parse_chinese("一" + s)        # 近百万人, 百万名, 上千万家庭: about a million
                return (v, m.end(), True) if v is not None else None
            return None  # a lone 万/千/百 is a word (千家万户, 补偿万元), not a number
        if len(s) > 1 and all(c in CN_DIGITS for c in s):
            return None  # 一一, 三四: not a quantity
        if s == "一" and not norm.startswith("倍", m.end()):
            return None  # "一名村医", "一批": the article, not a count (一倍 is one)
        v = parse_chinese(s)
        return (v, m.end(), True) if v is not None else None
    return None


def _read(norm: str, m, r: _Rules) -> Candidate | None:
    start = m.start()
    if m.group("p"):                        # 百分之八十 / 百分之10
        m2 = _TOKEN.match(norm, m.end())
        if not m2 or m2.group("p"):
            return None
        got = _number_at(norm, m2, r)
        if not got:
            return None
        return Candidate(start, got[1], got[0], None, "%", "百分之", "percent", "exact", start)
    if m.group("c") == "一" and norm.startswith("半", m.end()):     # 减少一半: a half
        return Candidate(start, m.end() + 1, 50.0, None, "%", "一半", "percent", "exact", start)
    got = _number_at(norm, m, r)
    if not got:
        return None
    value, end, chinese = got
    num_text = m.group()
    if not chinese and len(num_text) <= 3 and num_text.isdigit():
        spaced = _SPACED_THOUSANDS.match(norm, end)    # 12 345元: a space between thousands
        if spaced and (r.scale_re.match(norm, spaced.end()) or _unit_at(norm, spaced.end(), r)):
            num_text += regex.sub(r"\s", "", spaced.group())
            value, end = parse_arabic(num_text), spaced.end()
    negative = _negative(norm, start)

    if start > 0 and norm[start - 1] in "0123456789.":
        return None
    before = norm[max(0, start - 8):start]
    if before.endswith("每"):
        return None  # 每1000人口, 每千人: the base of a rate, not a figure

    # glued year: 同比2019136375人 is 2019 and 136375人
    if (not chinese and len(num_text) >= 6 and _YEAR.match(num_text)
            and regex.search(r"(?:同比|较|比|比较|相比)\s*$", before)
            and num_text[4] != "0"):
        glued = regex.compile(ARABIC).match(norm, start + 4)
        if glued:
            start = start + 4
            value = parse_arabic(glued.group())
            num_text = glued.group()

    pos = _past_gap(norm, start, end, num_text, r) if not chinese else end
    approx_mid = _match_word(norm, pos, ("余", "多"))
    if approx_mid and not chinese:
        pos += len(approx_mid)
    scale = 1.0
    scale_text = ""
    if approx_mid and chinese:      # 四千二百多万套, 七亿七千多万吨, 十四亿多人, 两千多斤
        sm = r.scale_re.match(norm, pos + len(approx_mid))
        if sm:                      # the scale word completes the numeral: 七亿七千(多)万
            whole = parse_chinese(num_text + sm.group())
            if whole is not None:
                value, scale_text, pos = whole, sm.group(), sm.end()
        elif _unit_at(norm, pos + len(approx_mid), r):
            pos += len(approx_mid)
        else:
            approx_mid = ""
    if not chinese and not _unit_at(norm, pos, r):
        sm = r.scale_re.match(norm, pos)
        if sm:
            scale, scale_text = r.scales[sm.group()], sm.group()
            pos = sm.end()
            gap = _GAP.match(norm, pos)        # 10.81万亿\n元: the layout broke the line at the unit
            if gap and gap.group().count("\n") <= 1 and _unit_at(norm, gap.end(), r):
                pos = gap.end()
    if not approx_mid:
        approx_mid = _match_word(norm, pos, ("余", "多"))
        if approx_mid and (_unit_at(norm, pos + len(approx_mid), r) or scale_text):
            pos += len(approx_mid)
        else:
            approx_mid = ""

    # range: 4-5万元, 500-900元, 20-30%, 3至5个
    value_max = None
    rm = r.range_re.match(norm, pos)
    if rm and not approx_mid:
        m2 = _TOKEN.match(norm, rm.end())
        if m2 and not m2.group("p") and (rm.group().strip() != "到" or not scale_text):
            got2 = _number_at(norm, m2, r)
            if got2 and (got2[2] == chinese):
                v2, pos2, _ = got2
                scale2, s2 = 1.0, ""
                if not chinese and not _unit_at(norm, pos2, r):
                    sm2 = r.scale_re.match(norm, pos2)
                    if sm2:
                        scale2, s2 = r.scales[sm2.group()], sm2.group()
                        pos2 = sm2.end()
                if v2 * scale2 > value * (scale if scale_text else scale2):
                    if not scale_text:
                        scale, scale_text = scale2, s2
                    value_max = scaled(v2, scale2 if s2 else scale)
                    pos = pos2

    # what follows: a date, a month or a year means this was no figure
    nxt = norm[pos:pos + 2]
    if not scale_text and nxt[:1] in ("月", "日", "号", "时", "点", "届", "级", "后", "代", "版", "楼", "路"):
        return None
    if nxt[:1] == "年" and not scale_text:
        if _YEAR.fullmatch(num_text) or value_max is not None and _YEAR.fullmatch(str(int(value_max))):
            return None
        if not r.duration_year_cue_re.search(norm[max(0, m.start() - 6):m.start()]):
            return None
    if not chinese and _YEAR.fullmatch(num_text) and r.range_re.match(norm, end):
        m3 = _TOKEN.match(norm, r.range_re.match(norm, end).end())
        if m3 and m3.group("a") and _YEAR.fullmatch(m3.group()):
            return None  # 2021-2023: a span of years

    unit, raw_unit, kind = "", "", "other"
    um = _unit_at(norm, pos, r)
    if um:
        raw = um
        base, kind = r.units[raw]
        unit = base
        pos += len(raw)
        if kind == "money":
            pm = r.money_per_re.match(norm, pos)
            if pm:
                unit = f"元/{pm.group(1)}"
                raw = raw + pm.group()
                pos = pm.end()
            else:
                unit = _money_per_cue(norm, start, r) or unit
        raw_unit = scale_text + (approx_mid if approx_mid and scale_text else "") + raw
        if raw == "个" and _ELIDED_POINTS.match(norm, pos):
            unit, kind = r.units["个百分点"]   # 高于…16.4 个、1.3 个百分点: 百分点 written once
        if value_max is None and not approx_mid:
            pos, value_max = _repeated_unit_range(norm, start, pos, value, scale_text + um, scale, r)
    rs = None
    if not um:
        rs = r.rate_suffix_re.match(norm, pos)
        if rs:
            unit = raw_unit = rs.group()
            kind = "rate"
            pos = rs.end()

    if (not um or norm.startswith("分之", pos - len(raw_unit))) and not rs and value_max is None \
            and not scale_text:
        part = _fraction_or_ratio(norm, end, value, chinese, r)
        if part:
            v, pos, unit, raw_unit = part
            return Candidate(start - negative, pos, -v if negative else v, None, unit, raw_unit,
                             "percent" if unit == "%" else "other", "exact", start)
    if chinese and not um and value < 10 and _TENTHS.match(norm, pos):
        um, unit, raw_unit, kind = "成", "%", "成", "percent"     # 六成 is 60%
        value, pos = value * 10, pos + 1
    counted = False
    if chinese and not um:
        if not (value >= 10000 and r.counted_noun_re.match(norm, pos)):
            return None  # Chinese numerals count only with a measure word: 两个, 三所
        counted = True   # 九百六十多万贫困人口, 上千万家庭: the noun says what is counted
        kind = "count"
    if kind == "duration" and unit == "年" and not r.duration_year_cue_re.search(norm[max(0, m.start() - 6):m.start()]):
        return None

    if kind == "count":  # 每千人病床数3.7张: a count per population base is a rate
        clause_before = regex.split(r"[，。；;,：:0-9]", norm[max(0, start - 16):start])[-1]
        rb = r.rate_base_re.search(clause_before)
        if rb:
            unit = f"{unit}/{r.rate_bases[rb.group(1)]}"
            kind = "rate"

    bare = not um and not rs
    if bare and not counted and not scale_text and not chinese:
        shared = _SHARED_UNIT.match(norm, pos)     # 提升3.3和2.3个百分点: the unit written once
        if shared and (su := _unit_at(norm, shared.end(), r)):
            unit, kind = r.units[su]
            bare = False
        elif _in_ratio_chain(norm, start, pos):    # 三次产业结构为3.6:48:48.4
            bare = False
    if bare and not counted:
        if scale_text:
            raw_unit = scale_text
        elif not _bare_ok(norm, start, pos, num_text, value, r):
            return None

    # qualifiers
    qualifier = "range" if value_max is not None else "exact"
    if approx_mid:
        qualifier = "approx"
    q_after = r.after_q_re.match(norm, pos)
    if q_after and qualifier == "exact" and not (q_after.group() in ("多",) and _HAN.match(norm, q_after.end())):
        qualifier = r.after_q[q_after.group()]
        pos = q_after.end()
    surface_start = start
    qb = r.before_q_re.search(norm[max(0, start - 4):start])
    if qb and qualifier == "exact":
        qualifier = r.before_q[qb.group().strip()]
        surface_start = start - len(qb.group())
    elif chinese and qualifier == "exact" and norm[start - 1:start] == "上" and num_text[0] in "百千万亿":
        qualifier, surface_start = "approx", start - 1      # 上千万家庭: some ten million

    v = scaled(value, scale) if scale_text and not chinese else value
    if negative:        # 人口自然增长率-0.57‰
        v, value_max = -v, (-value_max if value_max is not None else None)
        surface_start = min(surface_start, start - 1)
    return Candidate(surface_start, pos, v, value_max, unit, raw_unit, kind, qualifier, start, bare)


_COMPARATORS = "≥≤＞＜><"          # 应变系数≥500, 申请发明专利≥3 项
_ROUND_BOUND = regex.compile(r"(?:近|逾|超|突破|超过|上)$")   # 近百万人, 突破百亿元: a round bound
_IMPLIED_ONE = regex.compile(r"[百千](?:万|亿)|十亿")            # 百万名, 千万家庭: one million
_TENTHS = regex.compile(r"成(?![员本果功为立熟就绩效像群型品交年人长分都])")     # 六成, 超七成, 四成以上: tenths
_SPACED_THOUSANDS = regex.compile(r"(?:[ \u00a0\u2009\u202f][0-9]{3})+(?![0-9.])")
_FRACTION = regex.compile(r"/([1-9][0-9]?)(?![0-9.万千亿%‰])")
_CN_FRACTION = regex.compile(rf"分之({CN_NUM})")
_RATIO = regex.compile(r"\s*[:：]\s*1(?![0-9.:：])")


_ELIDED_POINTS = regex.compile(rf"\s*[、和及与]\s*(?:{ARABIC})\s*个\s*百分点")
_SHARED_UNIT = regex.compile(rf"\s*(?:和|与|及|、)\s*(?:{ARABIC})\s*")
_RATIO_PART = rf"(?:{ARABIC})"
_RATIO_CHAIN = regex.compile(rf"{_RATIO_PART}(?:\s*[:：]\s*{_RATIO_PART}){{2,}}")


def _in_ratio_chain(norm: str, start: int, end: int) -> bool:
    """A part of a ratio of three or more (3.6 : 48 : 48.4), not a time of day (8:30)."""
    lo = max(0, start - 40)
    for m in _RATIO_CHAIN.finditer(norm, lo, min(len(norm), end + 40)):
        if m.start() <= start and end <= m.end():
            return True
    return False


def _negative(norm: str, start: int) -> bool:
    """-0.57‰: a minus sign that is no range dash (20-30) and no part of a code (A-1)."""
    if start < 1 or norm[start - 1] not in "-−－":
        return False
    before = norm[start - 2] if start >= 2 else ""
    return not (before.isascii() and (before.isalnum() or before in ".%)"))


def _fraction_or_ratio(norm: str, end: int, value: float, chinese: bool, r: _Rules):
    """(value, end, unit, raw unit) of 1/4 and 三分之一 (as percent: 25, 33.3) or of a ratio
    written against one (城乡收入比2.31:1), else None."""
    if not chinese:
        m = _FRACTION.match(norm, end)
        if m and value < int(m.group(1)) and not r.rate_suffix_re.match(norm, end):
            return round(value / int(m.group(1)) * 100, 6), m.end(), "%", m.group()
        m = _RATIO.match(norm, end)
        if m:
            return value, m.end(), ":1", ":1"
        return None
    m = _CN_FRACTION.match(norm, end)
    if m:                            # 三分之一: the denominator is written first
        num = parse_chinese(m.group(1).split("点")[0])
        if num and num < value:
            return round(num / value * 100, 6), m.end(), "%", "分之"
    return None


_GAP = regex.compile(r"[\s\u200b\u2060\ufeff]{1,6}")


def _past_gap(norm: str, start: int, end: int, num_text: str, r: _Rules) -> int:
    """Where the unit starts when layout put spaces or a line break between a number and its
    scale or unit (85.37 亿元, 6210 人, 74.4\n万亿元); `end` when nothing of the kind follows.
    A one-digit number before a count word is a label (表1 人口), and a number alone on its
    line is an item number (4\n天基人才网), not a figure."""
    gap = _GAP.match(norm, end)
    if not gap or gap.group().count("\n") > 2:
        return end
    if "\n" in gap.group() and not norm[norm.rfind("\n", 0, start) + 1:start].strip():
        return end
    after = gap.end()
    if r.scale_re.match(norm, after):
        return after
    unit = _unit_at(norm, after, r)
    if not unit:
        return end
    if r.units[unit][1] == "count" and len(num_text) < 2 and norm[start - 1:start] not in _COMPARATORS \
            and (norm[:start].rstrip()[-1:] in "表图第号" or not norm[norm.rfind("\n", 0, start) + 1:start].strip()):
        return end      # 表1 人口: a label's number; 基地 4 个 is a count
    return after


def _repeated_unit_range(norm: str, start: int, pos: int, value: float, written: str,
                         scale: float, r: _Rules) -> tuple[int, float | None]:
    """5%—5.5%, 20%-30%, 3万元至5万元: a range that writes its unit twice is one figure.  Not
    the two ends of a change (由5%提高到6%, 从3%至5%)."""
    rm = r.range_re.match(norm, pos)
    if not rm or rm.group().strip() == "到":
        return pos, None
    m2 = regex.match(ARABIC, norm[rm.end():rm.end() + 20])
    if not m2 or not norm.startswith(written, rm.end() + m2.end()):
        return pos, None
    clause = regex.split(r"[，。；;,：:]", norm[max(0, start - 20):start])[-1]
    if "由" in clause or "从" in clause:
        return pos, None
    high = parse_arabic(m2.group())
    if high <= value:              # both as written, before the scale word
        return pos, None
    return rm.end() + m2.end() + len(written), scaled(high, scale)


def _money_per_cue(norm: str, start: int, r: _Rules) -> str:
    """元/年, 元/月, 元/人 … when the clause before a sum says 每年, 每月, 人均 …"""
    clause = regex.split(r"[，。；;,：:]", norm[max(0, start - 30):start])[-1]
    for cue, per in r.money_cues:
        if cue in clause:
            return f"元/{per}"
    return ""


def _match_word(norm, pos, words):
    for w in words:
        if norm.startswith(w, pos):
            return w
    return ""


def _unit_at(norm: str, pos: int, r: _Rules) -> str:
    um = r.unit_re.match(norm, pos)
    if not um:
        return ""
    u = um.group()
    nxt = norm[um.end():um.end() + 1]
    if nxt and nxt in r.ambiguous.get(u, ()):
        return ""
    return u


_ZERO_RATE = regex.compile(r"率(?:为|是|保持在?|降至|降为|控制在|实现)$")


def _bare_ok(norm, start, end, num_text, value, r) -> bool:
    """A number without unit is a figure only where a subject stands right before it and the
    clause ends (or a change word follows): "住院人次28037减少", "性别比117.68。"."""
    if _YEAR.fullmatch(num_text):
        return False
    digits = num_text.replace(",", "").replace(".", "")
    if len(digits) < 3 and "." not in num_text and num_text != "0":
        return False
    prev = norm[start - 1:start]
    if not prev or not (_HAN.match(prev) or prev in _COMPARATORS):
        return False
    if num_text == "0" and _ZERO_RATE.search(norm[max(0, start - 8):start]) and \
            norm[end:end + 1] in _PUNCT_AFTER:
        return True     # 孕产妇死亡率为0: a rate of zero
    if r.bare_block_re.search(norm[max(0, start - 4):start]):
        return False
    nxt = norm[end:end + 1]
    if nxt in _PUNCT_AFTER:
        return True
    return bool(regex.match(r"(?:减少|增加|下降|上升|增长|降低|提高)", norm[end:end + 2]))


def _excluded(norm: str, c: Candidate, r: _Rules) -> bool:
    """True when the number overlaps a name, slogan, code or other non-figure from exclusions."""
    lo = max(0, c.num_start - 16)
    hi = min(len(norm), c.end + 16)
    for m in r.exclude_re.finditer(norm, lo, hi, overlapped=True):
        if m.start() < c.end and m.end() > c.num_start:
            return True
    return False

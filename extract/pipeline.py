"""The pipeline: decoded text -> cleaned, segmented text -> figures with subject, role, period."""
from __future__ import annotations

import bisect

from .cleaning import boilerplate_spans, normalize, printable
import regex

from .figures import find_candidates
from .metadata import find_region, report_type, split_points
from .model import GROWTH_WORDS, Document, Figure, Part
from .periods import describe, report_part, report_year, reviews_past, time_spans
from .roles import plan_scopes, role_of
from .segment import clause_bounds, looks_like_title, segment
from .tabular import render, table_figures
from .subjects import (given_as, is_generic, is_place, spent_by, spent_on, split_joint, subject_after,
                       subject_before)

_COUNT_FIRST = {"count", "rate"}


def extract_text(text: str, doc: str = "<text>", year: int | None = None) -> list[Figure]:
    """Every figure of a report text.  `year` is the year the report covers, when known;
    otherwise it is read from the title or the text."""
    return analyze(text, doc, year).figures


def analyze(text: str, doc: str = "<text>", year: int | None = None, tables=None) -> Document:
    """The figures of a text together with what places it: title, year, region, type, and the
    reports it holds when several are glued into one file.  `tables` are the layouts of tables
    written into the text (extract.tabular.render); their cells become figures of their own."""
    norm = normalize(text)
    skip = boilerplate_spans(norm)
    tables = tables or []
    segs = segment(norm, skip + [(t.start, t.end) for t in tables])
    parts = _parts(norm, segs, year)
    part_starts = [p.start for p in parts]
    cands = [c for c in find_candidates(norm) if segs.sentence_at(c.num_start)]
    cand_starts = [c.start for c in cands]
    plans, looks_back = plan_scopes(norm, parts)
    figures: list[Figure] = []
    sentences: dict[int, str] = {}     # one string for the figures of one sentence
    prev = None          # (candidate, figure) of the previous figure in the same sentence
    shares = None        # [sentence start, next index, subjects] of a "分别" sentence
    for i, c in enumerate(cands):
        part = parts[bisect.bisect_right(part_starts, c.start) - 1]
        year = part.year
        default_period = f"{year}年{part.half}" if year else ""
        plan_year = part.plan_year
        sent = segs.sentence_at(c.num_start)
        c0, c1 = clause_bounds(norm, sent.start, sent.end, c.num_start)
        same_clause_prev = prev if prev and prev[0].end > c0 and prev[1].sentence_start == sent.start else None
        nxt = cands[i + 1] if i + 1 < len(cands) and cands[i + 1].start < c1 else None
        planned = any(a <= c.start < b for a, b in plans)
        role, sign, base_year, target = role_of(norm, (c0, c1), c.start, c.end,
                                                same_clause_prev[0].end if same_clause_prev else None,
                                                nxt.start if nxt else None, sent.section, planned, year,
                                                any(a <= c.start < b for a, b in looks_back))
        left_from = same_clause_prev[0].end if same_clause_prev else c0
        partner = prev[1] if prev and prev[1].sentence_start == sent.start else None
        if partner is not None and partner.role == "change" and role in ("value", "target") and \
                c.unit == partner.unit and norm[left_from:c.start].strip() in ("、", "和", "与", "及"):
            role, sign = "change", (-1 if partner.value < 0 else 1)   # 分别增长7.8%、8.5%
        if role in ("after", "change") and partner and (
                not (own := subject_before(norm[left_from:c.start])) or is_generic(own)):
            # 同比增长18.44%: the change of the thing just named, unless the clause names it
            # before its base (工业总产值仍然比1952年增加了33%)
            subject = _past_base(norm, left_from, c.start, own) or partner.subject
        elif role == "before" and (m := _FROM.search(norm, left_from, c.start)):
            subject = subject_before(norm[left_from:m.start()])  # 分娩率从实施前80%上升到…
        else:
            subject = _subject(norm, c, left_from, nxt.start if nxt else c1, nxt, c1)
            if subject and is_generic(subject):
                subject = _past_base(norm, left_from, c.start, subject) or subject
            if (not subject or is_generic(subject)) and partner:
                subject = partner.subject
        if (not subject or is_generic(subject)) and partner is None and c0 > sent.start \
                and norm[c0 - 1] in ",，":
            # 城镇居民人均可支配收入，考虑价格因素比上年实际增长9.3%; 农民的纯收入，全国平均每人达到
            # 355元: the topic the sentence opens with
            topic = subject_before(norm[sent.start:c0 - 1])
            subject = topic if topic and not is_generic(topic) else subject
        # "城镇和农村居民人均可支配收入分别达35512元、25689元": one subject each, in order
        left = norm[left_from:c.start]
        listed = nxt is not None and norm[c.end:nxt.start].strip() in ("、", "和", "与", "及")
        ongoing = bool(shares and shares[0] == sent.start)
        if "分别" in left or listed and (partner is None or partner.role != "change") and not ongoing:
            # "…分别增长A、B", or a list of figures after a list of subjects ("X和Y增长A和B")
            joint = split_joint(left[:left.rfind("分别")] if "分别" in left else _cut_change(left))
            if not joint and "分别" in left:    # the subjects stand in the clause before: X和Y，2000年分别达到A和B
                whole = norm[sent.start:c.start]
                joint = split_joint(whole[:whole.rfind("分别")])
            if joint:
                shares = [sent.start, 0, joint]
            elif "分别" in left and ongoing:
                shares[1] = 0       # 分别达A、B，分别增长C、D: the same subjects again
            else:               # 城镇居民…17175元，农村居民…5153元，实际增长9.8%和8.5%
                joint = list(dict.fromkeys(f.subject for f in figures if f.sentence_start == sent.start
                                           and f.role == "value" and f.subject))
                shares = [sent.start, 0, joint] if len(joint) >= 2 else None
        if shares and shares[0] == sent.start and shares[1] < len(shares[2]) and (
                "分别" in left or listed or left.strip() in ("、", "和", "与", "及", ",", "，")):
            subject = shares[2][shares[1]]
            shares[1] += 1
            if role == "change" and shares[2][-1].endswith(GROWTH_WORDS) and not subject.endswith(GROWTH_WORDS):
                # 城镇调查失业率、居民消费价格涨幅分别控制在5%和3%: 涨幅 is the last subject's
                role, sign = ("target" if target else "value"), 1
        period, stated = _period(norm, sent, c, year, segs, base_year, default_period, cand_starts,
                                 part.present)
        if target and plan_year and not stated and not base_year and period in (default_period, f"{year}年"):
            period = f"{plan_year}年"   # 工作打算 of "2020年工作总结及2021年工作打算" is for 2021
        unit, kind = c.unit, c.kind
        if c.bare and not c.raw_unit:
            unit, kind = _unit_from_subject(subject) or (unit, kind)
        value = c.value * sign
        vmax = c.value_max * sign if c.value_max is not None else None
        f = Figure(doc=doc, start=c.start, end=c.end, surface=text[c.start:c.end],
                   value=value, value_max=vmax, unit=unit, raw_unit=c.raw_unit, kind=kind,
                   qualifier=c.qualifier, role=role, subject=printable(_as_written(text, norm, subject, sent, c)),
                   period=period,
                   section=sent.section, sentence=_sentence_text(text, sent, sentences), target=target)
        f.sentence_start = sent.start  # not a field: only to group figures of one sentence
        figures.append(f)
        prev = (c, f)
    for f in figures:
        f.__dict__.pop("sentence_start", None)
    for lay in tables:
        part = parts[bisect.bisect_right(part_starts, lay.start) - 1]
        before = segs.sentence_at(lay.start - 1) or (segs.sentences[segs.index_at(lay.start)]
                                                      if segs.index_at(lay.start) >= 0 else None)
        figures += table_figures(text, lay, doc, part.year, before.section if before else "")
    figures.sort(key=lambda f: f.start)
    return Document(path=doc, text=text, title=parts[0].title, year=parts[0].year,
                    figures=figures, parts=parts)


def _sentence_text(text: str, sent, done: dict[int, str]) -> str:
    if sent.start not in done:
        done[sent.start] = printable(text[sent.start:sent.end])
    return done[sent.start]


def _parts(norm: str, segs, year: int | None) -> list[Part]:
    """Each report in the file, with its own title, year, type and region."""
    starts = split_points(norm, segs.sentences)
    if len(starts) > 1 and _delivered_report(norm, segs.title):
        # a report delivered to a congress is one report: its numbering starts again in an
        # annex (附件：10件惠民实事) or in the tasks, not in another report
        starts = starts[:1]
    bounds = starts + [len(norm)]
    parts = []
    for k, ps in enumerate(starts):
        pe = bounds[k + 1]
        sents = [s for s in segs.sentences if ps <= s.start < pe]
        body = "\n".join(norm[s.start:s.end] for s in sents)
        title = segs.title if k == 0 else _first_title(norm, sents)
        region = find_region(title, body)
        kind = report_type(title, body)
        covered = year if year is not None else report_year(title, body)
        # a government work report reviews last year and plans the year it is delivered in
        plan = _plan_year(title) or (covered + 1 if covered and kind == "政府工作报告" else None)
        # a report delivered to a congress speaks from the year after the one it reviews
        present = covered + 1 if covered and kind == "政府工作报告" and reviews_past(title, body) else covered
        parts.append(Part(ps, pe, title=title, year=covered, plan_year=plan, present=present,
                          half=report_part(title, body), report_type=kind,
                          county=region.county, city=region.city, province=region.province,
                          anonymised=region.anonymised, national=region.national))
    return parts


def _delivered_report(norm: str, title: str) -> bool:
    head = norm[:1500]
    return report_type(title, head) == "政府工作报告" and reviews_past(title, head)


_CHANGE_TAIL = regex.compile(r"(?:比上年|较上年|同比)?(?:实际)?(?:增长|增加|下降|减少|上涨|提高|降低)[了达为]?\s*$")


def _cut_change(left: str) -> str:
    """The subjects before a change word: "城镇和农村居民人均可支配收入实际增长" -> "城镇和农村居民人均可支配收入"."""
    return _CHANGE_TAIL.sub("", left)


def _first_title(norm: str, sents) -> str:
    for s in sents[:3]:
        if looks_like_title(norm, s.start, s.end):
            return norm[s.start:s.end].strip()
    return ""


def _unit_from_subject(subject: str):
    """A number written without unit takes it from its subject: 住院人次28037 counts 人次,
    次均住院费用5120.6 is money."""
    from .figures import rules
    for suffix, unit in rules().subject_units:
        if subject.endswith(suffix):
            return unit, rules().units.get(unit, (unit, "count"))[1]
    return None


_PLAN_YEAR = regex.compile(r"((?:19|20)[0-9]{2})\s*年[^0-9]{0,12}(?:打算|计划|安排|思路|要点)")


def _plan_year(title: str) -> int | None:
    """The year a report's plan part is for: 2021 in "2020年工作总结及2021年工作打算"."""
    found = _PLAN_YEAR.findall(title or "")
    return int(found[-1]) if found else None


def _subject(norm: str, c, left_from: int, right_to: int, nxt=None, clause_end: int = 0) -> str:
    """Counts name their thing after the number (267名乡村医生), other figures before it
    (县域就诊率达84.11%); a bare verb before a sum (创新设立1260万元健康促进资金池) gives way to
    the noun after it."""
    after = norm[c.end:right_to]
    if nxt is not None and nxt.start == c.end and c.kind in _COUNT_FIRST and nxt.kind in _COUNT_FIRST:
        after = norm[nxt.end:clause_end]    # 3194户14959名脱贫人口: both count the noun after
    if after.startswith("的") and c.kind in ("money", "measure"):
        s = subject_after(after[1:])          # 投入资金400余万元的幸福农庄
        if s:
            return s
    if after.startswith("的") and (c.kind in _COUNT_FIRST and not c.bare or c.kind == "percent"):
        # 解决了3948人的安全饮水问题, 把三分之一的县建成…: a count or a share after a verb is of
        # what follows 的; after a noun (年出栏1000头以上的生猪养殖场) it measures that noun
        before = subject_before(norm[left_from:c.start])
        if not before or _bare_verb(before) or is_generic(before):
            return subject_after(after[1:]) or before
    if c.kind in _COUNT_FIRST and (not c.bare or c.kind == "count"):   # 960多万贫困人口: bare, counted
        s = subject_after(after)
        if s:
            return s
    end = c.start - 1 if norm[c.start - 1:c.start] in "(（" else c.start  # 流行性感冒(513例)
    s = subject_before(norm[left_from:end])
    if c.kind == "money":
        rest = norm[c.end:max(clause_end, right_to)]       # the clause after the sum
        if spent := spent_by(norm[left_from:end]) or spent_on(s, rest):
            return spent
        if (not s or _bare_verb(s)) and (given := given_as(rest)):
            return given
    if len(s) >= 2 and not _ends_with_verb(s) and not is_place(s):
        return s
    return subject_after(after) or (s if len(s) >= 2 else "")


def _as_written(text: str, norm: str, subject: str, sent, c) -> str:
    """The subject in the source's own characters (機製紙, not 机制纸; full-width letters as
    written): the same span of the source as of the normalized text, the nearest one before the
    figure, else after it; a subject put together from pieces (城镇居民… of 城乡居民…) as read."""
    if not subject or text is norm or text == norm:
        return subject
    at = norm.rfind(subject, sent.start, c.start)
    if at < 0:
        at = norm.find(subject, c.end, sent.end)
    return text[at:at + len(subject)] if at >= 0 else subject


def _past_base(norm: str, left_from: int, end: int, base: str) -> str:
    """The subject that stands before a comparison base or a time (生産資料的生産却將等於一九四九年
    的5.7倍: 生産資料的生産), read in the same clause; "" when none does."""
    if not base:
        return ""
    at = norm.rfind(base, left_from, end)
    if at <= left_from:
        return ""
    s = subject_before(regex.sub(r"(?:比|较|与|同)\s*$", "", norm[left_from:at]))
    return s if s and not is_generic(s) else ""


def _bare_verb(s: str) -> bool:
    """解决, 解决了: one verb and nothing it qualifies (年出栏 is a measure, not a bare verb)."""
    from .segment import tokenizer
    jieba, tags = tokenizer()
    words = [w for w in jieba.lcut(s, HMM=False) if w not in ("了", "过")]
    return len(words) == 1 and tags.get(words[0], "n").startswith("v") and tags.get(words[0]) != "vn"


def _ends_with_verb(s: str) -> bool:
    from .segment import tokenizer
    jieba, tags = tokenizer()
    last = jieba.lcut(s[-4:], HMM=False)[-1]
    tag = tags.get(last, "n")
    return tag.startswith("v") and tag != "vn"


def _period(norm, sent, c, year, segs, base_year, default, cand_starts, present=None) -> tuple[str, bool]:
    """(period, stated in the sentence): the nearest time expression before the figure in its
    sentence; else one that stood before a figure in the sentences joined to it by semicolons
    ("1-11月,住院人次…;门诊人次…"); else the report's own period."""
    spans = _own_periods(norm, time_spans(norm, sent.start, c.start), sent.start)
    found = None
    stated = any(m.groupdict().get("y") for m in spans)   # a year written out, not 今年/全年
    if spans:
        found = describe(spans[-1], year, spans[-2] if len(spans) > 1 else None, present)
    else:
        i = segs.index_at(sent.start)
        while i > 0 and norm[segs.sentences[i - 1].end - 1:segs.sentences[i - 1].end] in "；;":
            prev = segs.sentences[i - 1]
            last_fig = _last_before(cand_starts, prev.start, prev.end)
            spans = _own_periods(norm, time_spans(norm, prev.start, last_fig), prev.start) if last_fig else []
            if spans:
                found = describe(spans[-1], year, spans[-2] if len(spans) > 1 else None, present)
                break
            i -= 1
    if not found:
        found = default
    if base_year:
        rest = found[5:] if found[:4].isdigit() and found[4:5] == "年" else ""
        found = f"{base_year}年{rest}"
    return found, stated


def _last_before(starts: list[int], lo: int, hi: int) -> int | None:
    """Start of the last figure in [lo, hi), if any."""
    i = bisect.bisect_left(starts, hi) - 1
    return starts[i] if i >= 0 and starts[i] >= lo else None


_FROM = regex.compile(r"[由从][^由从，,。；;]*$")
_COMPARED = regex.compile(r"(?:同比|较|比|相比|比较)\s*$")


def _own_periods(norm: str, spans: list, start: int) -> list:
    """Time expressions that can be a figure's period: not inside a cited title (《X县2022年度…
    整改方案》) and not the year a comparison is made against (同比2019年…)."""
    out = []
    for m in spans:
        opened = norm.rfind("《", start, m.start())
        if opened >= 0 and norm.find("》", opened, m.start()) < 0:
            continue
        if _COMPARED.search(norm[max(start, m.start() - 3):m.start()]):
            continue
        out.append(m)
    return out


def analyze_sources(sources, name: str) -> Document:
    """One document from its Sources: pages joined by a form feed, then offsets given back
    per page."""
    texts, layouts, starts = [], [], []
    pos = 0
    for s in sources:
        text, lays = render(s.text, s.tables)
        for lay in lays:
            _shift(lay, pos)
        starts.append(pos)
        texts.append(text)
        layouts += lays
        pos += len(text) + 1
    full = "\f".join(texts)
    doc = analyze(full, name, tables=layouts)
    doc.encoding = sources[0].encoding
    doc.replaced = sum(s.replaced for s in sources)
    if any(s.page for s in sources):
        doc.page_starts = starts
        for f in doc.figures:
            i = bisect.bisect_right(starts, f.start) - 1
            f.page = sources[i].page
            f.start -= starts[i]
            f.end -= starts[i]
            if sources[i].boxes:
                f.box = _box_of(sources[i].boxes, f.start, f.end)
    read = [s for s in sources if s.ocr_lines]
    if read:
        doc.ocr_pages = ",".join(str(s.page) for s in read)
        confidences = [ln.confidence for s in read for ln in s.ocr_lines]
        doc.ocr_confidence = round(sum(confidences) / len(confidences), 3)
    return doc


def _box_of(boxes, start: int, end: int) -> str:
    """The box on the page of the OCR lines a figure lies on, "x0,top,x1,bottom" in points."""
    hit = [b for s, e, b in boxes if s < end and start < e]
    if not hit:
        return ""
    x0, top = min(b[0] for b in hit), min(b[1] for b in hit)
    x1, bottom = max(b[2] for b in hit), max(b[3] for b in hit)
    return f"{x0:.1f},{top:.1f},{x1:.1f},{bottom:.1f}"


def _shift(lay, by: int) -> None:
    lay.start += by
    lay.end += by
    lay.rows = [(a + by, b + by) for a, b in lay.rows]
    lay.cells = {k: (a + by, b + by) for k, (a, b) in lay.cells.items()}


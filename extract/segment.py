"""Split report text into sections, sentences and clauses, all as offsets into the text."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

import regex

_CN = "一二三四五六七八九十"
# Heading markers by depth.  A deeper marker nests under the last shallower one.
_MARKERS = [
    (1, regex.compile(rf"[{_CN}]+\s*[、.．]")),
    (2, regex.compile(rf"[(（]\s*[{_CN}]+\s*[)）]")),
    (3, regex.compile(r"\d{1,2}\s*[、．](?!\d)|\d{1,2}\.(?!\d)")),
    (4, regex.compile(r"[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[)）]")),
    (5, regex.compile(r"[①-⑳]")),
    (6, regex.compile(rf"(?:其)?[{_CN}]是")),
]
_SENT_END = regex.compile(r"[。！？!?；;]+[”’\"」』)）]*|[\n\f]")
_CLAUSE_SEP = regex.compile(r"[，：:；;]|,(?!\d{3}(?!\d))")
_HEADING_END = regex.compile(r"[。；;!?！？\n]")
_TITLE_WORDS = regex.compile(r"总结|报告|汇报|打算|计划|情况|要点|方案|公报")
_CAPTION = regex.compile(r"^\s*(?:附?表|图)\s*[0-9一二三四五六七八九十]+")   # 表2 财政收支情况: a caption
MAX_HEADING = 40
# a text without sentence ends (a list of figures, a page that lost its stops) is cut into pieces
# of at most this many characters, so that time and output (each figure carries its sentence)
# grow with the text, not with its square; real sentences are far shorter
MAX_SENTENCE = 600
_WEAK_BREAKS = ("；;", "，,：:", "、", " \u3000\t")    # where an over-long sentence is cut, best first
_SPACED = regex.compile(r"(?<=\p{Han})[ \u3000]+(?=\p{Han})")


@dataclass(eq=False)
class Sentence:
    start: int
    end: int
    section: str
    heading: tuple[int, str] | None = None   # (depth, text) when the sentence opens a section


@dataclass
class Segments:
    sentences: list[Sentence]
    title: str
    _starts: list[int]

    def index_at(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos) - 1

    def sentence_at(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and self.sentences[i].start <= pos < self.sentences[i].end:
            return self.sentences[i]
        return None


def heading_at(text: str, pos: int) -> tuple[int, str] | None:
    """(depth, heading text) when a section marker starts at `pos`."""
    for depth, marker in _MARKERS:
        m = marker.match(text, pos)
        if m:
            end = _HEADING_END.search(text, m.end())
            stop = end.start() if end else len(text)
            if depth == 6:  # 一是…: the item's own words up to the first comma or stop
                comma = regex.compile(r"[,，]").search(text, m.end(), stop)
                stop = comma.start() if comma else stop
            head = text[pos:min(stop, pos + MAX_HEADING)].strip()
            if len(head) > len(m.group()):
                return depth, head
    return None


_LINE_END_PUNCT = set("。！？!?；;：:”’\"」』)）】")


def _width(line: str) -> int:
    """The printed width of a line: two for a Chinese character, one for a Latin one (its length
    in GB18030 bytes is that, and is computed in C)."""
    return len(line.encode("gb18030", errors="replace"))


def soft_breaks(norm: str, skip: list[tuple[int, int]] = ()) -> set[int]:
    """The line breaks a hard-wrapped text (a PDF or a page copied line by line) puts inside its
    sentences: in a text where most lines fill the same width and end without a stop, a break
    after a full line whose next line opens no heading; and in any text, a break after a line of
    running text that ends without a stop.  Lines of boilerplate (`skip`, sorted) join nothing."""
    lines, pos = [], 0
    for line in norm.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    body = [(p, ln.rstrip()) for p, ln in lines if ln.strip()]
    full = _wrap_width(body)
    soft = set()
    inside = False          # the line before ended inside a sentence
    starts = [a for a, _ in skip]
    for (p, line), (q, nxt) in zip(lines, lines[1:]):
        ln = line.rstrip()
        if not ln or not nxt.strip() or ln[-1] in _LINE_END_PUNCT \
                or skip and (_in_skip(p, skip, starts) or _in_skip(q, skip, starts)) \
                or heading_at(nxt, len(nxt) - len(nxt.lstrip())) is not None \
                or not inside and heading_at(ln, len(ln) - len(ln.lstrip())) is not None:
            inside = False
            continue
        # a full line of a wrapped text; a line of running text (a comma or a stop inside it)
        # cut before its end, as a page's inline links or spans put it (新建\n高速铁路\n投产里程…),
        # and the short spans that go on with that sentence (not the items of a list after it)
        if full and _width(ln) >= full or _RUNNING.search(ln) or inside and len(ln.strip()) <= _SPAN:
            soft.add(p + len(line))         # the offset of the break itself
            inside = True
    return soft


_RUNNING = regex.compile(r"[，,。；;、][^，,。；;、]")
_SPAN = 12      # the longest line taken for an inline span (a link's words) inside a sentence


def _wrap_width(body: list[tuple[int, str]]) -> int:
    """The width a hard-wrapped text fills its lines to, less a wide character or two; 0 for a
    text whose lines are not wrapped (most of them full and open at the end)."""
    if len(body) < 10:
        return 0
    widths = sorted(_width(ln) for _, ln in body)
    full = widths[int(len(widths) * 0.9)] - 4
    if full < 30:
        return 0
    open_full = [ln for _, ln in body if _width(ln) >= full and ln[-1] not in _LINE_END_PUNCT]
    return full if len(open_full) >= 0.4 * len(body) else 0


_STOPS = set("。！？!?；;：:")


def _page_goes_on(norm: str, at: int) -> bool:
    """A page break (form feed) inside a sentence: the page before ends without a stop and the
    next one opens with no heading (…重工业增加 | 值增长11.2%)."""
    before = norm[:at].rstrip()
    after = norm[at + 1:].lstrip()
    if not before or not after or before[-1] in _STOPS or before[-1] == "\uFFFC":
        return False
    return heading_at(after, 0) is None and not after.startswith("\uFFFC")


def segment(norm: str, skip: list[tuple[int, int]] = ()) -> Segments:
    """Sentences with their section path.  `skip` spans (boilerplate) hold no sentences.  A line
    break inside a sentence of a hard-wrapped text (soft_breaks) ends nothing."""
    skip = sorted(skip)
    skip_starts = [s for s, _ in skip]
    stack: list[tuple[int, str]] = []
    sentences: list[Sentence] = []
    title = ""
    pos = 0
    n = len(norm)
    soft = soft_breaks(norm, skip)
    m = None
    while pos < n:
        if m is None or m.end() <= pos:      # the end found last time may still lie ahead
            m = _SENT_END.search(norm, pos)
            while m and (m.group() == "\n" and m.start() in soft or m.group() == "\f"
                         and _page_goes_on(norm, m.start())
                         and not _in_skip(len(norm[:m.start()].rstrip()) - 1, skip, skip_starts)):
                m = _SENT_END.search(norm, m.end())
        end = m.end() if m else n
        if (m.start() if m else n) - pos > MAX_SENTENCE:
            end = cut_point(norm, pos)
        # trim whitespace so a sentence starts on its first character
        s = pos
        while s < end and norm[s].isspace():     # any space: \u3000, \u2003 indents
            s += 1
        e = end
        while e > s and norm[e - 1].isspace():
            e -= 1
        if e > s and not _in_skip(s, skip, skip_starts):
            h = heading_at(norm, s)
            if h:
                depth, head = h
                while stack and stack[-1][0] >= depth:
                    stack.pop()
                stack.append((depth, head))
            elif not title and looks_like_title(norm, s, e):
                title = _SPACED.sub("", norm[s:e].strip())
            sentences.append(Sentence(s, e, " > ".join(t for _, t in stack), h))
        pos = end
    return Segments(sentences, title, [x.start for x in sentences])


def cut_point(norm: str, pos: int) -> int:
    """Where a sentence that runs on from `pos` past MAX_SENTENCE is cut: after the last of the
    strongest weak break (；，、 space) in its second half, else at the limit."""
    lo, hi = pos + MAX_SENTENCE // 2, pos + MAX_SENTENCE
    for marks in _WEAK_BREAKS:
        at = max(norm.rfind(c, lo, hi) for c in marks)
        if at >= 0:
            return at + 1
    return hi


def _in_skip(pos, skip, starts) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and skip[i][0] <= pos < skip[i][1]


def looks_like_title(norm: str, s: int, e: int) -> bool:
    line = norm[s:e]
    at_line_start = s == 0 or norm[s - 1] == "\n"
    squeezed = _SPACED.sub("", line)   # 政 府 工 作 报 告
    return (at_line_start and 5 <= len(squeezed) <= 60 and "\n" not in line
            and not line.endswith(("。", ":", "：")) and bool(_TITLE_WORDS.search(squeezed))
            and not _CAPTION.match(line))


def _in_brackets(norm: str, start: int, at: int) -> bool:
    """True when `at` lies inside a bracket opened after `start` and not yet closed."""
    seg = norm[max(start, at - 40):at]
    return seg.count("（") + seg.count("(") > seg.count("）") + seg.count(")")


def clause_bounds(norm: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence [start, end) that holds `pos`."""
    c0, c1 = start, end
    for m in _CLAUSE_SEP.finditer(norm, start, end):
        if _in_brackets(norm, start, m.start()):
            continue            # 固定资产投资（不含农户，下同）增长10.5%: an aside, one clause
        if m.end() <= pos:
            c0 = m.end()
        elif m.start() >= pos:
            c1 = m.start()
            break
    return c0, c1


@lru_cache(maxsize=1)
def tokenizer():
    """jieba with the domain's terms from patterns/terms.txt added to its dictionary."""
    import logging

    import jieba
    import jieba.posseg
    from . import patterns
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    tags = jieba.posseg.dt.word_tag_tab
    for line in patterns.terms_file().read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            parts = line.split()
            freq = int(parts[1]) if len(parts) > 1 else None
            jieba.add_word(parts[0], freq, parts[2] if len(parts) > 2 else None)
            if len(parts) > 2:
                tags[parts[0]] = parts[2]
    return jieba, tags


def words(text: str) -> list[str]:
    """jieba words of a short piece of text (no HMM: stable, and fast on many short calls)."""
    jieba, _ = tokenizer()
    return jieba.lcut(text, HMM=False)


def spacy_nlp():
    """spaCy's blank Chinese pipeline on the same jieba dictionary, for token-level rules."""
    import spacy
    tokenizer()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})

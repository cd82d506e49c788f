"""The subject of a figure: the phrase, in the text's own words, naming what it measures."""
from __future__ import annotations

from functools import lru_cache

import regex

from . import patterns
from .segment import tokenizer

_NOUNISH = ("n", "vn", "nz", "j", "l", "b", "an", "ng", "nr", "nt", "ns", "g", "eng", "s", "f", "a", "q")
_DE = regex.compile(r"[^，。；;,、]{1,18}?的(?=\p{Han})")
_TIME_TAIL = regex.compile(r"^(?:年度|年底|年末|年|月份|月底|月|日)")
_PLACE_END = regex.compile(r"[村乡镇县区市省州]$")
_CUT = regex.compile(r"[，。；;,：:、()（）《》\"'\[\]【】\s0-9%‰.]")   # “两重”建设项目 keeps its quotes


@lru_cache(maxsize=1)
def _rules():
    d = patterns.load("subjects")
    link = sorted(d["link_words"], key=len, reverse=True)
    lead = regex.compile("^(?:" + patterns.alternation(d["leading_strip"]) + ")+")
    return (link, set(d["stop_words"]), set(d["follow_stop_words"]), int(d["max_length"]), lead)


@lru_cache(maxsize=1)
def _determiners() -> frozenset:
    return frozenset(patterns.load("subjects").get("determiners", []))


@lru_cache(maxsize=1)
def _opening_verbs():
    """The pattern of the opening verbs, and the measure heads that keep one (subjects.yaml)."""
    d = patterns.load("subjects")
    words = d.get("opening_verbs", [])
    pattern = regex.compile("^(?:" + patterns.alternation(words) + r")(?=[\p{Han}A-Za-z0-9“])") if words else None
    return pattern, tuple(d.get("measure_heads", []))


# a word of letters and digits is one word: 5G基站, PM2.5平均浓度, IPv6活跃用户数
# (a single space or line break between two characters of a phrase is the layout's, as PDF text
# puts them: 工业互联网核心\n产业规模, 5G 基站)
_PIECE = regex.compile(r"(?:[A-Za-z]+[0-9]+(?:\.[0-9]+)?[A-Za-z0-9]*|[0-9]+[A-Za-z][A-Za-z0-9]*"
                       r"|(?<=[\p{Han}A-Za-z0-9])[ \n\f](?=\p{Han})"
                       r"|[^，。；;,：:、()（）《》\"'\[\]【】\s0-9%‰.])+$")
_JOINERS = ("和", "与", "及", "或", "以及")
_NOT_NOUN_TAGS = ("p", "r", "c", "u", "m", "d", "x", "w", "y", "e", "o", "q")


def _nounish(token: str, tags: dict) -> bool:
    """A word that can stand in a noun phrase (jieba's tags are loose: 超市 is tagged a verb),
    a quoted name, letters and digits; not a stop word, pronoun, number or particle."""
    if token[:1] in "“‘「『" or token[-1:] in "”’」』" or token[:1].isascii() and token[:1].isalnum():
        return True
    if token in _rules()[1]:
        return False
    return not tags.get(token, "n" if len(token) > 1 else "x").startswith(_NOT_NOUN_TAGS)


_OPEN_QUOTE = {"”": "“", "’": "‘", "」": "「", "』": "『"}
_CLOSE_QUOTE = {v: k for k, v in _OPEN_QUOTE.items()}


@lru_cache(maxsize=1)
def _adjuncts():
    return regex.compile("|".join(f"(?:{p})" for p in patterns.load("subjects").get("adjuncts", [])))


def without_adjuncts(text: str) -> str:
    """The text before a number less what qualifies how it is counted (扣除价格因素, 按可比价格
    计算) and a year before the number (国内生产总值2000年达…)."""
    return _adjuncts().sub("", text.rstrip())


def _strip_links(s: str, link: list[str]) -> str:
    """`s` less the link words that end it (达到, 同比增长 …), a line break inside one (同\n比增长,
    from a PDF's layout) read through."""
    changed = True
    while changed and s:
        changed = False
        s = s.rstrip()
        compact = regex.sub(r"\s", "", s)
        for w in link:
            if compact.endswith(w):
                cut, left = len(s), len(w)
                while left:              # remove the word's characters, and the breaks among them
                    cut -= 1
                    left -= not s[cut].isspace()
                s = s[:cut]
                changed = True
                break
    return s


_BASIS = regex.compile(r"^(\p{Han}{2,12}?)(?:根据|按照|依据|依照|按)")
_PAREN_TAIL = regex.compile(r"[(（][^()（）]{0,20}[)）]$")


def subject_before(text: str) -> str:
    """The noun phrase that ends `text` (the clause before a figure), read backwards."""
    link, stops, _, max_len, lead = _rules()
    # 乡镇卫生院(含村卫生室)2096万元, 农业总产值（包括村办工业）平均每年增长: past the aside
    text = _PAREN_TAIL.sub("", _strip_links(without_adjuncts(text), link))
    m = _PIECE.search(text) if text else None
    piece = m.group(0) if m else ""
    piece_start = m.start() if m else len(text)
    if piece and len(piece) < len(text) and text[:piece_start].rstrip()[-1:].isdigit():
        piece = _TIME_TAIL.sub("", piece.lstrip())   # "2020年度省级监测点…", "2023 年…": a year's 年
    piece = _strip_links(piece, link)
    if not piece:
        return ""
    basis = _BASIS.match(piece)
    if basis:   # 岗位工资根据职称每月500-900元: what is paid stands before the basis it is paid on
        piece = basis.group(1)
    jieba, tags = tokenizer()
    toks = jieba.lcut(piece, HMM=False)
    kept: list[str] = []
    conjunct = 0                    # where the conjunct being read starts in `kept`
    whole = False                   # the piece was read to its start, nothing cut off
    while True:
        if not toks:
            whole = True
            break
        t = toks.pop()
        tag = tags.get(t, "n" if len(t) > 1 else "x")
        if t in _OPEN_QUOTE and _OPEN_QUOTE[t] in toks:
            # a quoted name is one word, whatever it holds: “两重”“两新”国家资金
            at = len(toks) - 1 - toks[::-1].index(_OPEN_QUOTE[t])
            t, toks, tag = "".join(toks[at:]) + t, toks[:at], "nz"
        elif t == "年" and kept and not (toks and toks[-1][-1:].isdigit()):
            kept.insert(0, t)       # 年旅客吞吐量: "annual", not a year
            continue
        if t in _JOINERS and kept and toks and _nounish(toks[-1], tags) and _nounish(kept[0], tags):
            kept.insert(0, t)       # 研究与试验发展经费, 入园率和普惠率: one subject of two parts
            conjunct = len(kept)
            continue
        if t == "的" and kept and toks and _nounish(toks[-1], tags) and _nounish(kept[0], tags) \
                and tags.get(toks[-1], "n").startswith(("n", "vn", "j", "nz")):
            kept.insert(0, t)       # 消费资料的生产, 农民的纯收入: a noun that owns the head
            continue
        if kept and t in _determiners():
            kept.insert(0, t)
            continue
        if t in stops:
            if not kept and tag.startswith("v"):
                kept.insert(0, t)   # "2023年投资58.5万元": the verb names the amount
                continue
            break
        # verbs stay: 跨省就医比例, 家庭医生签约服务; the verbs that open a clause are stop words
        if kept and (tag.startswith(("p", "r", "c", "u", "m")) or (tag == "d" and len(t) == 1)):
            break
        if kept and len("".join(kept[:len(kept) - conjunct])) + len(t) > max_len:
            break                   # as short as stays clear: the head and its nearest words
        kept.insert(0, t)
    if whole and kept and piece_start > 0 and text[piece_start - 1] == "、" and _nounish(kept[0], tags):
        # 疏散通道、安全出口3.2万余处: the listed things together, each a short noun phrase
        before = subject_before(text[:piece_start - 1])
        if before and len(before) <= max_len and not before.endswith(tuple(_JOINERS)):
            kept.insert(0, before + "、")
    if len(kept) > 1 and tags.get(kept[0], "") == "ns" and len(kept[0]) >= 3 and is_place(kept[0]) \
            and kept[1] not in _JOINERS:
        kept = kept[1:]             # 东安县总人口 -> 总人口: the place is the report's, not the figure's
    out = lead.sub("", "".join(kept)).strip() or "".join(kept).strip()
    return _without_opening_verbs(out)


def _without_opening_verbs(s: str) -> str:
    """新增技能人才 -> 技能人才, 清理打通疏散通道 -> 疏散通道: verbs that open the clause before
    what they act on, left out while two characters or more of a name follow that are not a bare
    measure head (新增就业, 改造人数 stay)."""
    opening, heads = _opening_verbs()
    while opening is not None and (m := opening.match(s)):
        rest = s[m.end():]
        if rest in heads or len(rest) < 2 or len(rest) == 2 and rest.endswith(heads):
            break
        s = rest
    return s


@lru_cache(maxsize=1)
def _generic() -> frozenset:
    return frozenset(patterns.load("subjects").get("generic_subjects", []))


@lru_cache(maxsize=1)
def money_verbs() -> tuple[str, ...]:
    """The bare verbs of spending (投资, 投入: subjects.yaml money_verbs)."""
    return tuple(patterns.load("subjects").get("money_verbs", []))


def spent_on(subject: str, after: str) -> str:
    """What a sum is spent on when its subject is only the act of spending: 投资800万元实施污水
    管网改造 -> 污水管网改造; "" otherwise."""
    d = patterns.load("subjects")
    if subject not in money_verbs():
        return ""
    after = after.lstrip()
    if after.startswith(("的", "对")):      # 投资5亿元的万家惠农贸市场项目, 投资6462万元对成吉思汗广场…
        return _object(after[1:])
    for verb in sorted(d.get("object_verbs", []), key=len, reverse=True):
        if after.startswith(verb):
            return _object(after[len(verb):].removeprefix("了").removeprefix("的"))
    return ""


_OBJECT_MAX = 30


@lru_cache(maxsize=1)
def _object_ends():
    ends = patterns.load("subjects").get("object_ends", [])
    return regex.compile(patterns.alternation(ends) if ends else r"(?!)")


def _object(text: str) -> str:
    """The thing a sum is spent on, named in one phrase at the start of `text`: up to the end of
    the clause, a word that says what became of it (object_ends) or a figure of its own; "" when
    no phrase stands there (完成16个老旧小区…), it runs long or is a place (完成白纳溪村…)."""
    clause = regex.split(r"[，。；;,：:]", text, maxsplit=1)[0]
    m = _object_ends().search(clause)
    thing = clause[:m.start()] if m else clause
    # 新建污水管线2847米: the thing before its own measure; 向阳幼儿园等6个项目: no one phrase
    thing = regex.split(r"[0-9０-９]", thing, maxsplit=1)[0].strip()
    if len(thing) < 2 or thing.endswith(("等", "和", "及", "、")) or len(thing) > _OBJECT_MAX or is_place(thing):
        return ""
    return thing


# the other sums of a list after a sum, up to the noun they share: …100万元、50万元的奖励
_LISTED_SUMS = regex.compile(r"^(?:\s*[、和及]\s*(?:最高|最多)?\s*[0-9.]+\s*[十百千万亿]*元)*\s*的?")
_CLAUSE_END_WORDS = regex.compile(r"\p{Han}{2,6}(?=\s*(?:[，。；;,]|$))")


def given_as(after: str) -> str:
    """What a sum after a bare verb is given as (给予最高300万元补助, 分别给予100万元、50万元的奖励,
    给予…200万元创新扶持): the noun after it and the sums listed with it, or the words that
    end the clause there."""
    rest = _LISTED_SUMS.sub("", after)
    m = _CLAUSE_END_WORDS.match(rest)
    return subject_after(rest) or (m.group(0) if m else "")


_DONE_SPENDING = regex.compile(r"(?:累计)?完成(?:年度|全年|当年)?(?:计划)?投资(?:额)?\s*$")


def spent_by(text: str) -> str:
    """Who spent a sum that follows 完成投资 in the same clause: 700个省重点项目完成投资9757亿元
    -> 省重点项目 (as 县财政拨付27万元 -> 县财政); "" when the clause names nobody before it."""
    m = _DONE_SPENDING.search(text)
    if not m:
        return ""
    s = subject_before(text[:m.start()])
    return s if s and not is_generic(s) and not is_place(s) else ""


@lru_cache(maxsize=1)
def _generic_forms():
    forms = patterns.load("subjects").get("generic_forms", [])
    from .figures import rules           # the units: 万吨 left before a change names nothing
    units = patterns.alternation(rules().units)
    return regex.compile("|".join([f"(?:{f})" for f in forms] + [f"(?:[十百千万亿]*(?:{units}))"]))


def is_generic(s: str) -> bool:
    """A subject that names no thing of its own (总量, 规模, 比上年末, 等于一九四九年, 万吨, 全国): the
    figure measures what its neighbour in the sentence measures."""
    s = regex.sub(r"\s", "", s)
    # a scope or time word alone (全国, 全年, 年末) says where or when, not what
    return s in _generic() or bool(s and (_generic_forms().fullmatch(s) or _rules()[4].fullmatch(s)))


def is_place(s: str) -> bool:
    """A subject that is only a place name ("八角塘村") names where, not what."""
    return bool(_PLACE_END.search(s))


def subject_after(text: str) -> str:
    """The noun after a count ("267名乡村医生轮流…" -> 乡村医生)."""
    _, stops, follow_stops, max_len, lead = _rules()
    piece = _CUT.split(text)[0] if text else ""
    if not piece:
        return ""
    jieba, tags = tokenizer()
    de = _DE.match(text)
    first = jieba.lcut(piece[:8], HMM=False)[:2]
    compound = len(first) > 1 and len(first[1]) == 1 and not tags.get(first[1], "x").startswith(("v", "u", "p"))
    if de and first and len(first[0]) > 1 and tags.get(first[0], "n").startswith("v") and not compound:
        return subject_after(text[de.end():])   # 29名具有执业(助理)医师资格的乡村医生 -> the noun after 的
    kept: list[str] = []
    noun_seen = cut_at_verb = False
    toks = _quoted_as_one(jieba.lcut(piece[:max_len + 4], HMM=False))
    for i, t in enumerate(toks):
        tag = tags.get(t, "n" if len(t) > 1 else "x")
        if t[:1] in "“‘「『" or (i == 0 and tag.startswith("m") and len(t) > 2 and _NOT_NUMERAL.search(t)):
            tag = "nz"          # “两重”建设项目; 千万千瓦级新能源基地: a name, a measured modifier
        verb = tag.startswith("v") and tag != "vn"
        # a verb before any noun modifies it (在岗村医); after a noun it is the predicate,
        # unless a one-character noun head follows (定点帮扶村, 签约率)
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        head_follows = len(nxt) == 1 and not tags.get(nxt, "x").startswith(("v", "p", "u", "c", "d", "r", "m", "x"))
        phrase_verb = tag in ("l", "v", "vd", "ad", "d") and any(
            t.startswith(w) for w in follow_stops if len(w) > 1)     # 全面完成 after 民生实事
        if verb and noun_seen and not head_follows and _noun_phrase_to_end(toks[i:], tags, follow_stops) \
                and len("".join(kept + toks[i:])) <= max_len:
            kept += toks[i:]        # 物业示范项目, 厨余垃圾处理设施: the clause ends on the noun
            break
        if t in follow_stops or phrase_verb or tag.startswith(("p", "u", "c", "d", "r", "m")) or \
                (verb and noun_seen and not head_follows):
            cut_at_verb = verb and t not in follow_stops     # jieba tags some heads verbs: 组织, 超市
            break
        kept.append(t)
        noun_seen = noun_seen or not verb
        if len("".join(kept)) >= max_len:
            break
    # 定点帮扶村开展 -> 定点帮扶村; a word that stands alone before the clause ends is the
    # thing counted, whatever jieba's tag (出台25条举措，…)
    alone = len(kept) == 1 and len(piece) == len(kept[0])
    while kept and not alone and tags.get(kept[-1], "n").startswith("v") and tags.get(kept[-1]) != "vn":
        kept.pop()
    # 20公里燃气管网铺设, 116.7万亩高标准农田建设: the thing measured, not the work done on it
    while len(kept) > 1 and not cut_at_verb and tags.get(kept[-1]) == "vn" and tags.get(kept[-2], "").startswith("n") \
            and not tags.get(kept[-2], "").startswith(("nr", "ns")):
        kept.pop()
    out = "".join(kept)
    if len(out) == 1 and not tags.get(out, "x").startswith(("n", "s")) and not _PLACE_END.match(out):
        return ""                # a lone character names a thing only when it is a noun (村, 县)
    return out


def _noun_phrase_to_end(rest: list[str], tags: dict, follow_stops: set) -> bool:
    """The words left of a piece (to its clause's end) name a thing: no stop among them, a noun
    last (示范|项目, 回收循环利用|公司), not a predicate with its object (入驻|园区 counts firms)."""
    if not rest or any(w in follow_stops for w in rest):
        return False
    last = tags.get(rest[-1], "n" if len(rest[-1]) > 1 else "x")
    return last.startswith(("n", "nz")) and not last.startswith(("nr", "ns")) and len(rest) <= 4 \
        and rest[-1] in _heads()


@lru_cache(maxsize=1)
def _heads() -> frozenset:
    return frozenset(patterns.load("subjects").get("head_nouns", []))


_NOT_NUMERAL = regex.compile(r"[^〇一二三四五六七八九十百千万亿两零几多余]")


def _quoted_as_one(toks: list[str]) -> list[str]:
    """jieba's words with each quoted span (“两重”) joined into one."""
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        close = _CLOSE_QUOTE.get(t)
        if close and close in toks[i + 1:]:
            j = toks.index(close, i + 1)
            out.append("".join(toks[i:j + 1]))
            i = j + 1
            continue
        out.append(t)
        i += 1
    return out


_JOIN = regex.compile(r"[和与及、]")
_CUT_JOINT = regex.compile(_CUT.pattern.replace("、", ""))    # 城镇、农村居民…: one joint subject


def split_joint(text: str) -> list[str]:
    """城镇和农村居民人均可支配收入 -> [城镇居民人均可支配收入, 农村居民人均可支配收入]: the
    subjects of "…分别达A、B" (`text` is what stands before 分别), the shared head given to each."""
    text = without_adjuncts(text)
    tail = _CUT_JOINT.split(text)[-1] if text else ""
    for word, expansion in sorted(patterns.load("subjects").get("joint_words", {}).items(),
                                  key=lambda kv: -len(kv[0])):
        at = tail.find(word)
        if at >= 0 and not _JOIN.search(tail):
            # 城乡常住居民人均可支配收入 -> 城镇常住居民… and 农村常住居民…
            rest = tail[at + len(word):]
            return [s for e in expansion if (s := subject_before(tail[:at] + e + rest))]
    pieces = [p for p in _JOIN.split(tail) if p]
    parts = [s for p in pieces if (s := subject_before(p))]
    if len(parts) < 2 or len(parts) != len(pieces):
        return []
    # the last piece holds the head after a modifier as long as the first piece (城镇|居民…);
    # a first piece that is a whole phrase of its own (城镇调查失业率、居民消费价格涨幅) shares none
    head = ""
    if len(parts[0]) <= 4 and len(parts[-1]) - len(parts[0]) >= 2:
        # the head starts where the first piece's length ends in the last (城镇、农村|居民…), unless
        # that cuts a word (原煤、原油、天然|气产量): then after the word (天然气|产量)
        jieba, _ = tokenizer()
        own = len(parts[0])
        if len(jieba.lcut(parts[-1][own:], HMM=False)[0]) < 2:
            own = 0
            for w in jieba.lcut(parts[-1], HMM=False):
                own += len(w)
                if own >= len(parts[0]):
                    break
        head = parts[-1][own:] if len(parts[-1]) - own >= 2 else ""
    return [p + head for p in parts[:-1]] + [parts[-1]]

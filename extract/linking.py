"""Link each figure to an indicator of the catalog (patterns/indicators.yaml).

Evidence: the figure's subject (or, without one, the words just before it) against each
indicator's name and aliases, lexically (exact alias, alias at the end of the subject, character
n-gram TF-IDF) and, when the model is available, by multilingual e5 embeddings; only indicators
whose kind and unit fit the figure compete (a percent never links to a count).  Below a score, or
too close to the runner-up, the figure stays unlinked: never forced.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import re

import numpy as np
import yaml

from . import patterns
from .model import Figure

MIN_SCORE = 0.55     # below this nothing is linked
MIN_MARGIN = 0.04    # the winner must beat the best other indicator by this much
EMB_FLOOR, EMB_SPAN = 0.80, 0.15   # e5 cosines cluster in 0.80–0.95: rescale that band to 0–1
W_LEX, W_EMB = 0.6, 0.4
W_CTX = 0.25         # weight of the figure's clause beside its subject
_GROWTH = ("增速", "增长率", "增幅", "增长")


@dataclass
class Indicator:
    id: str
    name: str
    aliases: list[str]
    kind: str
    units: list[str]
    topic: str = ""
    definition: str = ""

    @property
    def phrases(self) -> list[str]:
        return [self.name] + [a for a in self.aliases if a != self.name]


@lru_cache(maxsize=1)
def load_catalog() -> tuple[Indicator, ...]:
    with open(patterns.PATTERNS_DIR / "indicators.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    out = []
    for d in data["indicators"]:
        units = d.get("unit") or []
        out.append(Indicator(d["id"], d["name"], list(d.get("aliases") or []), d["kind"],
                             [str(u) for u in (units if isinstance(units, list) else [units])],
                             d.get("topic", ""), d.get("definition", "")))
    return tuple(out)


def compatible(f: Figure, ind: Indicator) -> bool:
    """Kind and unit must fit; a change links only to a growth-rate indicator."""
    if f.role == "change":
        return f.kind == "percent" and ind.kind == "percent" and any(g in ind.name for g in _GROWTH)
    if f.kind != ind.kind:
        return False
    if f.kind in ("money", "percent"):
        return True
    return not ind.units or f.unit in ind.units or (f.kind == "rate" and any(
        f.unit.split("/")[-1] == u.split("/")[-1] for u in ind.units))


class Linker:
    """Links figures in place.  `embeddings` is an extract.embeddings.EmbeddingCache, or None
    for lexical evidence only."""

    def __init__(self, catalog=None, embeddings=None):
        from sklearn.feature_extraction.text import TfidfVectorizer
        self.catalog = list(catalog or load_catalog())
        self.owner, phrases = [], []
        for i, ind in enumerate(self.catalog):
            for p in ind.phrases:
                self.owner.append(i)
                phrases.append(p)
        self.phrases = phrases
        self.owner = np.array(self.owner)
        self.exact = {}
        for i, ind in enumerate(self.catalog):
            for p in ind.phrases:
                self.exact.setdefault(p, i)
        self.tfidf = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
        self.phrase_tfidf = self.tfidf.fit_transform(phrases)
        self.embeddings = embeddings
        self.phrase_emb = embeddings.encode(phrases) if embeddings is not None else None
        self._memo: dict[tuple, tuple] = {}

    # -- evidence for one query phrase, against every indicator ----------------------------
    def _lexical(self, q: str) -> np.ndarray:
        n = len(self.catalog)
        score = np.zeros(n)
        sims = (self.tfidf.transform([q]) @ self.phrase_tfidf.T).toarray()[0]
        np.maximum.at(score, self.owner, sims * 0.85)
        for j, p in enumerate(self.phrases):
            i = self.owner[j]
            if p == q:
                s = 1.0
            elif len(p) >= 2 and q.endswith(p):
                s = 0.9 + 0.1 * len(p) / len(q)        # 建档立卡贫困人口参保率 ends with 参保率
            elif len(q) >= 2 and q in p:
                s = 0.6 + 0.3 * len(q) / len(p)        # 就诊率 within 县域内就诊率
            elif len(p) >= 3 and p in q:
                s = 0.55 + 0.3 * len(p) / len(q)
            else:
                continue
            score[i] = max(score[i], s)
        return score

    def _semantic(self, q: str) -> np.ndarray | None:
        if self.phrase_emb is None:
            return None
        v = self.embeddings.encode([q])[0]
        sims = self.phrase_emb @ v
        score = np.full(len(self.catalog), -1.0)
        np.maximum.at(score, self.owner, sims)
        return np.clip((score - EMB_FLOOR) / EMB_SPAN, 0, 1)

    def scores(self, q: str) -> np.ndarray:
        lex = self._lexical(q)
        sem = self._semantic(q)
        return lex if sem is None else W_LEX * lex + W_EMB * sem

    # -- deciding ------------------------------------------------------------------------
    def best(self, f: Figure) -> tuple[Indicator | None, float]:
        q = _query(f)
        if not q:
            return None, 0.0
        ctx = _clause(f)
        key = (q, ctx, f.kind, f.unit, f.role == "change")
        if key not in self._memo:
            s = self.scores(q)
            if ctx and ctx != q:
                # the clause tells what the count is of: 267名乡村医生…接受培训 is trainees
                s = (1 - W_CTX) * s + W_CTX * self.scores(ctx)
            ok = [i for i, ind in enumerate(self.catalog) if compatible(f, ind)]
            if not ok:
                self._memo[key] = (None, 0.0)
            else:
                ranked = sorted(ok, key=lambda i: -s[i])
                exact = self.exact.get(q)
                if exact in ok:          # the subject is an alias: no other evidence outweighs it
                    ranked.remove(exact)
                    ranked.insert(0, exact)
                top = ranked[0]
                runner = s[ranked[1]] if len(ranked) > 1 else 0.0
                if top == exact or (s[top] >= MIN_SCORE and s[top] - runner >= MIN_MARGIN):
                    self._memo[key] = (self.catalog[top], float(s[top]))
                else:
                    self._memo[key] = (None, float(s[top]))
        return self._memo[key]

    def link(self, figures) -> None:
        figures = list(figures)
        if self.embeddings is not None:
            # one batched call for the new phrases: the model is slow one phrase at a time
            self.embeddings.encode(sorted({q for f in figures if (q := _query(f))}
                                          | {c for f in figures if (c := _clause(f))}))
        for f in figures:
            ind, score = self.best(f)
            f.indicator = ind.id if ind else ""
            f.indicator_name = ind.name if ind else ""
            f.indicator_score = round(score, 3) if ind else None


_CLAUSE_CUT = re.compile(r"[，。；;,：:！？!?]")


def _clause(f: Figure) -> str:
    """The clause around the figure, without the figure's own digits."""
    at = f.sentence.find(f.surface)
    if at < 0:
        return ""
    left = _CLAUSE_CUT.split(f.sentence[:at])[-1]
    right = _CLAUSE_CUT.split(f.sentence[at + len(f.surface):])[0]
    return re.sub(r"[0-9.%]+", "", left + right)[:40]


def _query(f: Figure) -> str:
    """The subject, or without one the few words just before the figure in its sentence."""
    if f.subject:
        return f.subject
    return ""

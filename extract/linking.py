"""Link each figure to an indicator of the catalog (patterns/indicators.yaml).

Evidence: the figure's subject, and beside it the clause around the figure, against each
indicator's name and aliases, lexically (exact alias, alias at the end of the subject, character
n-gram TF-IDF) and, when the model is available, by multilingual e5 embeddings of the subject.
A figure without a subject is not linked.  Only indicators
whose kind and unit fit the figure compete (a percent never links to a count).  Below a score, or
too close to the runner-up, the figure stays unlinked: never forced.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import re

import numpy as np

from . import patterns
from .model import Figure
from .subjects import money_verbs

MIN_SCORE = 0.55     # below this nothing is linked
MIN_MARGIN = 0.04    # the winner must beat the best other indicator by this much
EMB_FLOOR, EMB_SPAN = 0.80, 0.15   # e5 cosines cluster in 0.80–0.95: rescale that band to 0–1
W_LEX, W_EMB = 0.6, 0.4
W_CTX = 0.25         # weight of the figure's clause beside its subject
DECISIVE = 0.9       # lexical evidence this strong (an alias ending the subject) needs no model
_AMOUNTS = ("money", "count", "measure")    # kinds whose growth rate reports state


@dataclass
class Indicator:
    id: str
    name: str
    aliases: list[str]
    kind: str
    units: list[str]
    topic: str = ""
    definition: str = ""
    measures: tuple = ("level", "growth")

    @property
    def phrases(self) -> list[str]:
        return [self.name] + [a for a in self.aliases if a != self.name]


@lru_cache(maxsize=1)
def load_catalog() -> tuple[Indicator, ...]:
    data = patterns.load("indicators")
    out = []
    for d in data["indicators"]:
        units = d.get("unit") or []
        measures = d.get("measures") or (["level", "growth"] if d["kind"] in _AMOUNTS else ["level"])
        out.append(Indicator(d["id"], d["name"], list(d.get("aliases") or []), d["kind"],
                             [str(u) for u in (units if isinstance(units, list) else [units])],
                             d.get("topic", ""), d.get("definition", ""), tuple(measures)))
    return tuple(out)


def catalog_phrases() -> list[str]:
    """Every name and alias of the catalog, in the order a Linker over it holds them."""
    return [p for ind in load_catalog() for p in ind.phrases]


def compatible(f: Figure, ind: Indicator) -> bool:
    """Kind and unit must fit; a growth rate (增长5.1%) links to the indicator that grows, if
    it has a growth measure; other changes (减少2995人) link to nothing."""
    measure = f.measure
    if measure != "level":
        return measure == "growth" and "growth" in ind.measures
    if "level" not in ind.measures or f.kind != ind.kind:
        return False
    if f.kind == "money":       # 元, 元/人 …; another currency only where the entry names it
        return not ind.units or f.unit.split("/")[0] in ind.units or f.unit.startswith("元")
    if f.kind == "percent":
        return True
    return not ind.units or f.unit in ind.units or (f.kind == "rate" and any(
        f.unit.split("/")[-1] == u.split("/")[-1] for u in ind.units))


_SPACES = re.compile(r"\s\s+")


class CharTfidf:
    """TF-IDF over character 1-3-grams, computed as scikit-learn's
    TfidfVectorizer(analyzer="char", ngram_range=(1, 3)) does (lower case, runs of spaces as
    one, raw counts, smooth idf, rows of unit length), with scipy.sparse alone: importing
    scikit-learn takes a second, more than linking a year's provincial reports."""

    def __init__(self, phrases: list[str]):
        self.vocabulary: dict[str, int] = {}
        counts = [self._grams(p, grow=True) for p in phrases]
        df = np.zeros(len(self.vocabulary))
        for c in counts:
            df[list(c)] += 1
        self.idf = np.log((1 + len(phrases)) / (1 + df)) + 1
        self.matrix = self._rows(counts)

    def _grams(self, text: str, grow: bool = False) -> dict[int, int]:
        text = _SPACES.sub(" ", text.lower())
        out: dict[int, int] = {}
        for n in (1, 2, 3):
            for i in range(len(text) - n + 1):
                col = self.vocabulary.get(text[i:i + n])
                if col is None:
                    if not grow:
                        continue          # a gram no catalog phrase has adds nothing
                    col = self.vocabulary[text[i:i + n]] = len(self.vocabulary)
                out[col] = out.get(col, 0) + 1
        return out

    def _rows(self, counts: list[dict[int, int]]):
        from scipy.sparse import csr_matrix
        indptr, indices, data = [0], [], []
        for c in counts:
            cols = np.fromiter(c.keys(), dtype=np.int64, count=len(c))
            w = np.fromiter(c.values(), dtype=np.float64, count=len(c)) * self.idf[cols]
            norm = np.sqrt((w * w).sum())
            indices.extend(cols.tolist())
            data.extend((w / norm if norm else w).tolist())
            indptr.append(len(indices))
        return csr_matrix((data, indices, indptr), shape=(len(counts), len(self.vocabulary)))

    def transform(self, texts: list[str]):
        """The unit-length TF-IDF rows of these texts (a sparse matrix)."""
        return self._rows([self._grams(t) for t in texts])


class Linker:
    """Links figures in place.  `embeddings` is an extract.embeddings.EmbeddingCache, or None
    for lexical evidence only."""

    def __init__(self, catalog=None, embeddings=None):
        self.catalog = list(catalog or load_catalog())
        owner, phrases = [], []
        for i, ind in enumerate(self.catalog):
            for p in ind.phrases:
                owner.append(i)
                phrases.append(p)
        self.phrases, self.owner = phrases, np.array(owner)
        self.starts = np.searchsorted(self.owner, np.arange(len(self.catalog)))
        self.by_phrase: dict[str, list[int]] = {}
        self.inside: dict[str, dict[int, int]] = {}   # piece of a phrase -> {indicator: shortest phrase}
        for p, i in zip(phrases, owner):
            self.by_phrase.setdefault(p, []).append(i)
            for a in range(len(p)):
                for b in range(a + 2, len(p) + 1):
                    if b - a < len(p):
                        d = self.inside.setdefault(p[a:b], {})
                        d[i] = min(d.get(i, 99), len(p))
        self.exact = {p: ids[0] for p, ids in self.by_phrase.items()}
        self.heads, self.longest = {p[:2] for p in phrases}, max(map(len, phrases))
        self.tfidf = CharTfidf(phrases)
        self.phrase_tfidf = self.tfidf.matrix
        self._lex: dict[str, np.ndarray] = {}
        self._sem: dict[str, np.ndarray] = {}
        self._memo: dict[tuple, tuple] = {}
        self.compatible = {}
        self.embeddings = self.phrase_emb = None
        if embeddings is not None:
            self.attach(embeddings)

    def attach(self, embeddings, catalog_vectors=None) -> None:
        """Add the model's evidence (an EmbeddingCache), e.g. once it has loaded in the background;
        the lexical evidence prepared so far is kept."""
        self.embeddings = embeddings
        self.phrase_emb = (catalog_vectors if catalog_vectors is not None
                           else embeddings.encode_catalog(self.phrases))
        self._memo.clear()
        self._sem.clear()

    def prepare(self, figures) -> None:
        """Lexical evidence for these figures ahead of linking them (it needs no model)."""
        self._prepare([x for f in figures for x in _evidence(f)])

    # -- evidence for query phrases, against every indicator -------------------------------
    def _prepare(self, queries) -> None:
        """Lexical evidence for new phrases, the TF-IDF part in one batched call."""
        new = [q for q in dict.fromkeys(queries) if q and q not in self._lex]
        if not new:
            return
        if len(self._lex) + len(new) > 200_000:      # bound the memory of a long run
            self._lex.clear()
        for at in range(0, len(new), 2048):       # dense rows a chunk at a time: bounded memory
            chunk = new[at:at + 2048]
            sims = (self.tfidf.transform(chunk) @ self.phrase_tfidf.T).toarray()
            # best phrase of each indicator (phrases are grouped by indicator)
            best = np.maximum.reduceat(sims, self.starts, axis=1) * 0.85
            for q, score in zip(chunk, best):
                self._alias_evidence(q, score)
                self._lex[q] = score

    def _alias_evidence(self, q: str, score: np.ndarray) -> None:
        """Aliases equal to the subject, ending it, inside it, or containing it."""
        L = len(q)
        for i in self.by_phrase.get(q, ()):
            score[i] = max(score[i], 1.0)
        for k in range(1, L - 1):                 # 建档立卡贫困人口参保率 ends with 参保率
            for i in self.by_phrase.get(q[k:], ()):
                score[i] = max(score[i], 0.9 + 0.1 * (L - k) / L)
        for i, plen in self.inside.get(q, {}).items():   # 就诊率 within 县域内就诊率
            score[i] = max(score[i], 0.6 + 0.3 * L / plen)
        for a in range(L):
            if q[a:a + 2] not in self.heads:      # no alias starts here
                continue
            for b in range(a + 3, min(L, a + self.longest + 1)):   # an alias inside, not at the end
                for i in self.by_phrase.get(q[a:b], ()):
                    score[i] = max(score[i], 0.55 + 0.3 * (b - a) / L)

    def _lexical(self, q: str) -> np.ndarray:
        self._prepare([q])
        return self._lex[q]

    def _blend(self, q: str, ctx: str) -> tuple[np.ndarray, float]:
        """The lexical part of the combined score (subject and clause, both prepared), and the
        weight the subject's embedding evidence adds to it."""
        lex, c = self._lex[q], (self._lex.get(ctx) if ctx and ctx != q else None)
        if c is None:
            return W_LEX * lex, W_EMB
        return (1 - W_CTX) * W_LEX * lex + W_CTX * c, W_EMB * (1 - W_CTX)

    def _semantic(self, q: str) -> np.ndarray | None:
        if self.phrase_emb is None:
            return None
        if q not in self._sem:
            self._embed([q])
        return self._sem[q]

    def _embed(self, queries: list[str]) -> None:
        """Embedding evidence for these phrases against each indicator (its best phrase), in one
        batched call to the model."""
        if len(self._sem) + len(queries) > 200_000:
            self._sem.clear()
        sims = self.embeddings.encode(queries) @ self.phrase_emb.T
        best = np.maximum.reduceat(sims, self.starts, axis=1).astype(np.float64)
        self._sem.update(zip(queries, np.clip((best - EMB_FLOOR) / EMB_SPAN, 0, 1)))

    def scores(self, q: str, ctx: str = "", ok=None) -> np.ndarray:
        """Evidence for each indicator: the subject's (lexical, and semantic unless no indicator
        could reach MIN_SCORE even with a perfect embedding match), with the clause's lexical
        evidence beside it."""
        lex = self._lexical(q)
        if ctx and ctx != q:
            self._prepare([ctx])
        if self.phrase_emb is None:
            ctx_lex = self._lex.get(ctx) if ctx and ctx != q else None
            return lex if ctx_lex is None else (1 - W_CTX) * lex + W_CTX * ctx_lex
        base, w_sem = self._blend(q, ctx)
        if ok is not None and (_unreachable(base, ok, w_sem) or _decided(lex, ok)):
            return base + w_sem * (lex >= DECISIVE)     # the model could not change the outcome
        return base + w_sem * self._semantic(q)

    # -- deciding ------------------------------------------------------------------------
    def _compatible(self, f: Figure) -> list[int]:
        key = (f.kind, f.unit, f.measure)
        if key not in self.compatible:
            self.compatible[key] = [i for i, ind in enumerate(self.catalog) if compatible(f, ind)]
        return self.compatible[key]

    def best(self, f: Figure, q: str | None = None, ctx: str | None = None
             ) -> tuple[Indicator | None, float]:
        """The indicator of a figure (or None) and its score; `q` and `ctx` as _evidence gives them."""
        if q is None:
            q, ctx = _evidence(f)
        if not q:
            return None, 0.0
        key = (q, ctx, f.kind, f.unit, f.measure)
        if key not in self._memo:
            if len(self._memo) > 200_000:      # bound the memory of a long run
                self._memo.clear()
            self._memo[key] = self._decide(f, q, ctx)
        return self._memo[key]

    def _decide(self, f: Figure, q: str, ctx: str) -> tuple[Indicator | None, float]:
        ok = self._compatible(f)
        if not ok:
            return None, 0.0
        exact = self.exact.get(q)
        if exact in ok:          # the subject is an alias: no other evidence outweighs it
            return self.catalog[exact], 1.0
        s = self.scores(q, ctx, ok)[ok]
        first = int(np.argmax(s))       # the first of equals, as a stable sort would give
        top, score = ok[first], float(s[first])
        runner = np.delete(s, first).max() if len(ok) > 1 else 0.0
        if score >= MIN_SCORE and score - runner >= MIN_MARGIN:
            return self.catalog[top], score
        return None, score

    def link(self, figures) -> None:
        figures = list(figures)
        evidence = [_evidence(f) for f in figures]
        self._prepare([x for pair in evidence for x in pair])
        if self.embeddings is not None:
            # one batched call for the subjects that can still be linked: the model is slow
            # one phrase at a time, and most subjects are settled by lexical evidence alone
            need = set()
            for f, (q, ctx) in zip(figures, evidence):
                ok = self._compatible(f) if q else []
                if not ok or q in need or (q, ctx, f.kind, f.unit, f.measure) in self._memo:
                    continue
                base, w_sem = self._blend(q, ctx)
                if not (_unreachable(base, ok, w_sem) or _decided(self._lex[q], ok)) \
                        and self.exact.get(q) not in ok:
                    need.add(q)
            self._embed(sorted(need - self._sem.keys()))
        for f, (q, ctx) in zip(figures, evidence):
            ind, score = self.best(f, q, ctx)
            f.indicator = ind.id if ind else ""
            f.indicator_name = ind.name if ind else ""
            f.indicator_score = round(score, 3) if ind else None


def _unreachable(base: np.ndarray, ok: list[int], w_sem: float) -> bool:
    """No indicator could reach MIN_SCORE even with a perfect embedding match."""
    return (base[ok] + w_sem).max() < MIN_SCORE


def _decided(lex: np.ndarray, ok: list[int]) -> bool:
    """An alias ends the subject (参保率 in 建档立卡贫困人口参保率) and no other indicator comes
    near: lexical evidence settles it, the model is spared."""
    top = sorted(lex[ok], reverse=True)[:2]
    return top[0] >= DECISIVE and (len(top) < 2 or top[0] - top[1] >= 0.15)


_CLAUSE_CUT = re.compile(r"[，。；;,：:！？!?]")


def _clause(f: Figure) -> str:
    """The clause around the figure, without the figure's own digits."""
    at = f.sentence.find(f.surface)
    if at < 0:
        return ""
    left = _CLAUSE_CUT.split(f.sentence[:at])[-1]
    right = _CLAUSE_CUT.split(f.sentence[at + len(f.surface):])[0]
    return re.sub(r"[0-9.%]+", "", left + right)[:40]


def _evidence(f: Figure) -> tuple[str, str]:
    """What a figure is linked by: its subject, and the clause around it (only with a subject:
    a figure without one is not linked).  A sum right after 投资/投入 whose subject names what it
    is spent on (投资5亿元的万家惠农贸市场项目) is an investment: that word leads, the thing
    joins the clause."""
    if not f.subject:
        return "", ""
    at = f.sentence.find(f.surface)
    before = f.sentence[:at].rstrip() if f.kind == "money" and at >= 0 else ""
    spent = next((w for w in money_verbs() if before.endswith(w)), "")
    if spent and spent not in f.subject:
        return spent, f.subject + _clause(f)
    return f.measured, _clause(f)

"""An experiment that issue 12 asks for: subjects chosen by a small model trained on the
hand labels, against the jieba-tag rules of extract/subjects.py.

For every labelled figure the extractor found, the candidates are the rule's subject and the
word-aligned spans that end right before the number (or, for a count, start right after it),
up to 16 characters. Each candidate is described by its e5 vector (the encoder linking uses)
and a few position features; a logistic regression learns which candidate reads like the
labelled subject. It is trained on some documents and scored on others (by document, four
folds over the samples and the second development set together), with the labels' own
character-overlap measure.

    python -m evaluation.subject_model
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from .labels import LABELS, SAMPLES, load
from .score import Pred, char_f1, extractor_predictions, match

MAX_LEN = 16


def _candidates(sentence: str, surface: str, rule: str) -> list[tuple[str, list[float]]]:
    from extract.segment import tokenizer
    jieba, tags = tokenizer()
    at = sentence.find(surface)
    if at < 0:
        return [(rule, [1.0, 0, len(rule), 0])] if rule else []
    left = sentence[max(0, at - MAX_LEN):at]
    right = sentence[at + len(surface):at + len(surface) + MAX_LEN]
    out = {rule: [1.0, 0.0, len(rule), 0.0]} if rule else {}
    toks = jieba.lcut(left, HMM=False)
    for k in range(1, min(7, len(toks)) + 1):
        c = "".join(toks[-k:]).strip("，,。；;：: ")
        if c and c not in out:
            out[c] = [float(c == rule), 0.0, len(c), float(tags.get(toks[-1], "n").startswith("v"))]
    toks = jieba.lcut(right, HMM=False)
    for k in range(1, min(5, len(toks)) + 1):
        c = "".join(toks[:k]).strip("，,。；;：: ")
        if c and c not in out:
            out[c] = [float(c == rule), 1.0, len(c), float(tags.get(toks[k - 1], "n").startswith("v"))]
    return list(out.items())


def _examples():
    """(document, gold subject, rule subject, candidates) of every matched labelled figure."""
    from . import dev2
    sets = [(SAMPLES, LABELS, extractor_predictions())]
    tmp = None
    if dev2.available():
        tmp = tempfile.TemporaryDirectory()
        sets.append((dev2.write_excerpts(Path(tmp.name)), dev2.DEV2 / "labels", dev2.predictions()))
    rows = []
    for texts, labels_dir, preds in sets:
        by_doc: dict[str, list] = {}
        for r in preds:
            by_doc.setdefault(Path(r["doc"]).stem, []).append(
                Pred(Path(r["doc"]).stem, r["start"], r["end"], r["value"], r))
        for lf in sorted(labels_dir.glob("*.jsonl")):
            labels, _ = load(lf.stem, labels_dir, texts)
            pairs, _, _ = match(sorted(by_doc.get(lf.stem, []), key=lambda p: p.start), labels)
            for p, lab in pairs:
                rule = p.rec.get("subject") or ""
                cands = _candidates(p.rec.get("sentence") or "", p.rec.get("surface") or "", rule)
                if cands:
                    rows.append((lf.stem, lab.subject or "", rule, cands))
    if tmp:
        tmp.cleanup()
    return rows


def main() -> int:
    from sklearn.linear_model import LogisticRegression
    from extract.embeddings import EmbeddingCache, load_encoder
    rows = _examples()
    cache = EmbeddingCache(load_encoder())
    phrases = sorted({c for _, _, _, cands in rows for c, _ in cands})
    vec = dict(zip(phrases, cache.encode(phrases)))
    docs = sorted({d for d, *_ in rows})
    folds = {d: i % 4 for i, d in enumerate(docs)}
    rule_f1, model_f1 = [], []
    for fold in range(4):
        train = [r for r in rows if folds[r[0]] != fold]
        test = [r for r in rows if folds[r[0]] == fold]
        X, y = [], []
        for _, gold, _, cands in train:
            scores = [char_f1(c, gold) for c, _ in cands]
            best = max(scores)
            for (c, feats), s in zip(cands, scores):
                X.append(np.concatenate([vec[c], feats]))
                y.append(int(s == best and s >= 0.5))
        model = LogisticRegression(max_iter=2000, C=1.0).fit(np.array(X), np.array(y))
        for _, gold, rule, cands in test:
            p = model.predict_proba(np.array([np.concatenate([vec[c], f]) for c, f in cands]))[:, 1]
            model_f1.append(char_f1(cands[int(np.argmax(p))][0], gold))
            rule_f1.append(char_f1(rule, gold))
    print(f"{len(rows)} labelled figures in {len(docs)} documents, 4 folds by document")
    print(f"subject agreement, jieba-tag rules:         {np.mean(rule_f1):.3f}")
    print(f"subject agreement, e5 + logistic reranker:  {np.mean(model_f1):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

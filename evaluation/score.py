"""Score extracted figures against the hand-checked labels.

Matching is one-to-one by span overlap within a document.  Optional labels count neither way:
a prediction that overlaps one is set aside, and an unmatched one is no miss.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .labels import LABELS, SAMPLES, Label, load, read_text

CONTEXT = 18


@dataclass
class Pred:
    doc: str
    start: int
    end: int
    value: float | None
    rec: dict


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    strict: int = 0
    unit_ok: int = 0
    period_ok: int = 0
    subject_f1: float = 0.0
    subject_n: int = 0
    link_n: int = 0          # matched figures whose label names an indicator (or null)
    link_ok: int = 0         # ... and the prediction agrees (same id, or both unlinked)
    link_pred: int = 0       # predictions that link (non-null) among them
    link_pred_ok: int = 0
    link_gold: int = 0       # labels with a non-null indicator among them
    link_gold_ok: int = 0

    def add(self, other: "Tally"):
        for k in ("tp", "fp", "fn", "strict", "unit_ok", "period_ok", "subject_f1", "subject_n",
                  "link_n", "link_ok", "link_pred", "link_pred_ok", "link_gold", "link_gold_ok"):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        sp = self.strict / (self.tp + self.fp) if self.tp + self.fp else 0.0
        sr = self.strict / (self.tp + self.fn) if self.tp + self.fn else 0.0
        sf1 = 2 * sp * sr / (sp + sr) if sp + sr else 0.0
        if not (self.tp or self.fp or self.fn):
            p = r = f1 = sf1 = None     # nothing labelled and nothing found: no score to give
        return {
            "labels": self.tp + self.fn, "predicted": self.tp + self.fp,
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": _r(p), "recall": _r(r), "f1": _r(f1), "strict_f1": _r(sf1),
            "unit_accuracy": round(self.unit_ok / self.tp, 4) if self.tp else None,
            "subject_agreement": round(self.subject_f1 / self.subject_n, 4) if self.subject_n else None,
            "period_accuracy": round(self.period_ok / self.tp, 4) if self.tp else None,
            "indicator_accuracy": _r(self.link_ok / self.link_n) if self.link_n else None,
            "indicator_precision": _r(self.link_pred_ok / self.link_pred) if self.link_pred else None,
            "indicator_recall": _r(self.link_gold_ok / self.link_gold) if self.link_gold else None,
        }


def _r(x):
    return None if x is None else round(x, 4)


def char_f1(a: str, b: str) -> float:
    """Character-overlap F1 of two phrases (multisets of characters)."""
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def norm_period(p: str) -> str:
    return (p or "").replace(" ", "").replace("截止", "截至").replace("—", "-").replace("～", "-")


def _overlap(a0, a1, b0, b1) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def match(preds: list[Pred], labels: list[Label]):
    """Greedy one-to-one matching by largest overlap; returns (pairs, unmatched preds,
    unmatched labels), with predictions on optional labels dropped."""
    cands = []
    for i, p in enumerate(preds):
        for j, l in enumerate(labels):
            ov = _overlap(p.start, p.end, l.start, l.end)
            if ov:
                cands.append((ov, -abs(p.start - l.start), i, j))
    cands.sort(reverse=True)
    used_p, used_l, pairs = set(), set(), []
    for _, _, i, j in cands:
        if i in used_p or j in used_l:
            continue
        used_p.add(i)
        used_l.add(j)
        pairs.append((preds[i], labels[j]))
    free_p = [p for i, p in enumerate(preds) if i not in used_p]
    free_l = [l for j, l in enumerate(labels) if j not in used_l]
    pairs_req = [(p, l) for p, l in pairs if not l.record.get("optional")]
    free_l = [l for l in free_l if not l.record.get("optional")]
    # a prediction that overlaps an optional label is neither right nor wrong
    opt = [l for l in labels if l.record.get("optional")]
    free_p = [p for p in free_p if not any(_overlap(p.start, p.end, l.start, l.end) for l in opt)]
    return pairs_req, free_p, free_l


def _ctx(text: str, start: int, end: int) -> str:
    return (text[max(0, start - CONTEXT):start] + "【" + text[start:end] + "】"
            + text[end:end + CONTEXT]).replace("\n", " ")


def score(predictions: list[dict], labels_dir: Path = LABELS, samples_dir: Path = SAMPLES) -> dict:
    """Scores overall, per document and per kind, and the lists of errors."""
    by_doc = defaultdict(list)
    for r in predictions:
        by_doc[Path(r["doc"]).stem].append(
            Pred(Path(r["doc"]).stem, int(r["start"]), int(r["end"]), r.get("value"), r))
    overall, per_doc, per_kind = Tally(), {}, defaultdict(Tally)
    errors = {"false_positives": [], "false_negatives": [], "wrong_values": [], "wrong_indicators": []}
    problems = []
    for lf in sorted(labels_dir.glob("*.jsonl")):
        doc = lf.stem
        labels, probs = load(doc, labels_dir, samples_dir)
        problems += probs
        text = read_text(samples_dir / f"{doc}.txt")
        pairs, fps, fns = match(sorted(by_doc.get(doc, []), key=lambda p: p.start), labels)
        t = Tally()
        for p, l in pairs:
            kt = per_kind[l.kind]
            t.tp += 1
            kt.tp += 1
            ok = same_value(p.value, l.value) and same_value(p.rec.get("value_max"), l.value_max)
            t.strict += ok
            kt.strict += ok
            if not ok:
                errors["wrong_values"].append({
                    "doc": doc, "context": _ctx(text, l.start, l.end), "label": l.value,
                    "label_max": l.value_max, "got": p.value, "got_max": p.rec.get("value_max"),
                    "got_surface": p.rec.get("surface")})
            u = (p.rec.get("unit") or "") == (l.unit or "")
            t.unit_ok += u
            kt.unit_ok += u
            if "subject" in p.rec:
                s = char_f1(p.rec.get("subject") or "", l.subject or "")
                t.subject_f1 += s
                t.subject_n += 1
                kt.subject_f1 += s
                kt.subject_n += 1
            per = norm_period(p.rec.get("period", "")) == norm_period(l.period)
            t.period_ok += per
            kt.period_ok += per
            if "indicator" in l.record and "indicator" in p.rec:
                gold, got = l.record["indicator"] or None, p.rec.get("indicator") or None
                for x in (t, kt):
                    x.link_n += 1
                    x.link_ok += gold == got
                    x.link_pred += got is not None
                    x.link_pred_ok += got is not None and got == gold
                    x.link_gold += gold is not None
                    x.link_gold_ok += gold is not None and got == gold
                if gold != got:
                    errors["wrong_indicators"].append({
                        "doc": doc, "context": _ctx(text, l.start, l.end), "label": gold,
                        "got": got, "subject": p.rec.get("subject"), "score": p.rec.get("indicator_score")})
        for p in fps:
            t.fp += 1
            per_kind[p.rec.get("kind", "other")].fp += 1
            errors["false_positives"].append({"doc": doc, "context": _ctx(text, p.start, p.end),
                                              "value": p.value, "unit": p.rec.get("unit")})
        for l in fns:
            t.fn += 1
            per_kind[l.kind].fn += 1
            errors["false_negatives"].append({"doc": doc, "context": _ctx(text, l.start, l.end),
                                              "value": l.value, "unit": l.unit, "note": l.record.get("note", "")})
        per_doc[doc] = t
        overall.add(t)
    return {"overall": overall.as_dict(),
            "per_document": {d: t.as_dict() for d, t in per_doc.items()},
            "per_kind": {k: t.as_dict() for k, t in sorted(per_kind.items())},
            "errors": errors, "label_problems": problems}


COLUMNS = [("labels", "labels"), ("predicted", "pred"), ("precision", "P"), ("recall", "R"),
           ("f1", "F1"), ("strict_f1", "strictF1"), ("unit_accuracy", "unit"),
           ("subject_agreement", "subject"), ("period_accuracy", "period"),
           ("indicator_accuracy", "indic")]


def format_table(result: dict, title: str = "") -> str:
    def row(name, d):
        cells = []
        for key, _ in COLUMNS:
            v = d[key]
            cells.append(f"{v:>8}" if isinstance(v, int) else (f"{v:>8.3f}" if v is not None else f"{'-':>8}"))
        return f"{name:<28}" + "".join(cells)
    lines = [title] if title else []
    lines.append(f"{'':<28}" + "".join(f"{h:>8}" for _, h in COLUMNS))
    lines.append(row("overall", result["overall"]))
    lines.append("per document")
    for d, v in result["per_document"].items():
        lines.append(row("  " + d, v))
    lines.append("per kind")
    for k, v in result["per_kind"].items():
        lines.append(row("  " + k, v))
    return "\n".join(lines)


def format_errors(result: dict, limit: int | None = None) -> str:
    e = result["errors"]
    out = []
    for name, key in (("false positives", "false_positives"), ("false negatives", "false_negatives"),
                      ("wrong values", "wrong_values"), ("wrong indicators", "wrong_indicators")):
        items = e[key][:limit] if limit else e[key]
        out.append(f"{name} ({len(e[key])}):")
        for it in items:
            extra = {k: v for k, v in it.items() if k not in ("doc", "context") and v not in ("", None)}
            out.append(f"  {it['doc'][:3]}  {it['context']}  {json.dumps(extra, ensure_ascii=False)}")
    return "\n".join(out)


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def extractor_predictions(samples_dir: Path = SAMPLES, linker=None) -> list[dict]:
    """Run report-figures over the sample texts (and link the figures, given a Linker)."""
    from extract import process_file
    out = []
    for p in sorted(samples_dir.glob("*.txt")):
        figs = process_file(p, samples_dir).figures
        if linker is not None:
            linker.link(figs)
        out += [f.to_dict() for f in figs]
    return out

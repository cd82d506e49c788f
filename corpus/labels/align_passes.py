"""Align pass_a and pass_b labels by character position and list differences.

    python corpus/labels/align_passes.py [doc ...]   (from the project root)
"""
from __future__ import annotations
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from evaluation.labels import load  # noqa: E402

LAB = ROOT / "corpus" / "labels"
FIELDS = ("value", "value_max", "unit", "kind", "qualifier", "role", "period", "subject", "optional")


def align(doc, lab=LAB, texts=None):
    """Pairs of pass-A and pass-B labels of one document (`lab` holds pass_a/ and pass_b/;
    `texts` the folder of its text, the samples by default)."""
    kw = {"samples_dir": texts} if texts else {}
    a, pa = load(doc, lab / "pass_a", **kw)
    b, pb = load(doc, lab / "pass_b", **kw)
    assert not pa and not pb, (pa, pb)
    pairs, used = [], set()
    for x in a:
        match = None
        # exact span first, then overlapping span
        for j, y in enumerate(b):
            if j not in used and (y.start, y.end) == (x.start, x.end):
                match = j
                break
        if match is None:
            for j, y in enumerate(b):
                if j not in used and y.start < x.end and x.start < y.end:
                    match = j
                    break
        if match is None:
            pairs.append((x, None))
        else:
            used.add(match)
            pairs.append((x, b[match]))
    for j, y in enumerate(b):
        if j not in used:
            pairs.append((None, y))
    pairs.sort(key=lambda p: (p[0] or p[1]).start)
    return pairs


def diffs(x, y):
    out = []
    if x.surface != y.surface:
        out.append(("surface", x.surface, y.surface))
    for f in FIELDS:
        va, vb = x.record.get(f, False if f == "optional" else None), y.record.get(f, False if f == "optional" else None)
        if va != vb:
            out.append((f, va, vb))
    return out


def main(docs, lab=LAB, texts=None):
    for doc in docs:
        pairs = align(doc, lab, texts)
        print(f"## {doc}")
        for x, y in pairs:
            if y is None:
                print(f"A-only @{x.start} {x.surface!r} ctx={x.context!r} {dict((k, x.record.get(k)) for k in FIELDS + ('note',))}")
            elif x is None:
                print(f"B-only @{y.start} {y.surface!r} ctx={y.context!r} {dict((k, y.record.get(k)) for k in FIELDS + ('note',))}")
            else:
                d = diffs(x, y)
                if d:
                    print(f"DIFF @{x.start} {x.surface!r} ctx={x.context!r} " + "; ".join(f"{f}: A={va!r} B={vb!r}" for f, va, vb in d)
                          + (f" | noteA={x.record.get('note')!r}" if x.record.get('note') else "")
                          + (f" | noteB={y.record.get('note')!r}" if y.record.get('note') else ""))


if __name__ == "__main__":
    docs = sys.argv[1:] or sorted(p.stem for p in (LAB / "pass_a").glob("*.jsonl"))
    main(docs)

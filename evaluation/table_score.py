"""`python run_extract.py evaluate --tables`: the comparable table of `compare`, cell by cell,
against the key read by hand (corpus/tables), with the cause of every wrong or missing cell."""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd

from .table_key import CELL, KeySet, key_sets


def _same(a, b) -> bool:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return (a is None or pd.isna(a)) and (b is None or pd.isna(b))
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b))) + 1e-9


def table_of(ks: KeySet, out: Path, link: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(long indicator table, figures, documents) of `compare` over the key's source."""
    from extract.batch import run
    summary = run([str(ks.source)], out, link=link, incremental=False)
    figures = pd.read_json(out / "figures.jsonl", lines=True) if (out / "figures.jsonl").stat().st_size \
        else pd.DataFrame(columns=["doc"])
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", keep_default_na=False)
    return summary.indicators, figures, docs


def score_set(ks: KeySet, long: pd.DataFrame, figures: pd.DataFrame, docs: pd.DataFrame) -> dict:
    chosen = long[long["chosen"]].copy()
    chosen["year"] = pd.to_numeric(chosen["year"], errors="coerce")
    cells = {tuple(r[k] for k in CELL): r for _, r in chosen.iterrows()}
    doc_meta = {r["path"]: r for _, r in docs.iterrows()}
    results = []
    for c in ks.cells:
        got = cells.get(tuple(c[k] for k in CELL))
        if got is not None and _same(got["value"], c["value"]) and _same(got["value_max"], c["value_max"]):
            results.append({**c, "outcome": "right", "qualifier_right": got["qualifier"] == c["qualifier"]})
            continue
        cause = _cause(c, got, long, figures, doc_meta)
        results.append({**c, "outcome": "wrong" if got is not None else "missing", "cause": cause,
                        "got": None if got is None else float(got["value"]),
                        "got_sentence": None if got is None else str(got["sentence"])[:120]})
    n = len(results)
    right = [r for r in results if r["outcome"] == "right"]
    return {"cells": n, "coverage": sum(r["outcome"] != "missing" for r in results) / n,
            "accuracy": len(right) / n,
            "qualifier_accuracy": sum(r["qualifier_right"] for r in right) / max(1, len(right)),
            "regions": len({c["region"] for c in ks.cells}),
            "causes": dict(Counter(r["cause"].split(":")[0] for r in results if r["outcome"] != "right")),
            "errors": [r for r in results if r["outcome"] != "right"]}


def _cause(c: dict, got, long: pd.DataFrame, figures: pd.DataFrame, doc_meta: dict) -> str:
    """Why a key cell is wrong or missing, in the order the pipeline decides it."""
    meta = doc_meta.get(c["doc"])
    if meta is None:
        return "document not read"
    if meta["region"] != c["region"]:
        return f"region: the document is placed in {meta['region'] or 'no region'}"
    covered = c["year"] - (1 if c["role"] == "target" else 0)
    if str(meta["year"]) != str(covered):
        return f"covered year: the document is dated {meta['year'] or 'no year'}"
    mine = figures[(figures["doc"] == c["doc"])] if len(figures) else figures
    frag = c["fragment"]
    here = mine[[frag in s or s in frag for s in mine["sentence"].astype(str)]] if len(mine) else mine
    hits = here[[_same(v, c["value"]) or _same(v, -c["value"]) for v in here["value"]]] if len(here) else here
    if hits.empty:
        return "figure not found in the fragment's sentence"
    f = hits.iloc[0]
    if f["indicator"] != c["indicator"]:
        return f"linking: {f['surface']} (subject {f['subject']!r}) linked to {f['indicator'] or 'nothing'}"
    rows = long[(long["doc"] == c["doc"]) & (long["start"] == f["start"])]
    if rows.empty:
        return f"left out of the table ({f['role']}, period {f['period']})"
    r = rows.iloc[0]
    if r["measure"] != c["measure"]:
        return f"measure: read as {r['measure']}"
    if r["role"] != c["role"]:
        return f"role: read as {r['role']}"
    if pd.to_numeric(r["year"], errors="coerce") != c["year"]:
        return f"year: dated {r['year']} (period {r['period']})"
    if not _same(r["value_max"], c["value_max"]) or not _same(r["value"], c["value"]):
        return f"value: read as {r['value']:g}" + ("" if pd.isna(r["value_max"]) else f"–{r['value_max']:g}")
    return "precedence: another statement of the cell was chosen"


def evaluate_tables(link: str = "embeddings", json_path: str | None = None, show_errors: bool = True) -> int:
    sets = key_sets()
    missing = [str(ks.source) for ks in sets if not ks.source.exists()]
    if missing:
        print("the key's sources are not here:", *missing, sep="\n  ")
        return 2
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        for ks in sets:
            out = Path(tmp) / ks.name
            report[ks.name] = score_set(ks, *table_of(ks, out, link))
    print(f"{'key':<18}{'cells':>7}{'regions':>9}{'coverage':>10}{'accuracy':>10}{'qualifier':>11}")
    for name, r in report.items():
        print(f"{name:<18}{r['cells']:>7}{r['regions']:>9}{r['coverage']:>10.3f}{r['accuracy']:>10.3f}"
              f"{r['qualifier_accuracy']:>11.3f}")
    total = sum(r["cells"] for r in report.values())
    acc = sum(r["accuracy"] * r["cells"] for r in report.values()) / total
    cov = sum(r["coverage"] * r["cells"] for r in report.values()) / total
    print(f"{'all':<18}{total:>7}{'':>9}{cov:>10.3f}{acc:>10.3f}")
    for name, r in report.items():
        print(f"\n{name}: causes of wrong or missing cells")
        for cause, n in sorted(r["causes"].items(), key=lambda kv: -kv[1]):
            print(f"  {n:>4}  {cause}")
        if show_errors:
            for e in r["errors"]:
                got = "" if e["got"] is None else f" got {e['got']:g}"
                print(f"  - {e['doc'].rsplit('/', 1)[-1]} {e['year']} {e['indicator']} {e['measure']} "
                      f"{e['role']} = {e['value']:g}{got}: {e['cause']}  «{e['fragment']}»")
    if json_path:
        Path(json_path).write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str),
                                   encoding="utf-8")
    return 0

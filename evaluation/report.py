"""`python run_extract.py evaluate`: score report-figures (or given predictions, or a baseline)
against the labels and print readable tables, the error lists and, optionally, JSON."""
from __future__ import annotations

import json
import sys

from .score import extractor_predictions, format_errors, format_table, read_jsonl, score


def evaluate(predictions: str | None = None, baselines: list[str] | None = None,
             json_path: str | None = None, show_errors: bool = True) -> int:
    name = predictions or "report-figures"
    preds = read_jsonl(predictions) if predictions else extractor_predictions()
    results = {name: score(preds)}
    for baseline in baselines or []:
        from .baselines import BASELINES
        try:
            results[baseline] = score(BASELINES[baseline]())
        except ImportError as e:
            print(f"baseline {baseline} is not installed ({e}); "
                  f"install it with: pip install -e '.[baseline]'", file=sys.stderr)
            return 2
    for n, r in results.items():
        print(format_table(r, f"== {n} =="))
        print()
    if len(results) > 1:
        print(side_by_side(results))
        print()
    first = results[name]
    if first["label_problems"]:
        print("label problems:", *first["label_problems"], sep="\n  ")
    if show_errors:
        print(format_errors(first))
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)
    return 0


def side_by_side(results: dict) -> str:
    keys = ["precision", "recall", "f1", "strict_f1", "unit_accuracy", "subject_agreement",
            "period_accuracy"]
    names = list(results)
    lines = [f"{'overall':<20}" + "".join(f"{n[:18]:>20}" for n in names)]
    for k in keys:
        cells = []
        for n in names:
            v = results[n]["overall"][k]
            cells.append(f"{v:>20.3f}" if v is not None else f"{'-':>20}")
        lines.append(f"{k:<20}" + "".join(cells))
    return "\n".join(lines)

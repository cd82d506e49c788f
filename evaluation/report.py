"""`python run_extract.py evaluate`: score report-figures (or given predictions, or a baseline)
against the labels and print readable tables, the error lists and, optionally, JSON."""
from __future__ import annotations

import json
import sys

from .score import extractor_predictions, format_errors, format_table, read_jsonl, score


def evaluate(predictions: str | None = None, baselines: list[str] | None = None,
             json_path: str | None = None, show_errors: bool = True, linking: str = "both") -> int:
    """linking: "embeddings" (e5 + lexical), "lexical", "both" (report-figures twice, to show
    what the embeddings add) or "none"."""
    results = {}
    if predictions:
        name = predictions
        results[name] = score(read_jsonl(predictions))
    else:
        from extract.batch import make_linker
        modes = {"both": ["embeddings", "lexical"], "none": [None]}.get(linking, [linking])
        name = None
        for mode in modes:
            linker = make_linker(embeddings=mode == "embeddings") if mode else None
            key = "report-figures" + (f" ({mode} linking)" if mode else "")
            results[key] = score(extractor_predictions(linker=linker))
            name = name or key
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
    second = {} if predictions else _second_set(linking)
    for n, r in second.items():
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
            json.dump({**results, **second}, f, ensure_ascii=False, indent=1)
    return 0


def _second_set(linking: str) -> dict:
    """The second development set (corpus/dev2: excerpts of reports of other places and eras,
    in ../shared), scored apart from the samples, when its labels and sources are here."""
    import tempfile
    from pathlib import Path

    from . import dev2
    if not dev2.available():
        return {}
    from extract.batch import make_linker
    mode = {"both": "embeddings"}.get(linking, linking)
    linker = make_linker(embeddings=mode == "embeddings") if mode != "none" else None
    with tempfile.TemporaryDirectory() as tmp:
        texts = dev2.write_excerpts(Path(tmp))
        result = score(dev2.predictions(linker), dev2.DEV2 / "labels", texts)
    return {f"report-figures on dev2 ({mode} linking)": result}


def side_by_side(results: dict) -> str:
    keys = ["precision", "recall", "f1", "strict_f1", "unit_accuracy", "subject_agreement",
            "period_accuracy", "indicator_accuracy", "indicator_precision", "indicator_recall"]
    names = list(results)
    short = [n[n.find("(") + 1:n.rfind(")")] if "(" in n else n for n in names]
    lines = [f"{'overall':<20}" + "".join(f"{n[-22:]:>24}" for n in short)]
    for k in keys:
        cells = []
        for n in names:
            v = results[n]["overall"][k]
            cells.append(f"{v:>24.3f}" if v is not None else f"{'-':>24}")
        lines.append(f"{k:<20}" + "".join(cells))
    return "\n".join(lines)

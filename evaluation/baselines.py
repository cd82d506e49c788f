"""Existing Chinese number extractors as peers, turned into the scorer's JSON Lines records.

Installed with the `baseline` extra: `pip install -e '.[baseline]'`.
- `recognizers`: Microsoft Recognizers-Text for Chinese: currency, dimension and percentage
  (number with unit), and every other number its number recognizer finds.
- `jionlp`: JioNLP's money extractor (it has no general number-with-unit extractor).
Both are run on the same decoded sample texts; offsets are character offsets into them.
"""
from __future__ import annotations

from pathlib import Path

from .labels import SAMPLES

_MONEY_SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}


def _texts(samples_dir: Path):
    for p in sorted(samples_dir.glob("*.txt")):
        yield p.name, p.read_text(encoding="utf-8")


def _num(s):
    try:
        return float(str(s).replace(",", "").rstrip("%"))
    except ValueError:
        return None


def recognizers_records(text: str, doc: str) -> list[dict]:
    from recognizers_text import Culture
    import recognizers_suite as rs
    out, taken = [], []
    for kind, fn in (("money", rs.recognize_currency), ("measure", rs.recognize_dimension),
                     ("percent", rs.recognize_percentage), ("other", rs.recognize_number)):
        for r in fn(text, Culture.Chinese):
            start, end = r.start, r.end + 1          # Recognizers-Text ends are inclusive
            if any(start < e and end > s for s, e in taken):
                continue
            res = r.resolution or {}
            value = _num(res.get("value"))
            if value is None:
                continue
            taken.append((start, end))
            unit = {"money": "元", "percent": "%"}.get(kind, res.get("unit", ""))
            out.append({"doc": doc, "start": start, "end": end, "surface": text[start:end],
                        "value": value, "unit": unit, "kind": kind})
    return sorted(out, key=lambda r: r["start"])


def jionlp_records(text: str, doc: str) -> list[dict]:
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):   # it greets on stdout when imported
        import jionlp as jio
    out = []
    for r in jio.ner.extract_money(text, with_parsing=True):
        num = r["detail"]["num"]
        lo, hi = (num if isinstance(num, list) else (num, None))
        start, end = r["offset"]
        out.append({"doc": doc, "start": start, "end": end, "surface": r["text"],
                    "value": _num(lo), "value_max": _num(hi) if hi is not None else None,
                    "unit": "元", "kind": "money"})
    return out


def _run(fn, samples_dir: Path = SAMPLES) -> list[dict]:
    out = []
    for name, text in _texts(samples_dir):
        out += fn(text, name)
    return out


BASELINES = {
    "recognizers": lambda: _run(recognizers_records),
    "jionlp": lambda: _run(jionlp_records),
}

"""The table key (corpus/tables/key_*.jsonl, see corpus/tables/KEY.md): comparable cells read
by hand, each with the fragment of text that states it; loading and checking it."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex

from extract.tables import CELL   # the table's own cell is what the key scores

ROOT = Path(__file__).resolve().parent.parent
KEY_DIR = ROOT / "corpus" / "tables"
FIELDS = {"doc": str, "region": str, "region_level": str, "year": int, "indicator": str,
          "measure": str, "role": str, "value": float, "value_max": (float, type(None)),
          "unit": str, "qualifier": str, "fragment": str}
ALLOWED = {"measure": {"level", "growth"}, "role": {"value", "target"},
           "qualifier": {"exact", "approx", "at_least", "at_most", "range"},
           "region_level": {"national", "province", "prefecture", "county"},
           "unit": {"元", "%", "人"}}
_NUMBER = regex.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass
class KeySet:
    """One key file and the input (file or folder) its documents come from."""
    name: str
    source: Path
    cells: list[dict]


def key_sets(key_dir: Path = KEY_DIR) -> list[KeySet]:
    sources = json.loads((key_dir / "sources.json").read_text(encoding="utf-8"))
    out = []
    for file, source in sources.items():
        cells = [json.loads(line) for line in (key_dir / file).read_text(encoding="utf-8").splitlines()
                 if line.strip()]
        out.append(KeySet(file.removesuffix(".jsonl").removeprefix("key_"), (ROOT / source).resolve(), cells))
    return out


_CN_NUMBER = regex.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")


def _written_numbers(fragment: str) -> list[float]:
    """The numbers a fragment writes: Arabic (full-width, 14·1, digits spaced by a layout:
    7 4 7 7 2) or Chinese (百分之十一点八)."""
    from extract.numbers import parse_chinese
    text = unicodedata.normalize("NFKC", fragment).replace("·", ".")
    text = regex.sub(r"(?<=[0-9.])\s+(?=[0-9.])", "", text)
    return [float(x) for x in _NUMBER.findall(text)] + [
        v for m in _CN_NUMBER.finditer(text) if (v := parse_chinese(m.group())) is not None]


def _holds(fragment: str, value: float) -> bool:
    """The fragment writes `value` with some scale word (3.21万亿元 holds 3.21e12)."""
    return any(abs(n * scale - abs(value)) <= 1e-6 * max(1.0, abs(value))
               for n in _written_numbers(fragment) for scale in (1, 1e4, 1e8, 1e12))


def check(cells: list[dict], texts: dict[str, str]) -> list[str]:
    """Problems of a key: fields and values, duplicate cells, fragments not in their document's
    text or not holding the value."""
    problems, seen = [], set()
    for i, c in enumerate(cells, 1):
        where = f"line {i} ({c.get('doc')}, {c.get('indicator')})"
        for name, kind in FIELDS.items():
            v = c.get(name)
            if name in ("value", "value_max") and isinstance(v, int):
                v = float(v)
            if not isinstance(v, kind):
                problems.append(f"{where}: field {name} is {v!r}")
        for name, allowed in ALLOWED.items():
            if c.get(name) not in allowed:
                problems.append(f"{where}: {name} {c.get(name)!r} is not one of {sorted(allowed)}")
        if (c.get("value_max") is not None) != (c.get("qualifier") == "range"):
            problems.append(f"{where}: value_max goes with qualifier range")
        key = (c.get("doc"),) + tuple(c.get(k) for k in CELL)
        if key in seen:
            problems.append(f"{where}: the cell is stated twice")
        seen.add(key)
        text = texts.get(c.get("doc"))
        if text is None:
            problems.append(f"{where}: document not found")
            continue
        fragment = c.get("fragment") or ""
        if fragment not in text:
            problems.append(f"{where}: fragment not in the text: {fragment!r}")
        for v in (c.get("value"), c.get("value_max")):
            if isinstance(v, (int, float)) and not _holds(fragment, v):
                problems.append(f"{where}: fragment {fragment!r} does not write {v:g}")
    return problems


def document_texts(source: Path) -> dict[str, str]:
    """The decoded text of every document of a key's source, named as `compare` names it."""
    from extract.batch import iter_documents
    return {d.path: d.text for d in iter_documents([str(source)]) if d.status == "ok"}

"""Load the language data in `patterns/` once; the extractor code stays generic."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

PATTERNS_DIR = Path(os.environ.get("REPORT_FIGURES_PATTERNS",
                                   Path(__file__).resolve().parent.parent / "patterns"))


# libyaml's parser when PyYAML was built with it (its wheels are): ten times the pure-Python one
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """Read `patterns/<name>.yaml`."""
    with open(PATTERNS_DIR / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=_LOADER)   # noqa: S506 - a safe loader


def terms_file() -> Path:
    return PATTERNS_DIR / "terms.txt"


def alternation(words) -> str:
    """A regex alternation of plain words, longest first so the longest form wins."""
    import regex
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))

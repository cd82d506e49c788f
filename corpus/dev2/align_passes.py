"""Align the two passes of the second development set and list their differences, for settling.

    python corpus/dev2/align_passes.py [id ...]   (from the project root, ../shared beside it)
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "corpus" / "labels"))
from align_passes import main  # noqa: E402
from evaluation.dev2 import DEV2, write_excerpts  # noqa: E402

if __name__ == "__main__":
    docs = sys.argv[1:] or sorted(p.stem for p in (DEV2 / "pass_a").glob("*.jsonl")
                                  if (DEV2 / "pass_b" / p.name).exists())
    with tempfile.TemporaryDirectory() as tmp:
        main(docs, DEV2, write_excerpts(Path(tmp)))

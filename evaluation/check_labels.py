"""Verify that every label's surface and context are found in its sample text, in order.

    python -m evaluation.check_labels [LABELS_DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

from .labels import LABELS, load


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    labels_dir = Path(argv[0]) if argv else LABELS
    files = sorted(labels_dir.glob("*.jsonl"))
    if not files:
        print(f"no label files in {labels_dir}")
        return 1
    bad = 0
    for f in files:
        labels, problems = load(f.stem, labels_dir)
        for p in problems:
            print(p)
        bad += len(problems)
        print(f"{f.stem}: {len(labels)} labels placed, {len(problems)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

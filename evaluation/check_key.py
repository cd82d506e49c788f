"""Verify the table key: fields, values, no cell twice, and every fragment found in its
document's text and writing the cell's value.

    python -m evaluation.check_key
"""
from __future__ import annotations

import sys

from .table_key import check, document_texts, key_sets


def main() -> int:
    bad = 0
    for ks in key_sets():
        if not ks.source.exists():
            print(f"{ks.name}: source {ks.source} not found (../shared beside the repository?)")
            return 1
        problems = check(ks.cells, document_texts(ks.source))
        for p in problems:
            print(f"{ks.name}: {p}")
        bad += len(problems)
        regions = len({c["region"] for c in ks.cells})
        print(f"{ks.name}: {len(ks.cells)} cells from {len({c['doc'] for c in ks.cells})} documents "
              f"({regions} regions), {len(problems)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

"""Choose the excerpts of the second development set: in each chosen document, the window of
about 1,800 characters, cut at line ends, that holds the most digits and numerals (figure-dense
text, the same way for every document; the extractor plays no part). Writes documents.json.

    python corpus/dev2/select_excerpts.py   (from the project root, ../shared beside it)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from evaluation.dev2 import document_text   # noqa: E402

WIDTH = 1800
SHARED = "../shared/corpora/"
# (source relative to the repository root, zip member or "", how many excerpts)
CHOSEN = [
    *[(SHARED + "provincial_2025/provincial_gwr_2025_31.zip", f"2025年{p}政府工作报告.docx", 1)
      for p in ("北京市", "广东省", "四川省", "新疆", "甘肃省", "福建省", "黑龙江省", "海南省")],
    *[(SHARED + f"bulk/national_gwr/{f}", "", 1) for f in (
        "gwr_071_1954.txt", "gwr_061_1978.txt", "gwr_054_1985.txt", "gwr_047_1995.txt",
        "gwr_044_1999.txt", "gwr_033_2008.txt", "gwr_015_2017.txt", "gwr_002_2024.txt")],
    *[(SHARED + f"bulk/hailar_gwr/{f}", "", 1) for f in (
        "hailar_2012.txt", "hailar_2015.txt", "hailar_2018.txt", "hailar_2019.txt")],
    (SHARED + "bulk/cpc_congress/cpc_15_congress20.txt", "", 1),
    *[(SHARED + f"bulk/policies_central/{f}", "", 1) for f in (
        "central_025_2023.txt", "central_084_2020.txt", "central_040_2022.txt", "central_063_2021.txt",
        "central_012_2024.txt", "central_042_2022.txt")],
    *[(SHARED + f"bulk/policies_shandong/{f}", "", 1) for f in (
        "shandong_020_2021.txt", "shandong_043_2023.txt", "shandong_027_2021.txt")],
    (SHARED + "pdf/zhoukou_tjgb_2023.pdf", "", 2),
]


def windows(text: str, count: int) -> list[tuple[int, int]]:
    """The `count` densest non-overlapping windows, each cut at line ends."""
    dense = [1 if ch.isdigit() or ch in "〇一二两三四五六七八九十百千万亿%％" else 0 for ch in text]
    sums = [0]
    for d in dense:
        sums.append(sums[-1] + d)
    taken: list[tuple[int, int]] = []
    for _ in range(count):
        best, at = -1, 0
        for s in range(0, max(1, len(text) - WIDTH), 50):
            e = min(len(text), s + WIDTH)
            if any(s < b and a < e for a, b in taken):
                continue
            if sums[e] - sums[s] > best:
                best, at = sums[e] - sums[s], s
        s = text.rfind("\n", 0, at) + 1
        e = text.find("\n", min(len(text), at + WIDTH))
        taken.append((s, len(text) if e < 0 else e))
    return taken


def main() -> None:
    docs = []
    for source, member, count in CHOSEN:
        text = document_text(source, member)
        for k, (s, e) in enumerate(windows(text, count)):
            name = Path(member or source).stem
            docs.append({"id": f"{name}_{k}" if count > 1 else name, "source": source,
                         "member": member, "start": s, "end": e})
    out = Path(__file__).with_name("documents.json")
    out.write_text(json.dumps(docs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(docs)} excerpts -> {out}")


if __name__ == "__main__":
    main()

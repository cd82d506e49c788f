"""Read label files and place each label in its document by its exact context."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
LABELS = ROOT / "corpus" / "labels"

REQUIRED = ("surface", "context", "value", "value_max", "unit", "kind",
            "qualifier", "role", "subject", "period")


@dataclass
class Label:
    doc: str
    start: int
    end: int
    record: dict = field(repr=False)

    def __getattr__(self, name):
        try:
            return self.record[name]
        except KeyError as e:
            raise AttributeError(name) from e


def locate(text: str, records: list[dict], doc: str) -> tuple[list[Label], list[str]]:
    """Place labels in order: each context is searched from where the previous one was found,
    so repeated paragraphs resolve to the right occurrence."""
    labels, problems = [], []
    pos = 0
    for i, rec in enumerate(records, 1):
        missing = [k for k in REQUIRED if k not in rec]
        if missing:
            problems.append(f"{doc} line {i}: missing fields {missing}")
            continue
        ctx, surf = rec["context"], rec["surface"]
        if surf not in ctx:
            problems.append(f"{doc} line {i}: surface {surf!r} not in context {ctx!r}")
            continue
        at = text.find(ctx, pos)
        if at < 0:
            anywhere = text.find(ctx)
            why = "out of order" if anywhere >= 0 else "not in text"
            problems.append(f"{doc} line {i}: context {ctx!r} {why}")
            continue
        pos = at
        start = at + ctx.index(surf)
        labels.append(Label(doc, start, start + len(surf), rec))
    return labels, problems


def read_text(path: Path) -> str:
    """A text as it is, line ends included (offsets into it are offsets into the document)."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def load(doc: str, labels_dir: Path = LABELS, samples_dir: Path = SAMPLES):
    text = read_text(samples_dir / f"{doc}.txt")
    path = labels_dir / f"{doc}.jsonl"
    records = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    return locate(text, records, doc)

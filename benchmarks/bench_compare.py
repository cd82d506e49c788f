"""`compare` against `run` over the same reports, as a user runs them from the command line.

    python benchmarks/bench_compare.py [INPUT] [--rounds 5]
    (default: ../shared/corpora/provincial_2025/provincial_gwr_2025_31.zip)

Each round runs `run`, `compare` and `compare --link embeddings` one after the other, each in a
fresh process and a fresh output folder (nothing reused from a store); the rounds alternate so
that a slow spell of a shared machine falls on all three.  The input is measured twice: as
given, and (for a zip) with its members unpacked into a folder, where every file is a task of
its own for the worker pool.  Printed: the median wall time of each and its ratio to `run`.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DEFAULT = HERE.parent / "shared" / "corpora" / "provincial_2025" / "provincial_gwr_2025_31.zip"
COMMANDS = {"run": ["run"], "compare": ["compare"], "compare --link embeddings": ["compare", "--link", "embeddings"]}


def seconds(args: list[str], inputs: str, out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, str(HERE / "run_extract.py"), *args, inputs, "--out", str(out),
                    "--no-progress"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def measure(inputs: str, rounds: int, scratch: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for r in range(rounds):
        for i, (name, args) in enumerate(COMMANDS.items()):
            times[name].append(seconds(args, inputs, scratch / f"out-{r}-{i}"))
    return times


def report(label: str, times: dict[str, list[float]]) -> None:
    base = statistics.median(times["run"])
    print(f"\n{label}")
    print("| command | median s | all rounds (s) | × run |")
    print("|---|---|---|---|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"| `{name}` | {med:.2f} | {', '.join(f'{t:.1f}' for t in ts)} | {med / base:.2f} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", nargs="?", default=str(DEFAULT))
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        report(f"{args.input} (as given)", measure(args.input, args.rounds, scratch / "given"))
        if args.input.endswith(".zip"):
            folder = scratch / "unpacked"
            with zipfile.ZipFile(args.input) as z:
                z.extractall(folder)
            report(f"{args.input} (unpacked into a folder)",
                   measure(str(folder), args.rounds, scratch / "folder"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Extraction speed and memory over a folder of reports, against jieba's own `lcut`.

    python benchmarks/bench_extract.py [FOLDER]   (default: ../shared/corpora/bulk)

Reads every file once, then times, on one core and in the same run: jieba.lcut over all texts,
and the full extraction (cleaning, segmentation, figures, subjects, periods).  Prints characters
per second for both, their ratio, figures found and the peak memory of the extraction.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from extract import analyze  # noqa: E402
from extract.reading import ReadError, expand_inputs, read_text  # noqa: E402
from extract.segment import tokenizer  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(HERE.parent / "shared" / "corpora" / "bulk"))
    ap.add_argument("--repeat", type=int, default=3, help="best of N timings (default 3)")
    args = ap.parse_args(argv)

    texts = []
    for path, root in expand_inputs([args.folder]):
        if path.suffix != ".txt":
            continue
        try:
            texts.append((path.relative_to(root).as_posix(), read_text(path)[0]))
        except ReadError:
            continue
    chars = sum(len(t) for _, t in texts)
    print(f"{len(texts)} files, {chars:,} characters, {sum(len(t.encode()) for _, t in texts)/1e6:.1f} MB")

    jieba, _ = tokenizer()            # load dictionaries before timing either side
    analyze("全县共有村医298名。", "warm-up")

    def time_best(fn):
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            out = fn()
            best = min(best, time.perf_counter() - t0)
        return best, out

    t_jieba, _ = time_best(lambda: [jieba.lcut(t) for _, t in texts])
    t_ext, n_fig = time_best(lambda: sum(len(analyze(t, name).figures) for name, t in texts))

    tracemalloc.start()
    for name, t in texts:
        analyze(t, name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"jieba.lcut          {t_jieba:7.2f} s  {chars / t_jieba:10,.0f} chars/s")
    print(f"report-figures      {t_ext:7.2f} s  {chars / t_ext:10,.0f} chars/s  {n_fig:,} figures")
    print(f"speed ratio (report-figures / jieba.lcut): {t_jieba / t_ext:.2f}")
    print(f"peak memory: {peak / 1e6:.1f} MB allocated during extraction (tracemalloc), "
          f"{rss:.0f} MB peak RSS of the process")
    return 0


if __name__ == "__main__":
    sys.exit(main())

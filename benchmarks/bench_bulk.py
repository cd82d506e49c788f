"""Throughput, memory and incremental re-runs over a big archive.

    python benchmarks/bench_bulk.py [FOLDER] [--copies 10]   (default: ../shared/corpora/bulk)
    python benchmarks/bench_bulk.py [FOLDER] --scaling 1,10,30


Each configuration runs in a fresh process (so its peak memory is its own): one job and all
cores, without linking, with lexical linking and with e5 linking (first with an empty phrase
cache, then on the archive replicated COPIES times, all of whose files are new to the result
store, once with an empty phrase cache and once with the phrases of the earlier run), and
incremental re-runs of the replicated archive: unchanged, and with one file changed.

--scaling runs the archive replicated 1, 10 and 30 times (lexical linking, all cores) and
reports the peak memory of the main process and of the largest worker: it should not grow with
the archive.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def one(inputs: str, out: str, jobs: int, link: str, store: str) -> None:
    sys.path.insert(0, str(HERE))
    from extract import run
    t = time.perf_counter()
    s = run([inputs], out, jobs=jobs, link=None if link == "none" else link,
            incremental=bool(store), store_dir=store or None)
    took = time.perf_counter() - t
    me, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(json.dumps({"seconds": took, "documents": s.documents, "characters": s.characters,
                      "figures": s.figures, "reused": s.reused, "rss_mb": me.ru_maxrss / 1024,
                      "worker_rss_mb": kids.ru_maxrss / 1024,
                      # the parent's own CPU time bounds how fast a run on many cores can be
                      "parent_cpu": me.ru_utime + me.ru_stime,
                      "children_cpu": kids.ru_utime + kids.ru_stime}))


def measure(label, inputs, out, jobs, link, store, rows):
    res = subprocess.run([sys.executable, __file__, "--one", inputs, out, str(jobs), link, store or ""],
                         capture_output=True, text=True, check=True)
    r = json.loads(res.stdout.strip().splitlines()[-1])
    r.update(label=label, jobs=jobs, link=link)
    rows.append(r)
    print(f"{label:<44} jobs={jobs} {r['seconds']:7.1f} s  {r['documents'] / r['seconds']:7.1f} docs/s  "
          f"{r['characters'] / r['seconds']:10,.0f} chars/s  peak RSS {r['rss_mb']:.0f} MB "
          f"(workers {r['worker_rss_mb']:.0f} MB)  CPU s parent {r['parent_cpu']:.1f} / workers and "
          f"workbook writer {r['children_cpu']:.1f}  reused {r['reused']}", flush=True)
    return r


def replicate(folder: str, dest: Path, copies: int) -> None:
    """The same texts under new names, `copies` times (hard links where the file system allows)."""
    for i in range(copies):
        shutil.copytree(folder, dest / f"copy{i:02d}", copy_function=_link_or_copy)


def _link_or_copy(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def scaling(folder: str, copies: list[int], cores: int) -> int:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in copies:
            many = Path(tmp) / f"x{n}"
            replicate(folder, many, n)
            measure(f"archive x{n}, lexical linking", str(many), str(Path(tmp) / f"o{n}"), cores,
                    "lexical", "", rows)
            shutil.rmtree(many)
    print()
    for r in rows:
        print(f"{r['label']:<36} {r['documents']:6d} files {r['figures']:9,d} figures  peak RSS: "
              f"main {r['rss_mb']:6.0f} MB, largest worker {r['worker_rss_mb']:6.0f} MB")
    return 0


def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--one":
        inputs, out, jobs, link, store = sys.argv[2:7]
        one(inputs, out, int(jobs), link, store)
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(HERE.parent / "shared" / "corpora" / "bulk"))
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--scaling", help="comma-separated numbers of copies: peak memory of each")
    args = ap.parse_args(argv)
    cores = len(os.sched_getaffinity(0))
    if args.scaling:
        return scaling(args.folder, [int(n) for n in args.scaling.split(",")], cores)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        many = tmp / "copies"
        replicate(args.folder, many, args.copies)    # the same texts under new names: new to the store
        store = str(tmp / "store")
        base1 = measure("archive, no linking", args.folder, str(tmp / "o1"), 1, "none", "", rows)
        base = measure("archive, no linking", args.folder, str(tmp / "o2"), cores, "none", "", rows)
        lex = measure("archive, lexical linking", args.folder, str(tmp / "o3"), cores, "lexical", "", rows)
        cold = measure("archive, e5 linking, empty phrase cache", args.folder, str(tmp / "o4"), cores,
                       "embeddings", store, rows)
        big = measure(f"archive x{args.copies}, no linking", str(many), str(tmp / "o5"), cores, "none", "", rows)
        fresh = measure(f"archive x{args.copies}, e5 linking, empty phrase cache", str(many),
                        str(tmp / "o7"), cores, "embeddings", str(tmp / "store2"), rows)
        warm = measure(f"archive x{args.copies}, e5 linking, phrases cached", str(many), str(tmp / "o6"),
                       cores, "embeddings", store, rows)
        again = measure(f"archive x{args.copies}, e5 linking, re-run", str(many), str(tmp / "o6"),
                        cores, "embeddings", store, rows)
        first = next(p for p in sorted(many.rglob("*.txt")))
        first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        touched = measure(f"archive x{args.copies}, e5 linking, one file changed", str(many),
                          str(tmp / "o6"), cores, "embeddings", store, rows)
    print()
    print(f"speed-up with {cores} cores: {base1['seconds'] / base['seconds']:.2f}")
    print(f"cost of a run with linking over one without: lexical {lex['seconds'] / base['seconds']:.2f}x, "
          f"e5 with an empty phrase cache {cold['seconds'] / base['seconds']:.2f}x (archive), "
          f"{fresh['seconds'] / big['seconds']:.2f}x (archive x{args.copies}), "
          f"e5 with the phrases of an earlier run {warm['seconds'] / big['seconds']:.2f}x")
    print(f"incremental re-run: {warm['seconds'] / again['seconds']:.1f}x faster "
          f"({again['reused']} of {again['documents']} documents from the store); with one file "
          f"changed {warm['seconds'] / touched['seconds']:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""report-figures command line: a thin layer over the `extract` library.

    python run_extract.py                      # the bundled samples -> output/
    python run_extract.py run INPUT... --out DIR
"""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE / "corpus" / "samples"


def _engine_options(p) -> None:
    from extract.workers import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local process pool, or Dask (a LocalCluster, or --scheduler ADDRESS)")
    p.add_argument("--scheduler", help="address of a Dask scheduler (tcp://host:8786)")
    p.add_argument("--no-incremental", action="store_true",
                   help="process every file again instead of reusing stored results")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"time a file may take before it is recorded as failed (default {DEFAULT_TIMEOUT})")
    p.add_argument("--max-memory", type=float, default=DEFAULT_MAX_MEMORY, metavar="MB",
                   help="memory a file may need in its worker before it is recorded as failed "
                        f"(default {DEFAULT_MAX_MEMORY})")
    p.add_argument("--no-progress", "--quiet", dest="quiet", action="store_true",
                   default=argparse.SUPPRESS, help="no progress bar")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="run_extract.py",
        description="Extract the figures of Chinese work reports into comparable tables.")
    sub = parser.add_subparsers(dest="command")
    p_run = sub.add_parser("run", help="extract figures from files, folders or globs")
    p_run.add_argument("inputs", nargs="+", help="files, folders (searched recursively) or glob patterns")
    p_run.add_argument("--out", default="output", help="output folder (default: output)")
    _engine_options(p_run)
    p_run.add_argument("--link", choices=["none", "lexical", "embeddings"], default="none",
                       help="link figures to the indicator catalog (default: none)")
    p_cmp = sub.add_parser("compare", help="link figures to indicators and write comparable tables and charts")
    p_cmp.add_argument("inputs", nargs="+", help="files, folders (searched recursively) or glob patterns")
    p_cmp.add_argument("--out", default="compare", help="output folder (default: compare)")
    p_cmp.add_argument("--indicators", help="comma-separated indicator ids or names (default: all; "
                                            "charts for the most widely stated)")
    p_cmp.add_argument("--regions", help="comma-separated regions or provinces to keep")
    p_cmp.add_argument("--link", choices=["lexical", "embeddings"], default="lexical",
                       help="link by aliases and character n-grams (default), or with the e5 model "
                            "besides them: slower by the model's start, and no better on the key")
    _engine_options(p_cmp)

    p_eval = sub.add_parser("evaluate", help="score figures against the hand-checked labels of corpus/")
    p_eval.add_argument("--predictions", metavar="JSONL",
                        help="score this figures.jsonl (any JSON Lines with doc, start, end, value) "
                             "instead of running the extractor")
    p_eval.add_argument("--baseline", choices=["recognizers", "jionlp"], action="append",
                        help="also score a baseline extractor (repeatable) and show them side by side")
    p_eval.add_argument("--json", metavar="FILE", help="write scores and error lists as JSON")
    p_eval.add_argument("--tables", action="store_true",
                        help="score compare's table cell by cell against the key of corpus/tables "
                             "(needs ../shared beside the repository)")
    p_eval.add_argument("--no-errors", action="store_true", help="print the score tables only")
    p_eval.add_argument("--linking", choices=["both", "embeddings", "lexical", "none"], default="both",
                        help="how report-figures links figures to indicators: e5 embeddings with "
                             "lexical evidence, lexical only, both side by side (default), or none")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    stopped, restore = _stop_on_signals()
    try:
        return _command(args)
    except ModuleNotFoundError as e:
        # an optional part (Dask, the baseline peers) that this environment lacks: one line
        print(f"run_extract.py: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as e:    # Ctrl-C or SIGTERM: one line, what was done is kept
        print(f"run_extract.py: {e or 'interrupted'}", file=sys.stderr)
        return 128 + (stopped[0] if stopped else signal.SIGINT)
    except OSError as e:             # an output folder that cannot be used (extract.OutputError)
        print(f"run_extract.py: {e}", file=sys.stderr)
        return 2
    finally:
        restore()


def _stop_on_signals():
    """Ctrl-C and SIGTERM interrupt the run once (a KeyboardInterrupt); a second one while it
    closes is ignored, so the closing is not cut short.  The list returned gets the signal's
    number; the function returned puts the handlers back."""
    got: list[int] = []
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def stop(signum, frame):
        got.append(signum)
        for sig in before:
            signal.signal(sig, signal.SIG_IGN)
        raise KeyboardInterrupt

    for sig in before:
        signal.signal(sig, stop)

    def restore():
        for sig, handler in before.items():
            signal.signal(sig, handler)
    return got, restore


def _command(args) -> int:

    if args.command == "evaluate" and args.tables:
        from evaluation.table_score import evaluate_tables
        link = "embeddings" if args.linking == "embeddings" else "lexical"   # as compare links
        return evaluate_tables(link, args.json, not args.no_errors)
    if args.command == "evaluate":
        from evaluation.report import evaluate
        return evaluate(args.predictions, args.baseline, args.json, not args.no_errors, args.linking)

    if args.command == "compare":
        from extract.batch import compare
        from extract.engine import default_jobs
        split = lambda s: [x.strip() for x in s.split(",") if x.strip()] if s else None  # noqa: E731
        res = compare(args.inputs, args.out, split(args.indicators), split(args.regions),
                      embeddings=args.link == "embeddings", progress=not args.quiet, jobs=args.jobs or default_jobs(),
                      engine=args.engine, scheduler=args.scheduler, incremental=not args.no_incremental,
                      limits=_limits(args))
        s = res.summary
        print(f"{s.documents} files: {s.documents - len(s.failed)} read, {len(s.failed)} failed; "
              f"{s.figures} figures, {res.rows} linked to indicators; outputs in {Path(args.out).resolve()}/ "
              f"(indicators.csv, compare.xlsx, {len(res.charts)} charts)")
        return _problems(s)

    from extract import run
    from extract.engine import default_jobs
    if args.command is None:
        summary = run([str(SAMPLES)], "output", progress=not args.quiet, jobs=1)
        out = "output"
    else:
        out = args.out
        summary = run(args.inputs, out, progress=not args.quiet, jobs=args.jobs or default_jobs(),
                      link=None if args.link == "none" else args.link, engine=args.engine,
                      scheduler=args.scheduler, incremental=not args.no_incremental, limits=_limits(args))
    ok_docs = summary.documents - len(summary.failed)
    reused = f" ({summary.reused} unchanged, from the store)" if summary.reused else ""
    ocr = (f"; {summary.ocr_pages} scanned PDF pages read by OCR (mean confidence "
           f"{summary.ocr_confidence:.2f}, pages listed in documents.csv)") if summary.ocr_pages else ""
    print(f"{summary.documents} files: {ok_docs} read, {len(summary.failed)} failed{reused}; "
          f"{summary.figures} figures from {summary.characters:,} characters{ocr}; "
          f"outputs in {Path(out).resolve()}/")
    return _problems(summary)


def _limits(args):
    from extract.workers import Limits
    return Limits(timeout=args.timeout, max_memory=args.max_memory)


def _problems(summary) -> int:
    """Files that failed and outputs that could not be written, on stderr; the exit status."""
    for path, error in summary.failed:
        print(f"  failed: {path}: {error}", file=sys.stderr)
    for path, n in summary.replaced:
        print(f"  read with {n} undecodable characters replaced by \ufffd: {path}", file=sys.stderr)
    for error in summary.output_errors:
        print(f"  {error}", file=sys.stderr)
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""PNG charts of chosen indicators: regions side by side, years as lines; and growth rates
across regions, each beside its target."""
from __future__ import annotations

import functools
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .children import as_child
from .outfiles import replacing


@lru_cache(maxsize=1)
def _font() -> str | None:
    """A CJK font shipped by the mplfonts package (no download), so Chinese labels render."""
    import matplotlib.font_manager as fm
    try:
        import mplfonts
    except ImportError:
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not path.exists():
        return None
    fm.fontManager.addfont(str(path))
    return fm.FontProperties(fname=str(path)).get_name()


def prepare() -> None:
    """Import matplotlib and register the CJK font: the slow start of drawing (about 0.5 s)."""
    _new_figure(1, 1)


class ChartProcess:
    """Processes that start matplotlib at once and draw when the table is ready: forked before
    a run's workers (no thread to catch half-way), they are warm by the time they are needed,
    and the caller writes its workbook meanwhile.  The charts are shared out among them."""

    def __init__(self, processes: int = 1):
        import multiprocessing
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._ends, self._procs = [], []
        for _ in range(max(1, processes)):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(theirs, mine, os.getpid()), daemon=True, name="charts")
            proc.start()
            theirs.close()
            self._ends.append(mine)
            self._procs.append(proc)
        self._asked: list[str] = []
        self._busy = 0

    def submit(self, long: pd.DataFrame, indicators: list[str], out_dir: str | Path) -> None:
        """Draw the charts of these indicators and the growth chart (by the first process)."""
        n = len(self._ends)
        shares = [indicators[i::n] for i in range(n)]
        self._asked, self._busy = list(indicators), 0
        for i, (conn, share) in enumerate(zip(self._ends, shares)):
            if share or i == 0:
                conn.send((long, share, str(out_dir), i == 0))
                self._busy += 1

    def result(self) -> list[Path]:
        """The charts drawn, in the order asked, the growth chart last; RuntimeError naming the
        cause when they could not be."""
        drawn, problem = [], None
        for conn in self._ends[:self._busy]:
            try:
                ok, answer = conn.recv()
            except (EOFError, OSError) as e:
                ok, answer = False, f"the chart process stopped ({e or type(e).__name__})"
            if ok:
                drawn.append([Path(p) for p in answer])
            else:
                problem = problem or answer
        if problem:
            raise RuntimeError(problem)
        paths = [p for share in drawn for p in share]
        growth = [p for p in paths if p.name.startswith("chart_growth_")]
        rank = {f"chart_{ind}.png": i for i, ind in enumerate(self._asked)}
        return sorted((p for p in paths if p not in growth), key=lambda p: rank.get(p.name, 0)) + growth

    def close(self) -> None:
        for conn in self._ends:
            conn.close()            # a process ends when its pipe closes
        for proc in self._procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()


def _serve(conn, parents_end, parent: int) -> None:
    parents_end.close()
    as_child(parent)                # Ctrl-C is the parent's; dies with it
    try:
        prepare()
    except Exception:               # noqa: BLE001 - drawing will say what is wrong
        pass
    while True:
        try:
            long, indicators, out_dir, growth = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = (True, [str(p) for p in draw_charts(long, indicators, out_dir, growth)])
        except Exception as e:      # noqa: BLE001 - reported to the parent
            answer = (False, f"{type(e).__name__}: {e}")
        conn.send(answer)


def _new_figure(width: float, height: float):
    """A figure and its axes, drawn by Agg.  matplotlib's object interface, not pyplot: no global
    figure state, and the caller's backend (a notebook's) is left alone."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width, height), dpi=110)
    return fig, fig.subplots()


def _in_cjk_font(draw):
    """Run a drawing function with the CJK font as the default, for its duration only."""
    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        import matplotlib
        font = _font()
        with matplotlib.rc_context({"font.family": font} if font else {}):
            return draw(*args, **kwargs)
    return drawn


@_in_cjk_font
def growth_chart(long: pd.DataFrame, out_dir: str | Path) -> Path | None:
    """Growth of the indicator whose growth most regions state (地区生产总值, as a rule), in the
    latest year with results: a bar per region, its target for that year (a plan of an earlier
    report) as a marker beside it."""
    if "measure" not in long:
        return None
    growth = long[long["chosen"] & (long["measure"] == "growth")]
    results = growth[growth["role"] == "value"]
    if results.empty:
        return None
    indicator = results.groupby("indicator")["region"].nunique().idxmax()
    mine = growth[growth["indicator"] == indicator]
    year = mine.loc[mine["role"] == "value", "year"].max()
    values = mine[(mine["role"] == "value") & (mine["year"] == year)].sort_values("value")
    targets = mine[(mine["role"] == "target") & (mine["year"] == year)].set_index("region")["value"]
    fig, ax = _new_figure(max(7, 0.35 * len(values)), 4)
    ax.bar(values["region"], values["value"], color="#4C72B0", label="实际")
    shown = [(i, targets[r]) for i, r in enumerate(values["region"]) if r in targets.index]
    if shown:
        ax.scatter([i for i, _ in shown], [v for _, v in shown], color="#DD8452", marker="_", s=300,
                   linewidths=3, label="目标", zorder=3)
        ax.legend(fontsize=8)
    for tick in ax.get_xticklabels():
        tick.set_rotation(60)
    name = values["indicator_name"].iloc[0]
    ax.set_ylabel("%")
    ax.set_title(f"{name} 增长（%），{int(year)}年")
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    out = Path(out_dir) / f"chart_growth_{indicator}.png"
    with replacing(out) as tmp:     # never through a link at `out`
        fig.savefig(tmp, format="png")
    return out


@_in_cjk_font
def chart(long: pd.DataFrame, indicator: str, out_dir: str | Path) -> Path | None:
    """One chart for one indicator; None when no value was chosen for it."""
    data = long[(long["indicator"] == indicator) & long["chosen"]]
    if "measure" in data:       # the levels stated as results; growth has a chart of its own
        data = data[(data["measure"] == "level") & (data["role"] == "value")]
    if data.empty:
        return None
    name = data["indicator_name"].iloc[0]
    unit = data["unit"].iloc[0]
    fig, ax = _new_figure(7, 4)
    years = sorted(data["year"].dropna().unique())
    if len(years) > 1:
        for region, g in data.groupby("region"):
            g = g.sort_values("year")
            ax.plot(g["year"], g["value"], marker="o", label=region)
        ax.set_xlabel("年份")
        ax.set_xticks(years)
    else:
        g = data.sort_values("value")
        ax.bar(g["region"], g["value"], color="#4C72B0")
        ax.set_xlabel(f"{int(years[0])}年" if years else "")
        for tick in ax.get_xticklabels():
            tick.set_rotation(30)
    ax.set_ylabel(unit)
    ax.set_title(f"{name}（{unit}）")
    if len(years) > 1 and data["region"].nunique() > 1:
        ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out = Path(out_dir) / f"chart_{indicator}.png"
    with replacing(out) as tmp:     # never through a link at `out`
        fig.savefig(tmp, format="png")
    return out


def draw_charts(long: pd.DataFrame, indicators: list[str], out_dir: str | Path,
                growth: bool = True) -> list[Path]:
    """A chart for each indicator that has a chosen value, and the growth chart across regions."""
    charts = [p for ind in indicators if (p := chart(long, ind, out_dir))]
    growth = growth_chart(long, out_dir) if growth else None
    return charts + ([growth] if growth else [])

"""PNG charts of chosen indicators: regions side by side, years as lines; and growth rates
across regions, each beside its target."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd


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


def _use_font(plt) -> None:
    font = _font()
    if font:
        plt.rcParams["font.family"] = font


def growth_chart(long: pd.DataFrame, out_dir: str | Path) -> Path | None:
    """Growth of the indicator whose growth most regions state (地区生产总值, as a rule), in the
    latest year with results: a bar per region, its target for that year (a plan of an earlier
    report) as a marker beside it."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
    _use_font(plt)
    fig, ax = plt.subplots(figsize=(max(7, 0.35 * len(values)), 4), dpi=110)
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
    fig.savefig(out)
    plt.close(fig)
    return out


def chart(long: pd.DataFrame, indicator: str, out_dir: str | Path) -> Path | None:
    """One chart for one indicator; None when no value was chosen for it."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = long[(long["indicator"] == indicator) & long["chosen"]]
    if "measure" in data:       # the levels stated as results; growth has a chart of its own
        data = data[(data["measure"] == "level") & (data["role"] == "value")]
    if data.empty:
        return None
    _use_font(plt)
    name = data["indicator_name"].iloc[0]
    unit = data["unit"].iloc[0]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
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
    fig.savefig(out)
    plt.close(fig)
    return out


def draw_charts(long: pd.DataFrame, indicators: list[str], out_dir: str | Path) -> list[Path]:
    """A chart for each indicator that has a chosen value, and the growth chart across regions."""
    charts = [p for ind in indicators if (p := chart(long, ind, out_dir))]
    growth = growth_chart(long, out_dir)
    return charts + ([growth] if growth else [])

"""PNG charts of chosen indicators: regions side by side, years as lines."""
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


def chart(long: pd.DataFrame, indicator: str, out_dir: str | Path) -> Path | None:
    """One chart for one indicator; None when no value was chosen for it."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = long[(long["indicator"] == indicator) & long["chosen"]]
    if data.empty:
        return None
    font = _font()
    if font:
        plt.rcParams["font.family"] = font
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

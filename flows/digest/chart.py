"""The chart: launches per month over 24 months, stacked by missile class, as PNG bytes.

matplotlib is imported when a chart is drawn, not when this module is.
"""

from __future__ import annotations

import io

from extractors.vocabulary import MISSILE_CLASS_COLOURS, MISSILE_CLASS_LABELS
from flows.digest.view import CHART_PX
from warehouse.digest import DigestData


def render_chart(data: DigestData) -> bytes:
    """Launches per month over the chart's 24 months, stacked by class, as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    months = list(data.chart_months)
    index = {m: i for i, m in enumerate(months)}
    classes = [c for c in MISSILE_CLASS_COLOURS if any(r.missile_class == c for r in data.monthly)]
    series = {c: [0] * len(months) for c in classes}
    for row in data.monthly:
        if row.month in index and row.missile_class in series:
            series[row.missile_class][index[row.month]] = row.launches

    dpi = 200
    # Figure + Agg canvas, not pyplot: no global state, safe in Prefect's worker threads.
    fig = Figure(figsize=(CHART_PX[0] / dpi, CHART_PX[1] / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    bottom = [0] * len(months)
    xs = list(range(len(months)))
    for cls in classes:
        ax.bar(xs, series[cls], bottom=bottom, width=0.72, color=MISSILE_CLASS_COLOURS[cls],
               label=MISSILE_CLASS_LABELS[cls] if cls != "unknown" else "class unknown", linewidth=0)  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, series[cls], strict=True)]
    # A label every third month, counted back from the digest's month so that month is always
    # labelled; the year goes under the first label and wherever it changes.
    labels = []
    shown = [i for i in xs if (len(months) - 1 - i) % 3 == 0]
    last_year = None
    for i, m in enumerate(months):
        if i not in shown:
            labels.append("")
            continue
        labels.append(f"{m:%b}\n{m.year}" if m.year != last_year else f"{m:%b}")
        last_year = m.year
    ax.set_xticks(xs)
    ax.set_xticklabels(labels, fontsize=6.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.tick_params(axis="y", labelsize=7, length=0)
    ax.tick_params(axis="x", length=0)
    ax.set_ylim(0, max(max(bottom, default=0), 1) * 1.15)
    ax.grid(axis="y", color="#dde3ea", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#8a96a3")
    # The legend sits above the plot, never on the bars; the HTML carries the title.
    if classes:
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=min(len(classes), 6),
                  fontsize=6.5, frameon=False, handlelength=1.0, columnspacing=1.2,
                  borderaxespad=0.3)  # fmt: skip
    else:
        ax.text(0.5, 0.5, "No launches recorded in these 24 months", transform=ax.transAxes,
                ha="center", va="center", fontsize=8, color="#5b6773")  # fmt: skip
    # Highlight the digest's month.
    ax.axvspan(len(months) - 1.5, len(months) - 0.5, color="#f3f6f9", zorder=-1)
    fig.tight_layout(pad=0.6)
    buffer = io.BytesIO()
    # No "Software" metadata: the same data gives byte-identical PNGs.
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()

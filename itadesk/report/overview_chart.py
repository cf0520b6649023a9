"""The distribution of levels across many organizations, for the overview tab and its PDF.

Built with the report's chart helpers (bundled Sarabun, sober axes, grayscale-safe ink), so the
window and the printed overview show the same picture.
"""

from __future__ import annotations

import itadesk.report.matplotlib_loader  # noqa: F401, I001 - first: Matplotlib loaded without its help texts
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, MaxNLocator

from itadesk.ita.numbers import to_thai_digits
from itadesk.report.charts import CURRENT_FILL, INK, _new_figure, _style_axes, _takes_typeface, font

SIZE_LEVELS = (12.0, 7.0)


@_takes_typeface
def level_distribution(counts: dict[str, int], year: int, *, thai_digits: bool = False,
                       size_cm: tuple[float, float] = SIZE_LEVELS) -> Figure:
    """One bar per level (best first) with the number of organizations and its share."""
    fig = _new_figure(size_cm)
    ax = fig.add_subplot()
    _style_axes(ax, thai_digits, "y")
    names = list(counts)
    values = [counts[n] for n in names]
    total = sum(values) or 1

    def digits(text: str) -> str:
        return to_thai_digits(text) if thai_digits else text

    bars = ax.bar(range(len(names)), values, color=CURRENT_FILL, width=0.6)
    for bar, value in zip(bars, values):
        ax.annotate(digits(f"{value:,}\n({value / total * 100:.1f}%)"),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 2),
                    textcoords="offset points", ha="center", va="bottom", color=INK, fontproperties=font(8))
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, fontproperties=font(9))
    fig.canvas.mpl_connect("resize_event", lambda event: _stagger_if_crowded(ax, names, event.canvas))
    ax.set_ylim(0, max(values + [1]) * 1.25)  # room for the two-line labels
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of offices: no 0.2 of an office
    ax.set_ylabel("จำนวนหน่วยงาน", fontproperties=font(9))
    # Two short lines: the window's side panel may be only 220 px wide (a 1024-px screen), and
    # a title is not shrunk by the layout -- one long line lost its year at the right edge. Centred
    # on the figure, not on the axes (which the value axis's labels push right).
    fig.suptitle(digits(f"ระดับผลการประเมิน ITA\nปี พ.ศ. {year} ({sum(values):,} หน่วยงาน)"),
                 fontproperties=font(10, bold=True), color=INK)
    return fig


def _stagger_if_crowded(ax, names: list[str], canvas) -> None:
    """In a narrow panel (the window's side panel at 1024 px) "ผ่านดีเยี่ยม" runs into "ผ่านดี":
    then every other level name goes a line lower; side by side again when there is room."""
    get_renderer = getattr(canvas, "get_renderer", None)
    if get_renderer is None or len(names) < 2:
        return
    renderer = get_renderer()
    labels = ax.get_xticklabels()
    widths = [renderer.get_text_width_height_descent(name, label.get_fontproperties(), ismath=False)[0]
              for name, label in zip(names, labels)]
    ax.get_xlim()  # the bars' limits are settled lazily: settle them before measuring a slot
    (x0, _), (x1, _) = ax.transData.transform([(0, 0), (1, 0)])
    gap = renderer.points_to_pixels(4)
    crowded = any((a + b) / 2 + gap > x1 - x0 for a, b in zip(widths, widths[1:]))
    # The labels' texts come from the axis's formatter at each draw (set_xticklabels made it fixed).
    ax.xaxis.set_major_formatter(FixedFormatter(["\n" + n if crowded and i % 2 else n for i, n in enumerate(names)]))

"""What decides each chart's size, known without Matplotlib: the report lays the pages out
(a chart's box is reserved at its size) while another process is still drawing the charts.

The sizes are the charts' own: :mod:`itadesk.report.charts` builds its figures with these
functions, so a drawing always fills the box reserved for it. The OIT chart's height
follows its rows and their labels (item titles wrapped whole, at the words of
:mod:`itadesk.ita.thai_words`), so which items lost points and how their titles wrap live
here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.ita.catalog import Catalog, catalog_of
from itadesk.ita.findings import item_sort_key, lost_items
from itadesk.ita.model import Assessment
from itadesk.ita.thai_words import display_width, shorten, thai_words

CM = 1 / 2.54  # inches per centimetre

# Default sizes (width, height) in cm; 16 cm is the text width of A4 with 3 cm + 2 cm margins.
SIZE_INDICATORS = (16.0, 9.5)
SIZE_TOOLS = (16.0, 8.0)
SIZE_TREND = (16.0, 7.5)
OIT_WIDTH = 16.0  # the OIT chart's height follows its number of rows
OIT_MAX_LABEL_WIDTH = 52  # columns: the label column then takes about half of the 16 cm chart
# The fixed sizes of the report's charts by function name (the OIT chart's is computed).
FIXED = {"indicator_comparison": SIZE_INDICATORS, "tool_scores": SIZE_TOOLS, "overall_trend": SIZE_TREND}


def _columns_fit(width: int):
    return lambda text: display_width(text) <= width


def wrap_label(text: str, width: int = 34, max_lines: int | None = 2) -> str:
    """Wrap a Thai label at word boundaries into at most ``max_lines`` lines of ~``width`` columns.

    Words come from :func:`itadesk.ita.thai_words.thai_words`, the same as the PDF's, so an
    office term ("ตัวชี้วัด", "กองคลัง") is never split and no consonant loses its marks.
    A word wider than a line stays whole on its own line. A label longer than
    ``max_lines`` lines ends in "…" after as much as fits (``None``: as many lines as needed).
    """
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    lines: list[str] = []
    line, start, pos = "", 0, 0
    for word in thai_words(text):
        if line and not word.isspace() and display_width(line + word) > width:
            if max_lines is not None and len(lines) == max_lines - 1:  # the last line allowed: the rest, shortened
                lines.append(shorten(text[start:], _columns_fit(width)))
                return "\n".join(lines)
            lines.append(line.rstrip())
            line = ""
        if not line:
            if word.isspace():
                pos += len(word)
                continue
            start = pos
        line += word
        pos += len(word)
    lines.append(line.rstrip())
    return "\n".join(lines)


def full_items_tool(catalog: Catalog) -> str | None:
    """The tool whose items are judged on full marks (OIT), charted item by item; None if none."""
    tools = catalog.full_item_tools
    return tools[0].code if tools else None


def oit_items(catalog: Catalog, assessment: Assessment, tool: str) -> list[str]:
    """The tool's item codes in catalog order; for a catalog without items, its codes scored."""
    codes = [item.code for ind in catalog.indicators if ind.tool == tool for item in ind.items]
    if codes:
        return codes
    scored = [c for c in assessment.items if (t := catalog.tool_of_prefix(c)) is not None and t.code == tool]
    return sorted(scored, key=item_sort_key)


def whole_labels(titles: list[str], width: int, lines: int = 2) -> list[str]:
    """Item titles wrapped whole (never cut with "…": the officer must read which item it is),
    in ``lines`` lines where a label column up to :data:`OIT_MAX_LABEL_WIDTH` columns wide
    allows; the column widens only as far as the longest title needs."""
    def wrapped(w: int) -> list[str]:
        return [wrap_label(t, w, max_lines=None) for t in titles]

    for w in range(width, OIT_MAX_LABEL_WIDTH + 1):
        labels = wrapped(w)
        if all(label.count("\n") < lines for label in labels):
            return labels
    return wrapped(OIT_MAX_LABEL_WIDTH)


def same_item(current_catalog: Catalog, previous_catalog: Catalog, code: str) -> bool:
    """Item codes are renumbered between years; compare only when nothing says they differ."""
    cur, prev = current_catalog.item(code), previous_catalog.item(code)
    if cur is None or prev is None or not cur.title or not prev.title:
        return True
    return " ".join(cur.title.split()) == " ".join(prev.title.split())


@dataclass(frozen=True)
class OitRows:
    """The rows of the OIT chart: the tool's items that lost points, in catalog order, with
    their wrapped labels, last year's scores of the same items (None when last year has no
    item scores; None for an item that changed its meaning, listed in ``changed``)."""

    tool: str
    codes: list[str]  # all the tool's items
    lost: list[str]
    labels: list[str]
    previous_scores: dict[str, float | None] | None
    changed: list[str]

    def size_cm(self) -> tuple[float, float]:
        """Tall enough for two-line labels and two bars a row; A4 has ~25 cm of text height."""
        per_row = 0.55 * max([label.count("\n") + 1 for label in self.labels] + [1])
        per_row = max(per_row, 0.95 if self.previous_scores is not None else 0.6)
        return OIT_WIDTH, min(24.0, max(6.0, 2.8 + per_row * max(len(self.lost), 1)))


def oit_rows(current: Assessment, previous: Assessment | None = None, catalog: Catalog | None = None,
             tool: str | None = None, label_width: int = 34) -> OitRows:
    """Which items of ``tool`` (by default the tool judged on full marks) the OIT chart shows:
    decided by :func:`itadesk.ita.findings.lost_items`, as the PDF's lists and the analysis tab."""
    catalog = catalog or catalog_of(current)
    prev_catalog = catalog_of(previous) if previous is not None else None
    tool = tool or full_items_tool(catalog) or ""
    codes = oit_items(catalog, current, tool)
    found = [x.code for x in lost_items(current, previous, catalog) if x.tool == tool]
    lost = [c for c in codes if c in found] + [c for c in found if c not in codes]
    previous_scores: dict[str, float | None] | None = None
    changed: list[str] = []
    if previous is not None and any(previous.item_score(c) is not None for c in oit_items(prev_catalog, previous, tool)):
        changed = [c for c in lost if not same_item(catalog, prev_catalog, c)]
        previous_scores = {c: (None if c in changed else previous.item_score(c)) for c in lost}
    labels = whole_labels([catalog.item_label(c) for c in lost], label_width)
    return OitRows(tool, codes, lost, labels, previous_scores, changed)


def size_cm(name: str, args: tuple, kwargs: dict) -> tuple[float, float]:
    """The size in cm of the figure ``charts.<name>(*args, **kwargs)`` builds."""
    if kwargs.get("size_cm") is not None:
        return kwargs["size_cm"]
    if name == "oit_items_lost":
        keys = ("current", "previous", "catalog")
        given = {**dict(zip(keys, args)), **{k: kwargs[k] for k in ("tool", "label_width") if k in kwargs}}
        return oit_rows(**given).size_cm()
    return FIXED[name]


def size_points(name: str, args: tuple, kwargs: dict) -> tuple[float, float]:
    """The figure's size in PDF points, computed as the chart recorder computes it (inches × 72)."""
    w, h = size_cm(name, args, kwargs)
    return w * CM * 72, h * CM * 72

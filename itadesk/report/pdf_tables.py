"""Tables of the report that may run over several pages.

ReportLab repeats the header rows (``repeatRows``) and can split a table between rows.
Its in-row splitting (``splitInRow``, checked in ReportLab 5.1) is not usable for us: it
splits the cell's flowables at the full column width but draws them at the width minus
the cell padding, and fixes the row heights from the split, so a re-wrapped Thai
paragraph gets more lines than its row has room for and runs over the next row or the
footer; it also lets the remainder of a table start a second header in the space left on
the same page. So rows are cut here instead, before ReportLab sees them:
:func:`continuation_rows` cuts each cell's paragraphs into chunks of a few lines, at the
exact width the table will draw them, and the table is split only between rows. A step
list taller than a page therefore prints completely, line for line.

What ReportLab cannot know either is which group a row belongs to: a page that starts in
the middle of an indicator's measures would show an empty first column.
:class:`GroupedTable` writes "<label> (ต่อ)" there.
"""

from __future__ import annotations

import copy

from reportlab.lib import colors
from reportlab.platypus import Table

from itadesk.report.pdf_flow import clean_cut
from itadesk.report.thai_text import ThaiParagraph, rule_padding

LINE = colors.HexColor("#5a5a5a")
HEADER_FILL = colors.HexColor("#e3e9f0")
TOTAL_FILL = colors.HexColor("#f2f4f7")
FINDING_FILL = colors.HexColor("#fbe3bd")  # light amber; still a visible grey in black and white


def group_label(text: str, style, label: str) -> list:
    """The first-column cell of a group's first row; remembers the label for continuations."""
    para = ThaiParagraph(text, style)
    para.group_label = label
    return [para]


def _flowables(value) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value] if value not in ("", None) else []


def _label_in(value) -> str | None:
    for flowable in _flowables(value):
        label = getattr(flowable, "group_label", None)
        if label is not None:
            return label
    return None


def _has_text(value) -> bool:
    return any(getattr(f, "text", "x").strip() for f in _flowables(value))


def take_lines(flowables: list, width: float, height: float) -> list:
    """Remove from ``flowables`` (in place) and return what fits in ``height`` at ``width``.

    Paragraphs are cut between lines (``ThaiParagraph.split``), one line earlier where that
    ends a phrase the officer typed (a page may break between pieces, and copy and search do
    not cross a page); at least one line is taken when ``height`` is at least one line, so
    repeated calls always make progress.
    """
    head: list = []
    used = 0.0
    while flowables:
        flowable = flowables[0]
        _, h = flowable.wrap(width, 1e9)
        h += flowable.getSpaceBefore() + flowable.getSpaceAfter()
        if used + h <= height + 1e-6:
            head.append(flowables.pop(0))
            used += h
            continue
        room = height - used
        if isinstance(flowable, ThaiParagraph):  # end a piece where a phrase ends if one line allows
            lines = int((room + 1e-6) // flowable.style.leading)
            if lines >= 3:
                room = clean_cut(flowable, width, lines, lines - 1) * flowable.style.leading
        parts = flowable.split(width, room)
        if len(parts) == 2:
            label = getattr(flowable, "group_label", None)
            if label is not None:
                parts[0].group_label = label
            head.append(parts[0])
            flowables[0] = parts[1]
        elif not head and used == 0:  # cannot be cut (one line taller than the chunk): take it whole
            head.append(flowables.pop(0))
        break
    return head


def continuation_rows(cells: list[list], inner_widths: list[float], chunk_height: float) -> list[list[list]]:
    """One table row as several rows, none taller than ``chunk_height`` of content.

    ``cells`` holds a list of flowables per column; ``inner_widths`` the width each column
    draws them at (column width minus left and right padding). Every line of every cell
    ends up in exactly one of the rows returned, in order.
    """
    columns = [list(c) for c in cells]
    rows: list[list[list]] = []
    row_id = object()  # GroupedTable draws the pieces of one row column by column
    while any(columns) or not rows:
        rows.append([take_lines(col, w, chunk_height) for col, w in zip(columns, inner_widths)])
        for flowable in (f for c in rows[-1] for f in c):
            flowable.row_id = row_id
    return rows


class GroupedTable(Table):
    """A Table whose first column names a group on the group's first row only.

    When the table is split across pages, the first body row of the new page gets
    "<label> (ต่อ)" in that column if it has no label of its own. ``continued_style`` is
    the paragraph style for it; ``continued_suffix`` the words added to the label.
    """

    continued_style = None
    continued_suffix = " (ต่อ)"
    rule = (0.6, colors.black)  # the line closing the table at the foot of each page
    _pending: list | None = None

    # Reading order: the pieces of one row (continuation_rows) are drawn column by column,
    # so a viewer that copies in drawing order (pdf.js, MuPDF) gets each cell's text whole
    # instead of four lines of the measure, four of the steps, the next four of the measure.
    def draw(self):
        self._pending = []
        try:
            super().draw()
        finally:
            self._pending = None

    def _drawCell(self, cellval, cellstyle, pos, size):
        if self._pending is None:
            super()._drawCell(cellval, cellstyle, pos, size)
        else:
            self._pending.append((cellval, cellstyle, pos, size))

    def _drawLines(self):
        pending, self._pending = self._pending or [], None
        rows: dict[object, int] = {}  # a row's pieces share a row_id; rank by first appearance

        def rank(call) -> tuple:
            cellval, _, (x, y), _ = call
            key = next((f.row_id for f in _flowables(cellval) if hasattr(f, "row_id")), y)
            return rows.setdefault(key, len(rows)), x, -y

        for call in sorted(pending, key=rank):
            super()._drawCell(*call)
        super()._drawLines()

    def _rule_padding(self, above: bool = False) -> float:
        """Padding between a page's closing rule (or the repeated header's rule) and the Thai
        lines next to it: marks reach past the line boxes (thai_text.ink_outside), and a
        continuation piece has no padding of its own."""
        styles = {id(f.style): f.style for row in self._cellvalues[self.repeatRows:] for value in row
                  for f in _flowables(value) if isinstance(f, ThaiParagraph)}
        return rule_padding(*styles.values(), above=above)

    def split(self, availWidth, availHeight):
        foot = self._rule_padding()
        parts = super().split(availWidth, availHeight - foot)
        if len(parts) < 2:
            return parts
        weight, colour = self.rule
        parts[0].setStyle([("LINEBELOW", (0, -1), (-1, -1), weight, colour)])
        _pad_row(parts[0], len(parts[0]._cellvalues) - 1, "bottomPadding", foot)
        label = None
        for row in parts[0]._cellvalues[self.repeatRows:]:
            label = _label_in(row[0]) or label
        first = self.repeatRows
        head = self._rule_padding(above=True)
        for part in parts[1:]:
            part.continued_style = self.continued_style
            part.continued_suffix = self.continued_suffix
            part.rule = self.rule
            if len(part._cellvalues) > first:
                _pad_row(part, first, "topPadding", head)
            if label is None or len(part._cellvalues) <= first:
                continue
            value = part._cellvalues[first][0]
            if _label_in(value) is None and not _has_text(value) and self.continued_style is not None:
                # a split part shares its row lists with this table: copy before writing, so a
                # trial split (pdf_flow asks whether a table can start) leaves this one as it was
                part._cellvalues[first] = list(part._cellvalues[first])
                part._cellvalues[first][0] = group_label(label + self.continued_suffix,
                                                         self.continued_style, label)
        return parts


def _pad_row(table: Table, row: int, side: str, padding: float) -> None:
    """Give one row of a split part at least ``padding`` above or below its text.

    A split part keeps the row heights measured before the split (ReportLab's
    longTableOptimize), so the row is made taller by what the padding adds.
    """
    extra = padding - min(getattr(cs, side) for cs in table._cellStyles[row])
    if extra <= 0:
        return
    # cell styles are shared with the table that was split: pad copies (see GroupedTable.split)
    styles = table._cellStyles[row] = [copy.copy(cs) for cs in table._cellStyles[row]]
    for cs in styles:
        setattr(cs, side, max(getattr(cs, side), padding))
    if table._argH is not None and table._argH[row] is not None:
        heights = list(table._argH)
        heights[row] += extra
        table._argH = table._rowHeights = heights

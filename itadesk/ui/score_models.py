"""Qt models of the scores tab, over the store and the ITA rules.

The models only move numbers: typed text goes through :func:`parse_score` and, when it is
valid, into the store through one undoable command; every figure that is not typed (tool
scores, overall, level, change) comes from :mod:`itadesk.ita`. A value that fails
``parse_score`` is refused here, whatever path it came by (editor, paste, a test), so
nothing invalid reaches the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont

from itadesk.db.operations import SetScores
from itadesk.ita.catalog import UNNAMED_ITEM, Catalog, Indicator, Item
from itadesk.ita.comparison import FALL, RISE
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import ScoreError, parse_score
from itadesk.ita.published import LEVEL as PUBLISHED_LEVEL
from itadesk.report.model import LEVEL, OVERALL, PART, TOOL, Summary, SummaryRow, build_summary
from itadesk.ui import thai_format as tf
from itadesk.ui.context import reading

EDITABLE_BG = QColor("#fffdf2")
MISSING_FG = QColor("#9a9a9a")
RISE_FG = QColor("#1b7a32")
FALL_FG = QColor("#b3261e")
GROUP_BG = QColor("#eef3f8")
TOTAL_BG = QColor("#e3ecf5")
# The background and foreground roles answer with these colours, which Qt takes as solid
# brushes: making a QBrush from Python has PySide6 build the QImage and QGradient types and
# their seven enums (~2 ms at the first paint) to choose among QBrush's constructors.
# Alignments computed once: combining Qt flags builds Python enum objects, and data() is
# asked for them for every cell of every repaint.
RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)
CENTER = int(Qt.AlignCenter)
SHOWN = Qt.ItemIsEnabled | Qt.ItemIsSelectable
EDITABLE = SHOWN | Qt.ItemIsEditable
# Roles and orientations looked up once: PySide6 resolves a short name such as
# ``Qt.DisplayRole`` through its compatibility layer (~7 µs each), and data() compares
# roles several times for every cell of every repaint.
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
FONT = Qt.ItemDataRole.FontRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
HORIZONTAL = Qt.Orientation.Horizontal
VERTICAL = Qt.Orientation.Vertical


@dataclass(frozen=True)
class Target:
    """One stored score: an indicator's, or an item's (``part`` 0 for a plain item score)."""

    kind: str  # "indicator" or "item"
    key: int | str
    part: int = 0

    def label(self, catalog: Catalog | None) -> str:
        if self.kind == "indicator":
            name = ""
            if catalog is not None:
                try:
                    name = " " + catalog.indicator(int(self.key)).name
                except KeyError:
                    pass
            return f"ตัวชี้วัดที่ {tf.count(int(self.key))}{name}"
        text = f"ข้อ {self.key}"
        if self.part:
            text += f" ส่วนที่ {tf.count(self.part)}"
        return text


def stored_value(assessment: Assessment | None, target: Target) -> float | None:
    if assessment is None:
        return None
    if target.kind == "indicator":
        return assessment.indicators.get(int(target.key))
    value = assessment.items.get(str(target.key))
    if isinstance(value, dict):
        return value.get(target.part) if target.part else None
    return None if target.part else value


def apply_scores(assessment: Assessment, changes) -> None:
    """Put the new scores an operation reports (:class:`Changes`) into a loaded assessment,
    shaped as :meth:`Store.load_assessment` shapes them, so a view needs no re-read."""
    for number, value in changes.indicators.items():
        if value is None:
            assessment.indicators.pop(number, None)
        else:
            assessment.indicators[number] = value
    for (code, part), value in changes.items.items():
        if not part:
            if value is None:
                assessment.items.pop(code, None)
            else:
                assessment.items[code] = value
            continue
        parts = assessment.items.get(code)
        if not isinstance(parts, dict):
            parts = {}
        if value is None:
            parts.pop(part, None)
        else:
            parts[part] = value
        if parts:
            assessment.items[code] = parts
        else:
            assessment.items.pop(code, None)
    for figure, value in changes.published.items():  # as Store.published reads them back
        if value is None or value == "":
            assessment.published.pop(figure, None)
        else:
            assessment.published[figure] = str(value) if figure == PUBLISHED_LEVEL else float(f"{float(value):.2f}")


def parse_clipboard(text: str) -> list[list[str]]:
    """Rows and cells of text copied from Excel or a web table (tab-separated lines)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.split("\t") for line in lines]


class AssessmentSource(QObject):
    """The chosen assessment and its catalog, re-read once per change for all score models.

    Without it each model would load the same assessment from the store on every edit.
    """

    reloaded = Signal(bool)  # True when the shape changed (another year/organization/document)
    rejected = Signal(str)  # a value was refused: Thai message for the officer

    def __init__(self, context, parent: QObject | None = None):
        super().__init__(parent)
        self.context = context
        self.catalog: Catalog | None = None
        self.current: Assessment | None = None
        self.previous: Assessment | None = None
        self._shape = None
        self.last_changes = None  # the Changes being applied while ``reloaded(False)`` is emitted
        self.full_loads = 0  # how often the assessments were read from the file (see the tests)
        context.changed.connect(self._on_changed)
        context.selectionChanged.connect(self.reload)  # a new document comes with changed(EVERYTHING)
        self.reload()

    @property
    def ready(self) -> bool:
        """Scores can be typed: a document, an organization and a year are chosen."""
        return self.context.ready

    def _on_changed(self, changes) -> None:
        """Apply an edit's new scores without reading the file; re-read only when the change
        is not confined to the chosen year (merge, restore, organizations)."""
        c = self.context
        if not changes.about(c.org_uuid, c.year):
            return
        if not (changes.within(c.org_uuid, c.year) and self.ready and self.catalog is not None):
            self.reload()
            return
        if not (changes.scores or changes.published):
            return  # texts and plan rows do not move a figure
        if self.current is None:
            self.current = Assessment(fiscal_year=c.year, org_uuid=c.org_uuid)
        apply_scores(self.current, changes)
        self.last_changes = changes  # the models repaint only the cells these scores are in
        try:
            self.reloaded.emit(False)
        finally:
            self.last_changes = None

    @property
    def editable(self) -> bool:
        return self.ready and not self.context.readonly

    @reading
    def reload(self) -> None:
        c = self.context
        year = c.year
        self.catalog = c.catalog()  # the document's catalog of the year over the bundled one
        self.full_loads += 1
        self.current = c.current_assessment() if self.ready else None
        self.previous = c.previous_assessment() if self.ready else None
        shape = (id(c.document), c.org_uuid, year)
        changed = shape != self._shape
        self._shape = shape
        self.reloaded.emit(changed)

    def write(self, edits: list[tuple[Target, float | None]], text: str) -> bool:
        """Store ``edits`` as one undoable command; unchanged values are left out."""
        if not self.ready:
            self.rejected.emit("กรุณาเลือกหน่วยงานและปีงบประมาณก่อนกรอกคะแนน")
            return False
        if not self.editable:
            self.rejected.emit("ไฟล์นี้เปิดแบบอ่านอย่างเดียว แก้ไขคะแนนไม่ได้")
            return False
        changes = []
        for target, value in edits:
            old = stored_value(self.current, target)
            if old != value:
                changes.append((target, old, value))
        if not changes:
            return True
        def by_kind(pairs, kind):
            if kind == "indicator":
                return {int(t.key): v for t, v in pairs if t.kind == "indicator"}
            return {(str(t.key), t.part): v for t, v in pairs if t.kind != "indicator"}

        new_values = [(t, new) for t, _old, new in changes]
        old_values = [(t, old) for t, old, _new in changes]
        c = self.context
        return c.push(text, SetScores(
            c.org_uuid, c.year, by_kind(new_values, "indicator"), by_kind(new_values, "item"),
            by_kind(old_values, "indicator"), by_kind(old_values, "item")))


class CellRolesInOneCall:
    """A table model whose cells Qt asks for all their roles at once: the item delegate paints
    a cell with seven (text, alignment, colours, font…), each a call from C++ into Python;
    ``multiData`` answers them in one, through the model's own ``data``."""

    def multiData(self, index: QModelIndex, roles) -> None:  # noqa: N802 - Qt override
        data = self.data
        for role_data in roles:
            role_data.setData(data(index, role_data.role()))


class ScoreTableModel(CellRolesInOneCall, QAbstractTableModel):
    """Shared behaviour of the two editable tables: validation, paste, clear."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, source: AssessmentSource, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        source.reloaded.connect(self._on_reloaded)
        tf.options().changed.connect(self._refresh_all)

    # -- to be provided by subclasses ---------------------------------------
    def target(self, index: QModelIndex) -> Target | None:
        raise NotImplementedError

    def _rebuild(self) -> None:
        """Re-read the rows from the catalog (called inside a model reset)."""

    # -- plumbing ----------------------------------------------------------
    def _on_reloaded(self, shape_changed: bool) -> None:
        catalog_edited = not shape_changed and self.source.catalog != getattr(self, "_catalog_shown", None)
        self._catalog_shown = self.source.catalog
        if catalog_edited:
            # The shown year's catalog was edited. Only items renamed (as many rows as before):
            # the cells change and the officer stays on the chosen row; else the rows are new.
            rows = self.rowCount()
            self._rebuild()
            shape_changed = self.rowCount() != rows
        if shape_changed:
            self.beginResetModel()
            self._rebuild()
            self.endResetModel()
        elif self.source.last_changes is not None and not catalog_edited:
            self._refresh_rows(self._rows_showing(self.source.last_changes))
        else:
            self._refresh_all()

    def _rows_showing(self, changes) -> set[int]:
        """Rows whose cells show one of the scores ``changes`` carries."""
        raise NotImplementedError

    def _refresh_rows(self, rows: set[int]) -> None:
        """Repaint only those rows: one typed score, one row, not the whole table."""
        last = self.columnCount() - 1
        for row in sorted(rows):
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _refresh_all(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.headerDataChanged.emit(HORIZONTAL, 0, max(0, self.columnCount() - 1))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == HORIZONTAL and role == DISPLAY and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == VERTICAL and role == DISPLAY:
            return tf.count(section + 1)
        return None

    def flags(self, index: QModelIndex):
        if self.target(index) is not None and self.source.editable:
            return EDITABLE
        return SHOWN

    def score_data(self, target: Target, role):
        if role in (DISPLAY, EDIT):  # the stored value is looked up only when shown
            return tf.score(stored_value(self.source.current, target))
        if role == ALIGNMENT:
            return RIGHT
        if role == BACKGROUND and self.source.editable:
            return EDITABLE_BG
        if role == TOOLTIP:
            return f"{target.label(self.source.catalog)}: พิมพ์คะแนน 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง (เลขไทยได้)"
        return None

    def cell_label(self, index: QModelIndex) -> str:
        target = self.target(index)
        return target.label(self.source.catalog) if target else ""

    # -- edits -------------------------------------------------------------
    def check_text(self, index: QModelIndex, text: str) -> str | None:
        """None when ``text`` may be stored in this cell, else the Thai message."""
        if not str(text).strip():
            return None
        try:
            parse_score(text)
        except ScoreError as exc:
            return f"{self.cell_label(index)}: {exc}"
        return None

    def setData(self, index: QModelIndex, value, role=EDIT) -> bool:
        if role != EDIT:
            return False
        target = self.target(index)
        if target is None:
            return False
        text = "" if value is None else str(value)
        if not text.strip():
            new = None
        else:
            try:
                new = parse_score(value if isinstance(value, (int, float)) else text)
            except ScoreError as exc:
                self.source.rejected.emit(f"{target.label(self.source.catalog)}: {exc}")
                return False
        verb = "ลบคะแนน" if new is None else "แก้คะแนน"
        ok = self.source.write([(target, new)], f"{verb}{target.label(self.source.catalog)}")
        if ok:
            self.source.rejected.emit("")
        return ok

    def paste(self, start: QModelIndex, text: str, selection: list[QModelIndex] | None = None) -> bool:
        """Fill cells from copied text: a column fills downwards, a block fills right and down.

        All or nothing: one bad number refuses the whole paste and says which row.
        """
        rows = parse_clipboard(text)
        if not rows:
            return False
        cells: list[tuple[QModelIndex, str, int]] = []
        selection = [i for i in (selection or []) if self.target(i) is not None]
        if len(rows) == 1 and len(rows[0]) == 1 and len(selection) > 1:
            cells = [(i, rows[0][0], 1) for i in selection]
        else:
            if not start.isValid():
                return False
            for r, line in enumerate(rows):
                for c, cell in enumerate(line):
                    index = self.index(start.row() + r, start.column() + c)
                    if not cell.strip():
                        continue
                    if not index.isValid():
                        self.source.rejected.emit(
                            f"ข้อมูลที่วางมี {tf.count(len(rows))} แถว ยาวเกินตาราง: ไม่ได้วางข้อมูลใด ๆ"
                        )
                        return False
                    cells.append((index, cell, r + 1))
        edits = []
        for index, cell, line_no in cells:
            target = self.target(index)
            if target is None:
                self.source.rejected.emit(
                    f"แถวที่ {tf.count(line_no)} ของข้อมูลที่วางตกลงในช่องที่แก้ไม่ได้: ไม่ได้วางข้อมูลใด ๆ"
                )
                return False
            try:
                edits.append((target, parse_score(cell)))
            except ScoreError as exc:
                self.source.rejected.emit(
                    f"แถวที่ {tf.count(line_no)} ของข้อมูลที่วาง (\"{cell.strip()[:20]}\") {target.label(self.source.catalog)}: "
                    f"{exc} — ไม่ได้วางข้อมูลใด ๆ"
                )
                return False
        if not edits:
            return False
        ok = self.source.write(edits, f"วางคะแนน {tf.count(len(edits))} ช่อง")
        if ok:
            self.source.rejected.emit("")
        return ok

    def clear(self, indexes: list[QModelIndex]) -> bool:
        edits = [(t, None) for t in (self.target(i) for i in indexes) if t is not None]
        if not edits:
            return False
        return self.source.write(edits, f"ลบคะแนน {tf.count(len(edits))} ช่อง")


class IndicatorScoresModel(ScoreTableModel):
    """The ten indicators of the year, grouped by tool, with the score typed from the NACC."""

    HEADERS = ("เครื่องมือ", "ตัวชี้วัด", "ชื่อตัวชี้วัด", "คะแนน")
    SCORE_COLUMN = 3

    def __init__(self, source: AssessmentSource, parent: QObject | None = None):
        self.indicators: list[Indicator] = []
        super().__init__(source, parent)
        self._rebuild()

    def _rebuild(self) -> None:
        catalog = self.source.catalog
        if catalog is None:
            self.indicators = []
            return
        order = {t.code: n for n, t in enumerate(catalog.tools)}
        self.indicators = sorted(catalog.indicators, key=lambda i: (order.get(i.tool, 99), i.number))

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.indicators)

    def indicator_at(self, row: int) -> Indicator | None:
        return self.indicators[row] if 0 <= row < len(self.indicators) else None

    def row_of(self, number: int) -> int:
        for row, ind in enumerate(self.indicators):
            if ind.number == number:
                return row
        return -1

    def tool_spans(self) -> list[tuple[int, int]]:
        """(first row, row count) of each tool's block, for the view's merged tool cells."""
        spans, start = [], 0
        for row in range(1, len(self.indicators) + 1):
            if row == len(self.indicators) or self.indicators[row].tool != self.indicators[start].tool:
                spans.append((start, row - start))
                start = row
        return spans

    def _rows_showing(self, changes) -> set[int]:
        return {row for row, ind in enumerate(self.indicators) if ind.number in changes.indicators}

    def target(self, index: QModelIndex) -> Target | None:
        if not index.isValid() or index.column() != self.SCORE_COLUMN:
            return None
        ind = self.indicator_at(index.row())
        return Target("indicator", ind.number) if ind else None

    def data(self, index: QModelIndex, role=DISPLAY):
        ind = self.indicator_at(index.row()) if index.isValid() else None
        if ind is None:
            return None
        col = index.column()
        if col == self.SCORE_COLUMN:
            return self.score_data(Target("indicator", ind.number), role)
        if role == DISPLAY:
            if col == 0:
                return ind.tool
            if col == 1:
                return tf.count(ind.number)
            if col == 2:
                return ind.name
        if role == ALIGNMENT and col in (0, 1):
            return CENTER
        if role == TOOLTIP:
            catalog = self.source.catalog
            tool = catalog.tool(ind.tool) if catalog else None
            tip = f"{ind.tool}: {tool.name}" if tool else ind.tool
            if ind.combine_note:
                tip += f"\n{ind.combine_note}"
            return tip
        return None


class ItemScoresModel(ScoreTableModel):
    """The items (ข้อคำถาม) of one tool in the year's catalog, by part where the tool has parts."""

    BASE_HEADERS = ("ข้อ", "ตัวชี้วัด", "รายการ")

    def __init__(self, source: AssessmentSource, parent: QObject | None = None):
        self.tool: str = ""  # the catalog's first tool until an indicator is chosen
        self.rows: list[tuple[Indicator, Item]] = []
        self.parts: tuple[int, ...] = ()
        self.HEADERS = self.BASE_HEADERS + ("คะแนน",)
        super().__init__(source, parent)
        self._rebuild()

    def set_tool(self, code: str) -> None:
        if code == self.tool:
            return
        self.beginResetModel()
        self.tool = code
        self._rebuild()
        self.endResetModel()

    def item_prefix(self) -> str:
        catalog = self.source.catalog
        return catalog.tool(self.tool).item_prefix if catalog and self.tool in catalog.tool_codes else ""

    def _rebuild(self) -> None:
        catalog = self.source.catalog
        self.rows = []
        self.parts = ()
        if catalog is not None:
            if self.tool not in catalog.tool_codes and catalog.tools:
                self.tool = catalog.tools[0].code
            try:
                numbers = catalog.tool(self.tool).indicators
            except KeyError:
                numbers = ()
            for number in numbers:
                ind = catalog.indicator(number)
                self.rows += [(ind, item) for item in ind.items]
            for _ind, item in self.rows:
                if item.parts and len(item.parts) > len(self.parts):
                    self.parts = tuple(item.parts)
        if self.parts:
            self.HEADERS = self.BASE_HEADERS + tuple(f"ส่วนที่ {tf.count(p)}" for p in self.parts) + ("เฉลี่ย",)
        else:
            self.HEADERS = self.BASE_HEADERS + ("คะแนน",)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == HORIZONTAL and role == TOOLTIP and self.parts:
            first = len(self.BASE_HEADERS)
            if first <= section < first + len(self.parts):
                part = self.parts[section - first]
                catalog = self.source.catalog
                names = dict(catalog.tool(self.tool).parts) if catalog else {}
                return names.get(part) or f"ส่วนที่ {part}"
            if section == first + len(self.parts):
                parts = " และ".join(f"ส่วนที่ {tf.count(p)}" for p in self.parts)
                return f"ค่าเฉลี่ยของ{parts} (คำนวณโดยโปรแกรม แก้ไขไม่ได้)"
        if orientation == HORIZONTAL and role == DISPLAY and section < len(self.HEADERS):
            return self.HEADERS[section]
        return super().headerData(section, orientation, role)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def first_row_of(self, number: int) -> int:
        for row, (ind, _item) in enumerate(self.rows):
            if ind.number == number:
                return row
        return -1

    def indicator_at(self, row: int) -> Indicator | None:
        return self.rows[row][0] if 0 <= row < len(self.rows) else None

    def _rows_showing(self, changes) -> set[int]:
        codes = {code for code, _part in changes.items}
        return {row for row, (_ind, item) in enumerate(self.rows) if item.code in codes}

    def target(self, index: QModelIndex) -> Target | None:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        _ind, item = self.rows[index.row()]
        col = index.column() - len(self.BASE_HEADERS)
        if self.parts:
            if 0 <= col < len(self.parts) and self.parts[col] in (item.parts or self.parts):
                return Target("item", item.code, self.parts[col])
            return None
        return Target("item", item.code, 0) if col == 0 else None

    def data(self, index: QModelIndex, role=DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        ind, item = self.rows[index.row()]
        target = self.target(index)
        if target is not None:
            return self.score_data(target, role)
        col = index.column()
        if self.parts and col == len(self.BASE_HEADERS) + len(self.parts):
            assessment = self.source.current
            value = assessment.item_score(item.code) if assessment else None
            if role == DISPLAY:
                return tf.score(value)
            if role == ALIGNMENT:
                return RIGHT
            if role == FOREGROUND:
                return MISSING_FG
            return None
        if role == DISPLAY:
            if col == 0:
                return item.code
            if col == 1:
                sub = ind.sub_indicator_of(item.code)
                return tf.digits(sub.code if sub else str(ind.number))
            if col == 2:
                return item.title or f"({UNNAMED_ITEM})"
        if role == FOREGROUND and col == 2 and not item.title:
            return MISSING_FG
        if role == ALIGNMENT and col in (0, 1):
            return CENTER
        if role == TOOLTIP:
            sub = ind.sub_indicator_of(item.code)
            tip = f"ตัวชี้วัดที่ {ind.number} {ind.name}"
            if sub:
                tip += f"\nตัวชี้วัดย่อย {sub.code} {sub.name}"
            tip += f"\n{item.code} {item.title or '(' + UNNAMED_ITEM + ')'}"
            if item.source:
                tip += f"\nที่มาของชื่อข้อ: {item.source}"
            return tip
        return None


class SummaryModel(CellRolesInOneCall, QAbstractTableModel):
    """The reference report's first table: indicators of two years, change, tools, overall, level.

    Read-only; shows the rows of :func:`itadesk.report.model.build_summary`, the same rows the
    PDF prints (the view never builds a row or a figure of its own).
    """

    COLUMNS = ("เครื่องมือ", "ตัวชี้วัด", "รายละเอียดตัวชี้วัด", "ปีก่อน", "ปีนี้", "เปลี่ยนแปลง", "ผล")
    PREV, CUR, CHANGE, DIRECTION = 3, 4, 5, 6

    def __init__(self, source: AssessmentSource, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self.rows: list[SummaryRow] = []
        self.summary: Summary | None = None
        source.reloaded.connect(self._on_reloaded)
        tf.options().changed.connect(self._on_options_changed)
        self._recompute()

    # -- computing -----------------------------------------------------------
    def _recompute(self) -> None:
        src = self.source
        if src.catalog is None:
            self.summary, self.rows = None, []
            return
        current = src.current if src.ready else None
        current = current or Assessment(fiscal_year=src.catalog.fiscal_year, org_uuid=src.context.org_uuid or "")
        self.summary = build_summary(current, src.previous if src.ready else None, src.catalog)
        self.rows = list(self.summary.table.rows)

    def _on_options_changed(self) -> None:
        self._on_reloaded(False)

    def _on_reloaded(self, shape_changed: bool) -> None:
        old_rows = self.rows
        if not shape_changed:
            self._recompute()
            shape_changed = len(self.rows) != len(old_rows)  # another catalog: new rows, new spans
        if shape_changed:
            self.beginResetModel()
            self._recompute()
            self.endResetModel()
        elif self.source.last_changes is not None:
            # A typed score: repaint only the rows whose figures moved (its indicator, its
            # tool, the overall, the level), not all of the table's cells.
            last = len(self.COLUMNS) - 1
            for row, (before, after) in enumerate(zip(old_rows, self.rows)):
                if before != after:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            return  # the headers name the years, which a typed score does not change
        elif self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))
        self.headerDataChanged.emit(HORIZONTAL, 0, len(self.COLUMNS) - 1)

    # -- figures -------------------------------------------------------------
    def previous_year(self) -> int | None:
        return self.summary.table.previous_year if self.summary and self.source.ready else None

    def percent_note(self) -> str:
        """The overall-change sentence of the report model (points, and the percent apart)."""
        return tf.free_text(self.summary.change) if self.summary and self.source.ready else ""

    def warnings(self) -> list[str]:
        """Consistency warnings and the evaluation's notes, as lines for the officer."""
        if self.summary is None or not self.source.ready:
            return []
        return [tf.free_text(line) for line in self.summary.check_lines()]

    # -- Qt --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation != HORIZONTAL:
            return None
        if role == DISPLAY:
            if section == self.PREV:
                year = self.previous_year()
                return f"ปี {tf.year(year)}" if year else "ปีก่อน"
            if section == self.CUR:
                year = self.source.context.year
                return f"ปี {tf.year(year)}" if year else "ปีนี้"
            if section == self.CHANGE:
                return "ผลต่าง (คะแนน)"
            return self.COLUMNS[section]
        if role == TOOLTIP and section == self.CHANGE:
            return "ผลต่างเป็นคะแนน (ปีนี้ลบปีก่อน) ไม่ใช่ร้อยละ"
        return None

    def tool_spans(self) -> list[tuple[int, int]]:
        return self.summary.table.tool_spans() if self.summary else []

    def data(self, index: QModelIndex, role=DISPLAY):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == DISPLAY:
            if row.is_total and col < 3:
                # the label spans the first three columns; a span shows its first cell
                return tf.free_text(row.label) if col == 0 else ""
            if col == 0:
                return row.tool
            if col == 1:
                return tf.count(row.number)
            if col == 2:
                return row.label
            if col in (self.PREV, self.CUR):
                value = row.previous if col == self.PREV else row.current
                if isinstance(value, str) or value is None:
                    return value or "-"
                return tf.score(value)
            if col == self.CHANGE:
                return tf.signed(row.points) if row.kind != LEVEL else ""
            if col == self.DIRECTION:
                return row.direction_label
        if role == ALIGNMENT:
            if col in (self.PREV, self.CUR, self.CHANGE):
                return RIGHT if row.kind != LEVEL else CENTER
            if row.is_total and col == 0:
                return LEFT
            if col in (0, 1, self.DIRECTION):
                return CENTER
        if role == FOREGROUND and col in (self.CHANGE, self.DIRECTION) and row.direction in (RISE, FALL):
            return RISE_FG if row.direction == RISE else FALL_FG
        if role == BACKGROUND:
            if row.kind in (OVERALL, LEVEL):
                return TOTAL_BG
            if row.kind in (TOOL, PART):
                return GROUP_BG
        if role == FONT and row.kind in (OVERALL, LEVEL):
            font = QFont()
            font.setBold(True)
            return font
        if role == TOOLTIP and row.note:
            return tf.free_text(row.note)
        return None

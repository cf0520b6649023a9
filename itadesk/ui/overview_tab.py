"""The overview tab (ภาพรวม): every organization of a district or province file in one year.

A district or provincial office holds up to ~8,000 organizations. The table is a Qt model over
the rows the document computes in bulk (:meth:`DocumentAccess.overview`), handed to the view in
chunks as it scrolls (``canFetchMore``/``fetchMore``); a :class:`QSortFilterProxyModel` filters
by province, district, kind, level and name. Sorting a column sorts all the rows in Python
(one ``list.sort``, a few milliseconds), not the proxy's row-by-row comparisons through
``data()``. Beside the table: the number of organizations per level with its chart (Matplotlib,
imported the first time the chart is shown) and the indicators and OIT items where most
offices fall short. Double-click opens an organization in the other tabs.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMenu, QPushButton, QSplitter,
    QTableView, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from itadesk.ita.findings import DEFAULT_THRESHOLD
from itadesk.ita.model import ORG_KINDS
from itadesk.ita.overview import (
    COLUMNS, NO_DATA, SCORE_KEYS, OverviewRow, cell, item_limits, level_counts, level_order, sort_key, weak_indicators,
    weak_items,
)
from itadesk.ui import thai_format as tf
from itadesk.ui.busy import run_busy
from itadesk.ui.context import reading

# The window shows the table's first ten columns; the previous year's figures are in the
# change column's tooltip (the exports carry them as columns).
SHOWN = tuple(key for key, _ in COLUMNS if key not in ("previous_year", "previous_total"))
HEADINGS = dict(COLUMNS)
ALL = "ทั้งหมด"
RISE_COLOR, FALL_COLOR = QColor("#2e7d32"), QColor("#c62828")
DISPLAY, USER, ALIGNMENT, FOREGROUND, TOOLTIP = (int(r.value) for r in (
    Qt.DisplayRole, Qt.UserRole, Qt.TextAlignmentRole, Qt.ForegroundRole, Qt.ToolTipRole))
ROLES = frozenset({DISPLAY, USER, ALIGNMENT, FOREGROUND, TOOLTIP})
RIGHT = int((Qt.AlignRight | Qt.AlignVCenter).value)
CHART_PLACEHOLDER = "กราฟจำนวนหน่วยงานตามระดับผลการประเมินจะแสดงที่นี่"
COMPUTING = "กำลังคำนวณ…"
NO_YEARS = "ไฟล์นี้ยังไม่มีผลการประเมินของหน่วยงานใด"
SIDE_DELAY_MS = 30
COMPUTE_SLICE = 400  # rows computed per turn of the event loop (~20 ms on an office PC)
# From how many organizations a year's rows are read in a worker (a quarter of a second for a
# province's 8,000; below, a few tens of milliseconds, not worth a busy cursor). Opening a file
# reads them in the opening worker already (Document.prefetch_overview).
READ_IN_WORKER_FROM = 2000


class OverviewModel(QAbstractTableModel):
    """The overview rows of one year, all held (they are small), shown ``chunk`` at a time."""

    def __init__(self, parent=None, chunk: int = 500):
        super().__init__(parent)
        self.rows: list[OverviewRow] = []
        self.chunk = chunk
        self._loaded = 0
        self.year: int | None = None

    # -- the rows -----------------------------------------------------------------------------
    def set_rows(self, rows, year: int | None) -> None:
        """``rows``: a list, or :class:`itadesk.ita.overview.OverviewRows` computing each row when read."""
        self.beginResetModel()
        self.rows = rows
        self.year = year
        self._loaded = min(self.chunk, len(self.rows))
        self.endResetModel()

    def row_at(self, row: int) -> OverviewRow:
        return self.rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(SHOWN)

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self._loaded < len(self.rows)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if parent.isValid():
            return
        more = min(self.chunk, len(self.rows) - self._loaded)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._loaded, self._loaded + more - 1)
        self._loaded += more
        self.endInsertRows()

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()

    def sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        """Sort every row (loaded or not) by a shown column; unknown values always last."""
        key = SHOWN[column]
        value = sort_key(key, self.year)
        rows = list(self.rows)
        known = [r for r in rows if value(r) is not None]
        unknown = [r for r in rows if value(r) is None]
        known.sort(key=value, reverse=order == Qt.DescendingOrder)
        self.beginResetModel()
        self.rows = known + unknown
        self.endResetModel()

    # -- the cells -------------------------------------------------------------------------------
    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if int(role) != DISPLAY:
            return None
        if orientation == Qt.Horizontal:
            return HEADINGS[SHOWN[section]]
        return tf.count(section + 1)

    def data(self, index, role=Qt.DisplayRole):
        # Roles compared as plain ints: comparing PySide6 enums costs tens of microseconds, and
        # a repaint of the table asks for ~300 cells × 8 roles.
        role = int(role)
        if role not in ROLES or not index.isValid():
            return None
        row = self.rows[index.row()]
        key = SHOWN[index.column()]
        if role == DISPLAY:
            value = cell(row, key)
            if key == "change":
                return tf.signed(value, "")
            if key in SCORE_KEYS:
                return tf.score(value)
            return tf.free_text(str(value or ""))
        if role == USER:
            return row.org_uuid
        if role == ALIGNMENT:
            return RIGHT if key in SCORE_KEYS else None
        if role == FOREGROUND:
            if key == "change" and row.change:
                return RISE_COLOR if row.change > 0 else FALL_COLOR
            return None
        if key in ("change", "level", "total"):  # the tooltip
            if row.previous_year is None:
                return "ไม่มีผลของปีก่อนหน้าให้เทียบ"
            return (f"ปี {tf.year(row.previous_year)}: คะแนนรวม {tf.score(row.previous_total, '-')} "
                    f"ระดับ {row.previous_level or '-'}")
        return None


class OverviewFilter(QSortFilterProxyModel):
    """Filters by province, district, kind, level and a part of the name; sorting is the
    source's (every row, not only the ones fetched so far)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.province = self.district = self.kind = self.level = ""
        self.text = ""

    def set_filter(self, **values) -> None:
        self.beginFilterChange()
        for name, value in values.items():
            setattr(self, name, (value or "").strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def active(self) -> bool:
        return bool(self.province or self.district or self.kind or self.level or self.text)

    def accepts(self, row: OverviewRow) -> bool:
        if self.province and row.province != self.province:
            return False
        if self.district and row.district != self.district:
            return False
        if self.kind and row.kind != self.kind:
            return False
        if self.level and row.level_label != self.level:
            return False
        return not self.text or self.text.casefold() in row.name.casefold()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        return not self.active or self.accepts(self.sourceModel().row_at(source_row))

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        self.sourceModel().sort_rows(column, order)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Vertical and int(role) == DISPLAY:
            return tf.count(section + 1)  # the place in the list as shown, not in the whole file
        return super().headerData(section, orientation, role)

    def matching(self) -> list[OverviewRow]:
        """Every row the filter accepts, fetched or not (for the counts and the exports)."""
        rows = list(self.sourceModel().rows)
        return [r for r in rows if self.accepts(r)] if self.active else rows


class OverviewTab(QWidget):
    organizationChosen = Signal(str, int)  # org uuid, year: open it in the other tabs

    def __init__(self, context, parent: QWidget | None = None, chunk: int = 500):
        super().__init__(parent)
        self.context = context
        self._stale = True
        self._reading = False  # a worker reads the rows (reload)
        self._chart_view = None  # built the first time the chart is shown (Matplotlib is heavy)
        self._weak_stale = True
        bar = self._build_filters()
        left = self._build_table(chunk)
        self.side = self._build_side()

        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([1040, 300])
        self.splitter = splitter
        self.empty_label = QLabel(NO_YEARS)
        self.empty_label.setAlignment(Qt.AlignCenter)
        self.empty_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.empty_label, 1)

        context.changed.connect(self._document_changed)
        context.documentChanged.connect(self._document_replaced)
        tf.options().changed.connect(self._digits_changed)

    # -- building ---------------------------------------------------------------------------------
    def _build_filters(self) -> QHBoxLayout:
        """The year, the search box, the four filters, clear and export; with their timers."""
        self.year_combo = QComboBox()
        self.year_combo.activated.connect(lambda _i: self.reload())
        self.search = QLineEdit()
        self.search.setPlaceholderText("ค้นหาชื่อหน่วยงาน")
        self.search.setClearButtonEnabled(True)
        self.province_combo, self.district_combo = QComboBox(), QComboBox()
        self.kind_combo, self.level_combo = QComboBox(), QComboBox()
        for combo in (self.province_combo, self.district_combo, self.kind_combo, self.level_combo):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
            combo.activated.connect(lambda _i: self._filter_changed())
        self.province_combo.activated.connect(lambda _i: self._fill_districts())
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._filter_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        # A province's rows are computed in slices after the first screen is drawn; the counts,
        # the chart and the weak spots follow once they all are.
        self._compute_timer = QTimer(self)
        self._compute_timer.setInterval(0)
        self._compute_timer.timeout.connect(self._compute_slice)
        # The chart and the weak spots follow the table, after it has been drawn.
        self._side_timer = QTimer(self)
        self._side_timer.setSingleShot(True)
        self._side_timer.setInterval(SIDE_DELAY_MS)
        self._side_timer.timeout.connect(self._refresh_side)
        self.clear_button = QPushButton("ล้างตัวกรอง")
        self.clear_button.clicked.connect(self.clear_filters)
        self.export_button = QPushButton("ส่งออก…")
        export_menu = QMenu(self.export_button)
        self.export_xlsx_action = export_menu.addAction("Excel (.xlsx)…", lambda: self.export_table("xlsx"))
        self.export_csv_action = export_menu.addAction("CSV (.csv)…", lambda: self.export_table("csv"))
        self.export_pdf_action = export_menu.addAction("PDF (.pdf)…", lambda: self.export_table("pdf"))
        self.export_button.setMenu(export_menu)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("ปี พ.ศ."))
        bar.addWidget(self.year_combo)
        bar.addSpacing(8)
        bar.addWidget(self.search, 1)
        for label, combo in (("จังหวัด", self.province_combo), ("อำเภอ", self.district_combo),
                             ("ประเภท", self.kind_combo), ("ระดับ", self.level_combo)):
            bar.addWidget(QLabel(label))
            bar.addWidget(combo)
        bar.addWidget(self.clear_button)
        bar.addWidget(self.export_button)
        return bar

    def _build_table(self, chunk: int) -> QWidget:
        self.model = OverviewModel(self, chunk)
        self.proxy = OverviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        # "องค์การบริหารส่วนตำบล…หนองบัวแดง": the long common prefix goes, the telling end stays.
        self.view.setTextElideMode(Qt.ElideMiddle)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(False)
        # Widths from the header texts and the widest expected values (measuring 8,000 rows would
        # cost more than drawing them).
        metrics = self.view.fontMetrics()
        samples = {"name": "องค์การบริหารส่วนตำบลหนองบัว", "kind": "เทศบาลตำบล", "district": "เมืองสงขลา",
                   "province": "นครราชสีมา", "level": "ผ่านดีเยี่ยม", "change": "−100.00"}
        for column, key in enumerate(SHOWN):
            text = max((HEADINGS[key], samples.get(key, "100.00")), key=metrics.horizontalAdvance)
            header.resizeSection(column, metrics.horizontalAdvance(text) + 16)
        header.setSectionResizeMode(SHOWN.index("name"), QHeaderView.Stretch)
        self.view.doubleClicked.connect(self._open)
        self.shown_label = QLabel()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.shown_label)
        return left

    def _build_side(self) -> QTabWidget:
        """Counts per level with the chart; the indicators and OIT items where most offices fall short."""
        self.counts_table = QTableWidget(0, 3)
        self.counts_table.setHorizontalHeaderLabels(["ระดับผล", "จำนวน", "ร้อยละ"])
        _plain_table(self.counts_table, stretch=0)
        self.chart_box = QWidget()
        self._chart_layout = QVBoxLayout(self.chart_box)
        self._chart_layout.setContentsMargins(0, 0, 0, 0)
        levels_page = QWidget()
        levels_layout = QVBoxLayout(levels_page)
        self.counts_note = QLabel(COMPUTING)  # instead of the counts while the rows are computed
        self.counts_note.setAlignment(Qt.AlignCenter)
        self.counts_note.hide()
        levels_layout.addWidget(self.counts_note)
        levels_layout.addWidget(self.counts_table)
        levels_layout.addWidget(self.chart_box, 1)

        self.weak_indicator_table = QTableWidget(0, 3)
        self.weak_indicator_table.setHorizontalHeaderLabels(["ตัวชี้วัด", "ชื่อ", "ร้อยละที่ต่ำกว่า 85"])
        self.weak_item_table = QTableWidget(0, 3)
        self.weak_item_table.setHorizontalHeaderLabels(["ข้อ", "ชื่อ", "ร้อยละที่ไม่ได้ 100"])
        for table in (self.weak_indicator_table, self.weak_item_table):
            _plain_table(table, stretch=1)
        weak_page = QWidget()
        weak_layout = QVBoxLayout(weak_page)
        weak_layout.addWidget(_wrapped("ตัวชี้วัดที่หน่วยงานส่วนใหญ่ได้ต่ำกว่า 85 คะแนน"))
        weak_layout.addWidget(self.weak_indicator_table, 1)
        weak_layout.addWidget(_wrapped("ข้อที่ต้องได้คะแนนเต็ม ซึ่งหน่วยงานส่วนใหญ่ยังไม่ได้ 100 คะแนน"))
        weak_layout.addWidget(self.weak_item_table, 1)

        side = QTabWidget()
        side.addTab(levels_page, "จำนวนตามระดับ")
        side.addTab(weak_page, "จุดที่ควรพัฒนา")
        side.currentChanged.connect(lambda _i: self._refresh_side())
        return side

    # -- when to read ----------------------------------------------------------------------------
    def _document_replaced(self) -> None:
        self._compute_timer.stop()  # the slices of a closed file's rows (with no year now)
        self.year_combo.clear()
        self.model.set_rows([], None)
        self._forget_side()
        self._stale = True
        if self.isVisible():
            self.reload()

    def _document_changed(self, _changes) -> None:
        """An edit elsewhere: read again when shown (typing a score must stay cheap)."""
        self._stale = True
        if self.isVisible():
            QTimer.singleShot(0, self.reload)

    def _digits_changed(self) -> None:
        """มุมมอง → เลขไทย: every number shown again in the chosen digits."""
        self.view.viewport().update()
        self.view.verticalHeader().viewport().update()
        if self.model.rows and getattr(self.model.rows, "complete", True) and not self._compute_timer.isActive():
            self._rows_ready()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.reload()

    # -- reading ------------------------------------------------------------------------------
    @reading
    def reload(self) -> None:
        doc = self.context.document
        if self._reading:  # asked again while a worker reads (a queued reload): read again after
            self._stale = True
            return
        self._stale = False
        if doc is None:
            return
        years = doc.overview_years()
        chosen = self.year_combo.currentData()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year, count in sorted(years.items(), reverse=True):
            self.year_combo.addItem(f"{tf.year(year)} ({tf.digits(f'{count:,}')} หน่วยงาน)", year)
        if chosen not in years:
            chosen = self.context.year if self.context.year in years else (max(years) if years else None)
        self.year_combo.setCurrentIndex(self.year_combo.findData(chosen))
        self.year_combo.blockSignals(False)
        self.empty_label.setVisible(not years)
        self.splitter.setVisible(bool(years))
        if chosen is None:
            self.model.set_rows([], None)
            return
        if years[chosen] >= READ_IN_WORKER_FROM and not doc.overview_read_ahead(chosen):
            self._reading = True
            try:
                rows = run_busy(self, "กำลังอ่านภาพรวม…", lambda: doc.overview(chosen))
            finally:
                self._reading = False
            if self._stale or self.context.document is not doc or self.year != chosen:
                QTimer.singleShot(0, self.reload)  # asked for again meanwhile: read what is current
                return
        else:
            rows = doc.overview(chosen)
        self._compute_timer.stop()
        header = self.view.horizontalHeader()
        self.model.set_rows(rows, chosen)
        if header.sortIndicatorSection() >= 0:
            self.model.sort_rows(header.sortIndicatorSection(), header.sortIndicatorOrder())  # computes all
        if self.proxy.active or getattr(self.model.rows, "complete", True):
            self._rows_ready()
        else:  # the first screen now, the rest in slices (the table is usable meanwhile)
            total = tf.digits(f"{len(rows):,}")
            self.shown_label.setText(f"แสดง {total} จาก {total} หน่วยงาน · {COMPUTING}")
            self._forget_side()
            self._compute_timer.start()

    def _compute_slice(self) -> None:
        rows = self.model.rows
        if getattr(rows, "compute", None) is None or rows.compute(COMPUTE_SLICE):
            self._compute_timer.stop()
            self._rows_ready()

    def _rows_ready(self) -> None:
        """Every row is computed: the filter lists, the counts, the chart."""
        self._compute_timer.stop()
        self._fill_filters(list(self.model.rows), self.model.year)
        self._filter_changed()

    def _catalog(self):
        """The overview's year's catalog (None when its rules cannot be read)."""
        return self.context.catalog(self.year) if self.year is not None else None

    @property
    def year(self) -> int | None:
        return self.year_combo.currentData()

    def _fill_filters(self, rows: list[OverviewRow], year: int) -> None:
        def fill(combo: QComboBox, values) -> None:
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, "")
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

        fill(self.province_combo, sorted({r.province for r in rows if r.province}))
        kinds = {r.kind for r in rows if r.kind}
        fill(self.kind_combo, [k for k in ORG_KINDS if k in kinds] + sorted(kinds - set(ORG_KINDS)))
        present = {r.level_label for r in rows}
        fill(self.level_combo, [name for name in level_order(year, self._catalog())
                                if name in present or name not in ("-", NO_DATA)])
        self._all_rows = rows
        self._fill_districts(filter_now=False)

    def _fill_districts(self, filter_now: bool = True) -> None:
        province = self.province_combo.currentData() or ""
        rows = getattr(self, "_all_rows", [])
        current = self.district_combo.currentData()
        districts = sorted({r.district for r in rows if r.district and (not province or r.province == province)})
        self.district_combo.blockSignals(True)
        self.district_combo.clear()
        self.district_combo.addItem(ALL, "")
        for d in districts:
            self.district_combo.addItem(d, d)
        self.district_combo.setCurrentIndex(max(self.district_combo.findData(current), 0))
        self.district_combo.blockSignals(False)
        if filter_now:
            self._filter_changed()

    def set_filters(self, province: str = "", district: str = "", kind: str = "", level: str = "",
                    text: str = "") -> None:
        """Choose filters as the officer would (used by the tests and by ล้างตัวกรอง)."""
        self.province_combo.setCurrentIndex(max(self.province_combo.findData(province), 0))
        self._fill_districts(filter_now=False)
        for combo, value in ((self.district_combo, district), (self.kind_combo, kind),
                             (self.level_combo, level)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)
        self._filter_changed()

    def clear_filters(self) -> None:
        self.set_filters()

    def _filter_changed(self) -> None:
        self._search_timer.stop()
        self.proxy.set_filter(province=self.province_combo.currentData(), district=self.district_combo.currentData(),
                              kind=self.kind_combo.currentData(), level=self.level_combo.currentData(),
                              text=self.search.text())
        matching = self.proxy.matching()
        self.shown_label.setText(f"แสดง {tf.digits(f'{len(matching):,}')} จาก {tf.digits(f'{len(self.model.rows):,}')} หน่วยงาน"
                                 + (" · ดับเบิลคลิกเพื่อเปิดหน่วยงาน" if matching else ""))
        self._matching = matching
        self._weak_stale = True
        self._fill_counts(matching)
        self._side_timer.start()

    # -- the side panel ---------------------------------------------------------------------------
    def _forget_side(self) -> None:
        """Until the new rows are all computed the side panel shows nothing, never the figures
        of the file or year shown before (they would be read as this one's)."""
        self._side_timer.stop()
        self._counts = {}
        self._matching = []
        self.counts_table.setRowCount(0)
        self.counts_table.hide()
        self.counts_note.show()
        for table in (self.weak_indicator_table, self.weak_item_table):
            table.setRowCount(0)
        self.__dict__.pop("weak", None)
        self._weak_stale = True
        self._chart_stale = False
        if self._chart_view is not None:
            self._chart_view.set_placeholder(COMPUTING)
            self._chart_view.set_figure(None)

    def _fill_counts(self, rows: list[OverviewRow]) -> None:
        self.counts_note.hide()
        self.counts_table.show()
        counts = level_counts(rows, self._catalog()) if rows else {}
        if self.year is not None and not rows:
            counts = {name: 0 for name in level_order(self.year, self._catalog())[:-2]}
        self._counts = counts
        total = sum(counts.values()) or 1
        self.counts_table.setRowCount(len(counts))
        for i, (name, n) in enumerate(counts.items()):
            for j, text in enumerate((name, tf.digits(f"{n:,}"), tf.digits(f"{n / total * 100:.1f}"))):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.counts_table.setItem(i, j, item)
        self.counts_table.resizeColumnToContents(1)
        self.counts_table.resizeColumnToContents(2)
        self.counts_table.setFixedHeight(self.counts_table.horizontalHeader().height()
                                         + sum(self.counts_table.rowHeight(i) for i in range(len(counts))) + 4)
        self._chart_stale = True

    def _refresh_side(self) -> None:
        if not self.isVisible() or self._compute_timer.isActive():
            return
        if self.side.currentIndex() == 0:
            self._draw_chart()
        else:
            self._fill_weak()

    def _draw_chart(self) -> None:
        if not getattr(self, "_chart_stale", False) or self.year is None:
            return
        from itadesk.report.overview_chart import level_distribution  # noqa: PLC0415 - Matplotlib on demand
        from itadesk.ui.chart_view import ChartView  # noqa: PLC0415

        if self._chart_view is None:
            self._chart_view = ChartView(self.chart_box, CHART_PLACEHOLDER)
            self._chart_view.setMinimumSize(220, 180)  # the side panel must not push the table narrower
            self._chart_layout.addWidget(self._chart_view)
            self._chart_view.show()  # made after the panel was shown: Qt leaves such a child hidden
        self._chart_view.set_figure(level_distribution(self._counts, self.year,
                                                       thai_digits=tf.options().thai_digits))
        self._chart_stale = False

    @property
    def chart_view(self):
        return self._chart_view

    @reading
    def _fill_weak(self) -> None:
        if not self._weak_stale or self.year is None or self.context.document is None:
            return
        self._weak_stale = False
        catalog = self._catalog()
        if catalog is None:
            return
        rows = getattr(self, "_matching", [])
        indicators = [w for w in weak_indicators(rows, catalog) if w.offices]
        everyone = len(rows) == len(self.model.rows)
        doc, year, limits = self.context.document, self.year, item_limits(catalog, DEFAULT_THRESHOLD)
        chosen = None if everyone else [r.org_uuid for r in rows]
        # Every OIT item of every office: a second or more for a province, so off the GUI thread.
        counts = run_busy(self, "กำลังนับข้อที่หน่วยงานส่วนใหญ่ยังไม่ได้เต็ม…",
                          lambda: doc.items_below(year, limits, chosen))
        items = weak_items(counts, catalog)
        self.weak = (indicators, items)
        for table, spots in ((self.weak_indicator_table, indicators), (self.weak_item_table, items)):
            table.setRowCount(len(spots))
            for i, w in enumerate(spots):
                share = f"{w.share:.1f} ({w.below:,}/{w.offices:,})"
                for j, text in enumerate((w.code, w.title or "(ยังไม่ระบุชื่อข้อ)", tf.digits(share))):
                    item = QTableWidgetItem(tf.free_text(text) if j != 0 else text)
                    item.setToolTip(f"{w.code} {w.title}".strip() if j < 2 else
                                    f"{w.below:,} จาก {w.offices:,} หน่วยงาน ต่ำกว่า {w.limit:g} คะแนน")
                    if j == 2:
                        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                    table.setItem(i, j, item)
            table.resizeColumnToContents(0)
            table.resizeColumnToContents(2)

    # -- acting on a row -----------------------------------------------------------------------
    def _open(self, index: QModelIndex) -> None:
        if not index.isValid() or self.year is None:
            return
        self.organizationChosen.emit(self.proxy.data(index, Qt.UserRole), int(self.year))

    def catch_up(self) -> None:
        """Read the rows again now if the document changed since they were read (an export
        must not wait for the queued reload)."""
        if self._stale and self.context.document is not None:
            self.reload()

    def shown_rows(self) -> list[OverviewRow]:
        """The rows as the officer sees them: filtered and in the table's order, all of them."""
        return self.proxy.matching()

    def export_table(self, kind: str, path=None):
        """Write the shown rows as ``kind`` ("xlsx", "csv", "pdf"); asks where unless ``path``."""
        from itadesk.ui.overview_export import export_overview  # noqa: PLC0415 - ReportLab on demand

        return export_overview(self, kind, path)


def _wrapped(text: str) -> QLabel:
    """A label that wraps, so a long sentence does not widen the side panel."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _plain_table(table: QTableWidget, stretch: int) -> None:
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.verticalHeader().hide()
    table.setSelectionMode(QAbstractItemView.NoSelection)
    table.horizontalHeader().setStretchLastSection(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.Stretch)
    table.setWordWrap(False)

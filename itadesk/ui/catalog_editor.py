"""The catalog editor (ข้อมูล → เกณฑ์การประเมินปี…) and one-click naming of an item.

A year's catalog kept in the document wins over the bundled one (:class:`itadesk.ita.catalog.Catalogs`).
The editor starts a year from the previous one, edits item titles, adds, removes and
renumbers items and marks what is confirmed and where it comes from. Every change is one
:class:`itadesk.db.operations.SaveCatalog` on the window's undo stack; the first change of a
year that has no catalog in the document copies the one it uses (bundled or an earlier year's)
first, in the same operation. The editor shows the document as it is after every change
(undo included), so it never holds edits of its own.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QMenu, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from itadesk.db.operations import SaveCatalog
from itadesk.db.tempfiles import write_atomically
from itadesk.ita.catalog import (
    UNNAMED_ITEM, Catalog, CatalogError, add_item, catalog_json, own_copy, parse_catalog_text, remove_item, renumbered,
    with_item,
)
from itadesk.ui import dialogs
from itadesk.ui import thai_format as tf

TITLE = "เกณฑ์การประเมินปี"
CATALOG_FILTER = "เกณฑ์การประเมิน ITA (*.json)"
IMPORT_FAILED = "นำเข้าเกณฑ์ไม่สำเร็จ"
COLUMNS = ("ข้อ", "ตัวชี้วัด", "ชื่อข้อ", "ยืนยันแล้ว", "ที่มาของชื่อข้อ")
CODE, INDICATOR, NAME, CONFIRMED, SOURCE = range(len(COLUMNS))
MISSING = QColor("#8a8a8a")


def year_catalog(context, year: int) -> Catalog | None:
    """The catalog ``year`` uses in the open document (its own, bundled, or an earlier year's)."""
    if context.document is None:
        return None
    try:
        return context.catalogs().for_year(year)
    except CatalogError:
        return None


def save_catalog(context, catalog: Catalog, text: str, recode: dict[str, str] | None = None,
                 drop: tuple[str, ...] = ()) -> bool:
    """Keep ``catalog`` as its year's catalog in the document: one undoable edit."""
    return context.push(text, SaveCatalog(catalog.fiscal_year, catalog_json(catalog), dict(recode or {}), drop))


# -- one-click naming ----------------------------------------------------------------------

class ItemNameDialog(QDialog):
    """The title of one item, where it is confirmed, and whether it is the NACC's own wording."""

    def __init__(self, parent: QWidget | None, catalog: Catalog, code: str):
        super().__init__(parent)
        item = catalog.item(code)
        self.setWindowTitle(f"ชื่อข้อ {code} ปี {tf.year(catalog.fiscal_year)}")
        self.title = QLineEdit(item.title if item else "")
        self.title.setPlaceholderText(f"ชื่อข้อ {code} ตามคู่มือการประเมินของปีนี้")
        self.source = QLineEdit(item.source if item else "")
        self.source.setPlaceholderText("เช่น คู่มือการประเมิน ITA ปี 2569 หน้า …")
        self.confirmed = QCheckBox("ตรงกับข้อความของ ป.ป.ช. แล้ว")
        self.confirmed.setChecked(bool(item and item.confirmed))
        note = QLabel("ชื่อข้อจะเก็บไว้ในไฟล์นี้เป็นเกณฑ์ของปีนี้ ใส่เฉพาะชื่อที่ทราบจากแหล่งที่เชื่อถือได้ "
                      "ถ้ายังไม่ทราบให้เว้นว่างไว้")
        note.setWordWrap(True)
        note.setObjectName("hint")
        form = QFormLayout()
        form.addRow("ชื่อข้อ", self.title)
        form.addRow("ที่มา", self.source)
        form.addRow("", self.confirmed)
        buttons = QDialogButtonBox()
        buttons.addButton("ตกลง", QDialogButtonBox.AcceptRole)
        buttons.addButton("ยกเลิก", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def values(self) -> dict:
        return {"title": " ".join(self.title.text().split()), "source": self.source.text().strip(),
                "confirmed": self.confirmed.isChecked()}


def name_item(parent: QWidget | None, context, code: str, year: int | None = None) -> bool:
    """Name (or rename) one item of the year: the year's catalog is kept in the document,
    copied from the bundled or earlier one first when it has none of its own."""
    year = year if year is not None else context.year
    if year is None or context.document is None or context.readonly:
        return False
    catalog = year_catalog(context, year)
    if catalog is None or catalog.item(code) is None:
        return False
    dialog = ItemNameDialog(parent, catalog, code)
    if dialog.exec() != QDialog.Accepted:
        return False
    values = dialog.values()
    item = catalog.item(code)
    if (item.title, item.source, item.confirmed) == (values["title"], values["source"], values["confirmed"]):
        return False
    return save_catalog(context, with_item(own_copy(catalog), code, **values), f"ตั้งชื่อข้อ {code} ปี {year}")


def install_naming(view: QAbstractItemView, context, code_at) -> None:
    """Double-click (or the context menu's ตั้งชื่อข้อ…) on an item of ``view`` names it.
    ``code_at(index, double_click)``: the item code at a place of the view, or None."""
    def name(code: str) -> None:
        name_item(view.window(), context, code)

    def menu(pos) -> None:
        index = view.indexAt(pos)
        code = code_at(index, False) if index.isValid() else None
        if code is None or context.readonly or context.document is None:
            return
        catalog = year_catalog(context, context.year)
        item = catalog.item(code) if catalog is not None else None
        if item is None:
            return
        popup = QMenu(view)
        action = popup.addAction(f"แก้ไขชื่อข้อ {code}…" if item.title else f"ตั้งชื่อข้อ {code}…")
        action.triggered.connect(lambda: name(code))
        popup.exec(view.viewport().mapToGlobal(pos))

    view.setContextMenuPolicy(Qt.CustomContextMenu)
    view.customContextMenuRequested.connect(menu)
    view.doubleClicked.connect(lambda index: (code := code_at(index, True)) and name(code))


# -- the editor ------------------------------------------------------------------------------

class CatalogEditor(QDialog):
    """ข้อมูล → เกณฑ์การประเมินปี…: the chosen year's items, titles and sources, edited in place."""

    def __init__(self, window, context, year: int | None = None):
        super().__init__(window)
        self.setWindowTitle(f"{TITLE}…")
        self.setObjectName("catalogEditor")
        self.context = context
        self._filling = False
        self.catalog: Catalog | None = None

        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self.start_year)
        self.drop_button = QPushButton("เลิกใช้เกณฑ์ของปีนี้ในไฟล์…")
        self.drop_button.setToolTip("ลบเกณฑ์ของปีนี้ออกจากไฟล์ แล้วกลับไปใช้เกณฑ์ที่มากับโปรแกรมหรือของปีก่อน (เลิกทำได้)")
        self.drop_button.clicked.connect(self.drop_year)
        self.export_button = QPushButton("ส่งออกเป็นไฟล์…")
        self.export_button.setToolTip("บันทึกเกณฑ์ของปีนี้เป็นไฟล์ JSON เพื่อส่งต่อให้หน่วยงานอื่น")
        self.export_button.clicked.connect(lambda: self.export_to())
        self.import_button = QPushButton("นำเข้าจากไฟล์…")
        self.import_button.setToolTip("นำเกณฑ์จากไฟล์ JSON ที่หน่วยงานอื่นส่งมา เก็บไว้ในไฟล์นี้ (เลิกทำได้)")
        self.import_button.clicked.connect(lambda: self.import_from())
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("ที่มาของเกณฑ์ปีนี้ เช่น คู่มือการประเมิน ITA ของ ป.ป.ช.")
        self.source_edit.editingFinished.connect(self._source_edited)
        self.confirmed_box = QCheckBox("ตรวจกับเกณฑ์ของ ป.ป.ช. ปีนี้แล้ว")
        self.confirmed_box.toggled.connect(self._confirmed_toggled)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                   | QAbstractItemView.AnyKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.Stretch)
        for col in (CODE, CONFIRMED):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(INDICATOR, QHeaderView.Interactive)
        header.setSectionResizeMode(SOURCE, QHeaderView.Interactive)
        self.table.setColumnWidth(INDICATOR, 150)
        self.table.setColumnWidth(SOURCE, 220)
        self.table.itemChanged.connect(self._cell_changed)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.indicator_combo = QComboBox()
        self.add_button = QPushButton("เพิ่มข้อ")
        self.add_button.clicked.connect(self.add_item)
        self.remove_button = QPushButton("ลบข้อที่เลือก")
        self.remove_button.clicked.connect(self.remove_selected)
        self.renumber_button = QPushButton("เรียงรหัสข้อใหม่")
        self.renumber_button.setToolTip("ให้รหัสข้อของแต่ละเครื่องมือเรียง 1, 2, 3 … ตามลำดับตัวชี้วัด "
                                        "คะแนนที่กรอกไว้ย้ายตามข้อ")
        self.renumber_button.clicked.connect(self.renumber)
        self.undo_button = QPushButton("เลิกทำ")
        self.undo_button.clicked.connect(context.undo_stack.undo)
        self.redo_button = QPushButton("ทำซ้ำ")
        self.redo_button.clicked.connect(context.undo_stack.redo)
        context.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        context.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(context.undo_stack.canUndo())
        self.redo_button.setEnabled(context.undo_stack.canRedo())
        self.message = QLabel()  # what the last step did (a refusal is said by the window, as for every edit)
        self.message.setWordWrap(True)
        close = QPushButton("ปิด")
        close.clicked.connect(self.close)

        top = QHBoxLayout()
        top.addWidget(QLabel("ปีงบประมาณ"))
        top.addWidget(self.year_combo)
        top.addWidget(self.start_button)
        top.addStretch(1)
        about = QFormLayout()
        about.addRow("ที่มาของเกณฑ์", self.source_edit)
        about.addRow("", self.confirmed_box)
        edit_row = QHBoxLayout()
        edit_row.addWidget(QLabel("ตัวชี้วัด"))
        edit_row.addWidget(self.indicator_combo, 1)
        edit_row.addWidget(self.add_button)
        edit_row.addWidget(self.remove_button)
        edit_row.addWidget(self.renumber_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.redo_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.import_button)
        bottom.addStretch(1)
        bottom.addWidget(self.drop_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.state)
        layout.addLayout(about)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit_row)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        # Ctrl+Z / Ctrl+Y in the editor undo and redo on the window's stack, as everywhere.
        for action in (getattr(window, "undo_action", None), getattr(window, "redo_action", None)):
            if isinstance(action, QAction):
                self.addAction(action)

        context.changed.connect(self._document_changed)
        context.documentChanged.connect(self._document_changed)
        self._fill_years(year if year is not None else context.year)
        self.resize(980, 640)

    # -- what is shown -----------------------------------------------------------------
    @property
    def year(self) -> int | None:
        return self.year_combo.currentData()

    def _fill_years(self, chosen: int | None) -> None:
        from itadesk.ui.main_window import offered_years  # noqa: PLC0415 - main_window opens this editor

        years = set(offered_years())
        if self.context.document is not None:
            years |= set(self.context.catalogs().own)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in sorted(years, reverse=True):
            self.year_combo.addItem(tf.year(y), y)
        index = self.year_combo.findData(chosen)
        self.year_combo.setCurrentIndex(index if index >= 0 else 0)
        self.year_combo.blockSignals(False)
        self.refresh()

    def _year_chosen(self, _index: int) -> None:
        self.message.clear()
        self.refresh()

    def _document_changed(self, changes=None) -> None:
        if self.context.document is None:
            self.close()
            return
        if changes is None or changes.everything:  # a catalog edit, undo, merge or restore; not a score typed
            self.refresh()

    def refresh(self) -> None:
        """Show the chosen year's catalog as the document holds it now."""
        year = self.year
        self.catalog = year_catalog(self.context, year) if year is not None else None
        catalog = self.catalog
        editable = catalog is not None and not self.context.readonly
        own = catalog is not None and catalog.origin == "document" and not catalog.borrowed
        if catalog is None:
            self.state.setText("ยังไม่ได้เปิดไฟล์ หรืออ่านเกณฑ์ของปีนี้ไม่ได้")
        elif catalog.borrowed:
            self.state.setText(f"{catalog.rules_note()} กด \"เริ่มเกณฑ์ปี {tf.year(year)} จากปี "
                               f"{tf.year(catalog.rules_from)}\" หรือแก้ไขรายการด้านล่าง แล้วเกณฑ์ของปีนี้จะเก็บไว้ในไฟล์นี้")
        elif own:
            self.state.setText(f"เกณฑ์ของปี {tf.year(year)} เก็บอยู่ในไฟล์นี้ (ใช้แทนเกณฑ์ที่มากับโปรแกรม "
                               "และติดไปกับไฟล์เมื่อส่งต่อหรือรวมไฟล์)")
        else:
            self.state.setText(f"เกณฑ์ของปี {tf.year(year)} ที่มากับโปรแกรม (อ่านอย่างเดียว) "
                               "เมื่อแก้ไข จะเก็บสำเนาที่แก้แล้วไว้ในไฟล์นี้")
        self.start_button.setVisible(bool(catalog is not None and catalog.borrowed))
        if catalog is not None and catalog.borrowed:
            self.start_button.setText(f"เริ่มเกณฑ์ปี {tf.year(year)} จากปี {tf.year(catalog.rules_from)}")
        self.start_button.setEnabled(editable)
        self.drop_button.setVisible(own)
        self.drop_button.setEnabled(editable)
        self.export_button.setEnabled(catalog is not None)
        self.import_button.setEnabled(self.context.document is not None and not self.context.readonly)
        for widget in (self.source_edit, self.confirmed_box, self.table, self.add_button, self.renumber_button,
                       self.indicator_combo):
            widget.setEnabled(editable)
        self._fill(catalog)
        self._selection_changed()

    def _fill(self, catalog: Catalog | None) -> None:
        self._filling = True
        try:
            self.source_edit.setText(catalog.source if catalog and not catalog.borrowed else "")
            self.confirmed_box.setChecked(bool(catalog and catalog.confirmed and not catalog.borrowed))
            chosen = self.indicator_combo.currentData()
            self.indicator_combo.clear()
            rows = []
            for ind in catalog.indicators if catalog else ():
                self.indicator_combo.addItem(f"{tf.count(ind.number)} {ind.name} ({ind.tool})", ind.number)
                rows += [(ind, item) for item in ind.items]
            index = self.indicator_combo.findData(chosen)
            self.indicator_combo.setCurrentIndex(max(index, 0))
            selected = self.selected_code()
            self.table.setRowCount(len(rows))
            for row, (ind, item) in enumerate(rows):
                sub = ind.sub_indicator_of(item.code)
                cells = [
                    QTableWidgetItem(item.code),
                    QTableWidgetItem(tf.digits(sub.code if sub else str(ind.number)) + " " + (sub.name if sub else ind.name)),
                    QTableWidgetItem(item.title),
                    QTableWidgetItem(""),
                    QTableWidgetItem(item.source),
                ]
                for col in (CODE, INDICATOR):
                    cells[col].setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                cells[CODE].setData(Qt.UserRole, item.code)
                cells[CONFIRMED].setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsUserCheckable)
                cells[CONFIRMED].setCheckState(Qt.Checked if item.confirmed else Qt.Unchecked)
                if not item.title:
                    cells[NAME].setData(Qt.ToolTipRole, f"({UNNAMED_ITEM}) ดับเบิลคลิกเพื่อพิมพ์ชื่อข้อ")
                    cells[NAME].setForeground(QBrush(MISSING))
                for col, cell in enumerate(cells):
                    self.table.setItem(row, col, cell)
            if selected is not None:
                self.select_code(selected)
        finally:
            self._filling = False

    def selected_code(self) -> str | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        cell = self.table.item(rows.pop(), CODE)
        return cell.data(Qt.UserRole) if cell is not None else None

    def select_code(self, code: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, CODE).data(Qt.UserRole) == code:
                self.table.selectRow(row)
                return

    def row_of(self, code: str) -> int:
        for row in range(self.table.rowCount()):
            if self.table.item(row, CODE).data(Qt.UserRole) == code:
                return row
        return -1

    def _selection_changed(self) -> None:
        code = self.selected_code()
        self.remove_button.setEnabled(bool(code) and self.catalog is not None and not self.context.readonly)
        if code and self.catalog is not None:
            ind = self.catalog.indicator_of_item(code)
            if ind is not None:
                self.indicator_combo.setCurrentIndex(self.indicator_combo.findData(ind.number))

    # -- edits (each one SaveCatalog on the window's undo stack) --------------------------
    def _editable_copy(self) -> Catalog | None:
        """The year's catalog to change: the document's own, or a copy of the one it uses."""
        return own_copy(self.catalog) if self.catalog is not None else None

    def _save(self, catalog: Catalog, text: str, **kwargs) -> bool:
        if self.context.readonly:
            return False  # the controls are off; nothing is tried
        done = save_catalog(self.context, catalog, text, **kwargs)
        if not done:
            self.refresh()  # the file refused it (the window says why): show what it holds
        return done

    def start_year(self) -> bool:
        """Start the chosen year's own catalog from the earlier year's it uses now."""
        if self.catalog is None or not self.catalog.borrowed:
            return False
        previous = self.catalog.rules_from
        done = self._save(self._editable_copy(), f"เริ่มเกณฑ์ปี {self.year} จากปี {previous}")
        if done:
            self.message.setText(f"เริ่มเกณฑ์ปี {tf.year(self.year)} จากปี {tf.year(previous)} แล้ว "
                                 "ตรวจชื่อข้อกับคู่มือการประเมินของปีนี้ แล้วทำเครื่องหมายที่ยืนยันแล้ว")
        return done

    def drop_year(self) -> bool:
        """Stop using the document's own catalog of the year (asked first; undoable). Scores stay."""
        year = self.year
        if self.context.readonly or self.catalog is None or self.catalog.origin != "document" or self.catalog.borrowed:
            return False
        if not dialogs.confirm(self, "เลิกใช้เกณฑ์ของปีนี้ในไฟล์",
                               f"ลบเกณฑ์ปี {tf.year(year)} ออกจากไฟล์นี้หรือไม่", "ลบเกณฑ์ออกจากไฟล์",
                               "ปีนี้จะกลับไปใช้เกณฑ์ที่มากับโปรแกรม หรือเกณฑ์ของปีก่อนหน้าล่าสุด ชื่อข้อที่พิมพ์ไว้จะหายไป "
                               "คะแนนที่กรอกไว้ยังอยู่ครบ เลิกทำได้ด้วย Ctrl+Z"):
            return False
        done = self.context.push(f"เลิกใช้เกณฑ์ปี {year} ในไฟล์", SaveCatalog(year, None))
        if done:
            self.message.setText(f"ลบเกณฑ์ปี {tf.year(year)} ออกจากไฟล์แล้ว (เลิกทำได้)")
        return done

    # -- handing a catalog out (itadesk catalog export / import in the window) -------------
    def export_to(self, path: str | Path | None = None) -> Path | None:
        """Write the chosen year's catalog (a borrowed one under this year's number) as JSON."""
        if self.catalog is None:
            return None
        if path is None:
            suggested = str(Path.home() / f"เกณฑ์การประเมิน ITA {self.year}.json")
            chosen, _ = QFileDialog.getSaveFileName(self, "ส่งออกเกณฑ์การประเมิน", suggested, CATALOG_FILTER)
            if not chosen:
                return None
            path = chosen
        path = Path(path).with_suffix(".json")
        try:
            write_atomically(path, catalog_json(own_copy(self.catalog) if self.catalog.borrowed else self.catalog).encode())
        except OSError as exc:
            dialogs.show_error(self, f"เขียนไฟล์ {path.name} ไม่ได้ ({exc.strerror or exc})", "ส่งออกเกณฑ์ไม่สำเร็จ")
            return None
        self.message.setText(f"ส่งออกเกณฑ์ปี {tf.year(self.year)} ไปยัง {path} แล้ว")
        return path

    def import_from(self, path: str | Path | None = None) -> bool:
        """Keep a catalog file another office handed out as its year's catalog in this document
        (checked first: a broken file is refused with its reason and nothing changes)."""
        if self.context.readonly or self.context.document is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "นำเข้าเกณฑ์การประเมิน", str(Path.home()), CATALOG_FILTER)
            if not chosen:
                return False
            path = chosen
        path = Path(path)
        try:
            catalog = parse_catalog_text(path.read_text(encoding="utf-8"), path.name)
        except (OSError, UnicodeDecodeError) as exc:
            dialogs.show_error(self, f"อ่านไฟล์ {path.name} ไม่ได้ ({getattr(exc, 'strerror', None) or exc})",
                               IMPORT_FAILED)
            return False
        except CatalogError as exc:
            dialogs.show_error(self, str(exc), IMPORT_FAILED)
            return False
        if not save_catalog(self.context, catalog, f"นำเข้าเกณฑ์ปี {catalog.fiscal_year} จาก {path.name}"):
            return False
        self.year_combo.setCurrentIndex(self.year_combo.findData(catalog.fiscal_year))
        self.message.setText(f"นำเข้าเกณฑ์ปี {tf.year(catalog.fiscal_year)} จาก {path.name} แล้ว (เลิกทำได้)")
        return True

    def set_item(self, code: str, **changes) -> bool:
        """Change one item's title, source or confirmation."""
        catalog = self._editable_copy()
        if catalog is None or catalog.item(code) is None:
            return False
        what = "ชื่อข้อ" if "title" in changes else ("การยืนยันชื่อข้อ" if "confirmed" in changes else "ที่มาของชื่อข้อ")
        return self._save(with_item(catalog, code, **changes), f"แก้ไข{what} {code} ปี {self.year}")

    def _cell_changed(self, cell: QTableWidgetItem) -> None:
        if self._filling or self.catalog is None:
            return
        code = self.table.item(cell.row(), CODE).data(Qt.UserRole)
        item = self.catalog.item(code)
        col = cell.column()
        if col == NAME and " ".join(cell.text().split()) != item.title:
            self.set_item(code, title=" ".join(cell.text().split()))
        elif col == SOURCE and cell.text().strip() != item.source:
            self.set_item(code, source=cell.text().strip())
        elif col == CONFIRMED and (cell.checkState() == Qt.Checked) != item.confirmed:
            self.set_item(code, confirmed=cell.checkState() == Qt.Checked)

    def _source_edited(self) -> None:
        if self._filling or self.catalog is None:
            return
        text = self.source_edit.text().strip()
        if self.catalog.borrowed and not text or text == self.catalog.source:
            return
        catalog = self._editable_copy()
        self._save(replace(catalog, source=text), f"แก้ไขที่มาของเกณฑ์ปี {self.year}")

    def _confirmed_toggled(self, checked: bool) -> None:
        if self._filling or self.catalog is None or checked == (self.catalog.confirmed and not self.catalog.borrowed):
            return
        catalog = self._editable_copy()
        self._save(replace(catalog, confirmed=checked),
                   f"{'ยืนยัน' if checked else 'ยกเลิกการยืนยัน'}เกณฑ์ปี {self.year}")

    def add_item(self) -> str | None:
        """A new, unnamed item at the end of the chosen indicator."""
        number = self.indicator_combo.currentData()
        catalog = self._editable_copy()
        if catalog is None or number is None:
            return None
        new, code = add_item(catalog, number)
        if not self._save(new, f"เพิ่มข้อ {code} ในตัวชี้วัดที่ {number} ปี {self.year}"):
            return None
        self.select_code(code)
        self.message.setText(f"เพิ่มข้อ {code} แล้ว พิมพ์ชื่อข้อในช่องชื่อข้อ")
        return code

    def remove_selected(self) -> bool:
        """Remove the selected item; when the year has scores of it, ask first (they go with it)."""
        code = self.selected_code()
        catalog = self._editable_copy()
        if code is None or catalog is None:
            return False
        scored = self.context.document.scored_items(self.year, [code]).get(code, 0)
        if scored and not dialogs.confirm(
                self, "ลบข้อ", f"ข้อ {code} มีคะแนนที่กรอกไว้แล้ว {tf.count(scored)} รายการในปี {tf.year(self.year)}",
                "ลบข้อและคะแนน",
                "ถ้าลบข้อนี้ คะแนนของข้อนี้ในปีนี้ (ทุกหน่วยงานในไฟล์) จะถูกลบด้วย เลิกทำได้ด้วย Ctrl+Z"):
            return False
        done = self._save(remove_item(catalog, code), f"ลบข้อ {code} ปี {self.year}", drop=(code,) if scored else ())
        if done:
            self.message.setText(f"ลบข้อ {code} แล้ว" + (f" พร้อมคะแนน {tf.count(scored)} รายการ" if scored else "")
                                 + " (เลิกทำได้)")
        return done

    def renumber(self) -> bool:
        """Number each tool's items 1, 2, 3 … again; their scores move with them."""
        catalog = self._editable_copy()
        if catalog is None:
            return False
        new, recode = renumbered(catalog)
        if not recode:
            self.message.setText("รหัสข้อเรียงกันอยู่แล้ว")
            return False
        done = self._save(new, f"เรียงรหัสข้อใหม่ ปี {self.year}", recode=recode)
        if done:
            moved = ", ".join(f"{old}→{new}" for old, new in list(recode.items())[:6])
            self.message.setText(f"เรียงรหัสข้อใหม่แล้ว ({moved}{' …' if len(recode) > 6 else ''}) คะแนนย้ายตามข้อ")
        return done


def open_catalog_editor(window, year: int | None = None) -> CatalogEditor | None:
    """Show the editor (one per window; a second call brings it to the front on ``year``)."""
    context = window.context
    if context.document is None:
        return None
    editor = getattr(window, "catalog_editor", None)
    if editor is None:
        editor = CatalogEditor(window, context, year)
        editor.setAttribute(Qt.WA_DeleteOnClose)
        editor.destroyed.connect(lambda *_: setattr(window, "catalog_editor", None))
        window.catalog_editor = editor
    elif year is not None:
        editor.year_combo.setCurrentIndex(editor.year_combo.findData(year))
    editor.show()
    editor.raise_()
    editor.activateWindow()
    return editor


"""The main window: the welcome page, the file menu wired to the document layer, and the tabs.

The window owns the document's life (new, open, save, close) and turns every failure of
the document layer into a Thai dialog; the tabs only see the shared
:class:`~itadesk.ui.context.DocumentContext`.
"""

from __future__ import annotations

import importlib
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from itadesk.db.document import (
    ChangedUnderneathError,
    Document,
    LockedError,
    discard_recovery,
    pending_recoveries,
    recover,
)
from itadesk.db.errors import DocumentError
from itadesk.db.operations import SaveOrganization, SetPublishedFigures
from itadesk.ita.catalog import available_years, catalog_problems, enterable_years
from itadesk.ita.levels import level_names
from itadesk.ita.model import Assessment, Organization
from itadesk.ita.published import LEVEL, TOTAL
from itadesk.ita.scoring import evaluate
from itadesk.ita.thai_dates import fiscal_year_of
from itadesk.ui import dialogs, office_export
from itadesk.ui import thai_format as tf
from itadesk.ui import settings as prefs
from itadesk.ui.app import APP_NAME
from itadesk.ui.busy import run_busy
from itadesk.ui.context import DocumentContext
from itadesk.ui.context import reading
from itadesk.ui.file_check import CheckBar
from itadesk.ui.org_selector import OrganizationList
from itadesk.ui.scores_tab import ScoresTab

if TYPE_CHECKING:
    from itadesk.ui.welcome import WelcomePage

MAX_RECENT = 8
EDIT_FAILED = "แก้ไขข้อมูลไม่สำเร็จ"
READ_FAILED = "อ่านข้อมูลจากไฟล์ไม่สำเร็จ"
WELCOME_PAGE, DOCUMENT_PAGE = 0, 1
# The lock beside the file says since when it is in use; another PC treats a lock older than
# 12 hours as left behind, so a long session renews it.
LOCK_REFRESH_MS = 30 * 60 * 1000

# What the busy dialog says while a file is copied, checked and written in the background.
OPENING = "กำลังเปิดและตรวจสอบไฟล์…"
SAVING = "กำลังบันทึกไฟล์…"
MERGING = "กำลังรวมข้อมูลจากไฟล์…"
RESTORING = "กำลังกู้คืนจากสำเนาสำรอง…"
FILE_REFUSED = "ไฟล์นี้ใช้ไม่ได้ ปิดไฟล์แล้ว"  # the check behind the first screen refused it

# A province's file: open it at the overview rather than at the first organization's scores
# (here, not in overview_tab, which loads only when that tab is first shown).
OVERVIEW_FIRST_FROM = 10


def _opening(doc: Document) -> tuple[Document, tuple[str | None, int | None] | None]:
    """In the worker that opened ``doc``: where it opens (the organization and year last
    worked on, kept in the file, else the latest year with data or offered), remembered in
    the file, and the file put first in the recent list, so that showing it on the GUI thread
    writes nothing. None when it cannot be read (the views say so)."""
    if doc.target is not None:
        remember_recent(doc.target)
    try:
        org_uuid, year = doc.opening_selection()
        if org_uuid is not None and year is None and available_years():
            year = max(available_years())
        doc.remember_selection(org_uuid, year)
        doc.prefetch_overview(year, OVERVIEW_FIRST_FROM)  # a district's file opens at its overview
    except DocumentError:
        return doc, None
    return doc, (org_uuid, year)


class _StandIn(QWidget):
    """An empty page in the place of one not built yet (see ``MainWindow._page``)."""


# Pages built when first shown or asked for, each standing in its place until then (issue 16:
# start-up builds and imports only what the first screen shows; a window started on a file
# never builds its welcome page unless the file fails to open): attribute, module, class, tab
# text (None: the welcome page, in the window's page stack).
LATER_PAGES = (
    ("welcome", "itadesk.ui.welcome", "WelcomePage", None),
    ("analysis_tab", "itadesk.ui.analysis_tab", "AnalysisTab", "การวิเคราะห์ผล"),
    ("plan_tab", "itadesk.ui.plan_tab", "PlanTab", "แผนปฏิบัติการ"),
    ("overview_tab", "itadesk.ui.overview_tab", "OverviewTab", "ภาพรวม"),
)


def remember_recent(path) -> None:
    """Put ``path`` first in the recent files (a write of the settings file)."""
    path = str(Path(path))
    files = [path] + [p for p in prefs.RECENT_FILES.get() if p != path]
    prefs.RECENT_FILES.set(files[:MAX_RECENT])


def offered_years() -> list[int]:
    """Years an officer can pick: 2563 to the year after the fiscal year now running.

    A year with no catalog of its own uses the latest earlier rules and says so (the rules
    banner, :meth:`itadesk.ita.catalog.Catalog.rules_note`), so an office can start a year
    before its catalog arrives.
    """
    return enterable_years(fiscal_year_of(date.today()))


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None, opening: bool = False):
        """``opening``: a file is about to be opened (named on the command line), so the
        welcome page is not built unless that fails (issue 16: only what is shown is built)."""
        super().__init__(parent)
        self.context = DocumentContext(self)
        self.current_dialog = None  # the modal dialog being shown, if any (tests answer it)
        self._closing = False  # the window is closing: the welcome page will not be seen again
        self.setAcceptDrops(True)
        self.resize(1280, 720)

        # Built from the window down, each widget made inside its parent: with the application's
        # style sheet in force Qt restyles a widget and everything in it whenever it is put into
        # another parent, so a page built apart and then put in would be styled once per level.
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self._pages: dict[str, QWidget] = {"welcome": _StandIn(self.stack)}  # see ``_page``
        self.stack.addWidget(self._pages["welcome"])
        self.stack.addWidget(self._build_document_page(self.stack))
        self._build_actions()
        self._build_menus()

        self.context.changed.connect(self._on_data_changed)
        self.context.selectionChanged.connect(self._sync_selector)
        self.context.undo_stack.indexChanged.connect(self._on_undo_index)
        self.context.undo_stack.cleanChanged.connect(self._on_undo_index)
        self.context.failed.connect(self._edit_failed)
        self.context.unreadable.connect(lambda message: dialogs.show_error(self, message, READ_FAILED))

        self.status_file = QLabel()
        self.statusBar().addPermanentWidget(self.status_file)
        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(LOCK_REFRESH_MS)
        self.lock_timer.timeout.connect(self._refresh_lock)
        self.lock_timer.start()
        self._set_page(welcome=not opening)
        self._update_title()

    # ------------------------------------------------------------------ building
    def _build_document_page(self, parent: QWidget) -> QWidget:
        page = QWidget(parent)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        self.readonly_banner = QFrame(page)
        self.readonly_banner.setObjectName("readonlyBanner")
        banner = QHBoxLayout(self.readonly_banner)
        banner.setContentsMargins(10, 4, 10, 4)
        self.readonly_label = QLabel(self.readonly_banner)
        self.readonly_label.setWordWrap(True)
        self.readonly_save_as = QPushButton("บันทึกเป็นไฟล์ใหม่…", self.readonly_banner)
        self.readonly_save_as.clicked.connect(self.save_as)
        banner.addWidget(self.readonly_label, 1)
        banner.addWidget(self.readonly_save_as)
        self.readonly_banner.hide()
        self.check_bar = CheckBar(self.context, page)  # a file's rows checked after its first screen
        self.check_bar.refused.connect(self._file_refused)

        self.selector_bar = QFrame(page)
        self.selector_bar.setObjectName("selectorBar")
        bar = QHBoxLayout(self.selector_bar)
        bar.setContentsMargins(10, 6, 10, 6)
        self.org_combo = QComboBox(self.selector_bar)
        self.org_combo.setMinimumWidth(420)
        self.org_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.org_list = OrganizationList(self.org_combo)
        self.org_combo.setModel(self.org_list)
        self.org_combo.view().setUniformItemSizes(True)  # the popup does not measure 8,000 names
        self.org_combo.activated.connect(self._org_chosen)
        self.add_org_button = QPushButton("เพิ่มหน่วยงาน…", self.selector_bar)
        self.add_org_button.clicked.connect(self.add_organization)
        self.edit_org_button = QPushButton("แก้ไขข้อมูลหน่วยงาน…", self.selector_bar)
        self.edit_org_button.clicked.connect(self.edit_organization)
        self.year_combo = QComboBox(self.selector_bar)
        self.year_combo.setMinimumWidth(150)
        self.year_combo.activated.connect(self._year_chosen)
        bar.addWidget(QLabel("หน่วยงาน", self.selector_bar))
        bar.addWidget(self.org_combo, 1)
        bar.addWidget(self.add_org_button)
        bar.addWidget(self.edit_org_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel("ปีงบประมาณ พ.ศ.", self.selector_bar))
        bar.addWidget(self.year_combo)

        # A year without a catalog of its own runs on an earlier year's rules: say so, always.
        self.rules_banner = QFrame(page)
        self.rules_banner.setObjectName("rulesBanner")
        rules = QHBoxLayout(self.rules_banner)
        rules.setContentsMargins(10, 4, 10, 4)
        self.rules_label = QLabel(self.rules_banner)
        self.rules_label.setWordWrap(True)
        self.rules_button = QPushButton("ตรวจและแก้ไขเกณฑ์…", self.rules_banner)
        self.rules_button.clicked.connect(self.edit_catalog)
        rules.addWidget(self.rules_label, 1)
        rules.addWidget(self.rules_button)
        self.rules_banner.hide()

        self.body = QStackedWidget(page)
        self.tabs = QTabWidget(self.body)
        self.tabs.setDocumentMode(True)
        # Tabs are made inside the tab widget's own page stack, where addTab puts them (were it
        # ever named otherwise, None: addTab would then move each tab in, as it used to).
        self._tab_pages = self.tabs.findChild(QStackedWidget, "qt_tabwidget_stackedwidget")
        self.scores_tab = ScoresTab(self.context, self._tab_pages)
        self.tabs.addTab(self.scores_tab, "ผลคะแนน")
        for name, _module, _cls, text in LATER_PAGES[1:]:
            self._pages[name] = _StandIn(self._tab_pages)
            self.tabs.addTab(self._pages[name], text)
        # Shown when the file holds more than one organization (a district's or province's file).
        self.tabs.setTabVisible(self.tabs.indexOf(self._pages["overview_tab"]), False)
        self.tabs.currentChanged.connect(self._tab_chosen)

        # A file with no organization yet: say what to do first.
        self.no_org_page = QWidget(self.body)
        empty = QVBoxLayout(self.no_org_page)
        empty.addStretch(1)
        hint = QLabel("ไฟล์นี้ยังไม่มีหน่วยงาน เริ่มจากเพิ่มหน่วยงานที่จะกรอกผลการประเมิน", self.no_org_page)
        hint.setAlignment(Qt.AlignCenter)
        hint.setWordWrap(True)
        self.first_org_button = QPushButton("เพิ่มหน่วยงาน…", self.no_org_page)
        self.first_org_button.setObjectName("bigButton")
        self.first_org_button.clicked.connect(self.add_organization)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.first_org_button)
        row.addStretch(1)
        empty.addWidget(hint)
        empty.addLayout(row)
        empty.addStretch(2)

        self.body.addWidget(self.tabs)
        self.body.addWidget(self.no_org_page)

        layout.addWidget(self.readonly_banner)
        layout.addWidget(self.check_bar)
        layout.addWidget(self.selector_bar)
        layout.addWidget(self.rules_banner)
        layout.addWidget(self.body, 1)
        return page

    @property
    def welcome(self) -> WelcomePage:
        """The welcome page (new, open, recent files, unsaved work), built at first need."""
        return self._page("welcome")

    analysis_tab = property(lambda self: self._page("analysis_tab"))
    plan_tab = property(lambda self: self._page("plan_tab"))
    overview_tab = property(lambda self: self._page("overview_tab"))

    def _built(self, name: str) -> bool:
        return not isinstance(self._pages[name], _StandIn)

    def _page(self, name: str) -> QWidget:
        """The page ``name`` of LATER_PAGES, built now if it has not been: it takes its
        stand-in's place (a tab keeps its visibility) and, like any page behind the shown
        one, reads the file when it is shown."""
        stand_in = self._pages[name]
        if self._built(name):
            return stand_in
        _name, module, cls, text = next(p for p in LATER_PAGES if p[0] == name)
        made = getattr(importlib.import_module(module), cls)
        if text is None:  # the welcome page
            page = self._pages[name] = made(self.stack)
            page.newRequested.connect(self.new_document)
            page.openRequested.connect(lambda: self.open_document())
            page.recentChosen.connect(lambda path: self.open_document(Path(path)))
            page.recoverRequested.connect(self.recover_document)
            page.discardRecoveryRequested.connect(self.discard_recovery)
            index = self.stack.indexOf(stand_in)
            current = self.stack.currentIndex() == index
            self.stack.insertWidget(index, page)
            if current:
                self.stack.setCurrentIndex(index)
            self.stack.removeWidget(stand_in)
        else:
            page = self._pages[name] = made(self.context, self._tab_pages)  # hidden until shown
            if name == "overview_tab":
                page.organizationChosen.connect(self.open_from_overview)
            index = self.tabs.indexOf(stand_in)
            visible, current = self.tabs.isTabVisible(index), self.tabs.currentIndex() == index
            self.tabs.insertTab(index, page, text)
            self.tabs.setTabVisible(index, visible)
            if current:
                self.tabs.setCurrentIndex(index)
            self.tabs.removeTab(index + 1)
        stand_in.deleteLater()
        return page

    def _tab_chosen(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, _StandIn):
            self._page(next(name for name, p in self._pages.items() if p is page))

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("ใหม่", self.new_document, "Ctrl+N", "สร้างไฟล์ข้อมูลใหม่")
        self.open_action = self._action("เปิด…", self.open_document, "Ctrl+O", "เปิดไฟล์ข้อมูล")
        self.save_action = self._action("บันทึก", self.save, "Ctrl+S", "บันทึกลงไฟล์")
        self.save_as_action = self._action("บันทึกเป็น…", self.save_as, "Ctrl+Shift+S", "บันทึกเป็นไฟล์ใหม่")
        self.merge_action = self._action("รวมข้อมูลจากไฟล์อื่น…", self.merge_file, None,
                                         "นำข้อมูลจากไฟล์ของอีกหน่วยงานหรืออีกเครื่องมารวม")
        self.collect_action = self._action("รวมไฟล์จากหลายหน่วยงาน…", self.collect_folder, None,
                                           "รวมไฟล์ข้อมูล (.db) และแบบฟอร์ม Excel ที่กรอกแล้วทุกไฟล์ในโฟลเดอร์ในครั้งเดียว")
        self.conflicts_action = self._action("ข้อมูลขัดแย้งจากการรวมไฟล์…", self.show_conflicts, None,
                                             "เลือกค่าที่ถูกต้องเมื่อข้อมูลเดียวกันถูกแก้ไขทั้งสองไฟล์")
        self.backups_action = self._action("สำรอง/กู้คืน…", self.show_backups, None,
                                           "ดูสำเนาที่บันทึกไว้ในเครื่องนี้และกู้คืน")
        self.export_action = self._action("ส่งออกรายงาน PDF…", self.export_pdf, "Ctrl+Shift+E",
                                          "จัดทำรายงานการนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กรเป็นไฟล์ PDF")
        self.close_action = self._action("ปิดไฟล์", self.close_document, "Ctrl+W")
        self.quit_action = self._action("ออกจากโปรแกรม", self.close, "Ctrl+Q")

        stack = self.context.undo_stack
        self.undo_action = stack.createUndoAction(self, "เลิกทำ")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = stack.createRedoAction(self, "ทำซ้ำ")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.add_org_action = self._action("เพิ่มหน่วยงาน…", self.add_organization)
        self.edit_org_action = self._action("แก้ไขข้อมูลหน่วยงาน…", self.edit_organization)

        self.published_action = self._action("ผลที่ ป.ป.ช. ประกาศ…", self.enter_published, None,
                                             "กรอกคะแนนและระดับตามประกาศของ ป.ป.ช. เทียบกับที่โปรแกรมคำนวณ")
        self.rules_action = self._action("เกณฑ์การประเมินที่ใช้กับปีนี้…", self.show_rules)
        self.catalog_action = self._action("เกณฑ์การประเมินปี…", self.edit_catalog, None,
                                           "รายการข้อและชื่อข้อของแต่ละปี เก็บไว้ในไฟล์นี้")

        self.thai_digits_action = QAction("แสดงตัวเลขเป็นเลขไทย", self)
        self.thai_digits_action.setCheckable(True)
        self.thai_digits_action.setChecked(prefs.THAI_DIGITS.get())
        tf.options().set_thai_digits(self.thai_digits_action.isChecked())
        self.thai_digits_action.toggled.connect(self._thai_digits_toggled)
        self.about_action = self._action("เกี่ยวกับ ITA Desk", lambda: dialogs.show_about(self))

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("ไฟล์(&F)")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("ไฟล์ล่าสุด", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.merge_action)
        file_menu.addAction(self.collect_action)
        file_menu.addAction(self.conflicts_action)
        file_menu.addAction(self.backups_action)
        file_menu.addSeparator()
        file_menu.addAction(self.close_action)
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu
        self.office_actions = office_export.install(self)

        edit_menu = menu.addMenu("แก้ไข(&E)")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.add_org_action)
        edit_menu.addAction(self.edit_org_action)
        self.edit_menu = edit_menu

        data_menu = menu.addMenu("ข้อมูล(&D)")
        data_menu.addAction(self.published_action)
        data_menu.addAction(self.rules_action)
        data_menu.addAction(self.catalog_action)
        self.data_menu = data_menu

        view_menu = menu.addMenu("มุมมอง(&V)")
        view_menu.addAction(self.thai_digits_action)

        help_menu = menu.addMenu("ช่วยเหลือ(&H)")
        self.guide_action = self._action("คู่มือการใช้งาน", self.show_guide, "F1", "เปิดคู่มือการใช้งานภาษาไทย")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.about_action)
        self.help_menu = help_menu

    # ------------------------------------------------------------------ state
    @property
    def document(self) -> Document | None:
        return self.context.document

    def _set_page(self, welcome: bool = True) -> None:
        doc = self.document
        if doc is None:
            if welcome and not self._closing:
                self.welcome.set_recent(self.recent_files())
                self.welcome.set_recoveries(self._safe_recoveries())
            self.stack.setCurrentIndex(WELCOME_PAGE)
        else:
            self.stack.setCurrentIndex(DOCUMENT_PAGE)
        has_doc = doc is not None
        writable = has_doc and not doc.readonly
        for action in (self.save_action, self.save_as_action, self.close_action, self.backups_action,
                       self.export_action):
            action.setEnabled(has_doc)
        for action in (self.merge_action, self.collect_action, self.add_org_action, self.published_action):
            action.setEnabled(writable)
        self.catalog_action.setEnabled(has_doc)  # read-only: the editor shows the catalogs, edits nothing
        self.add_org_button.setEnabled(writable)
        self.first_org_button.setEnabled(writable)
        self.readonly_banner.setVisible(bool(has_doc and doc.readonly))
        if has_doc and doc.readonly:
            self.readonly_label.setText("อ่านอย่างเดียว: " + (doc.readonly_reason or "แก้ไขไม่ได้"))
        self.status_file.setText(str(doc.target) if has_doc and doc.target else "")

    def _update_title(self) -> None:
        doc = self.document
        if doc is None:
            self.setWindowTitle(APP_NAME)
            return
        mark = "*" if self.context.modified else ""
        readonly = " [อ่านอย่างเดียว]" if doc.readonly else ""
        self.setWindowTitle(f"{doc.display_name}{mark}{readonly} — {APP_NAME}")

    def commit_pending_edit(self) -> None:
        """Finish the cell being typed in, as leaving it would: Ctrl+S right after typing
        "91.18" (no Enter) must save 91.18, and closing must ask about it."""
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            focus.clearFocus()
        self.scores_tab.commit_pending_edit()

    def _on_undo_index(self, _index: int) -> None:
        self._update_title()

    def _on_data_changed(self, changes) -> None:
        self._update_title()
        if self.document is not None and (changes.everything or changes.organizations or changes.years):
            self._fill_selector()

    def _safe_recoveries(self) -> list:
        try:
            return pending_recoveries()
        except (DocumentError, OSError):
            return []

    # ------------------------------------------------------------------ selector
    def _organizations(self) -> list[Organization]:
        doc = self.context.document
        return doc.organizations() if doc is not None else []

    @reading
    def _fill_selector(self) -> None:
        """Re-read organizations and years, keeping the context's choice (or making one)."""
        orgs = self._organizations()
        self.org_list.set_organizations(orgs)  # the one read per open or change of organizations
        ctx = self.context
        org_uuid = ctx.org_uuid if self.org_list.row_of(ctx.org_uuid) >= 0 else (orgs[0].uuid if orgs else None)
        year = ctx.year
        year = year or (max(available_years()) if available_years() else None)
        if (org_uuid, year) != (ctx.org_uuid, ctx.year):
            ctx.select(org_uuid, year)  # emits selectionChanged → _sync_selector
        else:
            self._sync_selector()

    @reading
    def _sync_selector(self) -> None:
        """Show the context's choice; the organizations listed are those _fill_selector read
        (a change of organization or year does not read and list 8,000 offices again)."""
        ctx = self.context
        if self.document is not None:
            self.document.remember_selection(ctx.org_uuid, ctx.year)
        self.org_combo.blockSignals(True)
        self.org_combo.setCurrentIndex(self.org_list.row_of(ctx.org_uuid))
        self.org_combo.blockSignals(False)

        with_data = set(ctx.document.years(ctx.org_uuid)) if ctx.document is not None and ctx.org_uuid else set()
        own = set(ctx.catalogs().own)  # years with a catalog of their own in the file
        years = sorted(set(offered_years()) | with_data | own | ({ctx.year} if ctx.year else set()), reverse=True)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for year in years:
            self.year_combo.addItem(tf.year(year) + ("  (มีข้อมูล)" if year in with_data else ""), year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(ctx.year))
        self.year_combo.blockSignals(False)

        has_org = self.org_list.rowCount() > 0
        catalog = ctx.catalog()
        self.rules_banner.setVisible(bool(has_org and catalog is not None and catalog.rules_note()))
        if catalog is not None and catalog.rules_note():  # borrowed, or started from another year, unconfirmed
            self.rules_label.setText(catalog.rules_note() + " ตรวจสอบว่าตรงกับคู่มือการประเมินของปีนี้")
        self.body.setCurrentIndex(0 if has_org else 1)
        self.tabs.setTabVisible(self.tabs.indexOf(self._pages["overview_tab"]), self.org_list.rowCount() > 1)
        self.edit_org_button.setEnabled(has_org)
        self.edit_org_action.setEnabled(has_org)
        self.year_combo.setEnabled(has_org)

    def _org_chosen(self, index: int) -> None:
        self.context.select(self.org_combo.itemData(index), self.context.year)

    def _year_chosen(self, index: int) -> None:
        self.context.select(self.context.org_uuid, self.year_combo.itemData(index))

    def show_rules(self) -> None:
        """The chosen year's rules, to review (opened from the rules banner)."""
        catalog = self.context.catalog()
        if catalog is not None:
            dialogs.show_rules(self, catalog)

    def edit_catalog(self):
        """ข้อมูล → เกณฑ์การประเมินปี… (and the rules banner's button): the year's catalog editor."""
        from itadesk.ui.catalog_editor import open_catalog_editor  # noqa: PLC0415 - opened on demand

        return open_catalog_editor(self, self.context.year)

    @reading
    def enter_published(self) -> bool:
        """Type the NACC's published figures of the chosen year (one undoable edit)."""
        ctx = self.context
        catalog = ctx.catalog()
        if self.document is None or self.document.readonly or ctx.org_uuid is None or catalog is None:
            return False
        from itadesk.ui.published_dialog import PublishedDialog  # noqa: PLC0415 - dialogs load when opened

        current = ctx.current_assessment() or Assessment(ctx.year, org_uuid=ctx.org_uuid)
        ev = evaluate(current, catalog)
        computed = {**ev.tools, TOTAL: ev.overall, LEVEL: ev.level.name if ev.level else None, **ev.computed}
        dialog = PublishedDialog(self, ctx.year, catalog.tool_codes, computed, current.published,
                                 level_names(catalog.levels))
        self.current_dialog = dialog
        try:
            if dialog.exec() != PublishedDialog.Accepted:
                return False
            new = dialog.figures()
        finally:
            self.current_dialog = None
        old = {figure: current.published.get(figure) for figure in new}
        if new == old:
            return False
        return ctx.push("แก้ไขผลที่ ป.ป.ช. ประกาศ", SetPublishedFigures(ctx.org_uuid, ctx.year, new, old))

    def select_year(self, year: int) -> None:
        self.context.select(self.context.org_uuid, year)

    # ------------------------------------------------------------------ organizations
    def add_organization(self) -> Organization | None:
        if self.document is None or self.document.readonly:
            return None
        from itadesk.ui.org_dialog import OrgDialog  # noqa: PLC0415 - dialogs load when opened

        dialog = OrgDialog(self, None, self._organizations())
        self.current_dialog = dialog
        try:
            if dialog.exec() != OrgDialog.Accepted:
                return None
            org = dialog.organization()
        finally:
            self.current_dialog = None
        return org if self.save_organization(org, None) else None

    def edit_organization(self) -> Organization | None:
        doc = self.context.document
        if doc is None or self.context.org_uuid is None:
            return None
        old = doc.organization(self.context.org_uuid)
        if old is None:
            return None
        from itadesk.ui.org_dialog import OrgDialog  # noqa: PLC0415 - dialogs load when opened

        dialog = OrgDialog(self, old, self._organizations())
        if self.document.readonly:
            dialog.buttons.button(QDialogButtonBox.Ok).setEnabled(False)
        self.current_dialog = dialog
        try:
            if dialog.exec() != OrgDialog.Accepted:
                return None
            org = dialog.organization()
        finally:
            self.current_dialog = None
        if org == old:
            return old
        return org if self.save_organization(org, old) else None

    def save_organization(self, org: Organization, old: Organization | None) -> bool:
        """Add or change an organization as one undoable edit, and choose it; False when the
        file refused it (the officer has been told)."""
        ctx = self.context
        year = ctx.year or (max(available_years()) if available_years() else None)
        text = f"เพิ่มหน่วยงาน {org.name}" if old is None else f"แก้ไขข้อมูลหน่วยงาน {org.name}"
        if not ctx.push(text, SaveOrganization(org, old)):
            return False
        ctx.select(org.uuid, ctx.year or year)
        return True

    def _edit_failed(self, message: str) -> None:
        """The file refused an edit (DocumentContext.failed): say so; nothing was kept on
        the undo stack, and the views show what the file still holds."""
        dialogs.show_error(self, message, EDIT_FAILED)

    # ------------------------------------------------------------------ documents
    def _show_document(self, doc: Document, where: tuple[str | None, int | None] | None = None) -> None:
        """Show ``doc`` where it opens (``where``, read by the worker that opened it): the
        views read it once (``set_document``), and the selector fills its lists."""
        where = (where if where is not None else _opening(doc)[1]) or (None, None)
        self.context.set_document(doc, where)
        if self.org_list.rowCount() >= OVERVIEW_FIRST_FROM:  # listed by the selector just now
            self.tabs.setCurrentWidget(self.overview_tab)
        self._set_page()
        self._update_title()
        self.check_bar.watch(doc)
        # The tables took their new heights; settle the layouts now, not on a later turn of the
        # event loop, so that a resize before then does not see a stale, taller minimum.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def new_document(self) -> bool:
        if not self.close_current():
            return False
        try:
            doc = Document.new()
        except DocumentError as exc:
            dialogs.show_error(self, exc, "สร้างไฟล์ใหม่ไม่สำเร็จ")
            return False
        self._show_document(doc)
        self.statusBar().showMessage("สร้างเอกสารใหม่แล้ว กด บันทึก (Ctrl+S) เพื่อเลือกที่เก็บไฟล์", 8000)
        return True

    def open_document(self, path: Path | str | None = None) -> bool:
        if path is None:
            start = str(Path(self.recent_files()[0]).parent) if self.recent_files() else ""
            path = dialogs.ask_open_path(self, start)
            if path is None:
                return False
        path = Path(path)
        doc = self.document
        if doc is not None and doc.target is not None and doc.target.resolve() == path.resolve():
            self.statusBar().showMessage("ไฟล์นี้เปิดอยู่แล้ว", 5000)
            return True
        if not self.close_current():
            return False
        try:
            try:
                opened = run_busy(self, OPENING, lambda: _opening(Document.open(path, defer_check=True)))
            except LockedError as exc:
                choice = dialogs.ask_locked(self, exc)
                if choice == "readonly":
                    opened = run_busy(self, OPENING, lambda: _opening(Document.open(path, readonly=True,
                                                                                     defer_check=True)))
                elif choice == "anyway":
                    opened = run_busy(self, OPENING, lambda: _opening(Document.open(path, ignore_lock=True,
                                                                                     defer_check=True)))
                else:
                    self._set_page()  # a window started on this file shows its welcome page now
                    return False
        except DocumentError as exc:
            dialogs.show_error(self, exc, "เปิดไฟล์ไม่สำเร็จ")
            self._set_page()
            return False
        self._show_document(*opened)
        return True

    def save(self) -> bool:
        doc = self.document
        if doc is None:
            return False
        self.commit_pending_edit()
        if doc.readonly or doc.target is None:
            return self.save_as()
        try:
            try:
                run_busy(self, SAVING, doc.save)
            except ChangedUnderneathError:
                choice = dialogs.ask_changed_underneath(self, doc.display_name)
                if choice == "merge":
                    report = run_busy(self, MERGING, lambda: doc.merge_from(doc.target))
                    self.context.changed_outside_undo()
                    run_busy(self, SAVING, doc.save)
                    self._saved()
                    dialogs.show_merge_report(self, report, saved=True)
                    return True
                elif choice == "save_as":
                    return self.save_as()
                else:
                    return False
        except DocumentError as exc:
            dialogs.show_error(self, exc, "บันทึกไม่สำเร็จ")
            self._update_title()
            return False
        self._saved()
        return True

    def save_as(self) -> bool:
        doc = self.document
        if doc is None:
            return False
        self.commit_pending_edit()
        suggested = str(doc.target) if doc.target else self._suggested_name()
        path = dialogs.ask_save_path(self, suggested)
        if path is None:
            return False
        try:
            run_busy(self, SAVING, lambda: doc.save_as(path))
        except DocumentError as exc:
            dialogs.show_error(self, exc, "บันทึกไม่สำเร็จ")
            self._update_title()
            return False
        self.add_recent(doc.target)
        self._saved()
        return True

    def _suggested_name(self) -> str:
        doc = self.context.document
        org = doc.organization(self.context.org_uuid) if doc is not None and self.context.org_uuid else None
        name = f"ITA {org.name} {self.context.year or ''}".strip() if org else "ITA"
        folder = Path(self.recent_files()[0]).parent if self.recent_files() else Path.home()
        return str(folder / f"{name}.db")

    def _saved(self) -> None:
        doc = self.document
        self.context.mark_saved()
        self._set_page()
        self._update_title()
        when = datetime.now().strftime("%H:%M")
        self.statusBar().showMessage(f"บันทึกแล้วเมื่อ {tf.digits(when)} น. — {doc.target}", 10000)
        if doc.last_backup_error is not None:
            self.statusBar().showMessage(
                f"บันทึกไฟล์แล้ว แต่ทำสำเนาสำรองในเครื่องไม่สำเร็จ: {doc.last_backup_error}", 15000)

    def merge_file(self) -> bool:
        doc = self.document
        if doc is None or doc.readonly:
            return False
        path = dialogs.ask_open_path(self, "", "เลือกไฟล์ที่จะนำมารวม")
        if path is None:
            return False
        try:
            report = run_busy(self, MERGING, lambda: doc.merge_from(path))
        except DocumentError as exc:
            dialogs.show_error(self, exc, "รวมข้อมูลไม่สำเร็จ")
            return False
        self.context.changed_outside_undo()
        dialogs.show_merge_report(self, report)
        if doc.conflicts():
            self.show_conflicts()
        return True

    def collect_folder(self, folder: Path | None = None):
        """ไฟล์ → รวมไฟล์จากหลายหน่วยงาน…: every office file and template of a folder (ui/collect_folder.py)."""
        from itadesk.ui.collect_folder import collect_into_document  # noqa: PLC0415

        try:
            report = collect_into_document(self, self.context, folder)
        except DocumentError as exc:
            dialogs.show_error(self, exc, "รวมข้อมูลไม่สำเร็จ")
            return None
        if report is not None and report.conflicts:
            self.show_conflicts()
        return report

    def open_from_overview(self, org_uuid: str, year: int) -> None:
        """Double-click in the overview: that organization and year in the scores tab."""
        self.context.select(org_uuid, year)
        self.tabs.setCurrentWidget(self.scores_tab)

    def show_conflicts(self) -> int:
        """Choose between the two offices' versions of rows a merge could not settle."""
        doc = self.document
        if doc is None:
            return 0
        if not doc.conflicts():
            dialogs.show_info(self, "ข้อมูลขัดแย้ง", "ไม่มีข้อมูลขัดแย้งจากการรวมไฟล์")
            return 0
        from itadesk.ui.conflicts_dialog import resolve_conflicts  # noqa: PLC0415 - dialogs load when opened

        return resolve_conflicts(self, doc, self.context.changed_outside_undo)

    def show_backups(self) -> bool:
        doc = self.document
        if doc is None:
            return False
        try:
            backups = doc.backups()
        except DocumentError as exc:
            dialogs.show_error(self, exc)
            return False
        dialog = dialogs.BackupsDialog(self, backups, doc.display_name)
        if doc.readonly:
            dialog.restore_button.setToolTip("ไฟล์เปิดแบบอ่านอย่างเดียว ให้บันทึกเป็นไฟล์ใหม่ก่อนกู้คืน")
        if dialog.exec() != dialogs.BackupsDialog.Accepted or dialog.chosen() is None:
            return False
        info = dialog.chosen()
        if not dialogs.confirm(self, "กู้คืน", f"ให้ข้อมูลกลับไปเป็นตามสำเนาเมื่อ {info.local_time_text} หรือไม่",
                               "กู้คืน", "การแก้ไขหลังจากนั้นจะหายไปจากหน้าต่างนี้ (ไฟล์บนแฟลชไดรฟ์ยังไม่เปลี่ยนจนกว่าจะบันทึก)"):
            return False
        try:
            run_busy(self, RESTORING, lambda: doc.restore_backup(info))
        except DocumentError as exc:
            dialogs.show_error(self, exc, "กู้คืนไม่สำเร็จ")
            return False
        self.context.changed_outside_undo()
        self.statusBar().showMessage(f"กู้คืนข้อมูลตามสำเนาเมื่อ {info.local_time_text} แล้ว (ยังไม่ได้บันทึก)", 10000)
        return True

    def close_current(self) -> bool:
        """Close the open document, asking about unsaved changes; False when the officer cancels."""
        doc = self.document
        if doc is None:
            return True
        self.commit_pending_edit()
        # Not modified: untouched, or every edit undone back to what the file holds; the
        # working copy then has nothing worth keeping for recovery.
        discard = not self.context.modified
        if not discard:
            choice = dialogs.ask_unsaved(self, doc.display_name, never_saved=doc.target is None)
            if choice == "cancel":
                return False
            if choice == "save":
                if not self.save():
                    return False
            else:
                discard = True
        try:
            doc.close(discard=discard)
        except DocumentError as exc:  # closing never blocks: the working copy stays for recovery
            dialogs.show_error(self, exc)
        self.context.set_document(None)
        self._set_page()
        self._update_title()
        return True

    def close_document(self) -> bool:
        return self.close_current()

    def _file_refused(self, error: DocumentError) -> None:
        """The check of every row, after the first screen, refused the file: it is closed as
        it would not have opened (edits made meanwhile were on a file that cannot be used)."""
        doc = self.document
        if doc is not None:
            doc.close(discard=True)
            self.context.set_document(None)
            self._set_page()
            self._update_title()
        dialogs.show_error(self, error, FILE_REFUSED)

    def recover_document(self, info) -> bool:
        if not self.close_current():
            return False
        try:
            opened = run_busy(self, OPENING, lambda: _opening(recover(info)))
        except DocumentError as exc:
            dialogs.show_error(self, exc, "กู้คืนไม่สำเร็จ")
            self._set_page()
            return False
        self._show_document(*opened)
        self.statusBar().showMessage("กู้คืนงานแล้ว กด บันทึก เพื่อเก็บลงไฟล์", 10000)
        return True

    def discard_recovery(self, info) -> bool:
        if not dialogs.confirm(self, "ทิ้งงานที่ยังไม่ได้บันทึก",
                               f"ทิ้งงานที่ยังไม่ได้บันทึกของ \"{info.display_name}\" หรือไม่", "ทิ้งงานนี้",
                               "งานที่ทิ้งแล้วจะกู้คืนไม่ได้"):
            return False
        try:
            discard_recovery(info)
        except DocumentError as exc:
            dialogs.show_error(self, exc)
        self._set_page()
        return True

    def warn_about_catalogs(self) -> bool:
        """A year file dropped into resources/catalogs that cannot be used is left out of the
        year list (``available_years``); say so once at start, so the officer is not left
        wondering where the year went. True when there was something to say."""
        problems = catalog_problems()
        if problems:
            dialogs.show_catalog_problems(self, problems)
        return bool(problems)

    def offer_recovery_on_start(self) -> None:
        """The welcome page lists unsaved work; when there is some, ask once as well."""
        infos = self._safe_recoveries()
        if not infos:
            return
        self.welcome.set_recoveries(infos)

        def ask() -> None:
            if self.document is not None:
                return
            choice = dialogs.ask_recover(self, infos[:1] if len(infos) == 1 else infos)
            if choice == "recover":
                self.recover_document(infos[0])
            elif choice == "discard":
                self.discard_recovery(infos[0])

        QTimer.singleShot(0, ask)

    # ------------------------------------------------------------------ recent files
    def recent_files(self) -> list[str]:
        return prefs.RECENT_FILES.get()

    def add_recent(self, path) -> None:
        remember_recent(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            action = self.recent_menu.addAction("(ยังไม่มี)")
            action.setEnabled(False)
            return
        for number, path in enumerate(files, 1):
            p = Path(path)
            action = self.recent_menu.addAction(f"&{number} {p.name} — {p.parent}")
            action.setEnabled(p.exists())
            action.triggered.connect(lambda _checked=False, p=p: self.open_document(p))

    def export_pdf(self):
        if self.document is None:
            return None
        from itadesk.ui.pdf_export import export_pdf  # ReportLab: loaded at the first export

        return export_pdf(self, self.context)

    def _refresh_lock(self) -> None:
        doc = self.document
        refresh = getattr(doc, "refresh_lock", None)
        if refresh is not None:
            refresh()

    # ------------------------------------------------------------------ misc
    def _thai_digits_toggled(self, on: bool) -> None:
        prefs.THAI_DIGITS.set(bool(on))
        tf.options().set_thai_digits(on)
        if self.document is not None:
            self._sync_selector()

    def show_guide(self) -> None:
        """The Thai user guide, one window however often it is asked for."""
        from itadesk.ui.guide import GuideDialog

        if getattr(self, "guide", None) is None:
            self.guide = GuideDialog(self)
        self.guide.show()
        self.guide.raise_()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        try:
            accepted = self.close_current()
        finally:
            self._closing = False
        if accepted:
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda p=urls[0].toLocalFile(): self.open_document(Path(p)))


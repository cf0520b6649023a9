"""The overview tab on a generated district file of 300 organizations, driven as an officer would:
sort by clicking a header, filter, search, double-click an organization, export the table."""

from __future__ import annotations

import csv
import subprocess

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from itadesk.ita.catalog import load_catalog
from itadesk.ita.overview import COLUMNS, cell, level_counts
from itadesk.ui.overview_tab import SHOWN
from tests.gui.conftest import reference_file, screenshot_dir, settle
from tests.many_orgs import many_orgs_file


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    return many_orgs_file(tmp_path_factory.mktemp("district"), 300)


@pytest.fixture
def overview(window, district, tmp_path):
    copy = tmp_path / "อำเภอ.db"
    copy.write_bytes(district.read_bytes())
    window.overview_tab.model.chunk = 50  # so that 300 rows show lazy loading
    assert window.open_document(copy)
    settle(window)
    return window.overview_tab


def shown(tab) -> list:
    proxy = tab.proxy
    return [proxy.sourceModel().row_at(proxy.mapToSource(proxy.index(i, 0)).row()) for i in range(proxy.rowCount())]


def column(key: str) -> int:
    return SHOWN.index(key)


def test_a_district_file_opens_at_the_overview_with_rows_fetched_as_shown(window, overview):
    assert window.tabs.currentWidget() is overview and window.tabs.isTabVisible(window.tabs.indexOf(overview))
    assert overview.year == 2568
    assert len(overview.model.rows) == 300
    assert overview.model.rowCount() < 300 and overview.model.canFetchMore()
    overview.view.scrollToBottom()
    settle(window)
    overview.view.scrollToBottom()
    settle(window)
    assert overview.model.rowCount() > 50
    assert "300 จาก 300" in overview.shown_label.text()


def test_sorting_a_column_sorts_every_row_not_only_the_fetched_ones(window, overview):
    header = overview.view.horizontalHeader()
    x = header.sectionViewportPosition(column("total")) + 10
    QTest.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    settle(window)
    if header.sortIndicatorOrder() == Qt.AscendingOrder:
        QTest.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
        settle(window)
    totals = [r.total for r in overview.model.rows]
    assert totals == sorted(totals, reverse=True)
    assert shown(overview)[0].total == max(totals)  # the best of all 300 is on top, fetched or not
    assert overview.proxy.index(0, column("total")).data() == f"{max(totals):.2f}"

    overview.view.sortByColumn(column("level"), Qt.AscendingOrder)
    order = ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ไม่ผ่าน"]
    levels = [order.index(r.level) for r in overview.model.rows]
    assert levels == sorted(levels)


def test_filters_and_search_show_only_matching_organizations(window, overview, qtbot):
    everyone = list(overview.model.rows)
    overview.set_filters(province="ขอนแก่น", kind="อบต.")
    expected = [r for r in everyone if r.province == "ขอนแก่น" and r.kind == "อบต."]
    overview.model.fetch_all()
    assert {r.org_uuid for r in shown(overview)} == {r.org_uuid for r in expected} and expected
    assert f"แสดง {len(expected)} จาก 300" in overview.shown_label.text()
    counts = {overview.counts_table.item(i, 0).text(): int(overview.counts_table.item(i, 1).text())
              for i in range(overview.counts_table.rowCount())}
    assert counts == level_counts(expected)

    overview.set_filters(level="ไม่ผ่าน")
    assert shown(overview) and all(r.level == "ไม่ผ่าน" for r in shown(overview))

    district = everyone[0].district
    overview.set_filters(district=district)
    assert shown(overview) and all(r.district == district for r in shown(overview))

    # Typing in the search box (after its short pause) narrows by name.
    overview.clear_filters()
    overview.search.setFocus()
    QTest.keyClicks(overview.search, "12")
    qtbot.waitUntil(lambda: overview.proxy.text == "12")
    names = [r.name for r in shown(overview)]
    assert names and all("12" in n for n in names)
    assert len(names) == sum(1 for r in everyone if "12" in r.name)


def test_double_click_opens_the_organization_in_the_scores_tab(window, overview):
    overview.view.sortByColumn(column("total"), Qt.AscendingOrder)
    settle(window)
    index = overview.proxy.index(3, column("name"))
    wanted = shown(overview)[3]
    rect = overview.view.visualRect(index)
    QTest.mouseClick(overview.view.viewport(), Qt.LeftButton, pos=rect.center())  # Qt wants a press first
    QTest.mouseDClick(overview.view.viewport(), Qt.LeftButton, pos=rect.center())
    settle(window)
    assert window.tabs.currentWidget() is window.scores_tab
    assert window.context.org_uuid == wanted.org_uuid and window.context.year == 2568
    assert wanted.name in window.org_combo.currentText()


def test_level_chart_and_weak_spots(window, overview, qtbot):
    qtbot.waitUntil(lambda: overview.chart_view is not None and overview.chart_view.figure is not None)
    assert overview.chart_view.isVisible() and overview.chart_view.canvas.isVisible()  # drawn, not just made
    overview.side.setCurrentIndex(1)
    qtbot.waitUntil(lambda: hasattr(overview, "weak"))
    indicators, items = overview.weak
    catalog = load_catalog(2568)
    assert {w.code for w in indicators} == {str(i.number) for i in catalog.indicators}
    assert items and all(w.code.startswith("o") for w in items)
    shares = [w.share for w in items]
    assert shares == sorted(shares, reverse=True)
    assert overview.weak_item_table.rowCount() == len(items)
    assert overview.weak_item_table.item(0, 0).text() == items[0].code


def test_exports_of_the_filtered_table_read_back(window, overview, tmp_path, modal):
    from openpyxl import load_workbook

    overview.set_filters(province="สงขลา")
    overview.view.sortByColumn(column("total"), Qt.DescendingOrder)
    rows = overview.shown_rows()
    assert rows and all(r.province == "สงขลา" for r in rows)
    assert [r.total for r in rows] == sorted((r.total for r in rows), reverse=True)

    modal.click_when_shown("ตกลง")
    xlsx = overview.export_table("xlsx", tmp_path / "ภาพรวม.xlsx")
    ws = load_workbook(xlsx).active
    values = list(ws.iter_rows(min_row=2, values_only=True))
    assert list(values[0]) == [heading for _, heading in COLUMNS]
    assert [list(v) for v in values[1:]] == [[cell(r, key) for key, _ in COLUMNS] for r in rows]

    modal.click_when_shown("ตกลง")
    path = overview.export_table("csv", tmp_path / "ภาพรวม.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0][0] == "ชื่อหน่วยงาน" and len(lines) == len(rows) + 1
    assert lines[1][0] == rows[0].name and lines[1][7] == f"{rows[0].total:.2f}"

    modal.click_when_shown("ตกลง")
    pdf = overview.export_table("pdf", tmp_path / "ภาพรวม.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "ปีงบประมาณ พ.ศ. 2568" in text and "จังหวัดสงขลา" in text
    for r in rows:
        assert r.name in text and f"{r.total:.2f}" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Sarabun" in fonts and "Helvetica" not in fonts  # every font embedded, Thai-capable


def test_thai_digits_reach_the_overview(window, overview, qtbot):
    qtbot.waitUntil(lambda: not overview._compute_timer.isActive())
    window.thai_digits_action.setChecked(True)
    try:
        text = overview.proxy.index(0, column("total")).data()
        assert text and all(not ch.isascii() or ch == "." for ch in text), text
        assert "๓๐๐" in overview.shown_label.text()
        assert overview.counts_table.item(0, 1).text()[0] in "๐๑๒๓๔๕๖๗๘๙"
    finally:
        window.thai_digits_action.setChecked(False)


def test_another_year_compares_with_its_own_previous_year(window, overview, qtbot):
    combo = overview.year_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(range(2568, 2562, -1))
    combo.setCurrentIndex(combo.findData(2567))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: not overview._compute_timer.isActive())
    rows = overview.shown_rows()
    assert len(rows) == 300 and all(r.year == 2567 and r.previous_year == 2566 for r in rows)
    combo.setCurrentIndex(combo.findData(2563))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: not overview._compute_timer.isActive())
    assert all(r.previous_year is None and r.change is None for r in overview.shown_rows())


def test_organizations_without_scores_yet_are_said(window, tmp_path):
    from itadesk.db.access import edit_file
    from itadesk.ita.model import Organization

    path = tmp_path / "ใหม่.db"
    with edit_file(path, create=True) as doc:
        for name in ("อบต.หนึ่ง", "อบต.สอง"):
            doc._store.save_organization(Organization(name, kind="อบต.", province="ขอนแก่น"))
    assert window.open_document(path)
    window.tabs.setCurrentWidget(window.overview_tab)
    settle(window)
    assert window.tabs.isTabVisible(window.tabs.indexOf(window.overview_tab))
    assert window.overview_tab.empty_label.isVisible() and not window.overview_tab.splitter.isVisible()


def test_a_file_of_one_organization_has_no_overview_tab(window, tmp_path, reference_json):
    assert window.open_document(reference_file(tmp_path / "เชียงพิณ.db", reference_json))
    settle(window)
    assert not window.tabs.isTabVisible(window.tabs.indexOf(window.overview_tab))
    assert window.tabs.currentWidget() is window.scores_tab


def test_the_overview_window_grabs(window, overview, tmp_path):
    """docs/screenshots/overview.png is of 8,000 organizations: bench/overview.py --screenshot."""
    settle(window)
    image = window.grab()
    assert (image.width(), image.height()) == (1366, 768) and image.save(str(tmp_path / "overview-300.png"))


def test_a_large_year_is_read_in_a_worker_and_shown_the_same(window, overview, qtbot, monkeypatch):
    """A province's year is read off the GUI thread (READ_IN_WORKER_FROM); switching years
    shows the same rows as the GUI-thread read does."""
    from itadesk.ui import overview_tab as module

    before = [(r.org_uuid, r.total, r.level, r.change) for r in overview.model.rows]
    monkeypatch.setattr(module, "READ_IN_WORKER_FROM", 1)
    def choose(year: int) -> None:  # as a click on the year list does
        index = overview.year_combo.findData(year)
        overview.year_combo.setCurrentIndex(index)
        overview.year_combo.activated.emit(index)

    choose(2567)
    qtbot.waitUntil(lambda: overview.model.year == 2567 and len(overview.model.rows) == 300, timeout=30000)
    choose(2568)
    qtbot.waitUntil(lambda: overview.model.year == 2568 and not overview._reading, timeout=30000)
    after = [(r.org_uuid, r.total, r.level, r.change) for r in overview.model.rows]
    assert after == before


def test_closing_the_file_while_its_rows_are_still_computed(window, district, tmp_path, qtbot):
    """The rows after the first screen are computed in slices on a timer; closing the file
    meanwhile stops them (they used to go on with no year and raise)."""
    copy = tmp_path / "อำเภอ.db"
    copy.write_bytes(district.read_bytes())
    assert window.open_document(copy)
    tab = window.overview_tab
    assert tab._compute_timer.isActive()  # noqa: SLF001 - the slices are due
    assert window.close_document()
    qtbot.wait(50)  # an exception in a slot fails the test (pytest-qt)
    assert not tab._compute_timer.isActive() and tab.model.rows == []  # noqa: SLF001


def counts_shown(tab) -> dict:
    """The counts per level as the side panel shows them ({} when it shows none)."""
    table = tab.counts_table
    if not table.isVisible():
        return {}
    return {table.item(i, 0).text(): table.item(i, 1).text() for i in range(table.rowCount())}


def chart_total(tab):
    """The number of organizations the chart's title says (None when no chart is shown)."""
    figure = tab.chart_view.figure if tab.chart_view is not None else None
    if figure is None or not tab.chart_view.isVisible():
        return None
    return figure.get_suptitle().splitlines()[-1].split("(")[-1].rstrip(")")


def test_opening_another_file_never_shows_the_previous_files_counts(window, district, tmp_path, qtbot):
    """From the opening of B on, the counts and the chart say nothing (กำลังคำนวณ…) or B's figures,
    never A's: they used to stay A's until B's rows were all computed."""
    first = tmp_path / "อำเภอ.db"
    first.write_bytes(district.read_bytes())
    second = many_orgs_file(tmp_path, 120)
    tab = window.overview_tab
    assert window.open_document(first)
    qtbot.waitUntil(lambda: not tab._compute_timer.isActive() and bool(counts_shown(tab)))  # noqa: SLF001
    qtbot.waitUntil(lambda: chart_total(tab) is not None)
    first_counts, first_total = counts_shown(tab), chart_total(tab)
    assert first_total == "300 หน่วยงาน"

    assert window.open_document(second)
    seen = []

    def check() -> bool:
        counts, total = counts_shown(tab), chart_total(tab)
        seen.append((counts, total))
        assert counts != first_counts and total != first_total, "the previous file's figures are shown"
        return bool(counts) and total is not None and not tab._compute_timer.isActive()  # noqa: SLF001

    check()  # right after the opening returned
    assert tab.counts_note.isVisible() or counts_shown(tab)
    qtbot.waitUntil(check, timeout=30000)
    assert chart_total(tab) == "120 หน่วยงาน"
    assert sum(int(n) for n in counts_shown(tab).values()) == 120
    assert seen[0][0] == {} and seen[0][1] is None  # nothing, not a figure, while B's rows were computed


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_the_chart_title_fits_in_the_panel(window, overview, qtbot, tmp_path, size):
    from matplotlib.text import Text

    """The whole title, year included, lies inside the chart at the sizes officers' screens have
    (the year 2568 used to be cut at the right edge)."""
    window.resize(*size)
    qtbot.waitUntil(lambda: overview.chart_view is not None and overview.chart_view.canvas is not None
                    and overview.chart_view.canvas.isVisible() and not overview._compute_timer.isActive())  # noqa: SLF001
    canvas = overview.chart_view.canvas
    qtbot.waitUntil(lambda: abs(canvas.figure.bbox.width - canvas.width() * canvas.device_pixel_ratio) < 2)
    canvas.draw()
    figure = canvas.figure
    renderer = canvas.get_renderer()
    assert "2568" in figure.get_suptitle()
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert len(texts) > 10  # the title, the ticks, the bars' figures
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width, (text.get_text(), box, figure.bbox.width)
    labels = figure.axes[0].get_xticklabels()
    for left, right in zip(labels, labels[1:]):  # the level names side by side apart, or on two lines
        apart = left.get_window_extent(renderer).x1 <= right.get_window_extent(renderer).x0
        staggered = left.get_text().startswith("\n") != right.get_text().startswith("\n")
        assert apart or staggered, (left.get_text(), right.get_text())
    settle(window)
    assert overview.grab().save(str(screenshot_dir(tmp_path) / f"overview-{size[0]}.png"))

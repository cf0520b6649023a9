"""A district's file never seen on this computer, opened in the window: the overview shows the
file's own kept results at once under a bar saying they are being checked; the bar goes when
the check ends, or says plainly that wrong kept results were replaced; an export during the
check waits for it and never writes a forged figure."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3

import pytest

from itadesk.db import checked_files
from itadesk.db.files import sha256_file
from itadesk.db.store import Store
from itadesk.ita.results import result_of
from itadesk.ui.file_check import CHECKING, DISAGREED
from tests.gui.conftest import screenshot_dir, settle
from tests.many_orgs import many_orgs_file

YEAR = 2568
FORGED = 100.0
WAIT_MS = 120_000  # a loaded machine checks 300 organizations in well under this


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    return many_orgs_file(tmp_path_factory.mktemp("first-open"), 300)


@pytest.fixture
def unseen(district, tmp_path):
    """A copy of the file in a folder of its own; this test's data folder has never seen it."""
    copy = tmp_path / "อำเภอ.db"
    shutil.copyfile(district, copy)
    assert not checked_files.is_checked(sha256_file(copy))
    return copy


def forge(path) -> tuple[str, float]:
    """One organization's kept result of YEAR changed to a total of 100 (its scores untouched):
    (its name, the total its scores give)."""
    conn = sqlite3.connect(path)
    try:
        uuid, text, name = conn.execute(
            "SELECT r.assessment_uuid, r.result, o.name FROM assessment_results r "
            "JOIN assessments a ON a.uuid = r.assessment_uuid JOIN organizations o ON o.uuid = a.org_uuid "
            "WHERE a.fiscal_year = ? ORDER BY o.name LIMIT 1", (YEAR,)).fetchone()
        kept = json.loads(text)
        a = Store(conn).load_assessment_by_uuid(uuid)
        right = result_of(a, a.catalog).total
        assert right != FORGED and kept[1] == right
        kept[1] = FORGED
        conn.execute("UPDATE assessment_results SET result = ? WHERE assessment_uuid = ?", (json.dumps(kept), uuid))
        conn.commit()
    finally:
        conn.close()
    return name, right


def total_shown(tab, name: str):
    return next(r.total for r in tab.model.rows if r.name == name)


def test_an_unseen_file_shows_its_overview_marked_as_being_checked_then_not(window, unseen, qtbot, tmp_path):
    assert window.open_document(unseen)
    bar, tab = window.check_bar, window.overview_tab
    # At once: the overview of the file's kept results, under the bar (the check starts after).
    assert window.document.checking
    assert bar.isVisible() and bar.label.text() == CHECKING
    assert window.tabs.currentWidget() is tab and tab.year == YEAR and len(tab.model.rows) == 300
    settle(window)
    window.grab().save(str(screenshot_dir(tmp_path) / "first-open-checking.png"))
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=WAIT_MS)
    assert not window.document.checking and not window.document.results_disagreed
    assert checked_files.is_checked(sha256_file(unseen))  # the next opening is not checked again
    assert window.statusBar().currentMessage().startswith("ตรวจตัวเลขในไฟล์นี้เสร็จแล้ว")
    assert len(tab.model.rows) == 300


def test_forged_kept_results_end_replaced_by_fresh_figures_and_the_officer_is_told(window, unseen, qtbot,
                                                                                 tmp_path):
    name, right = forge(unseen)
    assert window.open_document(unseen)
    bar, tab = window.check_bar, window.overview_tab
    assert window.document.checking and total_shown(tab, name) == FORGED  # the file's own, marked unchecked
    assert bar.label.text() == CHECKING
    qtbot.waitUntil(lambda: bar.isVisible() and bar.label.text() == DISAGREED, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not tab._stale and not tab._reading and total_shown(tab, name) == right,  # noqa: SLF001
                    timeout=WAIT_MS)
    assert FORGED not in [r.total for r in tab.model.rows if r.name == name]
    assert not checked_files.is_checked(sha256_file(unseen))  # its results disagreed: checked in full next time
    settle(window)
    window.grab().save(str(screenshot_dir(tmp_path) / "first-open-disagreed.png"))
    bar.close_button.click()
    assert not bar.isVisible()


def test_an_export_during_the_check_waits_for_it_and_writes_no_forged_figure(window, unseen, tmp_path, modal):
    name, right = forge(unseen)
    assert window.open_document(unseen)
    tab = window.overview_tab
    assert window.document.checking and total_shown(tab, name) == FORGED
    out = tmp_path / "ภาพรวม.csv"
    modal.click_when_shown("ตกลง")  # "exported N organizations"
    assert tab.export_table("csv", out) == out  # asked for before the check even started
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.reader(fh) if name in r]
    assert len(rows) == 1
    assert f"{right:.2f}" in rows[0] and f"{FORGED:.2f}" not in rows[0]
    assert not window.document.checking and window.document.results_disagreed
    assert window.check_bar.isVisible() and window.check_bar.label.text() == DISAGREED
    assert total_shown(tab, name) == right

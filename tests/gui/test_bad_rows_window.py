"""Issue 9, class 3 in the window: a file whose rows hold values the program cannot read is
refused at open with a Thai message naming the table and the row; no slot raises, the file
is not changed, and the window stays on its start page."""

from __future__ import annotations

import hashlib
import sqlite3

from itadesk.db.files import connect, new_document
from itadesk.db.store import Store
from itadesk.ita.model import Action, Organization


def test_a_file_with_a_non_iso_plan_date_is_refused_with_the_row_named(window, modal, tmp_path):
    path = tmp_path / "แผน.db"
    new_document(path)
    conn = connect(path)
    store = Store(conn)
    org = store.save_organization(Organization(name="อบต.เชียงพิณ", province="อุดรธานี"))
    a = store.ensure_assessment(org.uuid, 2568)
    store.save_action(a, Action(measure="มาตรการ"))
    conn.close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE actions SET start_date = '1 ต.ค. 68'")
    raw.commit()
    raw.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    start_page = window.stack.currentIndex()

    modal.click_when_shown("ตกลง")
    assert not window.open_document(path)
    assert "(actions) แถวที่ 1" in modal.seen[-1] and "วันเริ่มต้น" in modal.seen[-1]
    assert window.stack.currentIndex() == start_page and window.document is None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_text_longer_than_the_reader_takes_is_refused_at_input(window, modal, tmp_path):
    """Issue 9, class 4: the editor refuses, with its Thai message, what the reader would refuse."""
    from itadesk.db.document import Document
    from itadesk.ita.fields import MAX_TEXT_CHARS

    doc = Document.new()
    org = doc._store.save_organization(Organization(name="อบต.เชียงพิณ", province="อุดรธานี"))
    a = doc._store.ensure_assessment(org.uuid, 2568)
    for number in range(1, 11):
        doc._store.set_indicator_score(a, number, 80.0)
    doc.save_as(tmp_path / "ยาว.db")
    doc.close()
    assert window.open_document(tmp_path / "ยาว.db")
    window.tabs.setCurrentWidget(window.analysis_tab)
    edit = window.analysis_tab.analysis_edit
    assert edit.key is not None
    modal.click_when_shown("ตกลง")
    edit.setPlainText("ก" * (MAX_TEXT_CHARS + 1))
    edit.flush()
    assert "บันทึกไม่ได้" in modal.seen[-1] and "เกินที่รับได้" in modal.seen[-1]
    stored = window.context.document.load_assessment(org.uuid, 2568).analysis
    assert stored.get(edit.key, "") == "" and window.context.undo_stack.count() == 0

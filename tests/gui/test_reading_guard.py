"""A file that cannot be read while the officer opens ผลที่ ป.ป.ช. ประกาศ… is said once in Thai.

enter_published reads the year (its scores and published figures) before the dialog opens;
like every other view method that reads, a known failure of the file (a stick pulled out)
must become the one Thai message, not an exception escaping from the menu's slot.
"""

from __future__ import annotations

from conftest import reference_file, settle  # tests/gui/conftest.py
from itadesk.db.errors import MESSAGES, DocumentError


def test_published_figures_on_a_file_that_cannot_be_read_say_so_in_thai(window, modal, tmp_path, reference_json,
                                                                       monkeypatch, qtbot):
    assert window.open_document(reference_file(tmp_path / "เชียงพิณ.itadesk", reference_json))
    doc = window.context.document

    def pulled_out(*_args, **_kwargs):
        raise DocumentError("IOERR", "disk I/O error", str(doc.target))

    monkeypatch.setattr(doc, "load_assessment", pulled_out)
    modal.click_when_shown("ตกลง")
    assert not window.enter_published()  # no exception out of the slot, nothing pushed
    qtbot.waitUntil(lambda: modal.seen != [])
    settle(window)
    assert modal.seen == [MESSAGES["IOERR"]]
    assert window.current_dialog is None and window.context.undo_stack.count() == 0

"""ไฟล์ → รวมไฟล์จากหลายหน่วยงาน… on a folder of 20 offices' files, one of them damaged: the others
merge, the damaged one is named in the summary, and nothing of any file is lost."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.collect_files import digest, offices_folder
from tests.gui.conftest import Answers, click, settle


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def offices(tmp_path_factory):
    return offices_folder(tmp_path_factory.mktemp("offices"))


def test_collecting_a_folder_merges_every_readable_file_and_names_the_damaged_one(window, offices, tmp_path):
    folder, target_src, damaged, sources = offices
    target = tmp_path / "อำเภอ.db"
    target.write_bytes(target_src.read_bytes())
    before_target = digest(target)
    before_files = {p.name: sha(p) for p in folder.iterdir()}
    assert window.open_document(target)
    settle(window)
    assert window.collect_action in window.file_menu.actions() and window.collect_action.isEnabled()

    details: list[str] = []
    answers = Answers([
        (lambda w: isinstance(w, QMessageBox) and w.windowTitle() == "รวมไฟล์จากหลายหน่วยงาน",
         lambda w: (details.append(w.text() + "\n" + w.informativeText()), click("ตกลง")(w))),
        (lambda w: hasattr(w, "close_button"), lambda w: w.close_button.click()),  # the conflicts to choose
    ])
    try:
        report = window.collect_folder(folder)
    finally:
        answers.stop()
    assert report is not None and len(report.results) == 20
    assert [r.name for r in report.failed] == [damaged.name]
    summary = details[0]
    assert "รวมข้อมูลจาก 19 ไฟล์ ไม่สำเร็จ 1 ไฟล์" in summary
    assert damaged.name in summary and "ไม่ได้นำมารวม" in summary
    for path in sources:
        assert path.name in summary
    assert "ขัดแย้ง" in summary and "คะแนนตัวชี้วัดที่ 1" in summary  # the one row both sides changed

    # Saved, the target holds everything: its own rows as they were (its changed score kept,
    # theirs waiting as a conflict) and every readable office's rows exactly.
    window.context.document.save()
    after = digest(target)
    for key, value in before_target.items():
        assert after[key] == value
    for path in sources:
        for key, value in digest(path).items():
            if key in before_target:
                continue  # the shared organization: ours kept, theirs in the conflict
            assert after[key] == value, (path.name, key)
    conflicts = window.context.document.conflicts()
    assert len(conflicts) == 1 and conflicts[0].theirs["score"] != conflicts[0].mine["score"]
    # The offices' files were only read.
    assert {p.name: sha(p) for p in folder.iterdir()} == before_files


def test_a_folder_that_is_gone_is_said_in_thai(window, offices, tmp_path, modal):
    folder, target_src, damaged, sources = offices
    target = tmp_path / "อำเภอ.db"
    target.write_bytes(target_src.read_bytes())
    before = digest(target)
    assert window.open_document(target)
    modal.click_when_shown("ตกลง")
    assert window.collect_folder(tmp_path / "แฟลชไดรฟ์ถูกถอด") is None
    assert modal.seen and "ไม่พบ" in modal.seen[0]
    assert not window.context.modified
    window.context.document.close(discard=True)
    window.context.set_document(None)
    assert digest(target) == before

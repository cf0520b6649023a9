"""Issue 11 in the window: the file opens where the work is, and a year without a catalog of
its own says whose rules it runs on."""

from __future__ import annotations

from datetime import date

import pytest

from itadesk.db.document import Document
from itadesk.ita.model import Organization
from itadesk.ita.thai_dates import fiscal_year_of
from conftest import close_quietly, screenshot_dir, settle  # tests/gui/conftest.py

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise"),
]

ORG_A = dict(name="องค์การบริหารส่วนตำบลเชียงพิณ", kind="อบต.", province="อุดรธานี")
ORG_B = dict(name="องค์การบริหารส่วนตำบลหนองไผ่", kind="อบต.", province="อุดรธานี")


def _file(tmp_path, scores: dict[tuple[str, int], dict[int, float]], name="work.db"):
    doc = Document.new()
    orgs = {key: doc._store.save_organization(Organization(**org)) for key, org in (("a", ORG_A), ("b", ORG_B))}
    for (key, year), values in scores.items():
        uuid = doc._store.ensure_assessment(orgs[key].uuid, year)
        for number, value in values.items():
            doc._store.set_indicator_score(uuid, number, value)
    doc.save_as(tmp_path / name)
    doc.close()
    return tmp_path / name, {k: o.uuid for k, o in orgs.items()}


def test_a_file_opens_at_the_latest_year_with_data_not_the_latest_catalog(window, tmp_path):
    """Only 2569 holds data (2569 has no catalog of its own): the file opens there."""
    path, orgs = _file(tmp_path, {("b", 2567): {1: 90}, ("b", 2569): {1: 95, 9: 80}})
    assert window.open_document(path)
    assert (window.context.org_uuid, window.context.year) == (orgs["b"], 2569)
    assert window.year_combo.currentData() == 2569
    assert window.context.current_assessment().indicators == {1: 95, 9: 80}
    close_quietly(window)


def test_a_file_opens_where_the_officer_last_worked_kept_in_the_file(window, tmp_path):
    path, orgs = _file(tmp_path, {("a", 2568): {1: 90}, ("b", 2567): {1: 80}, ("b", 2569): {2: 70}})
    assert window.open_document(path)
    window.context.select(orgs["b"], 2567)  # the officer goes back to 2567 of the other office
    assert not window.context.modified  # browsing is not an edit
    window.save_action.trigger()
    window.close_action.trigger()

    assert window.open_document(path)  # (on any PC: the place is kept in the file itself)
    assert (window.context.org_uuid, window.context.year) == (orgs["b"], 2567)
    close_quietly(window)


def test_never_an_empty_year_while_a_year_with_data_exists(window, tmp_path):
    """The officer looked at an empty 2571 and saved: the file still opens on data."""
    path, orgs = _file(tmp_path, {("a", 2568): {1: 90}})
    assert window.open_document(path)
    window.context.select(orgs["a"], 2571)
    window.save_action.trigger()
    window.close_action.trigger()
    assert window.open_document(path)
    assert (window.context.org_uuid, window.context.year) == (orgs["a"], 2568)
    assert window.plan_tab is not None and window.context.current_assessment() is not None
    close_quietly(window)


def test_crash_recovery_opens_where_the_work_was(app, qtbot, modal, tmp_path):
    from itadesk.ui.main_window import MainWindow

    crashed = Document.new()
    a = crashed._store.save_organization(Organization(**ORG_A))
    b = crashed._store.save_organization(Organization(**ORG_B))
    crashed._store.set_indicator_score(crashed._store.ensure_assessment(a.uuid, 2568), 1, 90)
    crashed._store.set_indicator_score(crashed._store.ensure_assessment(b.uuid, 2569), 9, 80)
    crashed.remember_selection(b.uuid, 2569)
    crashed.close()  # keeps the working copy: it holds unsaved edits

    window = MainWindow()
    modal.click_when_shown("ไว้ภายหลัง")
    window.offer_recovery_on_start()
    qtbot.waitUntil(lambda: bool(modal.seen))
    window.welcome.recover_button.click()
    assert (window.context.org_uuid, window.context.year) == (b.uuid, 2569)
    assert window.context.current_assessment().indicators == {9: 80}
    close_quietly(window)


def test_a_year_without_its_own_catalog_says_whose_rules_it_uses(window, modal, tmp_path):
    path, orgs = _file(tmp_path, {("a", 2569): {1: 95}})
    assert window.open_document(path)
    settle(window)
    assert window.rules_banner.isVisible()
    assert window.rules_label.text().startswith("ปี 2569 ใช้เกณฑ์ของปี 2568")
    window.grab().save(str(screenshot_dir(tmp_path) / "rules-banner.png"))

    modal.click_when_shown("ตกลง")
    window.rules_action.trigger()  # ข้อมูล → เกณฑ์การประเมินที่ใช้กับปีนี้…
    assert modal.seen[-1].startswith("ปี 2569 ใช้เกณฑ์ของปี 2568")
    window.rules_button.click()  # the banner's button opens the catalog editor on that year
    editor = window.catalog_editor
    assert editor.isVisible() and editor.year == 2569 and editor.start_button.isVisible()
    assert editor.start_button.text() == "เริ่มเกณฑ์ปี 2569 จากปี 2568"
    editor.close()

    window.select_year(2568)  # a year with its own catalog: nothing to say
    settle(window)
    assert not window.rules_banner.isVisible()
    years = [window.year_combo.itemData(i) for i in range(window.year_combo.count())]
    assert min(years) == 2563 and max(years) == fiscal_year_of(date.today()) + 1
    close_quietly(window)


def _enter_published(window, modal, figures: dict[str, str]):
    from PySide6.QtWidgets import QComboBox

    def fill(dialog):
        for figure, text in figures.items():
            field = dialog.fields[figure]
            if isinstance(field, QComboBox):
                field.setCurrentText(text)
            else:
                field.setText(text)

    modal.click_when_shown("บันทึก", fill)
    window.published_action.trigger()


def test_published_figures_win_within_a_rounding_step_and_a_typo_is_warned(window, modal, tmp_path):
    """The reference 2568 indicators give 90.42; the NACC's 90.43 is shown with the reason,
    a 0.5 difference is warned of as a typing error and the computed figure stays."""
    from itadesk.ui.score_models import SummaryModel

    scores = {1: 100, 2: 100, 3: 100, 4: 91.18, 5: 100, 6: 99.87, 7: 99.81, 8: 99.81, 9: 80, 10: 75}
    path, orgs = _file(tmp_path, {("a", 2568): scores})
    assert window.open_document(path)
    model = window.scores_tab.summary_model

    def total() -> str:
        row = next(i for i, spec in enumerate(model.rows) if spec.label.startswith("คะแนนรวม"))
        return model.index(row, SummaryModel.CUR).data()

    assert total() == "90.42"
    _enter_published(window, modal, {"total": "90.43", "level": "ผ่าน"})
    assert window.context.current_assessment().published == {"total": 90.43, "level": "ผ่าน"}
    assert total() == "90.43"
    lines = model.warnings()
    assert any(line.startswith("คะแนนรวม ใช้ค่าที่ ป.ป.ช. ประกาศ (90.43)") for line in lines)
    window.grab().save(str(screenshot_dir(tmp_path) / "published.png"))

    _enter_published(window, modal, {"total": "90.92"})
    assert total() == "90.42"
    assert any("(90.92)" in line and "พิมพ์คะแนนผิด" in line for line in model.warnings())

    window.context.undo_stack.undo()
    assert total() == "90.43"
    window.context.undo_stack.undo()
    assert window.context.current_assessment().published == {}
    assert total() == "90.42"
    close_quietly(window)


def test_a_bad_published_figure_is_refused_in_the_form_with_a_thai_message(app, qtbot):
    from itadesk.ui.published_dialog import PublishedDialog

    dialog = PublishedDialog(None, 2568, ("IIT", "EIT", "OIT"), {"total": 90.42}, {}, ["ผ่านดี", "ผ่าน", "ไม่ผ่าน"])
    dialog.fields["total"].setText("9o.43")
    dialog.accept()
    assert dialog.result() != PublishedDialog.Accepted
    assert dialog.message.text().startswith("คะแนนรวม ที่ประกาศ: คะแนนต้องเป็นตัวเลข")
    dialog.fields["total"].setText("๙๐.๔๓")
    dialog.accept()
    assert dialog.result() == PublishedDialog.Accepted
    assert dialog.figures() == {"IIT": None, "EIT": None, "OIT": None, "total": 90.43, "level": None}

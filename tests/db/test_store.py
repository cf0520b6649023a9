"""The store's write methods: batch edits are one transaction each, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from itadesk.db.files import connect, new_document
from itadesk.db.validate import RefusedValueError
from itadesk.db.store import Store
from itadesk.db.versions import content_digest, row_hash, rows
from itadesk.ita.model import Action

from .samples import fill


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "work.db"
    new_document(path)
    conn = connect(path)
    yield Store(conn)
    conn.close()


def test_set_scores_writes_indicators_and_items_in_one_edit(store):
    _, a = fill(store, actions=0)
    before = store.edit_count()
    store.set_scores(a, {1: 55.0, 2: None, 11: 12.5}, {("o1", 0): None, ("o2", 0): 80.0, ("i3", 2): 40.0})
    loaded = store.load_assessment_by_uuid(a)
    assert loaded.indicators[1] == 55.0 and 2 not in loaded.indicators and loaded.indicators[11] == 12.5
    assert "o1" not in loaded.items and loaded.items["o2"] == 80.0 and loaded.items["i3"] == {2: 40.0}
    assert store.edit_count() == before + 1


def test_set_scores_with_a_refused_value_writes_nothing(store):
    _, a = fill(store, actions=0)
    before, count = content_digest(store.conn), store.edit_count()
    with pytest.raises(RefusedValueError, match="0 ถึง 100"):  # the reader's rule, checked before writing
        store.set_scores(a, {1: 10.0, 2: None}, {("o2", 0): 80.0, ("o3", 0): 150.0})
    assert content_digest(store.conn) == before and store.edit_count() == count
    assert not store.conn.in_transaction


def test_set_analyses_is_one_edit_and_all_or_nothing(store):
    _, a = fill(store, actions=0)
    count = store.edit_count()
    store.set_analyses(a, {1: "", 2: "ข้อความที่สอง", 3: "ข้อความที่สาม"})
    texts = store.load_assessment_by_uuid(a).analysis
    assert texts == {2: "ข้อความที่สอง", 3: "ข้อความที่สาม"} and store.edit_count() == count + 1
    before = content_digest(store.conn)
    with pytest.raises(RefusedValueError, match="ต้องเป็นข้อความ"):  # not text: the whole batch is refused
        store.set_analyses(a, {4: "สี่", 5: ["ไม่ใช่ข้อความ"]})
    assert content_digest(store.conn) == before and store.edit_count() == count + 1


def test_empty_batches_are_not_edits(store):
    _, a = fill(store, actions=0)
    count = store.edit_count()
    store.set_scores(a, {}, {})
    store.set_analyses(a, {})
    store.save_actions(a, [])
    store.delete_actions([])
    assert store.edit_count() == count


def test_save_actions_updates_in_place_and_appends_new_rows_in_order(store):
    _, a = fill(store, actions=3)
    first, second, third = store.actions(a)
    count = store.edit_count()
    second.measure = "แก้ไขแล้ว"
    new1, new2 = Action(measure="ใหม่ 1"), Action(measure="ใหม่ 2")
    store.save_actions(a, [new1, second, new2])
    assert [x.uuid for x in store.actions(a)] == [first.uuid, second.uuid, third.uuid, new1.uuid, new2.uuid]
    assert store.actions(a)[1].measure == "แก้ไขแล้ว" and store.edit_count() == count + 1
    store.delete_actions([new1.uuid, first.uuid])
    assert [x.uuid for x in store.actions(a)] == [second.uuid, third.uuid, new2.uuid]
    assert store.edit_count() == count + 2
    appended = Action(measure="ใหม่ 3")
    store.save_actions(a, [appended])  # after the last row, even with gaps before it
    assert [x.uuid for x in store.actions(a)][-1] == appended.uuid


def plan_rows(store: Store, a: str) -> dict[str, str]:
    """uuid -> content hash (position included, updated_at not) of every plan row."""
    return {r["uuid"]: row_hash(r) for r in rows(store.conn, "actions") if r["assessment_uuid"] == a}


def test_deleting_a_plan_row_changes_no_other_row_and_its_undo_restores_every_row(store):
    _, a = fill(store, actions=4)
    before = plan_rows(store, a)
    victim = store.actions(a)[1]
    store.delete_action(victim.uuid)
    after_delete = plan_rows(store, a)
    assert after_delete == {u: h for u, h in before.items() if u != victim.uuid}  # neighbours untouched
    store.save_action(a, victim, position=1)  # the GUI's undo
    assert plan_rows(store, a) == before
    first = store.actions(a)[0]
    store.delete_action(first.uuid)
    store.save_action(a, first, position=0)
    assert plan_rows(store, a) == before


def test_moving_a_plan_row(store):
    _, a = fill(store, actions=4)
    order = [x.uuid for x in store.actions(a)]
    store.move_action(a, order[3], 0)
    assert [x.uuid for x in store.actions(a)] == [order[3], *order[:3]]
    store.move_action(a, order[3], 3)
    assert [x.uuid for x in store.actions(a)] == order
    store.move_action(a, order[0], 10)  # past the end: last
    assert [x.uuid for x in store.actions(a)] == [*order[1:], order[0]]
    store.move_action(a, order[0], 0)
    assert [x.uuid for x in store.actions(a)] == order
    before = plan_rows(store, a)
    store.move_action(a, order[2], 2)  # where it is: nothing changes
    assert plan_rows(store, a) == before


def test_save_actions_with_a_bad_row_writes_nothing(store):
    _, a = fill(store, actions=2)
    before, count = content_digest(store.conn), store.edit_count()

    bad = Action(measure="วันที่กลับด้าน", start=date(2026, 1, 1), end=date(2025, 1, 1))  # end before start
    with pytest.raises(RefusedValueError, match="วันสิ้นสุด"):
        store.save_actions(a, [Action(measure="ดี"), bad])
    assert content_digest(store.conn) == before and store.edit_count() == count


def test_delete_assessment_if_empty(store):
    org, a = fill(store, actions=1)
    assert store.delete_assessment_if_empty(a) is False
    assert store.assessment_uuid(org.uuid, 2568) == a
    empty = store.ensure_assessment(org.uuid, 2569)
    count = store.edit_count()
    assert store.delete_assessment_if_empty(empty) is True
    assert store.assessment_uuid(org.uuid, 2569) is None and store.edit_count() == count + 1
    assert store.delete_assessment_if_empty(empty) is False  # already gone: not an edit
    assert store.edit_count() == count + 1
    # Only a plan row, or only a recommendation, is content too.
    only_plan = store.ensure_assessment(org.uuid, 2570)
    store.save_action(only_plan, Action(measure="แถวเดียว"))
    only_text = store.ensure_assessment(org.uuid, 2571)
    store.set_recommendation(only_text, "IIT", "ข้อความ")
    count = store.edit_count()
    assert not store.delete_assessment_if_empty(only_plan) and not store.delete_assessment_if_empty(only_text)
    assert store.edit_count() == count


def test_the_store_leaves_the_connection_settings_alone_and_reads_units(store):
    assert store.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0
    for name in ("สำนักปลัด", "กองคลัง", "กองช่าง"):
        store.add_unit(name)
    assert store.units() == sorted(["สำนักปลัด", "กองคลัง", "กองช่าง"])

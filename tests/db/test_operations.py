"""Edit operations: one transaction each, an exact inverse, a report of what changed, and
few SQL statements (typing a score must stay cheap on a slow stick and a slow laptop)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from itadesk.db.document import Document
from itadesk.db.errors import MESSAGES, DocumentError
from itadesk.db.operations import (
    DeleteOrganization,
    DeletePlanRows,
    MovePlanRow,
    SaveOrganization,
    SavePlanRows,
    SetPublishedFigures,
    SetScores,
    SetTexts,
)
from itadesk.ita.model import Action, Organization

YEAR = 2568


@pytest.fixture
def doc():
    d = Document.new()
    yield d
    d.close(discard=True)


@pytest.fixture
def org(doc):
    o = Organization(name="องค์การบริหารส่วนตำบลเชียงพิณ", kind="อบต.", province="อุดรธานี")
    doc.apply(SaveOrganization(o))
    return o


def statements(doc, run) -> list[str]:
    """The SQL statements ``run()`` sends to the document's connection."""
    seen: list[str] = []
    doc._conn.set_trace_callback(seen.append)  # noqa: SLF001 - a db-level test watches the db
    try:
        run()
    finally:
        doc._conn.set_trace_callback(None)  # noqa: SLF001
    return seen


def test_a_score_edit_runs_at_most_five_statements(doc, org):
    first = statements(doc, lambda: doc.apply(SetScores(org.uuid, YEAR, {9: 80.0}, {}, {9: None}, {})))
    assert len(first) <= 5, first  # the first score of a year creates the year in the same statements
    for op in (
        SetScores(org.uuid, YEAR, {9: 81.5}, {}, {9: 80.0}, {}),
        SetScores(org.uuid, YEAR, {}, {("e1", 1): 90.0}, {}, {("e1", 1): None}),
        SetScores(org.uuid, YEAR, {}, {("o1", 0): 100.0}, {}, {("o1", 0): None}),
        SetScores(org.uuid, YEAR, {9: None}, {}, {9: 81.5}, {}),  # clearing a cell
    ):
        seen = statements(doc, lambda op=op: doc.apply(op))
        assert len(seen) <= 5, seen
    # and the edit count (dirty, the window's title) is known without another statement
    assert statements(doc, lambda: (doc.dirty, doc.unsaved_changes, doc.edit_count())) == []
    a = doc.load_assessment(org.uuid, YEAR)
    assert a.indicators == {} and a.items == {"e1": {1: 90.0}, "o1": 100.0}


def test_changes_say_what_an_edit_changed(doc, org):
    changes = doc.apply(SetScores(org.uuid, YEAR, {9: 80.0}, {("e1", 2): 70.0}, {9: None}, {("e1", 2): None}))
    assert (changes.org_uuid, changes.year) == (org.uuid, YEAR)
    assert changes.indicators == {9: 80.0} and changes.items == {("e1", 2): 70.0}
    assert changes.years and not changes.organizations and not changes.texts and not changes.plan
    assert changes.within(org.uuid, YEAR) and not changes.within(org.uuid, YEAR + 1)
    assert changes.about(org.uuid, YEAR) and not changes.about("other", YEAR)
    again = doc.apply(SetScores(org.uuid, YEAR, {9: 81.0}, {}, {9: 80.0}, {}))
    assert not again.years  # the year was already there
    texts = doc.apply(SetTexts(org.uuid, YEAR, analyses={9: "เว็บไซต์ยังไม่ครบ"}))
    assert texts.analyses == {9: "เว็บไซต์ยังไม่ครบ"} and not texts.scores
    assert doc.apply(SaveOrganization(org, org)).organizations


def snapshot(doc, org):
    a = doc.load_assessment(org.uuid, YEAR)
    if a is None:
        return None
    return (a.indicators, a.items, a.analysis, a.recommendations,
            [(x.uuid, x.measure, x.owner) for x in a.actions], a.published, a.draft_basis)


def test_every_operation_is_undone_exactly_by_its_inverse(doc, org):
    first = SetScores(org.uuid, YEAR, {9: 80.0}, {}, {9: None}, {})
    doc.apply(first)
    rows = [Action(9, f"มาตรการ {n}", owner="สำนักปลัด") for n in "กขค"]
    doc.apply(SavePlanRows(org.uuid, YEAR, [(a, None) for a in rows]))
    edited = Action(9, "มาตรการ ข (แก้)", owner="กองคลัง", uuid=rows[1].uuid)
    operations = [
        SetScores(org.uuid, YEAR, {9: 85.0, 1: 70.0}, {("e1", 1): 90.0}),  # before read in the transaction
        SetScores(org.uuid, YEAR, {9: None}, {}),
        SetTexts(org.uuid, YEAR, analyses={9: "ข้อความ"}, recommendations={"EIT": "ควรปรับปรุง"}),
        SetTexts(org.uuid, YEAR, analyses={9: "ร่าง"}, draft_bases={9: {"ตัวชี้วัดที่ 9": "80"}}),
        SetPublishedFigures(org.uuid, YEAR, {"total": 90.43, "level": "ผ่าน"}),
        SavePlanRows(org.uuid, YEAR, [(edited, None)], before=rows[1], new_unit="กองคลัง"),
        SavePlanRows(org.uuid, YEAR, [(Action(None, "แถวใหม่"), 1)]),
        DeletePlanRows(org.uuid, YEAR, [rows[0].uuid]),
        MovePlanRow(org.uuid, YEAR, rows[2].uuid, 0, 2),
    ]
    for op in operations:
        before = snapshot(doc, org)
        doc.apply(op)
        assert snapshot(doc, org) != before, op
        doc.apply(op.inverse())
        assert snapshot(doc, org) == before, op
        doc.apply(op)  # redo works again after undo
        doc.apply(op.inverse())
        assert snapshot(doc, org) == before, op


def test_undoing_the_first_edit_of_a_year_removes_the_year_again(doc, org):
    for op in (SetScores(org.uuid, 2569, {9: 80.0}, {}, {9: None}, {}),
               SetTexts(org.uuid, 2569, analyses={9: "ข้อความแรก"}),
               SetPublishedFigures(org.uuid, 2569, {"total": 90.43}),
               SavePlanRows(org.uuid, 2569, [(Action(9, "มาตรการ"), None)])):
        changes = doc.apply(op)
        assert changes.years and doc.years(org.uuid) == [2569]
        assert doc.apply(op.inverse()).years
        assert doc.years(org.uuid) == [], op


def test_adding_an_organization_is_undone_by_deleting_it(doc):
    org = Organization(name="เทศบาลตำบลหนองแสง", kind="เทศบาลตำบล")
    op = SaveOrganization(org)
    doc.apply(op)
    doc.apply(SetScores(org.uuid, YEAR, {9: 80.0}, {}))
    inverse = op.inverse()
    assert isinstance(inverse, DeleteOrganization)
    doc.apply(inverse)
    assert doc.organizations() == [] and doc.assessment_keys() == []
    doc.apply(inverse.inverse())
    assert [o.name for o in doc.organizations()] == [org.name]


def test_a_refused_operation_writes_nothing_and_says_why_in_thai(doc, org):
    doc.apply(SetScores(org.uuid, YEAR, {9: 80.0}, {}))
    count = doc.edit_count()
    doc._conn.execute("PRAGMA query_only = ON")  # noqa: SLF001 - what a read-only stick does
    with pytest.raises(DocumentError) as info:
        doc.apply(SetScores(org.uuid, YEAR, {9: 90.0, 1: 50.0}, {}))
    doc._conn.execute("PRAGMA query_only = OFF")  # noqa: SLF001
    assert str(info.value) == MESSAGES["READONLY"]
    assert doc.load_assessment(org.uuid, YEAR).indicators == {9: 80.0} and doc.edit_count() == count


def test_a_failed_read_is_a_thai_message_too(doc, org):
    """Reads go through the same check as writes: a working copy that stopped being a
    database (a disk gone bad) gives the known message, not a raw sqlite3 error."""
    doc.apply(SetScores(org.uuid, YEAR, {9: 80.0}, {}))
    # The working copy is in WAL mode: the disk going bad takes its -wal and -shm too.
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{doc.working_copy}{suffix}")
        if path.exists():
            with open(path, "r+b") as f:
                f.write(b"\0" * min(4096 * 2, path.stat().st_size))
                f.flush()
                os.fsync(f.fileno())
    for read in (doc.organizations, doc.conflicts, lambda: doc.load_assessment(org.uuid, YEAR),
                 lambda: doc.conflict_row("organizations", org.uuid)):
        with pytest.raises(DocumentError) as info:
            read()
        assert info.value.kind in ("NOTADB", "CORRUPT"), info.value.detail


def test_published_figures_and_draft_bases_are_refused_as_the_reader_would(doc, org):
    """A published score that is no score, or a basis that is not label -> score, is not
    written (the reader refuses such rows, itadesk.db.validate)."""
    from itadesk.db.validate import RefusedValueError

    for op in (SetPublishedFigures(org.uuid, YEAR, {"total": "เก้าสิบ"}),
               SetPublishedFigures(org.uuid, YEAR, {"total": 120.0}),
               SetPublishedFigures(org.uuid, YEAR, {"ไม่มี": 90.0}),
               SetTexts(org.uuid, YEAR, analyses={9: "ร่าง"}, draft_bases={9: {"ตัวชี้วัดที่ 9": 80}})):
        with pytest.raises(RefusedValueError):
            doc.apply(op)
    assert doc.years(org.uuid) == []


@pytest.mark.parametrize("op", [
    SetScores("x", 25680, {9: 80.0}, {}, {9: None}, {}),  # a Christian-era slip of the year
    SetScores("x", 2568, {0: None}, {}, {0: 80.0}, {}),  # clearing an indicator that cannot exist
    SetScores("x", 2568, {}, {("E 1", 1): None}, {}, {("E 1", 1): 70.0}),  # clearing a malformed item
    SetScores("x", 2568, {}, {("e1", 12): 90.0}, {}, {("e1", 12): None}),
    SetScores("x", 2568, {9: 180.0}, {}, {9: None}, {}),
    SetTexts("x", 1999, analyses={9: "บทวิเคราะห์"}),
    SetPublishedFigures("x", 2568, {"ไม่มี": None}),
])
def test_every_operation_refuses_what_the_reader_would_refuse_and_changes_nothing(doc, org, op):
    """Keys and years are checked like values, also when a cell is cleared (ita/fields.py
    limits through itadesk.db.validate): one Thai message, the file as it was."""
    from itadesk.db.validate import RefusedValueError

    doc.apply(SetScores(org.uuid, YEAR, {9: 80.0}, {}))
    op.org_uuid = org.uuid
    count, keys = doc.edit_count(), doc.years(org.uuid)
    with pytest.raises(RefusedValueError) as info:
        doc.apply(op)
    assert str(info.value).startswith(MESSAGES["REFUSED"]) and any("\u0e00" <= ch <= "\u0e7f" for ch in info.value.problem)
    assert doc.years(org.uuid) == keys and doc.edit_count() == count
    assert doc.load_assessment(org.uuid, YEAR).indicators == {9: 80.0}

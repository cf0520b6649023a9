"""Edit operations: one transaction each, an exact inverse, a report of what changed, and
few SQL statements (typing a score must stay cheap on a slow stick and a slow laptop)."""

from __future__ import annotations

import os

import pytest

from itadesk.db.document import Document
from itadesk.db.errors import MESSAGES, DocumentError
from itadesk.db.operations import (
    DeleteOrganization,
    DeletePlanRows,
    MovePlanRow,
    SaveOrganization,
    SavePlanRows,
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
            [(x.uuid, x.measure, x.owner) for x in a.actions])


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
    with open(doc.working_copy, "r+b") as f:
        f.write(b"\0" * 4096 * 2)
        f.flush()
        os.fsync(f.fileno())
    for read in (doc.organizations, doc.conflicts, lambda: doc.load_assessment(org.uuid, YEAR),
                 lambda: doc.conflict_row("organizations", org.uuid)):
        with pytest.raises(DocumentError) as info:
            read()
        assert info.value.kind in ("NOTADB", "CORRUPT"), info.value.detail

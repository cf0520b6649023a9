"""Property (issue 9): two offices edit copies of one file at random, then merge both ways.

Each side gets random edits (scores, analysis texts, plan rows added, edited and deleted,
organizations and years added and deleted) and saves. Then A←B, B←A, and again. What must
hold, judged on a plain view of each file ({thing: value}) against the three-way rule
(base O, ours A, theirs B):

* no edit is lost: a thing only one side touched ends as that side left it, in both files
  (a year or organization one side deleted and made again, which the other side deleted,
  is a new thing: it is taken);
* a conflict is listed exactly when both sides touched the same thing and left it different
  (a deletion of a year or organization touches everything under it; such a conflict may be
  listed on the year or organization that holds the thing);
* A←B and B←A hold the same data, apart from the things in conflict;
* merging the same file again changes nothing, and neither does a second round, nor a file
  merged with itself.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from itadesk.db.document import Document
from itadesk.db.files import connect, new_document
from itadesk.db.merge import merge_connections
from itadesk.db.store import Store
from itadesk.db.versions import SYNCED_TABLES, content_digest, record_versions
from itadesk.ita.consistency import name_key
from itadesk.ita.model import ACTION_STATUSES, Action, Organization

BASE_ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"
ORG_NAMES = [BASE_ORG, "เทศบาลตำบลบ้านจั่น", "อบต.หนองไผ่"]
YEARS = [2567, 2568]
INDICATORS = [1, 2, 3]
SCORES = [60.0, 70.5, 80.0, None]
TEXTS = ["ควรปรับปรุง", "ดีแล้ว", ""]
MEASURES = ["มาตรการ ก", "มาตรการ ข", "มาตรการ ค"]


# -- the edits --------------------------------------------------------------------------

@dataclass(frozen=True)
class Edit:
    kind: str
    org: int = 0  # index into ORG_NAMES
    year: int = 0  # index into YEARS
    number: int = 0
    value: int = 0
    pick: int = 0  # which existing plan row


edits = st.lists(
    st.builds(Edit, kind=st.sampled_from(["score", "score", "text", "plan_add", "plan_edit", "plan_delete",
                                          "org_add", "org_delete", "year_add", "year_delete"]),
              org=st.integers(0, len(ORG_NAMES) - 1), year=st.integers(0, len(YEARS) - 1),
              number=st.integers(0, len(INDICATORS) - 1), value=st.integers(0, 3), pick=st.integers(0, 5)),
    max_size=8,
)


def _org(store: Store, index: int) -> Organization | None:
    return store.find_organization(ORG_NAMES[index], "อุดรธานี")


def apply(store: Store, edit: Edit) -> None:
    """One edit as the window makes it; an edit of something this side does not have is skipped."""
    org = _org(store, edit.org)
    if edit.kind == "org_add":
        if org is None:
            org = store.save_organization(Organization(name=ORG_NAMES[edit.org], province="อุดรธานี"))
            a = store.ensure_assessment(org.uuid, YEARS[edit.year])
            store.set_indicator_score(a, INDICATORS[edit.number], SCORES[edit.value % 3])
        return
    if org is None:
        return
    if edit.kind == "org_delete":
        store.delete_organization(org.uuid)
        return
    year = YEARS[edit.year]
    a = store.assessment_uuid(org.uuid, year)
    if edit.kind == "year_add":
        if a is None:
            store.ensure_assessment(org.uuid, year)
        return
    if a is None:
        return
    if edit.kind == "year_delete":
        store.delete_assessment(a)
    elif edit.kind == "score":
        store.set_indicator_score(a, INDICATORS[edit.number], SCORES[edit.value])
    elif edit.kind == "text":
        store.set_analysis(a, INDICATORS[edit.number], TEXTS[edit.value % 3])
    elif edit.kind == "plan_add":
        store.save_action(a, Action(indicator=INDICATORS[edit.number], measure=MEASURES[edit.value % 3],
                                    start=date(2025, 10, 1), end=date(2026, 9, 30)))
    else:
        actions = store.actions(a)
        if not actions:
            return
        action = actions[edit.pick % len(actions)]
        if edit.kind == "plan_delete":
            store.delete_action(action.uuid)
        else:
            action.status = ACTION_STATUSES[edit.value % 3]
            action.measure = MEASURES[edit.number % 3]
            store.save_action(a, action)


# -- the view and the three-way rule ------------------------------------------------------

def view(store: Store, ids: dict | None = None) -> dict:
    """{thing: value} of everything the officer sees; organizations and years map to True
    (and their row ids go into ``ids``)."""
    out: dict = {}
    ids = {} if ids is None else ids
    orgs = {o.uuid: name_key(o.name) for o in store.organizations()}
    assert len(set(orgs.values())) == len(orgs), f"one organization twice: {sorted(orgs.values())}"
    for uuid, name in orgs.items():
        out[("org", name)] = True
        ids[("org", name)] = uuid
    for org_uuid, year, a_uuid in store.assessment_keys():
        org = orgs[org_uuid]
        out[("year", org, year)] = True
        ids[("year", org, year)] = a_uuid
        a = store.load_assessment_by_uuid(a_uuid)
        for n, score in a.indicators.items():
            out[("score", org, year, n)] = score
        for n, text in a.analysis.items():
            out[("text", org, year, n)] = text
        for action in a.actions:
            out[("plan", action.uuid)] = (org, year, action.indicator, action.measure, action.status)
    return out


def ancestors(key: tuple, *views: dict) -> list[tuple]:
    if key[0] == "org":
        return []
    if key[0] == "year":
        return [("org", key[1])]
    if key[0] == "plan":
        org, year = next(v[key] for v in views if v.get(key) is not None)[:2]
    else:
        org, year = key[1], key[2]
    return [("year", org, year), ("org", org)]


def touched(key: tuple, base: dict, side: dict, new: set, *views: dict) -> bool:
    """Changed by this side, or gone with a year or organization this side deleted (or deleted
    and made again: ``new`` holds those made again under a new id)."""
    if side.get(key) != base.get(key) or key in new:
        return True
    # Made again, a year or organization holds none of what it held (which is touched), but
    # takes what the other side adds to it (a year is matched by organization and year).
    return any(anc in base and (anc not in side or (anc in new and key in base))
               for anc in ancestors(key, base, side, *views))


def gone(key: tuple, base: dict, side: dict, new: set, *views: dict) -> bool:
    """The base version of a thing is gone from this side: deleted, or with a year or
    organization deleted or made again (under a new id)."""
    if key not in base:
        return False
    return (side.get(key) is None or key in new
            or any(anc in base and (anc not in side or anc in new) for anc in ancestors(key, base, side, *views)))


def under_deleted(key: tuple, base: dict, side: dict, side_new: set, other: dict, *views: dict) -> bool:
    """This side holds the thing under a year or organization of the base that the other
    side deleted and this side did not make again: the merge never adds an orphan."""
    return any(anc in base and anc not in other and anc in side and anc not in side_new
               for anc in ancestors(key, base, side, other, *views))


def made_again(key: tuple, side_new: set, other: dict, *views: dict) -> bool:
    """The first year or organization above (or at) the thing that the other side lacks was
    made again by this side after the other deleted it: a new thing, the other had no say."""
    for k in [*reversed(ancestors(key, other, *views)), key]:
        if k not in other:
            return k in side_new
    return False


def expectation(base: dict, a: dict, b: dict, new_a: set, new_b: set) -> tuple[dict, set]:
    """The merged value of every thing that is not in conflict, and the things in conflict."""
    merged, conflicts = {}, set()
    for key in set(base) | set(a) | set(b):
        va, vb = a.get(key), b.get(key)
        if va == vb:
            merged[key] = va
        elif gone(key, base, a, new_a, b) and gone(key, base, b, new_b, a):
            # Both let go of the base version: what each holds now is new, with no history
            # in common. One side's new thing is taken, unless it sits under what the other deleted.
            if va is not None and vb is not None:
                conflicts.add(key)
            elif va is None:
                if under_deleted(key, base, b, new_b, a):
                    conflicts.add(key)
                else:
                    merged[key] = vb
            elif under_deleted(key, base, a, new_a, b):
                conflicts.add(key)
            else:
                merged[key] = va
        else:
            ta, tb = touched(key, base, a, new_a, b), touched(key, base, b, new_b, a)
            if ta and tb:
                if made_again(key, new_b, a, base, b):
                    merged[key] = vb
                elif made_again(key, new_a, b, base, a):
                    merged[key] = va
                else:
                    conflicts.add(key)
            else:
                merged[key] = va if ta else vb
    return merged, conflicts


def listed_conflicts(doc: Document, other: Document) -> set:
    """The things the open conflicts of ``doc`` are about."""
    stores = (doc._store, other._store)
    org_names, years = {}, {}
    for store in stores:
        for o in store.organizations():
            org_names[o.uuid] = name_key(o.name)
        for org_uuid, year, a_uuid in store.assessment_keys():
            years[a_uuid] = (org_uuid, year)
    out = set()
    for c in doc.conflicts():
        row = c.mine or c.theirs
        if c.table == "organizations":
            out.add(("org", name_key(row["name"])))
            continue
        a_uuid = row["uuid"] if c.table == "assessments" else row["assessment_uuid"]
        org_uuid, year = years.get(a_uuid, (row.get("org_uuid"), row.get("fiscal_year")))
        org = org_names.get(org_uuid, org_uuid)
        if c.table == "assessments":
            out.add(("year", org, year))
        elif c.table == "indicator_scores":
            out.add(("score", org, year, row["indicator"]))
        elif c.table == "analyses":
            out.add(("text", org, year, row["indicator"]))
        elif c.table == "actions":
            out.add(("plan", row["uuid"]))
        else:
            raise AssertionError(f"unexpected conflict on {c.table}")
    return out


def check_side(name: str, got: dict, own: dict, merged: dict, conflicts: set, listed: set, views) -> None:
    for key, value in merged.items():
        if key[0] in ("org", "year") and any(key in ancestors(k, *views) for k in conflicts):
            continue  # a year or organization kept for a thing in conflict under it
        assert got.get(key) == value, f"{name}: {key} is {got.get(key)!r}, expected {value!r} (lost edit)"
    for key in conflicts:
        assert got.get(key) == own.get(key), f"{name}: {key} in conflict must keep this file's value"
        assert key in listed or any(anc in listed for anc in ancestors(key, *views)), \
            f"{name}: both sides changed {key} but no conflict is listed"
    for key in listed:
        under = [k for k in conflicts if k == key or key in ancestors(k, *views)]
        assert under, f"{name}: conflict listed on {key}, which only one side changed"


# -- the test -----------------------------------------------------------------------------

def make_base(path: Path) -> None:
    new_document(path)
    conn = connect(path)
    try:
        store = Store(conn)
        org = store.save_organization(Organization(name=BASE_ORG, kind="อบต.", province="อุดรธานี"))
        for year in YEARS:
            a = store.ensure_assessment(org.uuid, year)
            for n in INDICATORS:
                store.set_indicator_score(a, n, 70.0 + n)
            store.set_analysis(a, 1, "บุคลากรปฏิบัติงานอย่างซื่อสัตย์")
            for i in range(2):
                store.save_action(a, Action(indicator=i + 1, measure=MEASURES[i],
                                            start=date(2025, 10, 1), end=date(2026, 9, 30)))
    finally:
        conn.close()


def rows_by_uuid(conn) -> dict:
    """Every synced row of a file, (table, uuid) -> its columns but the time it was written, and
    the uuids of its conflicts."""
    out = {}
    for table in (*SYNCED_TABLES, "conflicts"):
        cursor = conn.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        for row in cursor:
            data = dict(zip(names, row))
            for kept in ("updated_at", "resolved_at", "resolution"):
                data.pop(kept, None)
            out[(table, data["uuid"])] = data
    return out


def assert_report_honest(report, before: dict, after: dict) -> None:
    """The merge's summary counts what it did to this file: each row added, taken or deleted,
    and each conflict, once."""
    rows_before = {k for k in before if k[0] != "conflicts"}
    rows_after = {k for k in after if k[0] != "conflicts"}
    added = len(rows_after - rows_before)
    deleted = len(rows_before - rows_after)
    updated = sum(1 for k in rows_after & rows_before if after[k] != before[k])
    conflicts = sum(1 for k in after if k[0] == "conflicts" and k not in before)
    assert (report.added, report.updated, report.deleted, len(report.conflicts)) == (
        added, updated, deleted, conflicts), report.summary()
    assert f"เพิ่ม {added} แก้ไขตาม {updated} ลบ {deleted} " in report.summary()


def digest(doc: Document) -> str:
    return content_digest(doc._store.conn, include_bookkeeping=True)


@given(ours=edits, theirs=edits)
# Found by the long run: both delete the organization, one makes it again (a new thing: taken);
# one deletes a year and makes it again, the other adds a text to it (taken into the new year).
@example(ours=[Edit("score"), Edit("org_delete")], theirs=[Edit("org_delete"), Edit("org_add")])
@example(ours=[Edit("year_delete"), Edit("year_add")], theirs=[Edit("text", number=1)])
# Both let go of a base score (one with its organization, one with its year made again): the
# new score one side then typed is taken. A year made again under an organization the other
# deleted is a conflict (never added as an orphan).
@example(ours=[Edit("org_delete"), Edit("org_add", year=1)], theirs=[Edit("year_delete", year=1), Edit("year_add", year=1)])
@example(ours=[Edit("org_delete")], theirs=[Edit("year_delete", year=1), Edit("year_add", year=1)])
def test_merging_two_edited_copies_both_ways(ours, theirs):
    with tempfile.TemporaryDirectory(prefix="itadesk-merge-prop-") as folder:
        folder = Path(folder)
        make_base(folder / "base.db")
        with Document.open(folder / "base.db") as doc:  # opened and saved once, as offices do
            doc.save(force=True)
            base_ids: dict = {}
            base = view(doc._store, base_ids)
        shutil.copyfile(folder / "base.db", folder / "a.db")
        shutil.copyfile(folder / "base.db", folder / "b.db")
        a, b = Document.open(folder / "a.db"), Document.open(folder / "b.db")
        try:
            for edit in ours:
                apply(a._store, edit)
            for edit in theirs:
                apply(b._store, edit)
            a.save()
            b.save()
            ids_a, ids_b = {}, {}
            va, vb = view(a._store, ids_a), view(b._store, ids_b)
            new_a = {k for k, u in ids_a.items() if k in base_ids and u != base_ids[k]}
            new_b = {k for k, u in ids_b.items() if k in base_ids and u != base_ids[k]}
            merged, conflicts = expectation(base, va, vb, new_a, new_b)

            before = rows_by_uuid(a._store.conn)
            assert_report_honest(a.merge_from(b.target), before, rows_by_uuid(a._store.conn))  # A←B
            a.save()
            settled = digest(a)
            again = a.merge_from(b.target)  # the same file again: nothing to do
            assert not again.changed and digest(a) == settled

            before = rows_by_uuid(b._store.conn)
            assert_report_honest(b.merge_from(a.target), before, rows_by_uuid(b._store.conn))  # B←A
            b.save()
            got_a, got_b = view(a._store), view(b._store)
            views = (base, va, vb, got_a, got_b)
            check_side("A←B", got_a, va, merged, conflicts, listed_conflicts(a, b), views)
            check_side("B←A", got_b, vb, merged, conflicts, listed_conflicts(b, a), views)
            outside = {k for k in set(got_a) | set(got_b)
                       if k not in conflicts and not any(k in ancestors(c, *views) for c in conflicts)}
            assert {k: got_a.get(k) for k in outside} == {k: got_b.get(k) for k in outside}

            for doc, other in ((a, b), (b, a)):  # a second round changes no data
                before = view(doc._store)
                doc.merge_from(other.target)
                doc.save()
                assert view(doc._store) == before
            for doc in (a, b):  # nor does a file merged with itself
                before = digest(doc)
                assert not doc.merge_from(doc.target).changed and digest(doc) == before
        finally:
            a.close(discard=True)
            b.close(discard=True)


# -- the report, when two of the source's organizations meet one of ours --------------------

def _twice_file(path: Path, scores: list[float], name: str = "เทศบาลตำบลบ้านจั่น") -> Path:
    """A file with one organization per score, all of one name and province (the document API
    allows it), each with its year 2568."""
    new_document(path)
    conn = connect(path)
    try:
        store = Store(conn)
        for score in scores:
            org = store.save_organization(Organization(name=name, province="อุดรธานี"))
            store.set_indicator_score(store.ensure_assessment(org.uuid, 2568), 1, score)
    finally:
        conn.close()
    return path


@pytest.mark.parametrize("in_sql", [True, False], ids=["settled-in-sql", "walk"])
@pytest.mark.parametrize("ours, theirs", [([61.0], [61.0, 62.0]), ([70.0], [61.0, 62.0]),
                                          ([61.0, 62.0], [61.0]), ([63.0, 64.0], [61.0, 62.0])])
def test_report_counts_each_row_once_when_organizations_meet_twice(tmp_path, in_sql, ours, theirs):
    target, source = _twice_file(tmp_path / "ours.db", ours), _twice_file(tmp_path / "theirs.db", theirs)
    conn, theirs_conn = connect(target), connect(source, readonly=True)
    try:
        before = rows_by_uuid(conn)
        report = merge_connections(Store(conn), theirs_conn, "theirs.db", settle_in_sql=in_sql)
        assert_report_honest(report, before, rows_by_uuid(conn))
        scores = sorted(s for (s,) in conn.execute("SELECT score FROM indicator_scores"))
        assert set(theirs) <= set(scores) or report.conflicts  # nothing of theirs lost unseen
    finally:
        conn.close()
        theirs_conn.close()


# -- organizations renamed and typed twice: the merge is honest or refuses, never worse -------

RENAME_NAMES = ["เทศบาลตำบลบ้านจั่น", "ทต.บ้านจั่น", "อบต.หนองไผ่"]
loose_edits = st.lists(st.tuples(st.sampled_from(["add", "score", "rename", "org_delete", "year_delete", "text"]),
                                 st.integers(0, 5), st.integers(0, 2), st.integers(0, 1)), max_size=6)


def loose_edit(path: Path, edits: list) -> None:
    """``edits`` made to a file and saved (the save records every row's version)."""
    conn = connect(path)
    try:
        loose_apply(Store(conn), edits)
        record_versions(conn)
    finally:
        conn.close()


def loose_apply(store: Store, edits: list) -> None:
    """Edits the document API allows that the model above leaves out: several organizations of
    one name (one spelled short), renames onto another's name."""
    for kind, pick, name, year in edits:
        orgs = store.organizations()
        if kind == "add" or not orgs:
            org = store.save_organization(Organization(name=RENAME_NAMES[name], province="อุดรธานี"))
            store.set_indicator_score(store.ensure_assessment(org.uuid, YEARS[year]), 1, SCORES[pick % 3])
            continue
        org = orgs[pick % len(orgs)]
        if kind == "rename":
            org.name = RENAME_NAMES[name]
            store.save_organization(org)
        elif kind == "org_delete":
            store.delete_organization(org.uuid)
        else:
            a = store.ensure_assessment(org.uuid, YEARS[year])
            if kind == "year_delete":
                store.delete_assessment(a)
            elif kind == "score":
                store.set_indicator_score(a, 1 + name, SCORES[pick % 4])
            else:
                store.set_analysis(a, 1, TEXTS[pick % 3])


@given(base=loose_edits, ours=loose_edits, theirs=loose_edits, later=loose_edits)
def test_merging_renamed_and_doubled_organizations_is_honest_or_refused(base, ours, theirs, later):
    """Three merges (A<-B, B<-A, A<-B after more edits on B), each through the SQL shortcut and
    the walk alike: the report counts what the merge did, or the merge refuses (DUPLICATE)
    with the file unchanged; merging the same file again then changes nothing."""
    from itadesk.db.merge import DuplicateRowsError

    with tempfile.TemporaryDirectory(prefix="itadesk-merge-loose-") as folder:
        folder = Path(folder)
        new_document(folder / "base.db")
        loose_edit(folder / "base.db", base)
        for name, edits in (("a.db", ours), ("b.db", theirs)):
            shutil.copyfile(folder / "base.db", folder / name)
            loose_edit(folder / name, edits)
        for step, (target, source) in enumerate((("a.db", "b.db"), ("b.db", "a.db"), ("a.db", "b.db"))):
            if step == 2:
                loose_edit(folder / "b.db", later)
            outcomes = []
            for in_sql in (True, False):
                copy = folder / f"{in_sql}-{target}"
                shutil.copyfile(folder / target, copy)
                conn, other = connect(copy), connect(folder / source, readonly=True)
                try:
                    record_versions(conn)  # as itadesk merge's working copy does
                    before = rows_by_uuid(conn)
                    try:
                        report = merge_connections(Store(conn), other, source, settle_in_sql=in_sql)
                    except DuplicateRowsError as exc:
                        assert rows_by_uuid(conn) == before and "ไฟล์ที่รับข้อมูลไม่ถูกแก้ไข" in str(exc)
                        outcomes.append("refused")
                        continue
                    assert_report_honest(report, before, rows_by_uuid(conn))
                    outcomes.append((report.added, report.updated, report.deleted, len(report.conflicts)))
                    again = merge_connections(Store(conn), other, source, settle_in_sql=in_sql)
                    assert not again.changed, again.summary()
                finally:
                    conn.close()
                    other.close()
            assert outcomes[0] == outcomes[1], outcomes  # the shortcut decides as the walk does
            shutil.copyfile(folder / f"True-{target}", folder / target)

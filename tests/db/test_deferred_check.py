"""A file never seen on this computer opens before its rows are checked (``defer_check``), and
nothing unchecked leaves: the check runs later, wrong kept results are forgotten, a file that
fails it is refused, and a save waits for it."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itadesk.db import checked_files
from itadesk.db import document as document_module
from itadesk.db.document import Document
from itadesk.db.errors import DocumentError
from itadesk.db.files import sha256_file
from itadesk.db.store import Store
from itadesk.ita.results import result_of
from tests.many_orgs import generated_entries, import_dicts

YEAR = 2568


@pytest.fixture(scope="module")
def district_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deferred")
    return import_dicts(folder / "district.db", generated_entries(40, 2566, 2568), folder)


@pytest.fixture
def district(district_file, tmp_path, monkeypatch):
    """A copy of a 40-organization file, seen by this computer's data folder for the first time;
    every file defers its check (the real threshold is a few MB)."""
    monkeypatch.setattr(document_module, "DEFER_CHECK_FROM", 0)
    copy = tmp_path / "อำเภอ.db"
    shutil.copyfile(district_file, copy)
    return copy


def forge(path, total: float = 100.0) -> str:
    """Change one kept result of YEAR as another program could; its assessment uuid."""
    conn = sqlite3.connect(path)
    uuid, text = conn.execute("SELECT r.assessment_uuid, r.result FROM assessment_results r JOIN assessments a "
                              "ON a.uuid = r.assessment_uuid WHERE a.fiscal_year = ? ORDER BY a.uuid LIMIT 1",
                              (YEAR,)).fetchone()
    forged = json.loads(text)
    assert forged[1] != total
    forged[1] = total
    conn.execute("UPDATE assessment_results SET result = ? WHERE assessment_uuid = ?", (json.dumps(forged), uuid))
    conn.commit()
    conn.close()
    return uuid


def fresh_total(path, uuid: str) -> float:
    conn = sqlite3.connect(path)
    try:
        a = Store(conn).load_assessment_by_uuid(uuid)
        return result_of(a, a.catalog).total
    finally:
        conn.close()


def overview_total(doc, uuid: str) -> float:
    org = doc.load_assessment_by_uuid(uuid).org_uuid
    return next(r.total for r in doc.overview(YEAR) if r.org_uuid == org)


def test_an_unseen_file_opens_unchecked_and_is_noted_once_its_check_passes(district):
    sha = sha256_file(district)
    doc = Document.open(district, defer_check=True)
    try:
        assert doc.checking and not checked_files.is_checked(sha)
        doc.start_check()
        doc.wait_checked()
        assert not doc.checking and not doc.results_disagreed and doc.check_error is None
        assert checked_files.is_checked(sha)
    finally:
        doc.close()
    again = Document.open(district, defer_check=True)  # seen now: nothing left to check
    try:
        assert not again.checking
    finally:
        again.close()


@pytest.mark.parametrize("readonly", [False, True])
def test_forged_kept_results_are_shown_only_until_the_check_then_forgotten(district, readonly):
    uuid = forge(district)
    right = fresh_total(district, uuid)
    before = district.read_bytes()
    doc = Document.open(district, defer_check=True, readonly=readonly)
    try:
        assert overview_total(doc, uuid) == 100.0  # the file's own figure, while marked unchecked
        doc.wait_checked()  # never started: runs now
        assert doc.results_disagreed
        assert overview_total(doc, uuid) == right != 100.0
        assert not checked_files.is_checked(sha256_file(district))
    finally:
        doc.close()
    assert district.read_bytes() == before


def test_a_save_waits_for_the_check_and_writes_fresh_results(district, tmp_path):
    uuid = forge(district)
    right = fresh_total(district, uuid)
    doc = Document.open(district, defer_check=True)
    try:
        out = tmp_path / "saved.db"
        doc.save_as(out)  # the check ran first: the saved file is noted as checked only now
        assert not doc.checking and doc.results_disagreed
    finally:
        doc.close()
    conn = sqlite3.connect(out)
    text = conn.execute("SELECT result FROM assessment_results WHERE assessment_uuid = ?", (uuid,)).fetchone()[0]
    conn.close()
    assert json.loads(text)[1] == right


def test_a_file_with_a_bad_row_opens_then_is_refused_and_never_saved(district):
    conn = sqlite3.connect(district)
    conn.execute("UPDATE indicator_scores SET score = 50.12345 WHERE uuid = (SELECT uuid FROM indicator_scores LIMIT 1)")
    conn.commit()
    conn.close()
    before = district.read_bytes()
    with pytest.raises(DocumentError):
        Document.open(district).close()  # opened the old way: refused at once
    doc = Document.open(district, defer_check=True)
    try:
        assert doc.checking
        doc.start_check()
        with pytest.raises(DocumentError):
            doc.wait_checked()
        with pytest.raises(DocumentError):
            doc.save()
        with pytest.raises(DocumentError):
            doc.wait_checked()  # every later call says so too
    finally:
        doc.close(discard=True)
    assert district.read_bytes() == before


def test_closing_during_the_check_stops_it(district):
    doc = Document.open(district, defer_check=True)
    doc.start_check()
    doc.close()  # no thread left reading the removed working copy
    assert not doc.working_copy.exists()


def test_forgetting_wrong_results_that_fails_is_tried_again_never_taken_as_done(district):
    """The check found a forged result, but forgetting it failed (the local disk full, here
    another connection holding the working copy's write lock): the next wait must forget it,
    not report the check as passed with the forged figure still trusted (and saved)."""
    uuid = forge(district)
    right = fresh_total(district, uuid)
    doc = Document.open(district, defer_check=True)
    try:
        doc.start_check()
        holder = sqlite3.connect(doc.working_copy, timeout=0)
        holder.execute("BEGIN IMMEDIATE")  # a writer that does not let go
        try:
            with pytest.raises(DocumentError):
                doc.wait_checked()
        finally:
            holder.rollback()
            holder.close()
        doc.wait_checked()  # the write lock is free now
        assert doc.results_disagreed
        assert overview_total(doc, uuid) == right != 100.0
    finally:
        doc.close()


FORGERIES = ("a total", "a tool score", "a level", "two results swapped", "a basis", "a result deleted", "nothing")


def _forge_kind(path, kind: str, pick: int) -> None:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT assessment_uuid, result FROM assessment_results ORDER BY assessment_uuid").fetchall()
    uuid, text = rows[pick % len(rows)]
    value = json.loads(text)
    if kind in ("a total", "a tool score", "a level"):
        if kind == "a total":
            value[1] = 100.0 if value[1] != 100.0 else 0.0
        elif kind == "a tool score":
            value[0][next(iter(value[0]))] = 1.0
        else:
            value[2] = "excellent" if value[2] != "excellent" else "fail"
        conn.execute("UPDATE assessment_results SET result = ? WHERE assessment_uuid = ?",
                     (json.dumps(value, separators=(",", ":"), ensure_ascii=False), uuid))
    elif kind == "two results swapped":
        other, other_text = rows[(pick + 1) % len(rows)]
        conn.execute("UPDATE assessment_results SET result = ? WHERE assessment_uuid = ?", (other_text, uuid))
        conn.execute("UPDATE assessment_results SET result = ? WHERE assessment_uuid = ?", (text, other))
    elif kind == "a basis":
        conn.execute("UPDATE assessment_results SET basis = 'another program' WHERE assessment_uuid = ?", (uuid,))
    elif kind == "a result deleted":
        conn.execute("DELETE FROM assessment_results WHERE assessment_uuid = ?", (uuid,))
    conn.commit()
    conn.close()


@settings(max_examples=15, deadline=None, derandomize=True, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(kind=st.sampled_from(FORGERIES), pick=st.integers(0, 200), started=st.booleans(), tracked=st.booleans(),
       save_as=st.booleans(), edits=st.lists(st.tuples(st.integers(0, 39), st.sampled_from([2566, 2567, 2568]),
                                                       st.integers(1, 10), st.floats(0, 100).map(lambda v: round(v, 2))),
                                             max_size=3))
def test_whatever_was_forged_and_edited_during_the_check_a_save_keeps_only_true_results(
        district_file, tmp_path_factory, kind, pick, started, tracked, save_as, edits):
    """A file never seen here, its kept results forged one way or another, edited while its
    check runs, then saved (in place or elsewhere): every result the saved file would be
    trusted with is its scores' own, and so is every one the document shows."""
    from itadesk.db import results as results_module
    from itadesk.db.operations import SetScores
    from itadesk.db.results import stored_results

    folder = tmp_path_factory.mktemp("forged")
    path = folder / "อำเภอ.db"
    shutil.copyfile(district_file, path)
    _forge_kind(path, kind, pick)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ITADESK_DATA_DIR", str(folder / "data"))  # never seen on this computer
        mp.setattr(document_module, "DEFER_CHECK_FROM", 0)
        mp.setattr(results_module, "TRACK_FROM", 1 if tracked else results_module.TRACK_FROM)
        doc = Document.open(path, defer_check=True)
        try:
            if started:
                doc.start_check()
            orgs = doc.organizations()
            for who, year, indicator, score in edits:
                doc.apply(SetScores(orgs[who].uuid, year, {indicator: score}, {}))
            out = folder / "saved.db" if save_as else path
            doc.save_as(out) if save_as else doc.save()
            _keys, shown = doc.results()
            conn = doc._store.conn  # noqa: SLF001 - a db-level test reads its db
            assert shown == {a.uuid: result_of(a, a.catalog) for a in Store(conn).assessments_for_scoring()}
        finally:
            doc.close()
    conn = sqlite3.connect(out)
    try:
        store = Store(conn)
        _keys, trusted = stored_results(conn, store.catalogs())
        fresh = {a.uuid: result_of(a, a.catalog) for a in store.assessments_for_scoring()}
    finally:
        conn.close()
    assert trusted == fresh

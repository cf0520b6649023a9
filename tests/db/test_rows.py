"""Issue 9, class 3: a file whose schema is right but whose rows hold values our code cannot
read is refused everywhere (open, check, summary, report, export, merge) with one Thai line
naming the table and the row, and nothing is changed or merged."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from itadesk import cli
from itadesk.db.document import Document
from itadesk.db.validate import InvalidRowsError

from .samples import make_good_file

ORG = "องค์การบริหารส่วนตำบลเชียงพิณ"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def craft(path: Path, *statements: str, args=()) -> Path:
    """Change rows of a good file behind the program's back (the schema stays exactly ours)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement, args)
    finally:
        conn.close()
    return path


# name -> (statements, table named in the message)
BAD_ROWS = {
    "non-iso-date": (["UPDATE actions SET start_date = '1/10/2568', end_date = '30/9/2569' WHERE position = 0"], "actions"),
    "impossible-date": (["UPDATE actions SET start_date = '2025-02-30' WHERE position = 0"], "actions"),
    "date-far-off": (["UPDATE actions SET start_date = '0099-01-01' WHERE position = 0"], "actions"),
    "unknown-status": (["UPDATE actions SET status = 'finished' WHERE position = 1"], "actions"),
    "meta-not-a-number": (["UPDATE meta SET value = 'สิบ' WHERE key = 'edit_count'"], "meta"),
    "five-decimals": (["UPDATE indicator_scores SET score = 70.12345 WHERE indicator = 2"], "indicator_scores"),
    "indicator-out-of-range": (["UPDATE indicator_scores SET indicator = 4000 WHERE indicator = 2"], "indicator_scores"),
    "bad-item-code": (["UPDATE item_scores SET code = 'ข้อ 1'"], "item_scores"),
    "unknown-tool": (["UPDATE recommendations SET tool = 'iit '"], "recommendations"),
    "bidi-override-name": (["UPDATE organizations SET name = name || char(8238) || 'abc'"], "organizations"),
    "control-char-name": (["UPDATE organizations SET name = name || char(7)"], "organizations"),
    "empty-name": (["UPDATE organizations SET name = char(8203) || '  '"], "organizations"),
    "unknown-kind": (["UPDATE organizations SET kind = 'บริษัท'"], "organizations"),
    "bad-uuid": (["UPDATE units SET uuid = 'กองช่าง 1'"], "units"),
    "bad-updated-at": (["UPDATE analyses SET updated_at = 'yesterday'"], "analyses"),
    "oversized-text": (["UPDATE analyses SET text = printf('%.*c', 100001, 'ก')"], "analyses"),
    "published-score-not-a-number": (
        ["INSERT INTO published_figures(uuid, assessment_uuid, figure, value, updated_at) SELECT "
         "'0e0e0e0e-0000-4000-8000-00000000000b', uuid, 'total', 'ดีมาก', '2025-01-01T00:00:00+00:00' "
         "FROM assessments LIMIT 1"], "published_figures"),
    "draft-basis-not-json": (
        ["INSERT INTO draft_bases(uuid, assessment_uuid, indicator, basis, updated_at) SELECT "
         "'0e0e0e0e-0000-4000-8000-00000000000c', uuid, 3, 'i9=80', '2025-01-01T00:00:00+00:00' "
         "FROM assessments LIMIT 1"], "draft_bases"),
    "bad-conflict-row": (
        ["INSERT INTO conflicts(uuid, table_name, row_uuid, kind, mine, theirs, theirs_hash, description, created_at) "
         "VALUES ('0e0e0e0e-0000-4000-8000-000000000001', 'actions', '0e0e0e0e-0000-4000-8000-000000000002', "
         "'deleted_here', NULL, '{\"uuid\": \"0e0e0e0e-0000-4000-8000-000000000002\", \"start_date\": \"soon\"}', "
         "'abc', 'x', '2025-01-01T00:00:00+00:00')"], "conflicts"),
}


@pytest.fixture
def good(stick) -> Path:
    path = make_good_file(stick / "good.db")
    craft(path, "INSERT INTO units(uuid, name, updated_at) VALUES ('0e0e0e0e-0000-4000-8000-00000000000a', 'กองช่าง', "
                "'2025-01-01T00:00:00+00:00')")
    return path


def bad_file(stick: Path, name: str) -> Path:
    path = make_good_file(stick / f"{name}.db")
    craft(path, "INSERT INTO units(uuid, name, updated_at) VALUES ('0e0e0e0e-0000-4000-8000-00000000000a', 'กองช่าง', "
                "'2025-01-01T00:00:00+00:00')")
    return craft(path, *BAD_ROWS[name][0])


def run_cli(capsys, *args) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_good_file_passes(good):
    with Document.open(good) as doc:
        assert doc._store.organizations()


@pytest.mark.parametrize("name", sorted(BAD_ROWS))
def test_bad_row_is_refused_on_open_and_by_every_command(stick, tmp_path, capsys, name):
    path = bad_file(stick, name)
    before = sha(path)
    table = BAD_ROWS[name][1]
    with pytest.raises(InvalidRowsError) as info:
        Document.open(path)
    message = str(info.value)
    assert f"({table}) แถวที่ " in message and "ตาราง" in message, message
    assert not any(p.name.startswith(".~lock") for p in stick.iterdir())  # the failed open let go of it

    code, out, err = run_cli(capsys, "check", path)
    assert code == 2 and f"({table}) แถวที่ " in err and len(err.strip().splitlines()) == 1, err
    for args in (["summary", path], ["export", path, "--org", ORG, "--year", 2568, "-o", tmp_path / "x.json"],
                 ["report", path, "--org", ORG, "--year", 2568, "-o", tmp_path / "x.pdf"]):
        code, out, err = run_cli(capsys, *args)
        assert code == 2 and f"({table})" in err and len(err.strip().splitlines()) == 1, (args, err)
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "x.pdf").exists()
    assert sha(path) == before


@pytest.mark.parametrize("name", ["non-iso-date", "unknown-status", "five-decimals"])
def test_merge_never_copies_a_bad_row(stick, good, capsys, name):
    bad = bad_file(stick, name)
    before_good, before_bad = sha(good), sha(bad)
    code, out, err = run_cli(capsys, "merge", good, bad)
    assert code == 2 and f"({BAD_ROWS[name][1]})" in err and bad.name in err, err
    assert sha(good) == before_good and sha(bad) == before_bad
    with Document.open(good) as doc, pytest.raises(InvalidRowsError):
        doc.merge_from(bad)
    assert sha(good) == before_good


def test_message_names_the_first_rows_and_counts_the_rest(stick):
    path = make_good_file(stick / "many.db", actions=9)
    craft(path, "UPDATE actions SET status = 'x'")
    with pytest.raises(InvalidRowsError) as info:
        Document.open(path)
    assert info.value.total == 9 and len(info.value.problems) == 5
    assert str(info.value).endswith("และอีก 4 รายการ")


def test_files_written_by_the_program_pass_the_same_rules(stick, reference_json):
    """What the importer writes (the reference report, Thai texts, plan dates) is read back."""
    target = stick / "ref.db"
    assert cli.main(["import", str(target), str(reference_json)]) == 0
    with Document.open(target) as doc:
        assert len(doc._store.assessment_keys()) == 2
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    assert data  # the fixture is a real document


# -- class 4: one set of limits for writing and reading -----------------------------------

def test_limits_for_writing_keep_every_cell_under_the_reader_limit():
    from itadesk.db.files import MAX_CELL_BYTES
    from itadesk.ita.fields import MAX_NAME_CHARS, MAX_TEXT_CHARS

    assert MAX_TEXT_CHARS * 4 < MAX_CELL_BYTES and MAX_NAME_CHARS * 4 < MAX_CELL_BYTES  # 4 = longest UTF-8 character


def test_the_editor_refuses_what_the_reader_would_refuse_and_what_it_takes_opens_again(stick):
    from itadesk.db.validate import RefusedValueError
    from itadesk.ita.fields import MAX_TEXT_CHARS
    from itadesk.ita.model import Action

    path = make_good_file(stick / "limits.db")
    with Document.open(path) as doc:
        org = doc._store.find_organization(ORG)
        a = doc._store.assessment_uuid(org.uuid, 2568)
        count = doc._store.edit_count()
        for write in (
            lambda: doc._store.set_analysis(a, 2, "ก" * (MAX_TEXT_CHARS + 1)),
            lambda: doc._store.set_recommendation(a, "EIT", "ข้อความ\u202eกลับด้าน"),
            lambda: doc._store.save_action(a, Action(measure="มาตรการ", status="finished")),
            lambda: doc._store.set_scores(a, {1: 70.123}, {}),
            lambda: doc._store.add_unit("กอง\x00ช่าง"),
        ):
            with pytest.raises(RefusedValueError) as info:
                write()
            assert "บันทึกไม่ได้" in str(info.value) and "\n" not in str(info.value)
        assert doc._store.edit_count() == count
        doc._store.set_analysis(a, 2, "ข" * MAX_TEXT_CHARS)  # the longest text there is (300 KB of Thai)
        doc.save()
    with Document.open(path) as doc:
        org = doc._store.find_organization(ORG)
        assert doc._store.load_assessment(org.uuid, 2568).analysis[2] == "ข" * MAX_TEXT_CHARS


def test_import_refuses_a_text_the_reader_would_refuse(tmp_path, reference_json, capsys):
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    data[1]["analysis"]["1"] = "ก" * 1_800_000  # 5.4 MB of UTF-8: the file this used to write could not be opened
    source = tmp_path / "big.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "ita.db"
    assert cli.main(["import", str(target), str(reference_json)]) == 0
    before = sha(target)
    capsys.readouterr()
    code, out, err = run_cli(capsys, "import", target, source)
    assert code == 1 and "เกินที่รับได้" in err and "การวิเคราะห์ตัวชี้วัดที่ 1" in err and len(err.splitlines()) == 1
    assert sha(target) == before


# -- class 5: a source holding the same organization twice ---------------------------------

def _store_file(path: Path, fill_in) -> Path:
    from itadesk.db.files import connect, new_document
    from itadesk.db.store import Store

    new_document(path)
    conn = connect(path)
    try:
        fill_in(Store(conn))
    finally:
        conn.close()
    return path


def _twice(store) -> None:
    from itadesk.ita.model import Organization

    for score in (61.0, 62.0):  # same name and province, two ids, each with its year 2568
        org = store.save_organization(Organization(name="เทศบาลตำบลบ้านจั่น", province="อุดรธานี"))
        a = store.ensure_assessment(org.uuid, 2568)
        store.set_indicator_score(a, 1, score)


@pytest.mark.parametrize("target_has_it", [False, True])
def test_merge_of_a_file_holding_one_organization_twice(stick, capsys, target_has_it):
    from itadesk.ita.model import Organization

    source = _store_file(stick / "twice.db", _twice)
    if target_has_it:  # under a third id, spelled the short way
        target = _store_file(stick / "target.db", lambda s: s.save_organization(
            Organization(name="ทต.บ้านจั่น", province="อุดรธานี")))
    else:
        target = make_good_file(stick / "target.db")
    code, out, err = run_cli(capsys, "merge", target, source)
    assert code in (0, 1) and not err, err
    with Document.open(target) as doc:
        scores = sorted(
            doc._store.load_assessment(o.uuid, 2568).indicators.get(1)
            for o in doc._store.organizations() if "บ้านจั่น" in o.name and doc._store.assessment_uuid(o.uuid, 2568)
        )
    assert scores == [61.0, 62.0]  # nothing of either is lost
    before = sha(target)
    assert run_cli(capsys, "merge", target, source)[0] in (0, 1)  # and merging again changes nothing
    assert sha(target) == before


def test_merge_refuses_a_crafted_file_whose_rows_would_take_one_row_twice(stick, capsys):
    target = make_good_file(stick / "target.db")
    source = stick / "crafted.db"
    source.write_bytes(target.read_bytes())
    craft(source, "UPDATE assessments SET fiscal_year = 2569")
    craft(source, "INSERT INTO assessments(uuid, org_uuid, fiscal_year, updated_at) SELECT "
                  "'0e0e0e0e-0000-4000-8000-0000000000bb', org_uuid, 2568, updated_at FROM assessments")
    before = sha(target)
    code, out, err = run_cli(capsys, "merge", target, source)
    assert code == 2 and "สองรายการที่ตรงกับรายการเดียวกันในไฟล์นี้" in err and "crafted.db" in err and len(err.splitlines()) == 1, err
    assert sha(target) == before


# -- class 6: re-import after the organization was renamed ---------------------------------

def test_reimport_after_renaming_the_organization(tmp_path, reference_json, capsys):
    target = tmp_path / "ita.db"
    assert cli.main(["import", str(target), str(reference_json)]) == 0
    with Document.open(target) as doc:
        org = doc._store.find_organization(ORG)
        org.name = "อบต.เชียงพิณ (ชื่อใหม่)"
        doc._store.save_organization(org)
        planned = len(doc._store.load_assessment(org.uuid, 2568).actions)
        old_ids = {a.uuid for a in doc._store.load_assessment(org.uuid, 2568).actions}
        doc.save()
    capsys.readouterr()
    code, out, err = run_cli(capsys, "import", target, reference_json)
    assert code == 0, err
    with Document.open(target) as doc:
        orgs = doc._store.organizations()
        assert len(orgs) == 2
        plans = {o.name: doc._store.load_assessment(o.uuid, 2568).actions for o in orgs}
        assert {len(p) for p in plans.values()} == {planned}
        renamed = {a.uuid for a in plans["อบต.เชียงพิณ (ชื่อใหม่)"]}
        assert renamed == old_ids  # the existing rows keep their ids
        assert not renamed & {a.uuid for a in plans[ORG]}
    assert run_cli(capsys, "import", target, reference_json)[0] == 0  # and again: same ids, same rows
    with Document.open(target) as doc:
        again = {o.name: {a.uuid for a in doc._store.load_assessment(o.uuid, 2568).actions}
                 for o in doc._store.organizations()}
    assert {k: len(v) for k, v in again.items()} == {k: len(v) for k, v in plans.items()}
    assert again[ORG] == {a.uuid for a in plans[ORG]}

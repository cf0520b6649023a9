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
    "unknown-status": (["UPDATE actions SET status = 'done' WHERE position = 1"], "actions"),
    "meta-not-a-number": (["UPDATE meta SET value = 'สิบ' WHERE key = 'edit_count'"], "meta"),
    "five-decimals": (["UPDATE indicator_scores SET score = 70.12345 WHERE indicator = 2"], "indicator_scores"),
    "indicator-out-of-range": (["UPDATE indicator_scores SET indicator = 4000 WHERE indicator = 2"], "indicator_scores"),
    "bad-item-code": (["UPDATE item_scores SET code = 'x1'"], "item_scores"),
    "unknown-tool": (["UPDATE recommendations SET tool = 'ABC'"], "recommendations"),
    "bidi-override-name": (["UPDATE organizations SET name = name || char(8238) || 'abc'"], "organizations"),
    "control-char-name": (["UPDATE organizations SET name = name || char(7)"], "organizations"),
    "empty-name": (["UPDATE organizations SET name = char(8203) || '  '"], "organizations"),
    "unknown-kind": (["UPDATE organizations SET kind = 'บริษัท'"], "organizations"),
    "bad-uuid": (["UPDATE units SET uuid = 'x'"], "units"),
    "bad-updated-at": (["UPDATE analyses SET updated_at = 'yesterday'"], "analyses"),
    "oversized-text": (["UPDATE analyses SET text = printf('%.*c', 100001, 'ก')"], "analyses"),
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
        assert doc.store.organizations()


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
        assert len(doc.store.assessment_keys()) == 2
    data = json.loads(reference_json.read_text(encoding="utf-8"))
    assert data  # the fixture is a real document

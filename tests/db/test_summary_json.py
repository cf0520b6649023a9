"""``summary --json`` cut from the kept result texts (itadesk/db/summary_json.py) writes, byte for
byte, what the command writes from results evaluated afresh: on a generated district of 300
organizations with two offices of one name, a name with quotes, a year with an indicator
missing, published figures, a year on borrowed rules, edits saved, and results forged by
another program (a changed figure, or the same figure written another way)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from itadesk.cli import json_rows, summary_rows
from itadesk.cli import main as cli_main
from itadesk.db.access import read_file
from itadesk.db.document import Document
from itadesk.db.operations import SetPublishedFigures, SetScores
from itadesk.db.results import forget_results
from tests.many_orgs import generated_entries, import_dicts

ORGS, FIRST, LAST = 300, 2566, 2568
QUOTED = 'เทศบาลตำบล "ท่าข้าม" \\ ใต้'


def _special(entries: list[dict]) -> list[dict]:
    """Offices the generator does not make: two of one name in two provinces (their rows must
    not interleave), and a name with quotes and a backslash."""
    first = [e for e in entries if e["organization"]["name"] == entries[0]["organization"]["name"]]
    extra = []
    for name, province in [("อบต.ชื่อซ้ำ", "ขอนแก่น"), ("อบต.ชื่อซ้ำ", "ลำปาง"), (QUOTED, "สงขลา")]:
        org = dict(first[0]["organization"], name=name, province=province)
        extra += [dict(entry, organization=org) for entry in first]
    return entries + extra


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("summary-json")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ITADESK_DATA_DIR", str(folder / "data"))
        path = import_dicts(folder / "district.db", _special(generated_entries(ORGS, FIRST, LAST)), folder)
        with Document.open(path) as doc:  # published figures, a year on borrowed rules, one incomplete
            orgs = doc.organizations()
            quoted = next(o for o in orgs if o.name == QUOTED)
            doc.apply(SetScores(quoted.uuid, 2567, {3: None}, {}))
            doc.apply(SetPublishedFigures(orgs[5].uuid, LAST, {"total": 77.77, "level": "fail"}))
            doc.apply(SetScores(orgs[6].uuid, LAST + 1, {n: 90.0 for n in range(1, 11)}, {}))
            doc.save()
    return path


@pytest.fixture
def copy(district, tmp_path) -> Path:
    target = tmp_path / "district.db"
    shutil.copyfile(district, target)
    return target


def evaluated(path: Path, tmp_path: Path, year: int | None = None) -> list[str]:
    """The lines the command writes from a fresh evaluation: a copy whose kept results are
    never used (forgotten), summarised by summary_rows and json_rows."""
    plain = tmp_path / f"evaluated-{path.stem}.db"
    shutil.copyfile(path, plain)
    conn = sqlite3.connect(plain)
    forget_results(conn)
    conn.commit()
    conn.close()
    with read_file(plain) as doc:
        assert doc.summary_json() is None  # nothing kept is used here
        return json_rows(summary_rows(doc, None, year))


def printed(path: Path, capsys, *extra: str) -> str:
    assert cli_main(["summary", str(path), "--json", *extra]) == 0
    return capsys.readouterr().out


def test_the_lines_cut_from_kept_results_are_those_of_a_fresh_evaluation(copy, tmp_path, capsys):
    expected = evaluated(copy, tmp_path)
    with read_file(copy) as doc:
        lines = doc.summary_json()
        by_year = doc.summary_json(LAST)
    assert lines is not None and len(lines) == (ORGS + 3) * 3 + 1
    assert lines == expected
    assert by_year == evaluated(copy, tmp_path, LAST)
    rows = [json.loads(line) for line in lines]
    twins = [r["organization"] for r in rows if r["organization"] == "อบต.ชื่อซ้ำ"]
    assert len(twins) == 6 and [r["fiscal_year"] for r in rows if r["organization"] == "อบต.ชื่อซ้ำ"] == [
        2566, 2567, 2568, 2566, 2567, 2568]
    assert any(r["total"] is None for r in rows) and any(r["rules_year"] != r["fiscal_year"] for r in rows)
    assert any(r["change"] is not None and r["change"] < 0 for r in rows)
    assert printed(copy, capsys) == "[\n" + ",\n".join(expected) + "\n]\n"


def test_edits_saved_are_cut_from_their_new_results_and_unsaved_ones_are_not(copy, tmp_path, capsys):
    with Document.open(copy) as doc:
        orgs = doc.organizations()
        doc.apply(SetScores(orgs[10].uuid, LAST, {1: 12.5, 9: 99.0}, {}))
        doc.apply(SetPublishedFigures(orgs[11].uuid, 2567, {"total": 66.66}))
        assert doc.summary_json() is None  # results of an unsaved edit are evaluated, not cut
        doc.save()
        assert doc.summary_json() == evaluated(copy, tmp_path)
    assert printed(copy, capsys) == "[\n" + ",\n".join(evaluated(copy, tmp_path)) + "\n]\n"


@pytest.mark.parametrize("forge", ["another figure", "the same figure written another way"])
def test_results_forged_by_another_program_are_never_cut(copy, tmp_path, capsys, monkeypatch, forge):
    conn = sqlite3.connect(copy)
    uuid, text = conn.execute("SELECT assessment_uuid, result FROM assessment_results "
                              "WHERE json_extract(result, '$[1]') < 100 LIMIT 1").fetchone()
    total = json.loads(text)[1]
    forged = text.replace(f",{total!r},", ",100.0," if forge == "another figure" else f",{total!r}0,", 1)
    assert forged != text and json.loads(forged)[1] == (100.0 if forge == "another figure" else total)
    conn.execute("UPDATE assessment_results SET result = ? WHERE assessment_uuid = ?", (forged, uuid))
    conn.commit()
    conn.close()
    monkeypatch.setenv("ITADESK_DATA_DIR", str(tmp_path / "another-computer"))
    expected = evaluated(copy, tmp_path)
    assert printed(copy, capsys) == "[\n" + ",\n".join(expected) + "\n]\n"
    with read_file(copy) as doc:
        assert doc.summary_json() is None  # read through a copy whose kept results are forgotten


def test_a_tool_named_like_a_column_of_the_row_is_summarised_as_the_evaluated_path_writes_it(copy, tmp_path, capsys):
    """A document's own catalog may call a tool TOTAL: the row then holds "total" once (the
    overall score, where the tool stood), which no cut line could write."""
    from itadesk.db.operations import SaveCatalog
    from itadesk.ita.catalog import catalog_json, load_catalog

    with Document.open(copy) as doc:
        doc.apply(SaveCatalog(LAST, catalog_json(load_catalog(LAST)).replace('"OIT"', '"TOTAL"')))
        doc.save()
    with read_file(copy) as doc:
        assert doc.summary_json() is None
    expected = evaluated(copy, tmp_path)
    assert printed(copy, capsys) == "[\n" + ",\n".join(expected) + "\n]\n"
    assert any('"total"' in line and line.count('"total"') == 1 and f'"fiscal_year": {LAST}' in line
               for line in expected)

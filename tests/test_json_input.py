"""Issue 9, class 10: hostile or careless JSON given to ``itadesk import``. Each one ends in
one Thai line and a non-zero exit code, and the target is not changed by a byte (or not
created)."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from itadesk import cli

THAI = re.compile(r"[\u0e00-\u0e7f]")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def entry(reference_json) -> dict:
    return json.loads(reference_json.read_text(encoding="utf-8"))[1]


def _with(entry: dict, change) -> str:
    data = copy.deepcopy(entry)
    change(data)
    return json.dumps(data, ensure_ascii=False)


def _set(path: str, value):
    def change(data):
        *parents, last = path.split(".")
        for key in parents:
            data = data[key]
        data[last] = value
    return change


def _good(entry: dict) -> str:
    return json.dumps(entry, ensure_ascii=False)


def _plan(key: str, value):
    return lambda d: d["actions"][0].__setitem__(key, value)


CASES = {  # name -> the text of the input file, made from the reference year 2568
    "nesting-10000-lists": lambda e: "[" * 10_000 + "]" * 10_000,
    "nesting-10000-objects": lambda e: '{"a":' * 10_000 + "1" + "}" * 10_000,
    "lone-surrogate-name": lambda e: _good(e).replace(e["organization"]["name"], "\\ud800", 1),
    "lone-surrogate-text": lambda e: _with(e, _set("analysis.1", "@S@")).replace("@S@", "\\ud800"),
    "integer-5000-digits": lambda e: _good(e).replace('"fiscal_year": 2568', '"fiscal_year": ' + "9" * 5000, 1),
    "score-5000-digits": lambda e: _good(e).replace('"1": ', '"1": ' + "1" * 5000 + ', "x": ', 1),
    "items-as-a-list": lambda e: _with(e, _set("items", [90, 80])),
    "analysis-as-a-list": lambda e: _with(e, _set("analysis", ["ข้อความ"])),
    "actions-as-an-object": lambda e: _with(e, _set("actions", {"1": {}})),
    "duplicate-fiscal-year": lambda e: _good(e).replace('"fiscal_year": 2568', '"fiscal_year": 2568, "fiscal_year": 2567', 1),
    "duplicate-indicator": lambda e: _good(e).replace('"indicators": {', '"indicators": {"1": 10, ', 1),
    "control-character-name": lambda e: _with(e, _set("organization.name", "อบต.เชียงพิณ\u0007")),
    "bidi-override-name": lambda e: _with(e, _set("organization.name", "อบต.\u202eณิพงยีเช")),
    "zero-width-only-name": lambda e: _with(e, _set("organization.name", "\u200b\u200c\u200d")),
    "bidi-override-province": lambda e: _with(e, _set("organization.province", "\u202eอุดรธานี")),
    "nan-score": lambda e: _good(e).replace('"indicators": {"1": ', '"indicators": {"1": NaN, "x1": ', 1),
    "infinite-score": lambda e: _with(e, _set("indicators.1", 1e400)).replace("Infinity", "1e400"),
    "text-not-a-string": lambda e: _with(e, _set("recommendations.IIT", {"a": 1})),
    "indicator-key-superscript": lambda e: _with(e, _set("indicators.²", 90)),
    "plan-indicator-an-object": lambda e: _with(e, _plan("indicator", {"a": 1})),
    "plan-date-not-a-string": lambda e: _with(e, _plan("start", 20251001)),
    "plan-text-too-long": lambda e: _with(e, _plan("steps", "ก" * 100_001)),
    "same-year-twice-in-a-list": lambda e: json.dumps([e, e], ensure_ascii=False),
}


def run_import(capsys, target: Path, source: Path) -> tuple[int, str]:
    code = cli.main(["import", str(target), str(source)])
    captured = capsys.readouterr()
    return code, captured.err


def assert_one_thai_line(code: int, err: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and THAI.search(lines[0]) and "Traceback" not in err, err


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_json_is_refused_with_one_thai_line(tmp_path, capsys, reference_json, entry, name):
    source = tmp_path / "input.json"
    source.write_text(CASES[name](entry), encoding="utf-8")
    target = tmp_path / "ita.db"

    code, err = run_import(capsys, target, source)  # a new target: not created
    assert_one_thai_line(code, err)
    assert not target.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["input.json"]

    assert cli.main(["import", str(target), str(reference_json)]) == 0  # an existing one: not changed
    capsys.readouterr()
    before = sha(target)
    code, err = run_import(capsys, target, source)
    assert_one_thai_line(code, err)
    assert sha(target) == before


def test_the_cases_are_what_they_say(entry):
    """The crafted texts really hold the hostile thing (a replace that matched nothing would test nothing)."""
    built = {name: make(entry) for name, make in CASES.items()}
    good = _good(entry)
    for name, text in built.items():
        assert text != good, name
    assert '"fiscal_year": 2568, "fiscal_year": 2567' in built["duplicate-fiscal-year"]
    assert "9" * 5000 in built["integer-5000-digits"] and "\\ud800" in built["lone-surrogate-name"]
    assert "NaN" in built["nan-score"] and "1e400" in built["infinite-score"]
    assert "\\ud800" in built["lone-surrogate-text"] and "1" * 5000 in built["score-5000-digits"]


def test_duplicate_keys_name_the_key(tmp_path, capsys, entry):
    source = tmp_path / "dup.json"
    source.write_text(CASES["duplicate-fiscal-year"](entry), encoding="utf-8")
    code, err = run_import(capsys, tmp_path / "ita.db", source)
    assert code == 1 and "'fiscal_year'" in err and "ซ้ำ" in err


def test_a_real_process_prints_no_traceback(tmp_path, entry):
    source = tmp_path / "deep.json"
    source.write_text(CASES["nesting-10000-objects"](entry), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "itadesk", "import", str(tmp_path / "ita.db"), str(source)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "ลึกเกินไป" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_folder_or_unreadable_input_is_one_line(tmp_path, capsys):
    (tmp_path / "folder.json").mkdir()
    code, err = run_import(capsys, tmp_path / "ita.db", tmp_path / "folder.json")
    assert_one_thai_line(code, err)

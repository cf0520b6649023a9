"""``itadesk merge TARGET SOURCE1 SOURCE2 …`` (and a folder as a source) as a real process: every
readable source merged in one atomic update of the target, a damaged one named, nothing lost."""

from __future__ import annotations

import pytest

from tests.collect_files import digest, offices_folder
from tests.test_cli import run, sha


@pytest.fixture(scope="module")
def offices(tmp_path_factory):
    return offices_folder(tmp_path_factory.mktemp("offices"))


def test_merge_of_several_sources_takes_them_all_in_one_update(offices, tmp_path):
    folder, target_src, damaged, sources = offices
    target = tmp_path / "อำเภอ.db"
    target.write_bytes(target_src.read_bytes())
    before = digest(target)
    chosen = [p for p in sources if p.suffix == ".db"][5:8] + [p for p in sources if p.suffix == ".xlsx"]
    proc = run("merge", target, *chosen, check=0)
    for path in chosen:
        assert path.name in proc.stdout
    after = digest(target)
    assert {k: after[k] for k in before} == before
    for path in chosen:
        for key, value in digest(path).items():
            assert after[key] == value
    assert len(after) == len(before) + 2 * 3 + 1  # three offices × two years, the template's one year
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".") or "tmp" in p.name]  # no temp left


def test_a_damaged_source_is_named_and_the_others_merge(offices, tmp_path):
    folder, target_src, damaged, sources = offices
    target = tmp_path / "อำเภอ.db"
    target.write_bytes(target_src.read_bytes())
    good = [p for p in sources if p.suffix == ".db"][1:3]
    proc = run("merge", target, good[0], damaged, good[1])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert damaged.name in proc.stderr and "ไม่ได้นำมารวม" in proc.stdout
    after = digest(target)
    for path in good:
        for key, value in digest(path).items():
            assert after[key] == value


def test_a_folder_as_the_source_lists_the_conflict_and_leaves_the_sources_untouched(offices, tmp_path):
    folder, target_src, damaged, sources = offices
    target = tmp_path / "อำเภอ.db"
    target.write_bytes(target_src.read_bytes())
    before_sources = {p.name: sha(p) for p in folder.iterdir()}
    proc = run("merge", target, folder)
    assert proc.returncode == 2, proc.stderr  # the damaged file
    assert "รวมข้อมูลจาก 19 ไฟล์ ไม่สำเร็จ 1 ไฟล์" in proc.stdout
    assert "ยังมี 1 รายการที่ขัดแย้ง" in proc.stdout and "คะแนนตัวชี้วัดที่ 1" in proc.stdout
    assert {p.name: sha(p) for p in folder.iterdir()} == before_sources
    assert len(digest(target)) == 2 * 2 + 17 * 2 + 1  # the district's two + 17 new offices + the template's year


def test_an_interchange_json_file_is_merged_like_a_template(offices, tmp_path):
    import json

    from tests.many_orgs import generated_entries

    folder, target_src, damaged, sources = offices
    target = tmp_path / "อำเภอ.db"
    target.write_bytes(target_src.read_bytes())
    entry = dict(generated_entries(30, 2568, 2568)[29])
    source = tmp_path / "ส่งมา.json"
    source.write_text(json.dumps([entry], ensure_ascii=False), encoding="utf-8")
    run("merge", target, source, sources[1], check=0)
    after = digest(target)
    key = (entry["organization"]["name"], entry["organization"]["province"], 2568)
    assert dict(after[key][0]) == {int(k): v for k, v in entry["indicators"].items()}

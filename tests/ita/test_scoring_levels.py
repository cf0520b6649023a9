import pytest

from itadesk.ita.catalog import available_years, load_catalog
from itadesk.ita.comparison import FALL, RISE, SAME, Change, compare
from itadesk.ita.levels import level_for
from itadesk.ita.model import Assessment
from itadesk.ita.numbers import round2
from itadesk.ita.scoring import evaluate

Y2567 = [100, 93.33, 100, 97.78, 100, 99.56, 99.89, 98.89, 79.29, 100]
Y2568 = [100, 100, 100, 91.18, 100, 99.87, 99.81, 99.81, 80, 75]


def make(year, scores, **kw):
    return Assessment(year, indicators=dict(zip(range(1, 11), scores)), **kw)


def test_catalogs_cover_2563_to_2568_with_official_names():
    assert set(range(2563, 2569)) <= set(available_years())
    names = [i.name for i in load_catalog(2568).indicators]
    assert names == [
        "การปฏิบัติหน้าที่", "การใช้งบประมาณ", "การใช้อำนาจ", "การใช้ทรัพย์สินของราชการ", "การแก้ไขปัญหาการทุจริต",
        "คุณภาพการดำเนินงาน", "ประสิทธิภาพการสื่อสาร", "การปรับปรุงการทำงาน", "การเปิดเผยข้อมูล", "การป้องกันการทุจริต",
    ]
    for year in range(2563, 2569):
        assert [i.name for i in load_catalog(year).indicators] == names


def test_2568_catalog_items_from_the_reference():
    cat = load_catalog(2568)
    assert [i.code for i in cat.indicator(1).items] == ["i1", "i2", "i3"]
    assert [i.code for i in cat.indicator(5).items] == ["i13", "i14", "i15"]
    assert [i.code for i in cat.indicator(8).items] == ["e7", "e8", "e9"]
    assert all(i.parts == (1, 2) for i in cat.indicator(7).items)
    assert [i.code for i in cat.indicator(9).items] == [f"o{k}" for k in range(1, 21)]
    assert [i.code for i in cat.indicator(10).items] == [f"o{k}" for k in range(21, 29)]
    assert cat.item("o23").title.startswith("การประเมินความเสี่ยง")
    # o1–o4 are confirmed for อปท. by an อบต.'s own ITA page; unknown titles stay empty, never invented
    assert [cat.item(f"o{k}").title for k in range(1, 5)] == [
        "โครงสร้างและอำนาจหน้าที่", "ข้อมูลผู้บริหาร", "ข้อมูลการติดต่อ", "ข่าวประชาสัมพันธ์"]
    assert all(cat.item(f"o{k}").source for k in (1, 2, 3, 4, 5, 12, 23))
    assert cat.item("o7").title == "" and cat.item("i3").title == ""
    assert cat.item_label("o7") == "o7 (ยังไม่ระบุชื่อข้อ)"
    assert cat.item_label("o1") == "o1 โครงสร้างและอำนาจหน้าที่"
    assert cat.indicator(9).sub_indicator_of("o12").code == "9.3"
    assert load_catalog(2565).indicator(1).items == ()  # items of earlier years are not confirmed


def test_a_year_without_its_own_catalog_says_whose_rules_it_uses():
    own, borrowed = load_catalog(2568), load_catalog(2569)
    assert not own.borrowed and own.rules_note() == ""
    assert borrowed.borrowed and borrowed.rules_from == 2568 and borrowed.fiscal_year == 2569
    assert borrowed.rules_note().startswith("ปี 2569 ใช้เกณฑ์ของปี 2568")
    ev = evaluate(make(2569, Y2568))
    assert ev.rules_year == 2568 and ev.total == 90.42
    assert any(note.startswith("ปี 2569 ใช้เกณฑ์ของปี 2568") for note in ev.notes)
    assert evaluate(make(2568, Y2568)).rules_year == 2568
    assert not any("ใช้เกณฑ์ของปี" in note for note in evaluate(make(2568, Y2568)).notes)


def test_the_rules_can_be_reviewed_in_thai_lines():
    lines = load_catalog(2569).describe()
    assert lines[0] == "เกณฑ์การประเมินของปี 2568 (ใช้กับปี 2569)"
    assert "OIT แบบวัดการเปิดเผยข้อมูลสาธารณะ: ตัวชี้วัดที่ 9, 10 น้ำหนักร้อยละ 40" in lines
    assert "ระดับ ผ่านดีเยี่ยม: คะแนนรวม 95 ขึ้นไป และทุกเครื่องมือ 95 ขึ้นไป (ยังไม่ได้รับการยืนยัน)" in lines
    assert "รายการข้อ 52 ข้อ มีชื่อข้อแล้ว 8 ข้อ" in lines


def test_years_2563_to_the_year_after_the_running_one_can_be_entered():
    from itadesk.ita.catalog import enterable_years

    years = enterable_years(2570)
    assert years[0] == 2563 and years[-1] == 2571
    assert years == list(range(2563, 2572))


def test_reference_scores_reproduce_published_totals():
    e67, e68 = evaluate(make(2567, Y2567)), evaluate(make(2568, Y2568))
    assert e67.total == 95.16 and e67.level.name == "ผ่านดี"
    assert e68.total == 90.42 and e68.level.name == "ผ่าน"
    assert round2(e68.tools["OIT"]) == 77.5
    # A plain mean of the ten indicators would be wrong: 94.57 for 2568.
    assert round2(sum(Y2568) / 10) != e68.total


def test_change_is_points_and_percent_is_separate():
    cmp = compare(make(2568, Y2568), make(2567, Y2567))
    assert cmp.overall.points == -4.74
    assert cmp.overall.percent == -4.98
    assert cmp.overall.direction == FALL
    assert cmp.indicators[2].direction == RISE
    assert cmp.indicators[1].direction == SAME
    assert cmp.indicators[10].points == -25.0


def test_change_without_previous_year():
    ch = Change(None, 90.0)
    assert ch.points is None and ch.direction is None and ch.percent is None


GRADE_CASES = [(100, "AA"), (95, "AA"), (94.99, "A"), (85, "A"), (84.99, "B"), (75, "B"), (74.99, "C"),
               (65, "C"), (64.99, "D"), (55, "D"), (54.99, "E"), (50, "E"), (49.99, "F"), (0, "F")]


@pytest.mark.parametrize("year", [2563, 2564, 2565])
@pytest.mark.parametrize("total,expected", GRADE_CASES)
def test_grade_boundaries(year, total, expected):
    rules = load_catalog(year).levels
    assert level_for(rules, total, {}).name == expected


PASS_CASES = [
    # overall, every tool, expected
    (84.99, 100, "ไม่ผ่าน"),
    (85, 84.99, "ผ่าน"),
    (85, 85, "ผ่านดี"),
    (94.99, 100, "ผ่านดี"),
    (95, 94.99, "ผ่านดี"),
    (95, 95, "ผ่านดีเยี่ยม"),
]


@pytest.mark.parametrize("year", [2566, 2567, 2568])
@pytest.mark.parametrize("total,tools,expected", PASS_CASES)
def test_pass_scheme_boundaries(year, total, tools, expected):
    rules = load_catalog(year).levels
    scores = {code: tools for code in rules["tools"]}
    level = level_for(rules, total, scores)
    assert level.name == expected
    assert level.confirmed == (expected != "ผ่านดีเยี่ยม")


def test_published_rounding_decides_the_level():
    rules = load_catalog(2567).levels
    assert level_for(rules, 84.995, {"IIT": 90, "EIT": 90, "OIT": 90}).name == "ผ่านดี"
    assert level_for(rules, 84.994, {"IIT": 90, "EIT": 90, "OIT": 90}).name == "ไม่ผ่าน"


def test_2568_checks_eit_part_scores_for_pass_good():
    # Every indicator high, but EIT part 2 below 85: only ผ่าน.
    a = make(2568, [100, 100, 100, 100, 100, 92, 92, 92, 100, 100])
    for k in range(1, 10):
        a.items[f"e{k}"] = {1: 100, 2: 84}
    ev = evaluate(a)
    assert ev.total >= 95
    assert ev.level.name == "ผ่าน"
    for k in range(1, 10):
        a.items[f"e{k}"] = {1: 100, 2: 96}
    assert evaluate(a).level.name == "ผ่านดีเยี่ยม"


def test_missing_indicator_gives_no_total():
    scores = dict(zip(range(1, 11), Y2568))
    del scores[9]
    ev = evaluate(Assessment(2568, indicators=scores))
    assert ev.total is None and ev.level is None and ev.missing_indicators == [9]


def test_new_year_file_is_picked_up_without_code(tmp_path, monkeypatch):
    import json
    import shutil

    from itadesk import resources
    from itadesk.ita import catalog as catalog_module

    root = tmp_path / "resources"
    shutil.copytree(resources.resources_root() / "catalogs", root / "catalogs")
    data = json.loads((root / "catalogs" / "2568.json").read_text(encoding="utf-8"))
    data["fiscal_year"] = 2569
    data["levels"]["rules"][1]["overall_min"] = 90  # a stricter ผ่านดี, say
    (root / "catalogs" / "2569.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(resources, "resources_root", lambda: root)
    catalog_module.clear_cache()
    try:
        assert 2569 in catalog_module.available_years()
        assert catalog_module.load_catalog(2569).levels["rules"][1]["overall_min"] == 90
    finally:
        catalog_module.clear_cache()


def test_level_direction_and_eit_parts_in_the_comparison():
    cmp = compare(make(2568, Y2568), make(2567, Y2567))
    assert cmp.level == FALL  # ผ่านดี → ผ่าน
    assert set(cmp.parts) == {"EIT.1", "EIT.2"} and cmp.parts["EIT.1"].current is None
    from itadesk.ita.levels import compare_levels

    rules = load_catalog(2568).levels
    assert compare_levels("ผ่าน", "ผ่านดี", rules) == RISE
    assert compare_levels("ผ่าน", "ผ่าน", rules) == SAME
    assert compare_levels("A", "ผ่าน", rules) is None  # different schemes are not ranked


def test_eit_part_scores_are_reported():
    a = make(2568, Y2568)
    for k in range(1, 10):
        a.items[f"e{k}"] = {1: 99.0, 2: 97.0}
    ev = evaluate(a)
    assert ev.parts == {"EIT.1": 99.0, "EIT.2": 97.0}
    assert not ev.notes


def test_signed_change_has_no_sign_at_zero():
    from itadesk.ita.numbers import fmt_signed

    assert fmt_signed(0.001) == "0.00"
    assert fmt_signed(-4.74) == "−4.74" and fmt_signed(6.67) == "+6.67"
    assert fmt_signed(-4.74, thai_digits=True) == "−๔.๗๔"


def test_a_broken_year_file_is_reported_not_fatal(tmp_path, monkeypatch):
    import shutil

    from itadesk import resources
    from itadesk.ita import catalog as catalog_module

    root = tmp_path / "resources"
    shutil.copytree(resources.resources_root() / "catalogs", root / "catalogs")
    (root / "catalogs" / "2569.json").write_text('{"format": "itadesk-catalog", "tools": [', encoding="utf-8")
    monkeypatch.setattr(resources, "resources_root", lambda: root)
    catalog_module.clear_cache()
    try:
        assert 2569 not in catalog_module.available_years()
        assert any("2569.json" in p for p in catalog_module.catalog_problems())
        assert catalog_module.load_catalog(2569).fiscal_year == 2569  # 2568's rules carry on
        assert catalog_module.load_catalog(2569).levels == catalog_module.load_catalog(2568).levels
    finally:
        catalog_module.clear_cache()


def test_eit_part_note_only_when_it_decides_the_level():
    assert evaluate(make(2568, Y2568)).notes == []  # OIT 77.5 makes it ผ่าน whatever EIT parts are
    ev = evaluate(make(2568, [96] * 10))
    assert any("EIT ส่วนที่ 1 และ 2" in n for n in ev.notes)
